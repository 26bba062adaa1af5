"""The JSON serialization of a JWS or JWE (RFC 7515 and RFC 7516, section 7.2).

A JWS in JSON serialization is one payload with one signature (flattened) or several (general).
Each signature is read as the compact token `protected.payload.signature` it stands for: that is
the RFC's own definition of its signing input, so the compact machinery verifies it unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..codes import BAD_JSON_SERIALIZATION, EMPTY_PART, JWE_TOKEN, MISSING_ALG, NOT_JSON
from ..errors import DebuggerError
from . import jsontext
from .tokens import JsonSignature, Note, ParsedToken, Problem, clean, parse_compact

#: The most signatures (or JWE recipients) read from one JSON serialization.
MAX_JSON_SIGNATURES = 32
_JWE_MEMBERS = ("protected", "encrypted_key", "iv", "ciphertext", "tag")


def parse_json(text: str, notes: tuple[Note, ...]) -> ParsedToken:
    """Read a JSON object pasted as a token; never raises for bad input."""
    try:
        value = jsontext.loads(text, field="The JSON serialization")
    except DebuggerError as err:
        return _unreadable(text, notes, "general", [Problem("token", NOT_JSON, err.message)])
    if not isinstance(value, dict):
        return _unreadable(text, notes, "general", [_bad("token", "It is not a JSON object.")])
    if "ciphertext" in value:
        return _jwe(text, value, notes)
    problems: list[Problem] = []
    serialization, entries = _signature_entries(value, problems)
    # No "payload" member: the content is detached (RFC 7515 Appendix F), as an empty part.
    payload = value.get("payload", "")
    if not isinstance(payload, str):
        problems.append(_bad("payload", '"payload" must be a base64url string.'))
        return _unreadable(text, notes, serialization, problems)
    named = serialization == "general"
    signatures: list[JsonSignature] = []
    for index, entry in enumerate(entries):
        part = f"signatures[{index}]" if named else "token"
        signature = _signature(index, entry, payload, part, problems)
        if signature is not None:
            signatures.append(signature)
    if not signatures:
        return _unreadable(text, notes, serialization, problems)
    first = signatures[0].parsed
    problems[:0] = [p for p in first.problems if p.part == "payload"]
    for signature in signatures:
        prefix = f"signatures[{signature.index}]." if named else ""
        problems.extend(
            Problem(f"{prefix}{p.part}", p.code, p.message, p.severity)
            for p in signature.parsed.problems
            if p.part != "payload"
        )
    return dataclasses.replace(
        first,
        token=text,
        notes=notes,
        problems=tuple(problems),
        serialization=serialization,
        signatures=tuple(signatures),
    )


def with_signature(parsed: ParsedToken, index: int) -> ParsedToken:
    """The JSON serialization shown through its signature `index` (its header and parts)."""
    chosen = parsed.signatures[index].parsed
    return dataclasses.replace(
        chosen,
        token=parsed.token,
        notes=parsed.notes,
        problems=parsed.problems,
        serialization=parsed.serialization,
        signatures=parsed.signatures,
    )


def _signature_entries(value: dict[str, Any], problems: list[Problem]) -> tuple[str, list[Any]]:
    if "signatures" not in value:
        if "signature" not in value:
            problems.append(
                _bad(
                    "token",
                    'A JWS in JSON serialization has a "signatures" array (general) or a '
                    '"signature" member (flattened); this has neither.',
                )
            )
            return "flattened", []
        return "flattened", [value]
    entries = value["signatures"]
    if "signature" in value or "protected" in value or "header" in value:
        problems.append(
            _bad(
                "token",
                'It has both "signatures" (general serialization) and "signature", "protected" '
                'or "header" (flattened); the flattened members are ignored.',
            )
        )
    if not isinstance(entries, list) or not entries:
        problems.append(_bad("token", '"signatures" must be a non-empty array of objects.'))
        return "general", []
    if len(entries) > MAX_JSON_SIGNATURES:
        problems.append(
            _bad(
                "token",
                f"It has {len(entries)} signatures; the debugger reads at most "
                f"{MAX_JSON_SIGNATURES}.",
            )
        )
        return "general", []
    return "general", entries


def _signature(
    index: int, entry: Any, payload: str, part: str, problems: list[Problem]
) -> JsonSignature | None:
    if not isinstance(entry, dict):
        problems.append(_bad(part, f"Signature {index + 1} is not a JSON object."))
        return None
    protected = entry.get("protected", "")
    unprotected = entry.get("header")
    signature = entry.get("signature")
    wrong = [
        message
        for message, fails in (
            ('"protected" must be a base64url string', not isinstance(protected, str)),
            (
                '"protected" is JSON text as is: it must be base64url-encoded',
                isinstance(protected, str) and protected.lstrip().startswith("{"),
            ),
            (
                '"header" must be a JSON object',
                unprotected is not None and not isinstance(unprotected, dict),
            ),
            ('"signature" must be a base64url string', not isinstance(signature, str)),
            (
                'it needs a "protected" or a "header" member to name its algorithm',
                protected == "" and unprotected is None,
            ),
        )
        if fails
    ]
    if wrong:
        problems.append(_bad(part, f"Signature {index + 1}: {'; '.join(wrong)}."))
        return None
    compact = parse_compact(*clean(f"{protected}.{payload}.{signature}"))
    protected_header = compact.header if protected else None
    header = {**(protected_header or {}), **(unprotected or {})}
    own = [p for p in compact.problems if _kept(p, protected, header)]
    shared = sorted(set(protected_header or {}) & set(unprotected or {}))
    if shared:
        own.append(
            _bad(
                "header",
                f"{', '.join(shared)} is in both the protected and the unprotected header; "
                "RFC 7515 section 7.2.1 requires them to be disjoint.",
            )
        )
    joined = dataclasses.replace(
        compact,
        problems=tuple(own),
        header=header if (protected_header is not None or not protected) else None,
    )
    return JsonSignature(index, joined, protected_header, unprotected)


def _kept(problem: Problem, protected: str, header: dict[str, Any]) -> bool:
    """Drop what the unprotected header makes right: an absent protected header, or its alg."""
    if problem.code == EMPTY_PART and problem.part == "header" and not protected:
        return False
    return not (problem.code == MISSING_ALG and isinstance(header.get("alg"), str))


def _jwe(text: str, value: dict[str, Any], notes: tuple[Note, ...]) -> ParsedToken:
    """A JWE in JSON serialization: its protected header is shown, as for a compact JWE."""
    recipients = value.get("recipients")
    serialization = "general" if "recipients" in value else "flattened"
    first = recipients[0] if isinstance(recipients, list) and recipients else value
    members = [value.get(name, "") for name in _JWE_MEMBERS]
    if isinstance(first, dict):
        members[1] = first.get("encrypted_key", "")
    segments = [member if isinstance(member, str) else "" for member in members]
    compact = parse_compact(*clean(".".join(segments)))
    message = (
        "This is an encrypted token (JWE) in JSON serialization. Its payload can only be read "
        "with a recipient's private key (decrypt it); the protected header is shown."
    )
    problems = [Problem("token", JWE_TOKEN, message)]
    problems.extend(
        Problem(p.part, p.code, p.message, p.severity)
        for p in compact.problems
        if p.code != JWE_TOKEN and p.part == "header" and segments[0]
    )
    return dataclasses.replace(
        compact, token=text, notes=notes, problems=tuple(problems), serialization=serialization
    )


def _unreadable(
    text: str, notes: tuple[Note, ...], serialization: str, problems: list[Problem]
) -> ParsedToken:
    return ParsedToken(
        text, (), notes, tuple(problems), None, None, None, None, None, None, serialization
    )


def _bad(part: str, message: str) -> Problem:
    return Problem(part, BAD_JSON_SERIALIZATION, message)
