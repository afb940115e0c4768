"""`-s NAME=VALUE` checked before the crawl starts: a misspelt name or a value of the wrong
type is a one-line error here instead of a silent no-op or a traceback from deep in Scrapy.

A setting's type is that of its default (Scrapy's, or the project's in crawler.settings).
"""

import difflib
import json
from types import ModuleType

from scrapy.settings import default_settings

from crawler import settings as project_settings

_BOOLEANS = {"0", "1", "true", "false"}  # what Settings.getbool accepts, in any case


class OverrideError(ValueError):
    """A `-s` override that cannot be right; the message is one line."""


def _defaults(*modules: ModuleType) -> dict[str, object]:
    return {name: getattr(m, name) for m in modules for name in dir(m) if name.isupper()}


KNOWN = _defaults(default_settings, project_settings)


AT_LEAST_ONE = {"RENEWALS_EXTRACT_WORKERS"}  # whole numbers whose default (None) says no type


def _check_value(name: str, value: str, default: object) -> None:
    if name in AT_LEAST_ONE:
        if not value.strip().isdigit() or int(value) < 1:
            raise OverrideError(f"-s {name}: expected a whole number of at least 1, got {value!r}")
    elif isinstance(default, bool):
        if value.lower() not in _BOOLEANS:
            raise OverrideError(f"-s {name}: expected True or False, got {value!r}")
    elif isinstance(default, int | float):
        try:
            float(value)
        except ValueError:
            raise OverrideError(f"-s {name}: expected a number, got {value!r}") from None
    elif isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise OverrideError(f"-s {name}: expected a JSON object, got {value!r}")


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """`NAME=VALUE` pairs as a dict, each name known to Scrapy or the project and each value
    readable as its setting's type."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise OverrideError(f"-s: expected NAME=VALUE, got {pair!r}")
        if name not in KNOWN:
            close = difflib.get_close_matches(name.upper(), KNOWN, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise OverrideError(f"-s: unknown setting {name!r}{hint}")
        _check_value(name, value, KNOWN[name])
        overrides[name] = value
    return overrides
