"""Generate a fresh key or secret for an algorithm, as PEM and JWK with its thumbprint as kid."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, TypedDict, final

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from ..errors import INVALID_REQUEST, UNSUPPORTED_ALG, DebuggerError
from .algorithms import ALGORITHMS
from .b64 import b64url
from .jwe_algorithms import ALGS, ECDH_ALGS, ECDH_CURVES, ENCS, PBES2_ALGS, RSA_ALGS, wrapping_bits
from .jwk import public_jwk, thumbprint
from .keys import Key, from_crypto

if TYPE_CHECKING:
    from joserfc.jwk import ECKey, OKPKey, RSAKey

#: RSA modulus sizes offered, in bits; the first is the default.
RSA_SIZES = (2048, 3072, 4096)
#: The curve generated for each EC or OKP algorithm.
_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ES256": ec.SECP256R1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
    "ES256K": ec.SECP256K1,
}
_OKP: dict[str, type[ed25519.Ed25519PrivateKey] | type[ed448.Ed448PrivateKey]] = {
    "EdDSA": ed25519.Ed25519PrivateKey,
    "Ed25519": ed25519.Ed25519PrivateKey,
    "Ed448": ed448.Ed448PrivateKey,
}
#: Largest HMAC secret generated, in bits.
MAX_SECRET_BITS = 4096


@final
class GeneratedKeyPair(TypedDict):
    """A new RSA, EC or OKP key: private and public PEM and JWK, its thumbprint as `kid`."""

    alg: str
    kid: str
    private_pem: str | None
    public_pem: str | None
    private_jwk: dict[str, Any]
    public_jwk: dict[str, Any]


@final
class GeneratedSecret(TypedDict):
    """A new HMAC secret, base64url-encoded, and its JWK."""

    alg: str
    kid: str
    secret: str
    secret_encoding: str
    jwk: dict[str, str]


GeneratedKey = GeneratedKeyPair | GeneratedSecret


def generate_key(alg: str, size: int | None = None, curve: str | None = None) -> GeneratedKey:
    """A new key for `alg`: private and public PEM and JWK, or for HS* a random secret and JWK.

    `size` is the RSA modulus in bits (2048, 3072 or 4096; default 2048) or the HMAC secret
    length in bits (at least the hash output, the default). EC and OKP keys have the size of
    their curve. The `kid` of the JWKs is their RFC 7638 thumbprint. JWE algorithms (and `enc`
    names, for `dir`) get encryption keys (`use` "enc"); ECDH-ES takes a `curve`.
    """
    if is_encryption_alg(alg):
        return generate_encryption_key(alg, size, curve)
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


def _asymmetric(alg: str, key: Key) -> GeneratedKeyPair:
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


def _secret(alg: str, bits: int) -> GeneratedSecret:
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


def is_encryption_alg(alg: str) -> bool:
    """True for the JWE `alg` values (and `enc` values, for dir keys) keys can be made for."""
    return alg in ALGS or alg in ENCS


_ECDH_CURVE_BY_SIZE = {None: "P-256", 256: "P-256", 384: "P-384", 521: "P-521"}


def generate_encryption_key(
    alg: str, size: int | None = None, curve: str | None = None
) -> GeneratedKey:
    """A new key for a JWE `alg` (or for `dir` with an `enc`): PEM and JWK, or a secret.

    RSA keys take `size` (2048 default); ECDH-ES keys take `curve` (P-256, P-384, P-521,
    X25519 or X448); AES keys have the size their alg names; `dir` keys have the size of the
    `enc` given as `alg`, or `size` bits (256 default); PBES2 gets a random 128-bit password.
    """
    # joserfc loads only when an encryption key is made: decoding a token never needs it.
    from joserfc.jwk import ECKey, OKPKey, RSAKey

    if alg in RSA_ALGS:
        bits = size or RSA_SIZES[0]
        if bits not in RSA_SIZES:
            raise DebuggerError(
                INVALID_REQUEST,
                f"RSA keys are {', '.join(map(str, RSA_SIZES))} bits.",
                field="size",
            )
        jose_key: RSAKey | ECKey | OKPKey = RSAKey.generate_key(bits)
    elif alg in ECDH_ALGS:
        name = curve or _ECDH_CURVE_BY_SIZE.get(size)
        if name not in ECDH_CURVES:
            raise DebuggerError(
                INVALID_REQUEST, f"ECDH-ES keys are on {', '.join(ECDH_CURVES)}.", field="curve"
            )
        if name == "X25519":
            jose_key = OKPKey.generate_key("X25519")
        elif name == "X448":
            jose_key = OKPKey.generate_key("X448")
        else:
            jose_key = ECKey.generate_key(name)
    else:
        bits = wrapping_bits(alg) or _encryption_secret_bits(alg, size)
        secret = secrets.token_bytes(bits // 8)
        jwk: dict[str, Any] = {"kty": "oct", "k": b64url(secret)}
        kid = thumbprint(jwk)
        jwk.update(kid=kid, alg=alg, use="enc")
        return {
            "alg": alg,
            "kid": kid,
            "secret": jwk["k"],
            "secret_encoding": "base64url",
            "jwk": jwk,
        }
    private = dict(jose_key.as_dict(private=True))
    kid = thumbprint(private)
    private.update(kid=kid, alg=alg, use="enc")
    return {
        "alg": alg,
        "kid": kid,
        "private_pem": jose_key.as_pem(private=True).decode("ascii"),
        "public_pem": jose_key.as_pem(private=False).decode("ascii"),
        "private_jwk": private,
        "public_jwk": public_jwk(private),
    }


def _encryption_secret_bits(alg: str, size: int | None) -> int:
    if alg in ENCS:
        return ENCS[alg].key_bytes * 8
    if alg in PBES2_ALGS:
        return 128
    bits = size or 256
    if bits not in (128, 192, 256, 384, 512):
        raise DebuggerError(
            INVALID_REQUEST, "dir keys are 128, 192, 256, 384 or 512 bits.", field="size"
        )
    return bits
