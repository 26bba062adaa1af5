"""Tokens as other software writes them, with the quirks that interoperability bugs leave."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

CLAIMS = {"sub": "1234567890", "iat": 1_799_999_940, "exp": 1_800_003_600}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value) -> str:
    return b64(json.dumps(value).encode())


def rs256(private: rsa.RSAPrivateKey, header: dict, payload: str) -> str:
    """An RS256 token over `header` and the payload part exactly as given (may be empty)."""
    signing_input = f"{segment(header)}.{payload}"
    signature = private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


def signed(private, alg: str, payload: str, header: dict | None = None) -> str:
    """A token signed with `alg` (RS*, PS* or ES*) over the payload part as given."""
    signing_input = f"{segment(header or {'alg': alg})}.{payload}".encode()
    hash_algorithm = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}[alg[2:]]()
    if alg.startswith("RS"):
        signature = private.sign(signing_input, padding.PKCS1v15(), hash_algorithm)
    elif alg.startswith("PS"):
        pss = padding.PSS(padding.MGF1(hash_algorithm), hash_algorithm.digest_size)
        signature = private.sign(signing_input, pss, hash_algorithm)
    else:
        signature = private.sign(signing_input, ec.ECDSA(hash_algorithm))
    return f"{signing_input.decode()}.{b64(signature)}"


def pss_max_salt(private: rsa.RSAPrivateKey) -> str:
    """A PS256 token signed with the longest salt, as josepy signs."""
    signing_input = f"{segment({'alg': 'PS256'})}.{segment(CLAIMS)}".encode()
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.MAX_LENGTH)
    return f"{signing_input.decode()}.{b64(private.sign(signing_input, pss, hashes.SHA256()))}"


def rsa_leading_zero_dropped(private: rsa.RSAPrivateKey) -> str:
    """An RS256 token whose signature starts with a zero byte, written one byte short."""
    for jti in range(10_000):
        signing_input = f"{segment({'alg': 'RS256'})}.{segment({**CLAIMS, 'jti': str(jti)})}"
        signature = private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        if signature[0] == 0:
            return f"{signing_input}.{b64(signature[1:])}"
    raise AssertionError("no signature with a leading zero byte")


def ecdsa_der(private: ec.EllipticCurvePrivateKey) -> str:
    """An ES256 token with the DER signature OpenSSL writes, not the raw R ‖ S of JWS."""
    signing_input = f"{segment({'alg': 'ES256'})}.{segment(CLAIMS)}".encode()
    signature = private.sign(signing_input, ec.ECDSA(hashes.SHA256()))
    return f"{signing_input.decode()}.{b64(signature)}"
