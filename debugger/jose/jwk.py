"""JWK members: RFC 7638 thumbprints, key objects as JWK members, public parts, JWK Sets."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

from ..errors import BAD_KEY, DebuggerError
from .b64 import b64url

#: The members RFC 7638 (and RFC 8037 for OKP) hashes for each key type, in order.
THUMBPRINT_MEMBERS: dict[str, tuple[str, ...]] = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
    "oct": ("k", "kty"),
}
#: The members of each key type that are private and must never appear in a public JWK.
PRIVATE_MEMBERS: dict[str, tuple[str, ...]] = {
    "RSA": ("d", "p", "q", "dp", "dq", "qi", "oth"),
    "EC": ("d",),
    "OKP": ("d",),
    "oct": ("k",),
}
_TO_JWK: dict[str, Any] = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}


def thumbprint(jwk: dict[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a JWK, base64url without padding."""
    kty = jwk.get("kty")
    members = THUMBPRINT_MEMBERS.get(kty) if isinstance(kty, str) else None
    if members is None:
        raise DebuggerError(BAD_KEY, f"No thumbprint is defined for kty {kty!r}.", field="key")
    missing = [name for name in members if not isinstance(jwk.get(name), str)]
    if missing:
        raise DebuggerError(
            BAD_KEY, f"The JWK lacks {', '.join(missing)}, needed for its thumbprint.", field="key"
        )
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_jwk(jwk: dict[str, Any]) -> dict[str, Any]:
    """A copy of `jwk` without its private members (and `key_ops` that only a private key has)."""
    private = PRIVATE_MEMBERS.get(str(jwk.get("kty")), ())
    public = {name: value for name, value in jwk.items() if name not in private}
    ops = jwk.get("key_ops")
    if isinstance(ops, list) and "sign" in ops:
        public["key_ops"] = ["verify"]
    return public


def material_jwk(kind: str, material: Any) -> dict[str, Any]:
    """The JWK members of a secret (`kind` "secret") or a cryptography key object, `kty` first."""
    if kind == "secret":
        jwk: dict[str, Any] = HMACAlgorithm.to_jwk(material, as_dict=True)
    else:
        jwk = _TO_JWK[kind].to_jwk(material, as_dict=True)
    jwk.pop("key_ops", None)  # PyJWT adds key_ops to RSA JWKs; only the key's own are kept
    return {"kty": jwk.pop("kty"), **jwk}


def jwk_set(jwks: list[dict[str, Any]]) -> dict[str, Any]:
    """A JWK Set of the given JWKs; two keys with the same `kid` are a clear error."""
    seen: set[str] = set()
    for jwk in jwks:
        kid = jwk.get("kid")
        if isinstance(kid, str):
            if kid in seen:
                raise DebuggerError(
                    BAD_KEY,
                    f"Two keys have the kid {kid!r}: a verifier could not tell them apart.",
                    field="keys",
                )
            seen.add(kid)
    return {"keys": jwks}
