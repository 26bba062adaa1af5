"""Read an API's `WWW-Authenticate` challenges and say what its answer means for the token sent.

The grammar is RFC 9110 section 11.6.1 (several challenges, each a scheme with a token68 or
parameters, in one header or several); the Bearer error codes are RFC 6750 section 3.1, the DPoP
ones RFC 9449 section 7.1. The header values are the API's text: hostile, never trusted.
"""

from __future__ import annotations

import re
from typing import Any, NotRequired, TypedDict, TypeGuard

from ..codes import (
    DPOP_NONCE_REQUIRED,
    DPOP_PROOF_REJECTED,
    FORBIDDEN,
    NO_CHALLENGE,
    REDIRECTED,
    REQUEST_MALFORMED,
    SCHEME_MISMATCH,
    SCOPE_MISSING,
    TOKEN_ACCEPTED,
    TOKEN_EXPIRED,
    TOKEN_NOT_SEEN,
    TOKEN_NOT_YET_VALID,
    TOKEN_REJECTED,
)
from ..jose.pasted import parse

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*(?=\s*(?:,|$))")
#: At most this many challenges are read from an answer, and this much text of each value.
MAX_CHALLENGES = 20
MAX_VALUE_CHARS = 2000


class Challenge(TypedDict):
    """One challenge: its scheme (as sent), its parameters (names lower-cased), or a token68."""

    scheme: str
    params: dict[str, str]
    token68: NotRequired[str]


class Explanation(TypedDict):
    """What the answer means, with the claim of the token it points at, if any."""

    code: str
    message: str
    claim: NotRequired[str]


def parse_challenges(values: list[str]) -> list[Challenge]:
    """Every challenge in the `WWW-Authenticate` header values, in order."""
    found: list[Challenge] = []
    for value in values:
        found += _parse_one(value[:MAX_VALUE_CHARS])
    return found[:MAX_CHALLENGES]


def _parse_one(text: str) -> list[Challenge]:
    found: list[Challenge] = []
    current: Challenge | None = None
    at = 0
    while at < len(text):
        if text[at] in " \t,":
            at += 1
            continue
        name = _TOKEN.match(text, at)
        if name is None:
            at += 1  # a stray character: skip it
            continue
        end = name.end()
        rest = text[end:].lstrip(" \t")
        if current is not None and rest.startswith("="):
            value, at = _param_value(text, len(text) - len(rest) + 1)
            current["params"][name.group().lower()] = value
            continue
        current = {"scheme": name.group(), "params": {}}
        found.append(current)
        at = end
        token68 = _TOKEN68.match(text, end + 1) if text[end : end + 1] == " " else None
        if token68 is not None and "=" not in token68.group().rstrip("="):
            current["token68"] = token68.group()
            at = token68.end()
    return found


def _param_value(text: str, at: int) -> tuple[str, int]:
    """The value starting at `at` (a token or a quoted string) and where it ends."""
    while at < len(text) and text[at] in " \t":
        at += 1
    if text[at : at + 1] != '"':
        token = _TOKEN.match(text, at)
        return (token.group(), token.end()) if token else ("", at)
    chars: list[str] = []
    at += 1
    while at < len(text) and text[at] != '"':
        if text[at] == "\\" and at + 1 < len(text):
            at += 1
        chars.append(text[at])
        at += 1
    return "".join(chars), at + 1


def explain(
    status: int, challenges: list[Challenge], token: str | None, scheme_sent: str | None, now: float
) -> list[Explanation]:
    """What the status and the challenges say about the token that was sent."""
    claims = _claims(token)
    if 200 <= status < 300:
        return [{"code": TOKEN_ACCEPTED, "message": f"HTTP {status}: the API accepted the token."}]
    if 300 <= status < 400:
        return [
            {
                "code": REDIRECTED,
                "message": f"HTTP {status}: the API redirects (see Location); the probe does not "
                "follow redirects. An API usually answers 401, not a redirect to a login page: "
                "check that the URL is the API's, not the web application's.",
            }
        ]
    found: list[Explanation] = []
    relevant = challenges
    if scheme_sent and challenges:
        relevant = [c for c in challenges if c["scheme"].lower() == scheme_sent.lower()]
        if not relevant:
            schemes = ", ".join(dict.fromkeys(c["scheme"] for c in challenges))
            found.append(
                {
                    "code": SCHEME_MISMATCH,
                    "message": f"The API asks for {schemes} and the request sent {scheme_sent}.",
                }
            )
    for challenge in relevant:
        found += _explain_challenge(challenge, claims, token is not None, now)
    if status == 401 and not challenges:
        found.append(
            {
                "code": NO_CHALLENGE,
                "message": "HTTP 401 without a WWW-Authenticate header: RFC 9110 requires one, "
                "and without it the client cannot tell why the token was refused.",
            }
        )
    if status == 403 and not found:
        found.append(
            {
                "code": FORBIDDEN,
                "message": "HTTP 403: the API read the credentials and does not allow this "
                "request with them (a missing role, scope or audience; or a rule that is not "
                "about the token at all).",
            }
        )
    if status == 401 and claims is not None and not any(e["code"] != NO_CHALLENGE for e in found):
        found += _time_explanations(claims, now)
    return found


def _claims(token: str | None) -> dict[str, Any] | None:
    if not token:
        return None
    payload = parse(token).payload
    return payload if isinstance(payload, dict) else None


def _explain_challenge(
    challenge: Challenge,
    claims: dict[str, Any] | None,
    token_sent: bool,
    now: float,
) -> list[Explanation]:
    params = challenge["params"]
    error = params.get("error")
    description = params.get("error_description")
    said = f' The API says: "{description[:300]}".' if description else ""
    if error == "invalid_token":
        return _time_explanations(claims, now, said) or [
            {
                "code": TOKEN_REJECTED,
                "message": "The API refused the token (invalid_token) and its times are fine: "
                "check the signature key (kid, the API's key set), iss and aud against what the "
                f"API expects.{said}" + _claims_summary(claims),
            }
        ]
    if error == "insufficient_scope":
        return [_scope_explanation(params.get("scope"), claims, said)]
    if error == "invalid_request":
        return [
            {
                "code": REQUEST_MALFORMED,
                "message": "The API found the request malformed (invalid_request): a token sent "
                "twice (header and query), a missing parameter, or a token that is not in the "
                f"form it expects.{said}",
            }
        ]
    if error == "use_dpop_nonce":
        return [
            {
                "code": DPOP_NONCE_REQUIRED,
                "message": "The API wants a DPoP proof carrying its nonce: send it again with "
                f"the nonce from the DPoP-Nonce header in the proof's nonce claim.{said}",
            }
        ]
    if error == "invalid_dpop_proof":
        return [
            {
                "code": DPOP_PROOF_REJECTED,
                "message": "The API refused the DPoP proof: check htm, htu (no query), iat "
                f"(the clocks), ath and that the key matches the token's cnf.jkt.{said}",
            }
        ]
    if error is None and token_sent:
        return [
            {
                "code": TOKEN_NOT_SEEN,
                "message": f"The {challenge['scheme']} challenge carries no error code: by RFC "
                "6750 that means the API saw no token at all. Check where it was sent (header "
                "name, cookie, query parameter) and that no proxy removed it.",
            }
        ]
    return []


def _time_explanations(
    claims: dict[str, Any] | None, now: float, said: str = ""
) -> list[Explanation]:
    if claims is None:
        return []
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if _is_number(exp) and exp <= now:
        ago = _duration(now - exp)
        return [
            {
                "code": TOKEN_EXPIRED,
                "claim": "exp",
                "message": f"The token expired {ago} ago (exp {exp}): get a new one.{said}",
            }
        ]
    if _is_number(nbf) and nbf > now:
        return [
            {
                "code": TOKEN_NOT_YET_VALID,
                "claim": "nbf",
                "message": f"The token is not valid for another {_duration(nbf - now)} (nbf "
                f"{nbf}): check the clocks of the issuer and the API.{said}",
            }
        ]
    return []


def _scope_explanation(asked: str | None, claims: dict[str, Any] | None, said: str) -> Explanation:
    held = _token_scopes(claims)
    wanted = asked.split() if asked else []
    missing = [scope for scope in wanted if scope not in held]
    message = "The API wants more scope than the token carries (insufficient_scope)."
    if wanted:
        message += f" It asks for: {' '.join(wanted)}."
    message += f" The token has: {' '.join(held) if held else '(no scope or scp claim)'}."
    if missing:
        message += f" Missing: {' '.join(missing)}."
    return {"code": SCOPE_MISSING, "claim": "scope", "message": message + said}


def _token_scopes(claims: dict[str, Any] | None) -> list[str]:
    if claims is None:
        return []
    scope, scp = claims.get("scope"), claims.get("scp")
    if isinstance(scope, str):
        return scope.split()
    for listed in (scope, scp):
        if isinstance(listed, list):
            return [item for item in listed if isinstance(item, str)]
    return scp.split() if isinstance(scp, str) else []


def _claims_summary(claims: dict[str, Any] | None) -> str:
    if claims is None:
        return ""
    shown = [f"{name} {claims[name]!r}"[:120] for name in ("iss", "aud") if name in claims]
    return f" The token has {', '.join(shown)}." if shown else ""


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
