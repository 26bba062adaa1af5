"""What the command line reads: values, files, variables, standard input, times and claims."""

from __future__ import annotations

import io
import time

import pytest

from debugger.cli.inputs import (
    Inputs,
    parse_claim,
    parse_now,
    parse_time,
    split_list,
    without_final_newline,
)
from debugger.errors import DebuggerError

NOW = 1_800_000_000


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_text_reads_values_files_variables_and_stdin(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("from-file\n")
    inputs = Inputs(_Stdin("from-stdin\r\n"), {"NAME": "from-env\n"})
    assert inputs.text("plain\n", "--key") == "plain\n"  # a value is taken as given
    assert inputs.text(f"@{path}", "--key") == "from-file"
    assert inputs.text("env:NAME", "--key") == "from-env"
    assert inputs.text("-", "--key") == "from-stdin"


def test_stdin_is_read_once():
    inputs = Inputs(_Stdin("x"), {})
    inputs.text("@-", "TOKEN")
    with pytest.raises(DebuggerError) as err:
        inputs.text("-", "--key")
    assert err.value.code == "invalid_request" and err.value.field == "--key"


@pytest.mark.parametrize("value", ("@/no/such/file", "env:NOT_SET_ANYWHERE"))
def test_missing_files_and_variables_are_errors(value):
    with pytest.raises(DebuggerError) as err:
        Inputs(_Stdin(""), {}).text(value, "--key")
    assert err.value.code == "invalid_request"


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "payload.json"
    path.write_bytes(b'\xef\xbb\xbf{"sub": "a"}\r\n')
    assert Inputs(_Stdin(""), {}).text(f"@{path}", "PAYLOAD") == '{"sub": "a"}'


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "binary"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(DebuggerError) as err:
        Inputs(_Stdin(""), {}).text(f"@{path}", "--key")
    assert err.value.code == "invalid_request"


def test_token_comes_from_stdin_only_when_piped():
    assert Inputs(_Stdin("a.b.c\n"), {}).token(None) == "a.b.c"
    with pytest.raises(DebuggerError):
        Inputs(_Stdin("", tty=True), {}).token(None)
    with pytest.raises(DebuggerError):
        Inputs(_Stdin(" \n"), {}).token(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("+30m", NOW + 1800),
        ("+2h", NOW + 7200),
        ("-1d", NOW - 86400),
        ("+1d12h30m", NOW + 86400 + 43200 + 1800),
        ("+2w", NOW + 14 * 86400),
        ("+45s", NOW + 45),
        ("1900000000", 1900000000),
        ("2030-01-31", 1896048000),
        ("2030-01-31T12:00:00Z", 1896091200),
        ("2030-01-31 12:00:00+01:00", 1896087600),
    ),
)
def test_parse_time_takes_durations_seconds_and_dates(text, expected):
    assert parse_time(text, NOW + 0.75, "--exp") == expected


@pytest.mark.parametrize("text", ("soon", "+5", "5m", "+5y", "2030-13-01", ""))
def test_parse_time_refuses_anything_else(text):
    with pytest.raises(DebuggerError) as err:
        parse_time(text, NOW, "--exp")
    assert err.value.code == "invalid_request" and err.value.field == "--exp"


def test_parse_now_keeps_integers_and_reads_dates_and_offsets():
    assert parse_now("1800000000") == NOW and isinstance(parse_now("1800000000"), int)
    assert parse_now("1800000000.5") == NOW + 0.5
    assert parse_now("2027-01-15") == 1_799_971_200
    assert abs(parse_now("+1h") - (time.time() + 3600)) < 5


@pytest.mark.parametrize(
    ("text", "claim"),
    (
        ("admin=true", ("admin", True)),
        ("n=3", ("n", 3)),
        ('aud=["a","b"]', ("aud", ["a", "b"])),
        ("role=editor", ("role", "editor")),
        ('id="42"', ("id", "42")),
        ("empty=", ("empty", "")),
        ("eq=a=b", ("eq", "a=b")),
    ),
)
def test_parse_claim_reads_json_values_else_strings(text, claim):
    assert parse_claim(text) == claim


@pytest.mark.parametrize("text", ("novalue", "=value"))
def test_parse_claim_needs_a_name_and_an_equals_sign(text):
    with pytest.raises(DebuggerError):
        parse_claim(text)


def test_split_list_and_final_newline():
    assert split_list(["a,b", " c ", ""]) == ["a", "b", "c"]
    assert split_list(None) is None
    assert without_final_newline("x\n\n") == "x\n"
    assert without_final_newline("x\r\n") == "x"


@pytest.mark.parametrize("text", ("9" * 309, "-" + "9" * 400, "1e400"))
def test_parse_now_refuses_a_number_beyond_any_date(text):
    with pytest.raises(DebuggerError) as err:
        parse_now(text)
    assert err.value.code == "invalid_request" and err.value.field == "--now"
