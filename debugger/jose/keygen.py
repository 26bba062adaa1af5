"""Generate a fresh key or secret for an algorithm, as PEM and JWK with its thumbprint as kid."""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from ..errors import INVALID_REQUEST, UNSUPPORTED_ALG, DebuggerError
from .algorithms import ALGORITHMS
from .b64 import b64url
from .jwk import public_jwk, thumbprint
from .keys import Key, from_crypto

#: RSA modulus sizes offered, in bits; the first is the default.
RSA_SIZES = (2048, 3072, 4096)
#: The curve generated for each EC or OKP algorithm.
_CURVES: dict[str, Any] = {
    "ES256": ec.SECP256R1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
    "ES256K": ec.SECP256K1,
}
_OKP: dict[str, Any] = {
    "EdDSA": ed25519.Ed25519PrivateKey,
    "Ed25519": ed25519.Ed25519PrivateKey,
    "Ed448": ed448.Ed448PrivateKey,
}
#: Largest HMAC secret generated, in bits.
MAX_SECRET_BITS = 4096


def generate_key(alg: str, size: int | None = None, curve: str | None = None) -> dict[str, Any]:
    """A new key for `alg`: private and public PEM and JWK, or for HS* a random secret and JWK.

    `size` is the RSA modulus in bits (2048, 3072 or 4096; default 2048) or the HMAC secret
    length in bits (at least the hash output, the default). EC and OKP keys have the size of
    their curve. The `kid` of the JWKs is their RFC 7638 thumbprint. JWE algorithms (and `enc`
    names, for `dir`) get encryption keys (`use` "enc"); ECDH-ES takes a `curve`.
    """
    from .jwe_keys import generate_encryption_key, is_encryption_alg

    if is_encryption_alg(alg):
        return dict(generate_encryption_key(alg, size, curve))
    spec = ALGORITHMS.get(alg)
    if spec is None:
        raise DebuggerError(
            UNSUPPORTED_ALG,
            f"Cannot generate a key for {alg!r}. Choose one of: {', '.join(ALGORITHMS)}.",
            field="alg",
        )
    if spec.kind == "secret":
        return _secret(alg, _secret_bits(alg, spec.hash_bytes * 8, size))
    if spec.kind == "RSA":
        bits = _rsa_bits(size)
        material: Any = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    elif spec.kind == "EC":
        material = ec.generate_private_key(_CURVES[alg]())
    else:
        material = _OKP[alg].generate()
    key = from_crypto(material, "generated")
    if size is not None and spec.kind != "RSA" and size != key.size:
        raise DebuggerError(
            INVALID_REQUEST,
            f"{alg} keys are {key.size} bits; leave out size or give {key.size}.",
            field="size",
        )
    return _asymmetric(alg, key)


def _asymmetric(alg: str, key: Key) -> dict[str, Any]:
    jwk = key.jwk()
    kid = thumbprint(jwk)
    jwk.update({"kid": kid, "alg": alg, "use": "sig"})
    return {
        "alg": alg,
        "kid": kid,
        "private_pem": key.private_pem(),
        "public_pem": key.public_pem(),
        "private_jwk": jwk,
        "public_jwk": public_jwk(jwk),
    }


def _secret(alg: str, bits: int) -> dict[str, Any]:
    secret = b64url(secrets.token_bytes(bits // 8))
    jwk = {"kty": "oct", "k": secret}
    kid = thumbprint(jwk)
    jwk.update({"kid": kid, "alg": alg, "use": "sig"})
    return {"alg": alg, "kid": kid, "secret": secret, "secret_encoding": "base64url", "jwk": jwk}


def _rsa_bits(size: int | None) -> int:
    if size is None:
        return RSA_SIZES[0]
    if size not in RSA_SIZES:
        sizes = ", ".join(str(s) for s in RSA_SIZES)
        raise DebuggerError(
            INVALID_REQUEST, f"RSA keys can be generated with {sizes} bits.", field="size"
        )
    return size


def _secret_bits(alg: str, minimum: int, size: int | None) -> int:
    if size is None:
        return minimum
    if isinstance(size, bool) or size % 8 or not minimum <= size <= MAX_SECRET_BITS:
        raise DebuggerError(
            INVALID_REQUEST,
            f"An {alg} secret must be a whole number of bytes, from {minimum} bits (the hash "
            f"output) to {MAX_SECRET_BITS} bits.",
            field="size",
        )
    return size
