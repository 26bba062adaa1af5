"""Explain a decoded token: what each header parameter and claim means, and its times in words."""

from __future__ import annotations

from typing import Any

from .claims import ClaimChecks, check_claims
from .codegen import DEFAULT_URL, CodeInputs, generate
from .glossary import CLAIMS, HEADER, Entry
from .hints import token_hints
from .keys import read_key
from .times import is_time_number, relative, utc_text
from .tokens import ParsedToken, parse
from .verify import check_signature
from .walkthrough import walkthrough

_PRIVATE_CLAIM = Entry(
    "Private claim",
    "Not a registered or common claim: its meaning is agreed between the issuer and the "
    "services that read it.",
    "RFC 7519 section 4.3",
    "https://www.rfc-editor.org/rfc/rfc7519#section-4.3",
)
_UNKNOWN_HEADER = Entry(
    "Unregistered header parameter",
    "Not a parameter of RFC 7515: verifiers ignore it unless it is listed in crit.",
    "RFC 7515 section 4.3",
    "https://www.rfc-editor.org/rfc/rfc7515#section-4.3",
)


def describe(parsed: ParsedToken, *, now: float) -> dict[str, list[dict[str, Any]]]:
    """One row per header parameter and per claim, in the token's order, with its meaning."""
    header = parsed.header if isinstance(parsed.header, dict) else {}
    payload = parsed.payload if isinstance(parsed.payload, dict) else {}
    return {
        "header": [
            _row(name, value, HEADER, _UNKNOWN_HEADER, now) for name, value in header.items()
        ],
        "payload": [
            _row(name, value, CLAIMS, _PRIVATE_CLAIM, now) for name, value in payload.items()
        ],
    }


def lookup(name: str, part: str = "payload") -> dict[str, Any] | None:
    """The glossary entry for a header parameter (`part="header"`) or claim, if there is one."""
    entry = (HEADER if part == "header" else CLAIMS).get(name)
    return entry.to_dict() if entry is not None else None


def _row(
    name: str, value: Any, table: dict[str, Entry], fallback: Entry, now: float
) -> dict[str, Any]:
    entry = table.get(name)
    row: dict[str, Any] = {"name": name, "known": entry is not None}
    row.update((entry or fallback).to_dict())
    if entry is not None and entry.is_time:
        row["time"] = time_info(value, now)
    return row


def time_info(value: Any, now: float) -> dict[str, Any] | None:
    """A NumericDate as UTC text and relative words; None when it is not a number, or a number
    too large for any date."""
    if not is_time_number(value):
        return None
    return {
        "value": value,
        "utc": utc_text(value),
        "relative": relative(value, now),
        "milliseconds": value >= 100_000_000_000,
    }


def token_fields(
    parsed: ParsedToken, time: dict[str, Any], checks: ClaimChecks | None, *, now: float
) -> dict[str, Any]:
    """What decode and verify answers carry for this feature: rows, hints and claim checks."""
    return {
        "explain": describe(parsed, now=now),
        "hints": token_hints(parsed, time),
        "claims": check_claims(parsed.payload, checks or ClaimChecks()),
    }


def explain_report(
    token: str,
    key_text: str | None,
    *,
    secret_encoding: str = "utf-8",
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
    checks: ClaimChecks | None = None,
    leeway: float = 0,
    url: str | None = None,
) -> dict[str, Any]:
    """The heavier parts, computed when asked: the signature walkthrough and the code."""
    parsed = parse(token)
    key = None
    steps: dict[str, Any] = {
        "available": False,
        "valid": False,
        "message": "Paste a key or secret to see how the signature is checked.",
    }
    if key_text:
        ring = read_key(key_text, secret_encoding)
        verdict = check_signature(
            parsed, ring, algorithms=algorithms, detached_payload=detached_payload
        )
        key = verdict.key or ring.keys[0]
        steps = walkthrough(parsed, ring, algorithms=algorithms, detached_payload=detached_payload)
    inputs = CodeInputs(
        parsed,
        key,
        key_text or "",
        secret_encoding,
        checks or ClaimChecks(),
        leeway,
        url or DEFAULT_URL,
        detached_payload,
    )
    return {"walkthrough": steps, "code": generate(inputs)}
