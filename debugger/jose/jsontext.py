"""JSON as text: strict parsing, and re-formatting that keeps every literal as it was written.

Re-serialising parsed JSON turns `12345678901234567890.0` into `1.2345678901234567e+19` and
reorders or drops duplicate members. A debugger must show what the token holds, so pretty-printing
and compacting work on the tokens of the original text instead.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import INVALID_JSON, DebuggerError

#: How deeply objects and arrays may nest, the outermost one included. Everything that reads a
#: claim afterwards (repr, pprint, json.dumps, the generated code) goes one or more Python frames
#: deeper per level, and Python stops at 1000 frames; a JWT needs a few levels, not a hundred.
MAX_DEPTH = 100

_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+|[ \t\r\n]+', re.DOTALL)
_OPENERS = ("{", "[")
_CLOSERS = ("}", "]")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


class OverflowingNumber(str):
    """A JSON number literal too large for a float (`1e400`), kept as it was written."""

    __slots__ = ()


def _parse_float(text: str) -> float | str:
    value = float(text)
    # A literal too large for a float (1e400) keeps its written form rather than becoming inf.
    return value if math.isfinite(value) else OverflowingNumber(text)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(pairs)


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_parse_float, object_pairs_hook=_pairs
)


def loads(text: str, *, field: str = "json") -> Any:
    """Parse strict JSON (no NaN or Infinity), raising `DebuggerError` with line and column."""
    try:
        value, end = _DECODER.raw_decode(text, _skip_space(text, 0))
    except json.JSONDecodeError as err:
        raise DebuggerError(
            INVALID_JSON,
            f"{field} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
            field=field,
        ) from err
    except ValueError as err:
        message = f"{field} is not valid JSON: {err}."
        raise DebuggerError(INVALID_JSON, message, field=field) from err
    except RecursionError as err:
        raise DebuggerError(INVALID_JSON, _too_deep_message(field), field=field) from err
    # Fewer brackets than the limit, even counting those inside strings: no need to walk.
    if text.count("[") + text.count("{") > MAX_DEPTH:
        check_depth(value, field=field)
    end = _skip_space(text, end)
    if end != len(text):
        line = text.count("\n", 0, end) + 1
        column = end - (text.rfind("\n", 0, end) + 1) + 1
        raise DebuggerError(
            INVALID_JSON,
            f"{field} is not valid JSON: extra text after the value at line {line}, "
            f"column {column}.",
            field=field,
        )
    return value


def check_depth(value: Any, *, field: str = "json") -> None:
    """Refuse a value whose objects and arrays nest deeper than `MAX_DEPTH`, with a clear
    `DebuggerError`. The walk uses a list, not recursion, so any depth is safe to check."""
    pending: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise DebuggerError(INVALID_JSON, _too_deep_message(field), field=field)
        children = item.values() if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _too_deep_message(field: str) -> str:
    return (
        f"{field} nests objects and arrays more than {MAX_DEPTH} levels deep; the debugger reads "
        f"JSON up to {MAX_DEPTH} levels. A token's claims need only a few."
    )


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _tokens(text: str) -> list[str]:
    return [tok for tok in _TOKEN.findall(text) if tok[0] not in " \t\r\n"]


def pretty(text: str, indent: str = "  ") -> str:
    """Indent valid JSON text; strings and numbers stay exactly as written."""
    tokens = _tokens(text)
    out: list[str] = []
    depth = 0
    for index, tok in enumerate(tokens):
        if tok in _OPENERS:
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if following in _CLOSERS:
                out.append(tok)
                continue
            depth += 1
            out.append(tok + "\n" + indent * depth)
        elif tok in _CLOSERS:
            if index and tokens[index - 1] in _OPENERS:
                out.append(tok)
                continue
            depth -= 1
            out.append("\n" + indent * depth + tok)
        elif tok == ",":
            out.append(",\n" + indent * depth)
        elif tok == ":":
            out.append(": ")
        else:
            out.append(tok)
    return "".join(out)


def compact(text: str) -> str:
    """Remove the white space between tokens of valid JSON text; literals stay as written."""
    return "".join(_tokens(text))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any) -> str:
    """Serialise a parsed value compactly, keeping member order and non-ASCII text.

    A lone surrogate (read from a `\\ud800` escape) stays an escape: UTF-8 cannot encode it.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
