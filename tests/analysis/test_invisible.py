"""The one set of invisible and bidirectional characters: terminal, page and findings."""

from __future__ import annotations

import unicodedata

import pytest

from debugger.analysis import invisible
from debugger.cli.terminal import safe_block

IN_SET = [code for low, high, _ in invisible.RANGES for code in range(low, high + 1)]


def test_the_pattern_matches_exactly_the_ranges():
    matched = [code for code in range(0x10000) if invisible.PATTERN.fullmatch(chr(code))]
    assert matched == sorted(IN_SET)


def test_the_terminal_escapes_exactly_the_same_set():
    escaped = [code for code in range(0x10000) if safe_block(chr(code)) != chr(code)]
    assert escaped == sorted(IN_SET)


@pytest.mark.parametrize(
    ("character", "shown"),
    (
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\x1b", "U+001B CONTROL CHARACTER"),
        ("\x9b", "U+009B CONTROL CHARACTER"),
        ("\u2065", "U+2065 FORMAT CHARACTER"),
        ("\ud800", "U+D800 LONE SURROGATE"),
    ),
)
def test_name_gives_the_code_point_and_its_unicode_name(character, shown):
    assert invisible.name(character) == shown


def test_found_in_looks_at_member_names_and_nested_values_in_order():
    value = {"sub": "\u202eab\u202c", "x\u200b": [1, {"y": "\x00\u202e"}], "n": None}
    assert invisible.found_in(value) == ["\u202e", "\u202c", "\u200b", "\x00"]
    assert invisible.found_in({"name": "Zoë\tÅ\n日本 🔑", "n": 1.5}) == []


def test_describe_names_four_characters_and_counts_the_rest():
    assert invisible.describe(["\u202e"]) == "U+202E RIGHT-TO-LEFT OVERRIDE"
    shown = invisible.describe(["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\x00"])
    assert shown.endswith("U+200E LEFT-TO-RIGHT MARK and 2 more")


def test_the_page_table_holds_the_ranges_and_every_unicode_name():
    table = invisible.page_table()
    assert table["ranges"] == [list(item) for item in invisible.RANGES]
    named = {f"{c:04X}": unicodedata.name(chr(c)) for c in IN_SET if unicodedata.name(chr(c), "")}
    assert table["names"] == named
    assert table["names"]["202E"] == "RIGHT-TO-LEFT OVERRIDE"
