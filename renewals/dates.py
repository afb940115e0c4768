"""Dates on the command line, read one way by every command: an ISO date or time, or a span
back from now ("7d"), as text that compares with the stored ISO values."""

import re
from datetime import UTC, datetime, timedelta

import click

_ISO = re.compile(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?"
)  # a stored time ends in "+00:00": one copied from a table is accepted as it is
_SPAN = re.compile(r"(\d+)([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_date(text: str, now: datetime | None = None) -> str:
    """The ISO text for a date option; ValueError says what is accepted.

    A space between date and time is read as the "T" that stored times have.
    """
    value = text.strip().replace(" ", "T", 1)
    span = _SPAN.fullmatch(value)
    if span:
        moment = (now or datetime.now(UTC)) - timedelta(**{_UNITS[span[2]]: int(span[1])})
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if _ISO.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value if len(value) >= 10 else (value + "-01-01")[:10])
        except ValueError:
            pass
        else:  # a zone is turned into UTC, which stored times are in, so text compares right
            return moment.astimezone(UTC).isoformat() if moment.tzinfo else value
    raise ValueError(f"expected a date such as 2026-11-05 or 7d, got {text!r}")


def date_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
