"""Claim checks the user asks for beyond time: audience, issuer, subject and required claims.

The rules follow PyJWT's `jwt.decode`, so what passes here passes there: `aud` may be a string
or a list of strings, and it matches when any expected audience is in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from ..codes import AUD_MISMATCH, ISS_MISMATCH, MISSING_CLAIM, SUB_MISMATCH


class ClaimCheck(TypedDict):
    """The result of one check: whether it passed, what was expected and what the token has."""

    claim: str
    ok: bool
    code: str | None
    expected: Any
    actual: Any
    message: str


@dataclass(frozen=True)
class ClaimChecks:
    """What the user expects of the claims; None means "do not check"."""

    audience: str | list[str] | None = None
    issuer: str | None = None
    subject: str | None = None
    required: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """True when at least one check was asked for."""
        checks = (self.audience, self.issuer, self.subject)
        return any(c is not None for c in checks) or bool(self.required)


def check_claims(payload: Any, checks: ClaimChecks) -> list[ClaimCheck]:
    """One result per check asked for: `{"claim", "ok", "code", "expected", "actual", ...}`."""
    claims = payload if isinstance(payload, dict) else {}
    results: list[ClaimCheck] = []
    if checks.audience is not None:
        results.append(_check_audience(claims, checks.audience))
    if checks.issuer is not None:
        results.append(_check_equal(claims, "iss", checks.issuer, ISS_MISMATCH, "issuer"))
    if checks.subject is not None:
        results.append(_check_equal(claims, "sub", checks.subject, SUB_MISMATCH, "subject"))
    for name in checks.required:
        if name in claims:
            results.append(
                _result(name, True, None, "present", claims[name], f"{name} is present.")
            )
        else:
            results.append(
                _result(
                    name,
                    False,
                    MISSING_CLAIM,
                    "present",
                    None,
                    f"The token has no {name} claim, and you require one. The issuer must add it.",
                )
            )
    return results


def _result(
    claim: str, ok: bool, code: str | None, expected: Any, actual: Any, message: str
) -> ClaimCheck:
    return {
        "claim": claim,
        "ok": ok,
        "code": code,
        "expected": expected,
        "actual": actual,
        "message": message,
    }


def _missing(claim: str, expected: Any, what: str) -> ClaimCheck:
    return _result(
        claim,
        False,
        MISSING_CLAIM,
        expected,
        None,
        f"You expect the {what} {_show(expected)}, and the token has no {claim} claim at all.",
    )


def _check_audience(claims: dict[str, Any], expected: str | list[str]) -> ClaimCheck:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    if "aud" not in claims or claims["aud"] in (None, "", []):
        return _missing("aud", expected, "audience")
    actual = claims["aud"]
    values = [actual] if isinstance(actual, str) else actual
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return _result(
            "aud",
            False,
            AUD_MISMATCH,
            expected,
            actual,
            "aud must be a string or a list of strings (RFC 7519 4.1.3); this one is neither, "
            "so no audience can match it.",
        )
    matched = [value for value in wanted if value in values]
    if matched:
        return _result(
            "aud", True, None, expected, actual, f"The token is meant for {_show(matched[0])}."
        )
    near = _near_misses(wanted, values)
    message = f"The token is meant for {_show(actual)}, not for {_show(expected)}."
    if near:
        message += f" Close, but not equal: {near}. Audiences are compared exactly."
    return _result("aud", False, AUD_MISMATCH, expected, actual, message)


def _check_equal(
    claims: dict[str, Any], claim: str, expected: str, code: str, what: str
) -> ClaimCheck:
    if claim not in claims:
        return _missing(claim, expected, what)
    actual = claims[claim]
    if actual == expected:
        return _result(claim, True, None, expected, actual, f"The {what} is {_show(expected)}.")
    message = f"The token's {what} is {_show(actual)}; you expect {_show(expected)}."
    near = _near_misses([expected], [actual] if isinstance(actual, str) else [])
    if near:
        message += f" Close, but not equal: {near}. It is compared exactly."
    return _result(claim, False, code, expected, actual, message)


def _near_misses(wanted: list[str], values: list[Any]) -> str:
    """Differences people miss: a trailing slash, letter case or surrounding white space."""
    for want in wanted:
        for value in values:
            if not isinstance(value, str) or value == want:
                continue
            if value.strip() == want.strip():
                return "they differ only in surrounding white space"
            if value.rstrip("/") == want.rstrip("/"):
                return "they differ only in a trailing '/'"
            if value.lower() == want.lower():
                return "they differ only in upper and lower case"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)
