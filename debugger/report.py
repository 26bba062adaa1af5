"""What the debugger says about a token: the decode report and the verify report."""

from __future__ import annotations

from typing import Any

from .keys import read_key
from .times import check_times
from .tokens import parse
from .verify import check_signature


def decode_report(token: str, *, now: float, leeway: float = 0) -> dict[str, Any]:
    """Everything that can be read from the token alone: parts, problems and times."""
    parsed = parse(token)
    report = parsed.to_dict()
    report["time"] = check_times(parsed.payload, now=now, leeway=leeway)
    return report


def verify_report(
    token: str,
    key: str,
    *,
    now: float,
    leeway: float = 0,
    secret_encoding: str = "utf-8",
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
) -> dict[str, Any]:
    """The decode report plus the signature verdict for the given key or secret.

    Raises `DebuggerError` (code `bad_key`) when the key cannot be understood at all.
    """
    ring = read_key(key, secret_encoding)
    parsed = parse(token)
    verdict = check_signature(
        parsed, ring, algorithms=algorithms, detached_payload=detached_payload
    )
    report = parsed.to_dict()
    report.update(verdict.to_dict())
    report["notes"].extend(verdict.notes)
    report["time"] = check_times(parsed.payload, now=now, leeway=leeway)
    report["key_set"] = (
        {"kids": ring.kids, "size": len(ring.keys), "unusable": list(ring.unusable)}
        if ring.is_set
        else None
    )
    return report
