"""What the command line reads: text from arguments, files, the environment or standard input;
times such as `+30m` or a date; and `name=value` claims.

Keys and secrets can come from `@path` or `env:NAME` so that they never appear on the command
line, where shell history and the process list would keep them.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from ..errors import INVALID_REQUEST, DebuggerError
from ..jose import jsontext

#: The argument that means "read standard input".
STDIN = "-"
ENV_PREFIX = "env:"
FILE_PREFIX = "@"
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_RELATIVE = re.compile(r"([+-])((?:\d+[smhdw])+)")
_RELATIVE_PART = re.compile(r"(\d+)([smhdw])")
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class Inputs:
    """Reads argument values, and makes sure standard input is read at most once."""

    def __init__(self, stdin: TextIO | None = None, environ: dict[str, str] | None = None):
        self.stdin: TextIO | None = sys.stdin if stdin is None else stdin
        self.environ = dict(os.environ) if environ is None else environ
        self.stdin_reader: str | None = None

    def stdin_is_terminal(self) -> bool:
        """True when standard input is a terminal (nothing is piped in)."""
        isatty = getattr(self.stdin, "isatty", None)
        return bool(isatty and isatty())

    def read_stdin(self, what: str) -> str:
        """Everything on standard input, for `what` (an option name, for messages)."""
        if self.stdin_reader is not None:
            raise DebuggerError(
                INVALID_REQUEST,
                f"Standard input is already read for {self.stdin_reader}; give {what} another "
                "way (a value, @FILE or env:NAME).",
                field=what,
            )
        self.stdin_reader = what
        if self.stdin is None:  # started with standard input closed
            return ""
        try:
            return self.stdin.read()
        except (OSError, UnicodeDecodeError) as err:
            raise DebuggerError(
                INVALID_REQUEST, f"Cannot read {what} from standard input: {err}.", field=what
            ) from err

    def text(self, value: str, what: str) -> str:
        """`value` itself, or the content it names: `-` or `@-` (stdin), `@path`, `env:NAME`.

        Content read from stdin, a file or the environment loses one trailing line break,
        which `echo` and editors add but which is almost never part of a secret.
        """
        if value in (STDIN, FILE_PREFIX + STDIN):
            return without_final_newline(self.read_stdin(what))
        if value.startswith(FILE_PREFIX):
            return without_final_newline(read_file(value[len(FILE_PREFIX) :], what))
        if value.startswith(ENV_PREFIX):
            name = value[len(ENV_PREFIX) :]
            if name not in self.environ:
                raise DebuggerError(
                    INVALID_REQUEST,
                    f"{what} names the environment variable {name!r}, which is not set.",
                    field=what,
                )
            return without_final_newline(self.environ[name])
        return value

    def token(self, value: str | None, what: str = "TOKEN") -> str:
        """The token argument, read from stdin for `-` or when it is left out and stdin is piped."""
        if value is None:
            if self.stdin_is_terminal():
                raise DebuggerError(
                    INVALID_REQUEST,
                    "Give a token as an argument, or pipe one in (or pass - to read standard "
                    "input).",
                    field=what,
                )
            value = STDIN
        text = self.text(value, what)
        if not text.strip():
            raise DebuggerError(INVALID_REQUEST, "The token is empty.", field=what)
        return text


def read_file(path: str, what: str) -> str:
    """A text file's content (without a byte order mark); a missing, unreadable or non-UTF-8
    file is one clear error."""
    try:
        with open(path, encoding="utf-8-sig") as file:
            return file.read()
    except UnicodeDecodeError as err:
        raise DebuggerError(
            INVALID_REQUEST,
            f"{path} is not UTF-8 text (byte {err.start + 1}). For a binary secret, write it as "
            "hex or base64 and pass --secret-encoding.",
            field=what,
        ) from err
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise DebuggerError(
            INVALID_REQUEST, f"Cannot read {path} for {what}: {reason}.", field=what
        ) from err


def read_bytes(path: str, what: str) -> bytes:
    """A file's bytes; a missing or unreadable file is one clear error."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise DebuggerError(
            INVALID_REQUEST, f"Cannot read {path} for {what}: {reason}.", field=what
        ) from err


def without_final_newline(text: str) -> str:
    """`text` without one trailing `\\n` or `\\r\\n`."""
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def parse_now(text: str) -> int | float:
    """A clock value: seconds since 1970 (`1700000000.5`), an ISO date, or `+2h` from now."""
    if _RELATIVE.fullmatch(text.strip()):
        import time

        return parse_time(text, time.time(), "--now")
    if _NUMBER.fullmatch(text.strip()):
        value = text.strip()
        number = int(value) if _INTEGER.fullmatch(value) else float(value)
        # Compared, not converted: math.isfinite() overflows on an integer of 309 digits.
        if abs(number) <= sys.float_info.max:
            return number
        raise DebuggerError(
            INVALID_REQUEST,
            f"--now is a number too large for any date: {text[:20]!r}…",
            field="--now",
        )
    return _iso_seconds(text, "--now")


def parse_time(text: str, now: float, what: str) -> int:
    """A NumericDate from `+30m`, `-1h`, `+1d12h`, seconds since 1970, or an ISO date or time.

    Units: s, m, h, d and w. Relative times count from `now`, in whole seconds. A date or time
    without a zone is UTC.
    """
    value = text.strip()
    relative = _RELATIVE.fullmatch(value)
    if relative:
        sign = 1 if relative.group(1) == "+" else -1
        seconds = sum(
            int(count) * _UNIT_SECONDS[unit]
            for count, unit in _RELATIVE_PART.findall(relative.group(2))
        )
        return int(now) + sign * seconds
    if _INTEGER.fullmatch(value):
        return int(value)
    return int(_iso_seconds(value, what))


def _iso_seconds(text: str, what: str) -> float:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise DebuggerError(
            INVALID_REQUEST,
            f"{what} takes +30m, +2h, -1d (s, m, h, d, w), seconds since 1970 or an ISO date "
            f"such as 2030-01-31 or 2030-01-31T12:00:00Z; {text!r} is none of these.",
            field=what,
        ) from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def parse_claim(text: str) -> tuple[str, Any]:
    """`name=value` as a claim; the value is JSON when it parses as JSON, else a string."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise DebuggerError(
            INVALID_REQUEST,
            f'-P takes name=value (for example -P role=admin or -P \'aud=["a","b"]\'), '
            f"not {text!r}.",
            field="-P",
        )
    try:
        return name, jsontext.loads(raw, field=name)
    except DebuggerError:
        return name, raw


def split_list(values: list[str] | None) -> list[str] | None:
    """Repeated options and comma-separated values as one list: `--alg A,B --alg C`."""
    if values is None:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
