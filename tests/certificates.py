"""Build small X.509 chains and tokens that carry them, for the x5c tests."""

from __future__ import annotations

import base64
import datetime
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from debugger.jose.b64 import b64url

NOW = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(
    subject: str,
    public_key,
    issuer: str,
    signing_key,
    *,
    not_before: datetime.datetime = NOW - datetime.timedelta(days=1),
    days: int = 30,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + datetime.timedelta(days=days))
        .sign(signing_key, hashes.SHA256())
    )


def chain() -> tuple[ec.EllipticCurvePrivateKey, list[x509.Certificate]]:
    """A leaf key and [leaf certificate, root certificate], the leaf issued by the root."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root = certificate("Test Root", root_key.public_key(), "Test Root", root_key)
    leaf = certificate("leaf.example", leaf_key.public_key(), "Test Root", root_key)
    return leaf_key, [leaf, root]


def x5c(certificates: list[x509.Certificate]) -> list[str]:
    """The x5c header value: standard base64 DER, leaf first."""
    return [
        base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in certificates
    ]


def es256_token(header: dict, payload: dict, key: ec.EllipticCurvePrivateKey) -> str:
    """An ES256 token with exactly this header (PyJWT would rewrite x5c or jwk)."""
    from jwt.algorithms import ECAlgorithm

    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    signature = ECAlgorithm(ECAlgorithm.SHA256).sign(signing_input.encode(), key)
    return f"{signing_input}.{b64url(signature)}"
