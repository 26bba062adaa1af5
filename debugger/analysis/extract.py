"""Find the tokens in whatever the user has: a curl command, an HTTP request or answer, a log
line, a HAR file, a `.env` file, a cookie header, a URL.

Every compact JWS (three parts) and JWE (five parts) whose header reads as JSON is listed once,
and so is every JWS or JWE in JSON serialization (RFC 7515 and RFC 7516, section 7.2: an object
with "payload" and "signature" or "signatures", or with "protected" and "ciphertext"), with where
it was found (the header, cookie, query or fragment parameter, variable, JSON field, and the line)
and a quick verdict. Nothing is sent anywhere; the text is hostile and only read.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any, TypedDict

from ..jose.algorithms import is_unsecured
from ..jose.pasted import parse

#: At most this many tokens are listed.
MAX_TOKENS = 200
#: At most this many characters are parsed as JSON looking for serializations in free text.
MAX_JSON_PARSED = 4 * 1024 * 1024
_FIRST_WINDOW = 4096
_CANDIDATE = re.compile(r"eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}")
#: What may stand just before a token on its line, most specific first, with how to name it.
_CONTEXTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:^|[\s'\"])([\w-]+)\s*:\s*(?:Bearer|DPoP|JWT|Token)\s+$", re.I), "{} header"),
    (re.compile(r"(?:^|[\s'\"])(?:set-)?cookie\s*:.*?([^\s;=:]+)=$", re.I), "cookie {}"),
    (re.compile(r"#(?:.*&)?([^&=#?\s]+)=$"), "fragment parameter {}"),
    (re.compile(r"[?&]([^&=#?\s]+)=$"), "query parameter {}"),
    (re.compile(r"(?:^|[\s'\"])([\w-]+)\s*:\s*$"), "{} header"),
    (re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*['\"]?$"), "variable {}"),
    (re.compile(r"[\"']([^\"']+)[\"']\s*:\s*[\"']$"), "field {}"),
    (re.compile(r"([\w.-]+)\s*[=:]\s*['\"]?$"), "{}"),
)
#: A member that only a JSON serialization has; the object holding it starts at a "{" before it.
_JSON_MEMBER = re.compile(r'"(?:signatures?|ciphertext)"\s*:')
#: How many "{" before such a member are tried as the start of the object that holds it.
_OPENINGS_TRIED = 8
_DECODER = json.JSONDecoder()


class FoundToken(TypedDict):
    """A token found in the text: where, what kind, and a quick verdict."""

    token: str
    kind: str
    serialization: str
    where: str
    places: int
    alg: str | None
    verdict: str


class Extracted(TypedDict):
    """Every token found, in the order met."""

    tokens: list[FoundToken]
    truncated: bool


def extract(text: str, now: float) -> Extracted:
    """The tokens in `text`, each once, with where it first was found and a quick verdict."""
    found: dict[str, FoundToken] = {}
    truncated = False
    for token, where in _occurrences(text):
        if token in found:
            found[token]["places"] += 1
            continue
        if len(found) >= MAX_TOKENS:
            truncated = True
            break
        kind, serialization, alg, verdict = _quick_verdict(token, now)
        found[token] = {
            "token": token,
            "kind": kind,
            "serialization": serialization,
            "where": where,
            "places": 1,
            "alg": alg,
            "verdict": verdict,
        }
    return {"tokens": list(found.values()), "truncated": truncated}


def _occurrences(text: str) -> Iterator[tuple[str, str]]:
    budget = _ParseBudget()
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            document = json.loads(stripped)
        except (ValueError, RecursionError):
            document = None
        if _is_serialization(document):
            yield stripped, "the JSON text"
            return
        if isinstance(document, dict | list):
            yield from _in_json(document, "", budget)
            return
    # Compact tokens line by line, JSON serializations (which may span lines) in the whole text:
    # listed together in the order they stand in the text.
    found: list[tuple[int, str, str]] = []
    line_starts = [0]
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        offset = line_starts[-1]
        for token, start in _tokens_in(line):
            found.append((offset + start, token, f"{_context(line[:start])} (line {number})"))
        line_starts.append(offset + len(line))
    for token, start in _serializations_in(text, budget):
        number = bisect.bisect_right(line_starts, start)
        before = text[line_starts[number - 1] : start]
        found.append((start, token, f"{_context(before)} (line {number})"))
    for _, token, where in sorted(found, key=lambda item: item[0]):
        yield token, where


def _tokens_in(text: str) -> Iterator[tuple[str, int]]:
    for match in _CANDIDATE.finditer(text):
        segments = match.group().split(".")
        if len(segments) == 4:
            segments = segments[:3]  # a JWS followed by a full stop
        candidate = ".".join(segments)
        header = parse(candidate).header
        if header is not None and ("alg" in header or "enc" in header):
            yield candidate, match.start()


def _is_serialization(value: Any) -> bool:
    """An object shaped as a JWS or JWE in JSON serialization (RFC 7515 section 7.2)."""
    if not isinstance(value, dict):
        return False
    signed = "payload" in value and ("signature" in value or "signatures" in value)
    headed = "protected" in value or "recipients" in value or "unprotected" in value
    return signed or ("ciphertext" in value and headed)


class _ParseBudget:
    """How much more JSON one extraction may parse looking for serializations in free text.

    A "{" that is not the start of a serialization can make the parser read on to the end of
    the text; the budget bounds that work, so hostile text costs milliseconds, not minutes.
    """

    def __init__(self) -> None:
        self.characters = MAX_JSON_PARSED

    def decode(self, text: str, start: int) -> tuple[Any, int] | None:
        """The JSON value starting at `start` and where it ends, or None (spent, or not JSON)."""
        rest = len(text) - start
        for window in (min(rest, _FIRST_WINDOW), rest):
            if self.characters <= 0:
                return None
            self.characters -= window
            try:
                value, end = _DECODER.raw_decode(text[start : start + window])
            except json.JSONDecodeError as err:
                cut = err.pos >= window - 1 or err.msg.startswith("Unterminated")
                if window == rest or not cut:
                    return None
                continue  # cut short by the window: once more with the whole rest
            except RecursionError:
                return None
            self.characters += window - end  # only what was read counts
            return value, start + end
        return None


def _serializations_in(text: str, budget: _ParseBudget) -> Iterator[tuple[str, int]]:
    """JSON serializations written into free text, exactly as written, with where each starts.

    Each member only a serialization has ("signature", "signatures", "ciphertext") is looked
    at: the nearest few "{" before it are tried as the start of the object holding it.
    """
    openings = [match.start() for match in re.finditer(r"\{", text)]
    covered = 0
    for member in _JSON_MEMBER.finditer(text):
        if member.start() < covered:
            continue  # inside a serialization already found
        before = bisect.bisect_left(openings, member.start())
        first = max(bisect.bisect_left(openings, covered), before - _OPENINGS_TRIED)
        for opening in reversed(openings[first:before]):
            decoded = budget.decode(text, opening)
            if decoded is None:
                continue
            value, end = decoded
            if end > member.start() and _is_serialization(value):
                yield text[opening:end], opening
                covered = end
                break
        if budget.characters <= 0:
            return


def _in_json(
    value: Any, path: str, budget: _ParseBudget, depth: int = 0
) -> Iterator[tuple[str, str]]:
    if depth > 64:
        return
    if _is_serialization(value):
        yield json.dumps(value), f"the object at {path}"
        return
    if isinstance(value, dict):
        named = value.get("name") if isinstance(value.get("name"), str) else None
        for key, item in value.items():
            if named and key == "value" and isinstance(item, str):
                for token, _ in _tokens_in(item):
                    yield token, f"{named} ({path})"
                continue
            yield from _in_json(item, f"{path}.{key}" if path else str(key), budget, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _in_json(item, f"{path}[{index}]", budget, depth + 1)
    elif isinstance(value, str):
        for token, start in _tokens_in(value):
            yield token, f"{_context(value[:start])} in {path or 'the JSON text'}"
        for token, start in _serializations_in(value, budget):
            yield token, f"{_context(value[:start])} in {path or 'the JSON text'}"


def _context(before: str) -> str:
    """Name what the text just before a token says it is."""
    before = before[-300:]
    for pattern, name in _CONTEXTS:
        match = pattern.search(before)
        if match:
            return name.format(match.group(1))
    return "text"


def _quick_verdict(token: str, now: float) -> tuple[str, str, str | None, str]:
    """Kind, serialization ("compact", "flattened" or "general"), alg and a one-line verdict."""
    parsed = parse(token)
    kind, form = parsed.kind, parsed.serialization
    header = parsed.header or {}
    alg = header.get("alg") if isinstance(header.get("alg"), str) else None
    if kind == "JWE":
        enc = header.get("enc")
        return kind, form, alg, f"encrypted ({alg}, {enc}): decrypt it with the recipient's key"
    if parsed.error() is not None:
        return kind, form, alg, "malformed: " + (parsed.error() or parsed.problems[0]).message
    if alg is None or is_unsecured(alg):
        return kind, form, alg, "unsigned (alg none): nothing about it can be trusted"
    claims = parsed.payload if isinstance(parsed.payload, dict) else {}
    exp = claims.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        state = "expired" if exp <= now else "not expired"
        return kind, form, alg, f"{alg}, {state} (exp {int(exp)})"
    return kind, form, alg, f"{alg}, no exp"
