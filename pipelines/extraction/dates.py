"""When a decision was announced: find date phrases with a cheap pattern, parse only those.

dateparser is slow on free text (see PITFALLS), so it only ever sees a short phrase such as
"January 2020" or "Tuesday", with the article's publish date as the base for relative ones.
"""

import re
from datetime import date, datetime
from functools import lru_cache

from dateparser.date import DateDataParser

MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?)"
DATE_PHRASE = re.compile(
    rf"\b(?:(?:in|on|since|of|back\s+in|by)\s+)?"
    rf"(?:{DAY}\s+(?:of\s+)?{MONTHS},?\s+\d{{4}}"  # 14th March 2019
    rf"|{MONTHS}\s+{DAY},?\s+\d{{4}}"  # March 14, 2019
    rf"|{DAY}\s+(?:of\s+)?{MONTHS}"  # 14th March
    rf"|{MONTHS}\s+{DAY}(?![\d,]*\s*\d{{4}})"  # March 14
    rf"|(?:early|mid|late)[\s-]+{MONTHS}?\s*\d{{4}}"
    rf"|{MONTHS},?\s+\d{{4}}"  # January 2020
    rf"|(?<=in\s){MONTHS}\b|(?<=since\s){MONTHS}\b"  # in May
    rf"|(?:on|last|this\s+past)\s+{WEEKDAYS}|{WEEKDAYS}"
    r"|(?:earlier|later)\s+this\s+(?:month|year|week)|this\s+(?:month|year|week)"
    r"|last\s+(?:month|year|week|night|fall|spring|summer|winter)|yesterday|today"
    r"|(?:in|since|back\s+in)\s+(?:19|20)\d\d)\b",
)
WEEKDAY_NAMES = {
    name: index
    for index, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
LEADING_WORDS = re.compile(
    r"^(?:(?:in|on|since|of|back\s+in|by)\s+)?(?:(?:earlier|later)\s+)?(?:(?:early|mid|late)[\s-]+)?",
    re.I,
)
SETTINGS_BASE = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}


@lru_cache(maxsize=64)
def _parser(base: datetime | None) -> DateDataParser:
    """One parser per publish date: RELATIVE_BASE must be a naive datetime (see PITFALLS)."""
    settings = dict(SETTINGS_BASE, **({"RELATIVE_BASE": base} if base else {}))
    return DateDataParser(languages=["en"], settings=settings)


def find_date_phrases(text: str) -> list[tuple[int, str]]:
    """(offset, phrase) for every date-like phrase: the only text dateparser ever sees."""
    return [(m.start(), m.group()) for m in DATE_PHRASE.finditer(text)]


@lru_cache(maxsize=4096)
def parse_phrase(phrase: str, published: str | None) -> str | None:
    """ "January 2020" -> "2020-01", "on Tuesday" -> the Tuesday before `published`."""
    base = _base(published)
    text = LEADING_WORDS.sub("", phrase.strip())
    lowered = text.lower()
    if base and lowered in {"this month"}:
        return f"{base.year:04d}-{base.month:02d}"
    if base and lowered in {"this year"}:
        return f"{base.year:04d}"
    if base and lowered == "last month":
        year, month = (base.year, base.month - 1) if base.month > 1 else (base.year - 1, 12)
        return f"{year:04d}-{month:02d}"
    if base and lowered == "last year":
        return f"{base.year - 1:04d}"
    if lowered in {"last fall", "last spring", "last summer", "last winter", "this week"}:
        return None
    if re.fullmatch(r"(?:19|20)\d\d", text):
        return text
    weekday = WEEKDAY_NAMES.get(lowered.removeprefix("last ").removeprefix("this past "))
    if weekday is not None:
        if not base:
            return None
        back = (base.weekday() - weekday) % 7 or (7 if lowered.startswith("last") else 0)
        return date.fromordinal(base.toordinal() - back).isoformat()
    fast = _calendar(text, base)
    if fast:
        return fast
    if base is None and not re.search(r"\d{4}", text):
        return None  # dateparser would fill the gaps from today, which says nothing
    try:
        data = _parser(base).get_date_data(text)
    except Exception:  # noqa: BLE001 - a bad phrase is just no date
        return None
    if data is None or data.date_obj is None:
        return None
    parsed = data.date_obj
    if base and not _near_or_before(parsed.date(), base) and not re.search(r"\d{4}", text):
        parsed = parsed.replace(year=parsed.year - 1)  # "in March" written in May means this year's
    if data.period == "year":
        return f"{parsed.year:04d}"
    if data.period == "month":
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return parsed.date().isoformat()


MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
CALENDAR = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>[a-z]+)\.?|(?P<m2>[a-z]+)\.?"
    r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?)(?:,?\s+(?P<y>\d{4}))?"
)


def _calendar(text: str, base: datetime | None) -> str | None:
    """The common absolute forms without dateparser: "14th March 2019", "May 2018", "March"."""
    match = CALENDAR.fullmatch(text.lower())
    if not match:
        return None
    month = MONTH_NUMBER.get(match.group("m1") or match.group("m2") or "")
    if month is None:
        return None
    day = int(match.group("d1") or match.group("d2") or 0)
    year = int(match.group("y")) if match.group("y") else None
    if year is None:
        if base is None:
            return None
        year = (
            base.year if _near_or_before(date(base.year, month, day or 1), base) else base.year - 1
        )
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _near_or_before(day: date, base: datetime) -> bool:
    """A date without a year is this year's unless it is over a month after publication
    (an update can be dated a few days after the article first ran)."""
    return (day - base.date()).days <= 31


def _base(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, 12, 0)
