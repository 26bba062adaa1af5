"""Find the tokens in whatever the user has: a curl command, an HTTP request or answer, a log
line, a HAR file, a `.env` file, a cookie header, a URL.

Every compact JWS (three parts) and JWE (five parts) whose header reads as JSON is listed once,
with where it was found (the header, cookie, query or fragment parameter, variable, JSON field, and
the line) and a quick verdict. Nothing is sent anywhere; the text is hostile and only read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TypedDict

from ..jose.algorithms import is_unsecured
from ..jose.pasted import parse

#: At most this many tokens are listed.
MAX_TOKENS = 200
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


class FoundToken(TypedDict):
    """A token found in the text: where, what kind, and a quick verdict."""

    token: str
    kind: str
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
        kind, alg, verdict = _quick_verdict(token, now)
        found[token] = {
            "token": token,
            "kind": kind,
            "where": where,
            "places": 1,
            "alg": alg,
            "verdict": verdict,
        }
    return {"tokens": list(found.values()), "truncated": truncated}


def _occurrences(text: str) -> Iterator[tuple[str, str]]:
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            document = json.loads(stripped)
        except (ValueError, RecursionError):
            document = None
        if isinstance(document, dict | list):
            yield from _in_json(document, "")
            return
    for number, line in enumerate(text.splitlines(), start=1):
        for token, start in _tokens_in(line):
            yield token, f"{_context(line[:start])} (line {number})"


def _tokens_in(text: str) -> Iterator[tuple[str, int]]:
    for match in _CANDIDATE.finditer(text):
        segments = match.group().split(".")
        if len(segments) == 4:
            segments = segments[:3]  # a JWS followed by a full stop
        candidate = ".".join(segments)
        header = parse(candidate).header
        if header is not None and ("alg" in header or "enc" in header):
            yield candidate, match.start()


def _in_json(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 64:
        return
    if isinstance(value, dict):
        named = value.get("name") if isinstance(value.get("name"), str) else None
        for key, item in value.items():
            if named and key == "value" and isinstance(item, str):
                for token, _ in _tokens_in(item):
                    yield token, f"{named} ({path})"
                continue
            yield from _in_json(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _in_json(item, f"{path}[{index}]", depth + 1)
    elif isinstance(value, str):
        for token, start in _tokens_in(value):
            yield token, f"{_context(value[:start])} in {path or 'the JSON text'}"


def _context(before: str) -> str:
    """Name what the text just before a token says it is."""
    before = before[-300:]
    for pattern, name in _CONTEXTS:
        match = pattern.search(before)
        if match:
            return name.format(match.group(1))
    return "text"


def _quick_verdict(token: str, now: float) -> tuple[str, str | None, str]:
    parsed = parse(token)
    header = parsed.header or {}
    alg = header.get("alg") if isinstance(header.get("alg"), str) else None
    if parsed.kind == "JWE":
        enc = header.get("enc")
        return "JWE", alg, f"encrypted ({alg}, {enc}): decrypt it with the recipient's key"
    if parsed.error() is not None:
        return "JWS", alg, "malformed: " + (parsed.error() or parsed.problems[0]).message
    if alg is None or is_unsecured(alg):
        return "JWS", alg, "unsigned (alg none): nothing about it can be trusted"
    claims = parsed.payload if isinstance(parsed.payload, dict) else {}
    exp = claims.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        state = "expired" if exp <= now else "not expired"
        return "JWS", alg, f"{alg}, {state} (exp {int(exp)})"
    return "JWS", alg, f"{alg}, no exp"
