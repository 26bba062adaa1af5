"""The inputs the benchmarks send: tokens and keys of each algorithm, a big token, a request mix."""

from __future__ import annotations

import base64
import json
import random
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

SECRET = "bench-secret-of-at-least-thirty-two-bytes"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Signed:
    """A token, the key that verifies it, and the key that signed it."""

    alg: str
    token: str
    key: str
    signing_key: Any


def _pem_public(private: Any) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def claims(now: float | None = None, **extra: Any) -> dict[str, Any]:
    issued = int(time.time() if now is None else now)
    return {
        "sub": "1234567890",
        "name": "Ada Lovelace",
        "admin": True,
        "iat": issued,
        "exp": issued + 3600,
        **extra,
    }


@cache
def _signing_keys(alg: str) -> tuple[Any, str]:
    """The key that signs `alg` tokens and the text of the key that verifies them."""
    private: Any
    if alg == "HS256":
        return SECRET, SECRET
    if alg == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    elif alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(alg)
    return private, _pem_public(private)


@cache
def signed(alg: str) -> Signed:
    """A fresh token of `alg` (HS256, RS256, ES256 or EdDSA) with the key that verifies it."""
    private, key = _signing_keys(alg)
    return Signed(alg, jwt.encode(claims(), private, algorithm=alg), key, private)


def private_pem(alg: str) -> str:
    """The PEM text of the private key that signs `alg` tokens (not HS256)."""
    private, _ = _signing_keys(alg)
    return str(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    )


def signed_many(alg: str, count: int) -> list[Signed]:
    """`count` different tokens of `alg` (each its own `jti`), all verified by the same key, so
    that no answer the server gave for one request can answer the next."""
    private, key = _signing_keys(alg)
    now = time.time()
    return [
        Signed(alg, jwt.encode(claims(now, jti=str(n)), private, algorithm=alg), key, private)
        for n in range(count)
    ]


def big_token(payload_bytes: int) -> str:
    """An HS256 token whose payload (the JSON, before base64url) is exactly `payload_bytes` long."""
    base = claims(data="")
    overhead = len(json.dumps(base, separators=(",", ":")))
    payload = claims(data="x" * (payload_bytes - overhead))
    text = json.dumps(payload, separators=(",", ":"))
    assert len(text) == payload_bytes, (len(text), payload_bytes)
    header = {"alg": "HS256", "typ": "JWT"}
    return jwt.api_jws.encode(text.encode(), SECRET, algorithm="HS256", headers=header)


#: The size of the key set pasted into the key box in the big-key-set benchmark.
KEY_SET_SIZE = 500


def _b64url_uint(value: int) -> str:
    data = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_set(size: int, seed: int = 0) -> tuple[str, str]:
    """A token and the text of a JWK Set of `size` RSA public keys, the last of them the one that
    signed it (its `kid` in the token's header): the worst place for a search through the set.

    The other keys are public keys of random 2048-bit moduli: reading one costs what reading a
    real one does, and making 500 real RSA keys would take half a minute. Another `seed` gives
    other kids and moduli, so that no cache of the text answers for another run.
    """
    private, _ = _signing_keys("RS256")
    draw = random.Random(seed)
    keys = []
    for index in range(size - 1):
        modulus = draw.getrandbits(2048) | (1 << 2047) | 1
        keys.append(_rsa_jwk(modulus, 65537, f"key-{seed}-{index}"))
    signing_kid = f"signing-{seed}"
    public = private.public_key().public_numbers()
    keys.append(_rsa_jwk(public.n, public.e, signing_kid))
    token = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": signing_kid})
    return token, json.dumps({"keys": keys}, indent=2)


def _rsa_jwk(modulus: int, exponent: int, kid: str) -> dict[str, str]:
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": _b64url_uint(modulus),
        "e": _b64url_uint(exponent),
    }


def request_mix() -> list[tuple[str, str, Any]]:
    """One round of the mixed requests the memory benchmark repeats: (method, path, body)."""
    mix: list[tuple[str, str, Any]] = [("GET", "/", None)]
    for alg in ("HS256", "RS256", "ES256", "EdDSA"):
        sample = signed(alg)
        mix.append(("POST", "/api/decode", {"token": sample.token}))
        mix.append(("POST", "/api/verify", {"token": sample.token, "key": sample.key}))
    hs = signed("HS256")
    mix += [
        ("POST", "/api/verify", {"token": hs.token, "key": SECRET + "-wrong"}),
        ("POST", "/api/verify", {"token": hs.token, "key": "-----BEGIN PUBLIC KEY-----\nAAA"}),
        ("POST", "/api/decode", {"token": "not.a-token"}),
        ("POST", "/api/encode", {"header": {"alg": "HS256"}, "payload": claims(), "key": SECRET}),
        ("POST", "/api/nowhere", {}),
    ]
    return mix
