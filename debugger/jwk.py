"""JWK conversions: RFC 7638 thumbprints, key objects to JWK and PEM, public parts, JWK Sets."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

from .errors import BAD_KEY, INVALID_REQUEST, KEY_TOO_LARGE, DebuggerError
from .keys import Key, read_keys
from .sign import b64url

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


def key_jwk(key: Key, *, private: bool = True) -> dict[str, Any]:
    """The JWK of a key, with its `kid` (the thumbprint unless the key had one) and JWK metadata.

    With `private=False`, or for a public key, only the public members are written.
    """
    if key.kind == "secret":
        jwk: dict[str, Any] = HMACAlgorithm.to_jwk(key.material, as_dict=True)
    else:
        material = key.material if private else key.verifying_material
        jwk = _TO_JWK[key.kind].to_jwk(material, as_dict=True)
    jwk.pop("key_ops", None)  # PyJWT adds key_ops to RSA JWKs; only the key's own are kept
    ordered = {"kty": jwk.pop("kty"), **jwk}
    ordered["kid"] = key.kid if key.kid is not None else thumbprint(ordered)
    for name, value in (("alg", key.jwk_alg), ("use", key.use), ("key_ops", key.key_ops)):
        if value is not None:
            ordered[name] = list(value) if isinstance(value, tuple) else value
    if not private and key.kind != "secret":
        ordered = public_jwk(ordered)
    return ordered


def public_pem(key: Key) -> str | None:
    """The SPKI PEM of the key's public part; None for an HMAC secret."""
    if key.kind == "secret":
        return None
    data: bytes = key.verifying_material.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return data.decode("ascii")


def private_pem(key: Key) -> str | None:
    """The unencrypted PKCS#8 PEM of a private key; None for a public key or a secret."""
    if key.kind == "secret" or not key.private:
        return None
    data: bytes = key.material.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return data.decode("ascii")


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


#: What `convert` can produce from the keys given.
CONVERSIONS = ("jwk", "public_jwk", "pem", "public_pem", "jwk_set", "public_jwk_set")


def convert(texts: list[str], to: str, *, secret_encoding: str = "utf-8") -> dict[str, Any]:
    """Convert pasted keys: to a JWK or PEM, to the public part, or into one JWK Set."""
    if to not in CONVERSIONS:
        raise DebuggerError(
            INVALID_REQUEST, f'"to" must be one of {", ".join(CONVERSIONS)}.', field="to"
        )
    rings = read_keys(texts, secret_encoding)
    skipped = [item for ring in rings for item in ring.unusable if item.get("code") == "skipped"]
    if skipped:
        raise DebuggerError(KEY_TOO_LARGE, skipped[0]["reason"], field="keys")
    keys = [key for ring in rings for key in ring.keys]
    if not keys:
        raise DebuggerError(INVALID_REQUEST, "Give at least one key to convert.", field="keys")
    public = to.startswith("public_")
    if to.endswith("jwk_set"):
        value = jwk_set([_converted_jwk(key, public) for key in keys])
        kids = [jwk["kid"] for jwk in value["keys"]]
        return {"to": to, "text": json.dumps(value, indent=2), "value": value, "kids": kids}
    if len(keys) != 1:
        raise DebuggerError(
            INVALID_REQUEST,
            f"This holds {len(keys)} keys; convert it with jwk_set or public_jwk_set.",
            field="to",
        )
    key = keys[0]
    kid = key.thumbprint
    if to.endswith("jwk"):
        jwk = _converted_jwk(key, public)
        return {"to": to, "text": json.dumps(jwk, indent=2), "value": jwk, "kids": [jwk["kid"]]}
    if key.kind == "secret":
        raise DebuggerError(
            INVALID_REQUEST, "An HMAC secret has no PEM form; convert it to a JWK.", field="to"
        )
    text = private_pem(key) if not public and key.private else public_pem(key)
    return {"to": to, "text": text, "value": None, "kids": [key.kid or kid]}


def _converted_jwk(key: Key, public: bool) -> dict[str, Any]:
    if public and key.kind == "secret":
        raise DebuggerError(
            INVALID_REQUEST,
            "An HMAC secret has no public part: both sides share it, and it must stay secret.",
            field="to",
        )
    return key_jwk(key, private=not public)
