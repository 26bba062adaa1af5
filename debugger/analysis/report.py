"""What the debugger says about a token: the decode report and the verify report."""

from __future__ import annotations

from typing import Any

from ..errors import BAD_KEY, DebuggerError
from ..jose.claims import ClaimChecks, check_claims
from ..jose.keys import read_key
from ..jose.times import check_times
from ..jose.tokens import ParsedToken, parse
from ..jose.verify import check_signature
from ..teach.glossary import describe
from .findings import findings_report
from .hints import key_hints, token_hints
from .keyinfo import token_key_fields, verify_key_fields


def decode_report(
    token: str, *, now: float, leeway: float = 0, checks: ClaimChecks | None = None
) -> dict[str, Any]:
    """Everything that can be read from the token alone: parts, problems and times."""
    parsed = parse(token)
    report = parsed.to_dict()
    report["time"] = check_times(parsed.payload, now=now, leeway=leeway)
    report.update(token_fields(parsed, report["time"], checks, now=now))
    report.update(token_key_fields(parsed, now=now))
    report["findings"] = findings_report(parsed, report["time"])
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
    checks: ClaimChecks | None = None,
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
    report.update(token_fields(parsed, report["time"], checks, now=now))
    report["hints"].extend(
        key_hints(
            parsed,
            ring,
            verdict,
            key_text=key,
            secret_encoding=secret_encoding,
            algorithms=algorithms,
            detached_payload=detached_payload,
        )
    )
    report.update(token_key_fields(parsed, now=now))
    report.update(verify_key_fields(parsed, ring, verdict, key, now=now))
    report["findings"] = findings_report(parsed, report["time"], ring, verdict, key_text=key)
    return report


def key_error_report(
    token: str,
    error: DebuggerError,
    *,
    now: float,
    leeway: float = 0,
    checks: ClaimChecks | None = None,
) -> dict[str, Any]:
    """The decode report with a failed verdict, for a key that could not be used (`error`).

    It has the verify report's shape (`reason.code` is `bad_key`) plus `key_error`: the error that
    `verify_report` raised, so one answer serves both the decoded token and the key's problem.
    """
    report = decode_report(token, now=now, leeway=leeway, checks=checks)
    report.update(
        signature_valid=False,
        key=None,
        key_set=None,
        reason={"code": BAD_KEY, "message": error.message},
        key_error=error.to_dict(),
    )
    return report


def token_fields(
    parsed: ParsedToken, time: dict[str, Any], checks: ClaimChecks | None, *, now: float
) -> dict[str, Any]:
    """What decode and verify answers carry for this feature: rows, hints and claim checks."""
    return {
        "explain": describe(parsed, now=now),
        "hints": token_hints(parsed, time),
        "claims": check_claims(parsed.payload, checks or ClaimChecks()),
    }
