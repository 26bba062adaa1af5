"""DPoP proofs (RFC 9449): make one for a request, and check one that was pasted.

A proof is a JWT signed with the client's private key, `typ` `dpop+jwt`, whose header carries the
public key (`jwk`) and whose claims bind it to one request (`htm`, `htu`, `iat`, `jti`) and, at a
resource server, to the access token (`ath`, the hash of the token). An access token bound to the
key carries the key's thumbprint in `cnf.jkt`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any, TypedDict
from urllib.parse import urlsplit, urlunsplit

from ..codes import (
    DPOP_ATH_MISMATCH,
    DPOP_BAD_ALG,
    DPOP_BAD_JWK,
    DPOP_BAD_SIGNATURE,
    DPOP_BAD_TYP,
    DPOP_HTM_MISMATCH,
    DPOP_HTU_MISMATCH,
    DPOP_IAT_OUT_OF_RANGE,
    DPOP_JKT_MISMATCH,
    DPOP_MALFORMED,
    DPOP_MISSING_CLAIM,
)
from ..errors import PRIVATE_KEY_REQUIRED, DebuggerError
from . import jsontext
from .algorithms import ALGORITHMS, algorithms_for, is_unsecured
from .b64 import b64url
from .jwk import PRIVATE_MEMBERS, thumbprint
from .keys import Key, read_key
from .pasted import parse
from .verify import check_signature

DPOP_TYP = "dpop+jwt"
#: How far a proof's `iat` may be from now, in seconds, before it is called stale or early.
IAT_WINDOW = 300


class DpopProblem(TypedDict):
    """One thing wrong with a proof."""

    code: str
    message: str


class DpopCheck(TypedDict):
    """A pasted proof, read and checked: `valid` when there is no problem."""

    valid: bool
    header: dict[str, Any] | None
    claims: dict[str, Any] | None
    jkt: str | None
    problems: list[DpopProblem]


def htu_of(url: str) -> str:
    """The request URL as `htu` carries it: without query and fragment (RFC 9449 section 4.2)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def access_token_hash(access_token: str) -> str:
    """`ath`: base64url of the SHA-256 of the access token's ASCII text."""
    return b64url(hashlib.sha256(access_token.encode("ascii", "replace")).digest())


def make_proof(
    key_text: str,
    *,
    method: str,
    url: str,
    now: float,
    access_token: str | None = None,
    nonce: str | None = None,
) -> str:
    """A DPoP proof for one request, signed with the private key in `key_text`."""
    key = _private_key(key_text)
    alg = key.jwk_alg or algorithms_for(key.kind, key.curve)[0]
    public = {
        name: value
        for name, value in key.jwk(private=False).items()
        if name not in ("kid", "alg", "use", "key_ops")
    }
    header = {"typ": DPOP_TYP, "alg": alg, "jwk": public}
    claims: dict[str, Any] = {
        "jti": secrets.token_urlsafe(16),
        "htm": method,
        "htu": htu_of(url),
        "iat": int(now),
    }
    if access_token:
        claims["ath"] = access_token_hash(access_token)
    if nonce:
        claims["nonce"] = nonce
    signing_input = (
        f"{b64url(jsontext.dumps(header).encode())}.{b64url(jsontext.dumps(claims).encode())}"
    )
    signature = ALGORITHMS[alg].implementation.sign(signing_input.encode(), key.material)
    return f"{signing_input}.{b64url(signature)}"


def _private_key(key_text: str) -> Key:
    ring = read_key(key_text)
    for key in ring.keys:
        if key.kind != "secret" and key.private:
            return key
    raise DebuggerError(
        PRIVATE_KEY_REQUIRED,
        "A DPoP proof is signed with the client's private key (RSA, EC or Ed25519): paste it in "
        "the DPoP key box. A secret or a public key cannot sign one.",
        field="dpop_key",
    )


def check_proof(
    proof: str,
    *,
    now: float,
    access_token: str | None = None,
    method: str | None = None,
    url: str | None = None,
) -> DpopCheck:
    """Read a proof and check it against RFC 9449 section 4.3, and against the token it binds."""
    parsed = parse(proof)
    problems: list[DpopProblem] = []
    header, claims = parsed.header, parsed.payload
    if not parsed.is_compact_jws or not isinstance(claims, dict) or header is None:
        problems.append(_problem(DPOP_MALFORMED, "The proof is not a readable signed JWT."))
        return {"valid": False, "header": header, "claims": None, "jkt": None, "problems": problems}
    jkt = _check_header(header, proof, problems)
    _check_claims(claims, now, method, url, problems)
    if access_token is not None:
        _check_binding(claims, access_token, jkt, problems)
    return {
        "valid": not problems,
        "header": header,
        "claims": claims,
        "jkt": jkt,
        "problems": problems,
    }


def _check_header(header: dict[str, Any], proof: str, problems: list[DpopProblem]) -> str | None:
    """Check typ, alg and jwk and the signature; the key's thumbprint when it has one."""
    if header.get("typ") != DPOP_TYP:
        problems.append(_problem(DPOP_BAD_TYP, f'typ is {header.get("typ")!r}, not "{DPOP_TYP}".'))
    alg = header.get("alg")
    spec = ALGORITHMS.get(alg) if isinstance(alg, str) else None
    if not isinstance(alg, str) or is_unsecured(alg) or spec is None or spec.kind == "secret":
        problems.append(
            _problem(DPOP_BAD_ALG, f"alg {alg!r}: a proof is signed with an asymmetric algorithm.")
        )
        return None
    jwk = header.get("jwk")
    if not isinstance(jwk, dict):
        problems.append(_problem(DPOP_BAD_JWK, "The header has no jwk: the proof's public key."))
        return None
    private = [name for name in PRIVATE_MEMBERS.get(str(jwk.get("kty")), ()) if name in jwk]
    if private or jwk.get("kty") == "oct":
        problems.append(_problem(DPOP_BAD_JWK, "The jwk holds private members or a secret."))
        return None
    try:
        ring = read_key(json.dumps(jwk))
        jkt = thumbprint(jwk)
    except DebuggerError as err:
        problems.append(_problem(DPOP_BAD_JWK, f"The jwk cannot be read: {err.message}"))
        return None
    verdict = check_signature(parse(proof), ring, algorithms=[alg])
    if not verdict.valid:
        problems.append(
            _problem(DPOP_BAD_SIGNATURE, "The signature does not verify with the header's jwk.")
        )
    return jkt


def _check_claims(
    claims: dict[str, Any],
    now: float,
    method: str | None,
    url: str | None,
    problems: list[DpopProblem],
) -> None:
    for name, kind in (("jti", str), ("htm", str), ("htu", str), ("iat", int | float)):
        value = claims.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(_problem(DPOP_MISSING_CLAIM, f"The claim {name} is missing or wrong."))
    iat = claims.get("iat")
    if isinstance(iat, int | float) and not isinstance(iat, bool) and abs(now - iat) > IAT_WINDOW:
        problems.append(
            _problem(
                DPOP_IAT_OUT_OF_RANGE,
                f"iat is {int(now - iat)} s from now; a server accepts a few minutes at most "
                f"(the debugger allows {IAT_WINDOW} s).",
            )
        )
    if method is not None and claims.get("htm") != method.upper():
        problems.append(
            _problem(DPOP_HTM_MISMATCH, f"htm is {claims.get('htm')!r}, not {method!r}.")
        )
    if url is not None and claims.get("htu") != htu_of(url):
        problems.append(
            _problem(DPOP_HTU_MISMATCH, f"htu is {claims.get('htu')!r}, not {htu_of(url)!r}.")
        )


def _check_binding(
    claims: dict[str, Any], access_token: str, jkt: str | None, problems: list[DpopProblem]
) -> None:
    if claims.get("ath") != access_token_hash(access_token):
        problems.append(
            _problem(DPOP_ATH_MISMATCH, "ath is missing or is not the hash of this access token.")
        )
    payload = parse(access_token).payload
    cnf = payload.get("cnf") if isinstance(payload, dict) else None
    bound = cnf.get("jkt") if isinstance(cnf, dict) else None
    if bound is None:
        problems.append(
            _problem(DPOP_JKT_MISMATCH, "The access token has no cnf.jkt: it is not DPoP-bound.")
        )
    elif bound != jkt:
        problems.append(
            _problem(
                DPOP_JKT_MISMATCH,
                f"The access token is bound to the key {bound!r} (cnf.jkt); the proof's key has "
                f"the thumbprint {jkt!r}.",
            )
        )


def _problem(code: str, message: str) -> DpopProblem:
    return {"code": code, "message": message}
