"""Characters that display as nothing or reorder the text around them, defined once.

A claim `"\\u202enimda\\u202c"` reads as "admin" on a screen. The terminal escapes these
characters, the page marks them and the findings name them: all three use this one set. Tab and
line feed are left out (they lay text out visibly); carriage return and every other C0 or C1
control are in.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, TypedDict

#: The set as ranges of code points, each with what to call a character Unicode gives no name.
RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x0008, "CONTROL CHARACTER"),
    (0x000B, 0x001F, "CONTROL CHARACTER"),
    (0x007F, 0x009F, "CONTROL CHARACTER"),
    (0x00AD, 0x00AD, "FORMAT CHARACTER"),
    (0x061C, 0x061C, "FORMAT CHARACTER"),
    (0x180E, 0x180E, "FORMAT CHARACTER"),
    (0x200B, 0x200F, "FORMAT CHARACTER"),
    (0x2028, 0x202E, "FORMAT CHARACTER"),
    (0x2060, 0x206F, "FORMAT CHARACTER"),
    (0xFEFF, 0xFEFF, "FORMAT CHARACTER"),
    (0xFFF9, 0xFFFB, "FORMAT CHARACTER"),
    (0xD800, 0xDFFF, "LONE SURROGATE"),
)
#: The inside of a regular-expression character class matching the set (Python and JavaScript).
CHARACTER_CLASS = "".join(
    f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high, _ in RANGES
)
PATTERN = re.compile(f"[{CHARACTER_CLASS}]")
#: More than this many distinct characters in one place are counted, not named.
_SHOWN_CHARACTERS = 4


def name(character: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its Unicode name."""
    code = ord(character)
    label = unicodedata.name(character, "")
    if not label:
        label = next((text for low, high, text in RANGES if low <= code <= high), "CHARACTER")
    return f"U+{code:04X} {label}"


def found_in(value: Any) -> list[str]:
    """The distinct characters of the set in a JSON value's strings and member names, in order."""
    found: dict[str, None] = {}
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.update(dict.fromkeys(PATTERN.findall(item)))
        elif isinstance(item, dict):
            pending.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list):
            pending.extend(reversed(item))
    return list(found)


def describe(characters: list[str]) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE and U+202C POP DIRECTIONAL FORMATTING`, cut short."""
    names = [name(character) for character in characters[:_SHOWN_CHARACTERS]]
    more = len(characters) - _SHOWN_CHARACTERS
    if more > 0:
        return f"{', '.join(names)} and {more} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class PageTable(TypedDict):
    """The invisible characters as the page reads them: ranges with labels, and names."""

    ranges: list[list[int | str]]
    names: dict[str, str]


@functools.cache
def page_table() -> PageTable:
    """The set as the page reads it: ranges with their labels, and the characters with names."""
    names: dict[str, str] = {}
    for low, high, _ in RANGES:
        for code in range(low, high + 1):
            label = unicodedata.name(chr(code), "")
            if label:
                names[f"{code:04X}"] = label
    return {"ranges": [[low, high, label] for low, high, label in RANGES], "names": names}
