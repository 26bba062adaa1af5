"""The checklist a client runs on an ID token (OpenID Connect Core 3.1.3.7) and on a JWT access
token (RFC 9068 4): every item computed here, each with its outcome and what it means.

An item passes (`passed: true`), fails (`false`), or does not apply (`null`, with the reason).
The keys are the provider's (its jwks_uri, fetched because the user chose this provider); `now`
is a parameter.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, TypedDict

from ..codes import (
    TOKEN_ALG,
    TOKEN_AT_HASH,
    TOKEN_AUDIENCE,
    TOKEN_AZP,
    TOKEN_C_HASH,
    TOKEN_EXPIRY,
    TOKEN_ISSUED_AT,
    TOKEN_ISSUER,
    TOKEN_NONCE,
    TOKEN_SIGNATURE,
    TOKEN_TYP,
)
from ..errors import DebuggerError
from ..jose import jsontext
from ..jose.keys import read_key
from ..jose.pasted import parse
from ..jose.times import is_time_number
from ..jose.verify import check_signature

#: Seconds of clock difference allowed for exp and iat.
LEEWAY_SECONDS = 60
#: The access-token type of RFC 9068 2.1 (`application/at+jwt` is the same type).
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})


class TokenCheck(TypedDict):
    """One item of the checklist: passed, failed, or None when it does not apply."""

    code: str
    passed: bool | None
    message: str


@dataclass(frozen=True)
class Expected:
    """What the client knows the token must say."""

    issuer: str
    client_id: str
    nonce: str | None = None
    access_token: str | None = None
    code: str | None = None
    resource: str | None = None
    algorithms: tuple[str, ...] = ()


def check_id_token(
    token: str, jwks: dict[str, Any] | None, expected: Expected, *, now: float
) -> list[TokenCheck]:
    """OpenID Connect Core 3.1.3.7 (and 3.3.2.12 for c_hash), item by item."""
    parsed = parse(token)
    claims = parsed.payload if isinstance(parsed.payload, dict) else {}
    header = parsed.header or {}
    checks = [
        _signature(parsed, jwks),
        _alg(header, expected.algorithms),
        _issuer(claims, expected.issuer),
        _audience(claims.get("aud"), expected.client_id, "the client id"),
        _azp(claims, expected.client_id),
        *_times(claims, now),
        _nonce(claims, expected.nonce),
        _half_hash(TOKEN_AT_HASH, "at_hash", claims, header, expected.access_token, "access token"),
        _half_hash(TOKEN_C_HASH, "c_hash", claims, header, expected.code, "code"),
    ]
    return checks


def check_access_token(
    token: str, jwks: dict[str, Any] | None, expected: Expected, *, now: float
) -> list[TokenCheck] | None:
    """RFC 9068 4 for a JWT access token; None when the access token is not a JWT."""
    parsed = parse(token)
    if not parsed.is_compact_jws or not isinstance(parsed.payload, dict):
        return None
    header = parsed.header or {}
    claims = parsed.payload
    typ = header.get("typ")
    typ_ok = isinstance(typ, str) and typ.lower() in ACCESS_TOKEN_TYPES
    audience = expected.resource or expected.client_id
    return [
        _check(
            TOKEN_TYP,
            typ_ok,
            f"typ is {typ!r}: "
            + (
                "an RFC 9068 access token."
                if typ_ok
                else "RFC 9068 requires at+jwt, so that an "
                "ID token cannot be passed off as an access token."
            ),
        ),
        _signature(parsed, jwks),
        _issuer(claims, expected.issuer),
        _audience(
            claims.get("aud"),
            audience,
            "the resource asked for" if expected.resource else "the client id",
            applies=expected.resource is not None,
        ),
        *_times(claims, now),
    ]


def hash_half(value: str, alg: str) -> str | None:
    """The left half of the hash of `value` that `alg` implies, base64url (at_hash, c_hash)."""
    data = value.encode("ascii", "replace")
    if alg.endswith("256") or alg == "ES256K":
        digest = hashlib.sha256(data).digest()
    elif alg.endswith("384"):
        digest = hashlib.sha384(data).digest()
    elif alg.endswith("512") or alg in ("EdDSA", "Ed25519"):
        digest = hashlib.sha512(data).digest()
    elif alg == "Ed448":
        digest = hashlib.shake_256(data).digest(114)
    else:
        return None
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def _check(code: str, passed: bool | None, message: str) -> TokenCheck:
    return {"code": code, "passed": passed, "message": message}


def _signature(parsed: Any, jwks: dict[str, Any] | None) -> TokenCheck:
    if jwks is None:
        return _check(TOKEN_SIGNATURE, None, "No key set: the provider names no jwks_uri.")
    try:
        ring = read_key(jsontext.dumps(jwks))
    except DebuggerError as err:
        return _check(TOKEN_SIGNATURE, False, f"The provider's key set cannot be read: {err}")
    verdict = check_signature(parsed, ring)
    if verdict.valid:
        kid = verdict.key.kid if verdict.key is not None else None
        return _check(
            TOKEN_SIGNATURE, True, f"{verdict.alg} signature verifies with the key {kid!r}."
        )
    return _check(
        TOKEN_SIGNATURE, False, verdict.reason_message or "The signature does not verify."
    )


def _alg(header: dict[str, Any], algorithms: tuple[str, ...]) -> TokenCheck:
    alg = header.get("alg")
    if not algorithms:
        return _check(TOKEN_ALG, None, "The provider lists no signing algorithms to compare with.")
    passed = isinstance(alg, str) and alg in algorithms
    return _check(
        TOKEN_ALG,
        passed,
        f"alg {alg!r} is "
        + ("among" if passed else "not among")
        + f" the algorithms the provider lists ({', '.join(algorithms)}).",
    )


#: The tenant placeholder of a multi-tenant issuer (Microsoft's `.../{tenantid}/v2.0`).
TENANT_PLACEHOLDER = "{tenantid}"


def _issuer(claims: dict[str, Any], discovered: str) -> TokenCheck:
    """iss equals the discovered issuer; for a `{tenantid}` template, with the token's tid in it."""
    tid = claims.get("tid")
    if TENANT_PLACEHOLDER not in discovered or not isinstance(tid, str) or not tid:
        return _equal(TOKEN_ISSUER, "iss", claims.get("iss"), discovered, "the discovered issuer")
    wanted = discovered.replace(TENANT_PLACEHOLDER, tid)
    what = f"the discovered issuer template {discovered!r} with the token's tid"
    return _equal(TOKEN_ISSUER, "iss", claims.get("iss"), wanted, what)


def _equal(code: str, claim: str, actual: Any, wanted: str, what: str) -> TokenCheck:
    passed = actual == wanted
    relation = "equals" if passed else "does not equal"
    return _check(code, passed, f"{claim} {actual!r} {relation} {what} {wanted!r}.")


def _audience(actual: Any, wanted: str, what: str, *, applies: bool = True) -> TokenCheck:
    audiences = [actual] if isinstance(actual, str) else actual if isinstance(actual, list) else []
    if not applies:
        return _check(TOKEN_AUDIENCE, None, f"aud is {actual!r}; no resource was asked for.")
    passed = wanted in audiences
    relation = "contains" if passed else "does not contain"
    return _check(TOKEN_AUDIENCE, passed, f"aud {actual!r} {relation} {what} {wanted!r}.")


def _azp(claims: dict[str, Any], client_id: str) -> TokenCheck:
    aud = claims.get("aud")
    azp = claims.get("azp")
    several = isinstance(aud, list) and len(aud) > 1
    if azp is None:
        if several:
            return _check(TOKEN_AZP, False, "aud names several audiences but the token has no azp.")
        return _check(TOKEN_AZP, None, "One audience and no azp: nothing to check.")
    passed = azp == client_id
    relation = "equals" if passed else "does not equal"
    return _check(TOKEN_AZP, passed, f"azp {azp!r} {relation} the client id {client_id!r}.")


def _times(claims: dict[str, Any], now: float) -> list[TokenCheck]:
    exp: Any = claims.get("exp")
    iat: Any = claims.get("iat")
    if not is_time_number(exp):
        expiry = _check(TOKEN_EXPIRY, False, "exp is missing or not a number of seconds.")
    else:
        left = float(exp) - now
        expiry = _check(
            TOKEN_EXPIRY,
            left > -LEEWAY_SECONDS,
            f"exp is {left:+.0f} s from now"
            + ("." if left > -LEEWAY_SECONDS else ": the token has expired."),
        )
    if not is_time_number(iat):
        issued = _check(TOKEN_ISSUED_AT, False, "iat is missing or not a number of seconds.")
    else:
        ahead = float(iat) - now
        issued = _check(
            TOKEN_ISSUED_AT,
            ahead <= LEEWAY_SECONDS,
            f"iat is {-ahead:.0f} s ago"
            + (
                "."
                if ahead <= LEEWAY_SECONDS
                else ": in the future. The provider's clock and this machine's disagree."
            ),
        )
    return [expiry, issued]


def _nonce(claims: dict[str, Any], sent: str | None) -> TokenCheck:
    nonce = claims.get("nonce")
    if sent is None:
        if nonce is None:
            return _check(TOKEN_NONCE, None, "No nonce was sent (not a code flow): none expected.")
        return _check(TOKEN_NONCE, None, "The token carries a nonce but none was sent here.")
    passed = isinstance(nonce, str) and hmac.compare_digest(nonce, sent)
    if nonce is None:
        return _check(TOKEN_NONCE, False, "A nonce was sent but the token carries none.")
    message = "nonce equals the one sent." if passed else "nonce differs from the one sent."
    return _check(TOKEN_NONCE, passed, message)


def _half_hash(
    code: str,
    claim: str,
    claims: dict[str, Any],
    header: dict[str, Any],
    value: str | None,
    what: str,
) -> TokenCheck:
    carried = claims.get(claim)
    if carried is None:
        return _check(code, None, f"No {claim} in the token (optional in the code flow).")
    if value is None:
        return _check(code, None, f"{claim} is present but there is no {what} to compare with.")
    alg = header.get("alg")
    computed = hash_half(value, alg) if isinstance(alg, str) else None
    if computed is None:
        return _check(code, False, f"alg {alg!r} names no hash to compute {claim} with.")
    passed = isinstance(carried, str) and hmac.compare_digest(carried, computed)
    relation = "matches" if passed else "does not match"
    return _check(code, passed, f"{claim} {carried!r} {relation} the {what}'s hash {computed!r}.")
