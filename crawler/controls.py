"""Control characters: never stored, never printed, never put into XML.

A page can hold them raw or as character references (`&#x1b;` is ESC, the start of a terminal
escape sequence); lxml turns the references into the characters themselves, so they are
removed from the parsed fields, not only from the raw bytes. Tab, line feed and carriage
return are kept in stored text (paragraphs), and made spaces in a terminal table.
"""

import dataclasses
import re
from typing import TypeVar

# C0 but tab/LF/CR, DEL, C1, lone surrogates and the two non-characters XML 1.0 forbids
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_IN_A_CELL = {
    **{code: None for code in [*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]},
    **{ord(c): " " for c in "\t\n\r"},
}

T = TypeVar("T")


def without_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def fields_without_controls(record: T) -> T:
    """A dataclass with control characters removed from each of its text fields."""
    changes = {
        field.name: without_controls(value)
        for field in dataclasses.fields(record)  # type: ignore[arg-type]
        if isinstance(value := getattr(record, field.name), str)
    }
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def table_cell(value: object) -> str:
    """A value as one line of plain text for a terminal table (str.translate: fast enough
    for ten thousand rows)."""
    return "" if value is None else str(value).translate(_IN_A_CELL)
