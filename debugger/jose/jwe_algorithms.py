"""The JWE algorithms of RFC 7518: which key each `alg` takes, and what each `enc` needs."""

from __future__ import annotations

from dataclasses import dataclass

#: `alg` values that encrypt the content-encryption key with an RSA key (RSA1_5 is deprecated).
RSA_ALGS = ("RSA-OAEP", "RSA-OAEP-256", "RSA1_5")
#: AES Key Wrap (RFC 3394) with a key of the size in the name, in bits.
KW_ALGS = {"A128KW": 128, "A192KW": 192, "A256KW": 256}
#: AES-GCM key wrapping, the wrapping IV and tag in the header.
GCMKW_ALGS = {"A128GCMKW": 128, "A192GCMKW": 192, "A256GCMKW": 256}
#: Elliptic-curve Diffie-Hellman (direct, or wrapping the key with AES Key Wrap).
ECDH_ALGS = ("ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW")
#: A password, stretched with PBKDF2 (`p2c` iterations, salt `p2s`), then AES Key Wrap.
PBES2_ALGS = ("PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW")
DIRECT = "dir"
ALGS = (*RSA_ALGS, *KW_ALGS, *GCMKW_ALGS, DIRECT, *ECDH_ALGS, *PBES2_ALGS)
#: The curves ECDH-ES takes: NIST curves as EC keys, X25519 and X448 as OKP keys (RFC 8037).
ECDH_CURVES = ("P-256", "P-384", "P-521", "X25519", "X448")
#: `alg` values whose key step fails on its own with a wrong key, before the content is
#: touched. With RSA1_5 it must not: telling a bad padding from a bad tag is Bleichenbacher's
#: oracle. With dir and ECDH-ES there is no key step: the key is the content key.
KEY_STEP_CHECKED = (
    "RSA-OAEP",
    "RSA-OAEP-256",
    *KW_ALGS,
    *GCMKW_ALGS,
    *ECDH_ALGS[1:],
    *PBES2_ALGS,
)


@dataclass(frozen=True)
class Enc:
    """A content-encryption algorithm: its key, IV and tag sizes, in bytes."""

    name: str
    key_bytes: int
    iv_bytes: int
    tag_bytes: int


ENCS = {
    enc.name: enc
    for enc in (
        Enc("A128GCM", 16, 12, 16),
        Enc("A192GCM", 24, 12, 16),
        Enc("A256GCM", 32, 12, 16),
        # AES-CBC with HMAC: the key is the MAC key then the AES key; the tag is half the MAC.
        Enc("A128CBC-HS256", 32, 16, 16),
        Enc("A192CBC-HS384", 48, 16, 24),
        Enc("A256CBC-HS512", 64, 16, 32),
    )
}
#: The only `zip` value (RFC 7516 section 4.1.3): DEFLATE.
ZIP_DEFLATE = "DEF"


def key_kind(alg: str) -> str:
    """The kind of key `alg` takes: "RSA", "secret" or "EC/OKP" (for ECDH-ES)."""
    if alg in RSA_ALGS:
        return "RSA"
    if alg in ECDH_ALGS:
        return "EC/OKP"
    return "secret"


def wrapping_bits(alg: str) -> int | None:
    """The size an AES key-wrapping key must have for `alg`, in bits; None for other algs."""
    return KW_ALGS.get(alg) or GCMKW_ALGS.get(alg)


def is_public_key_alg(alg: str) -> bool:
    """True when anyone with the recipient's public key can encrypt: RSA and ECDH-ES."""
    return alg in RSA_ALGS or alg in ECDH_ALGS
