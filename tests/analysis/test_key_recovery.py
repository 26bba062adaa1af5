"""Recovering an RSA public key from two tokens it signed: the key comes back exactly, in both PEM
forms and as a JWK; anything else is a clear error. The slow recoveries run once per module."""

from __future__ import annotations

import json
import secrets
import time

import gmpy2
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import RSAAlgorithm

from debugger.analysis.key_recovery import (
    RECOVERY_SECONDS,
    recover_in_subprocess,
    recover_rsa_key,
)
from debugger.errors import DebuggerError
from debugger.jose.b64 import b64url

HASHES = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}


def signed(key, claims: dict, alg: str = "RS256", sign_padding=None) -> str:
    """A token signed with cryptography directly: PyJWT warns about the small test keys."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    signing_input = f"{header}.{b64url(json.dumps(claims).encode())}"
    hash_ = HASHES.get(alg, hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(signing_input.encode(), ec.ECDSA(hash_))
    else:
        signature = key.sign(signing_input.encode(), sign_padding or padding.PKCS1v15(), hash_)
    return f"{signing_input}.{b64url(signature)}"


def small_key(bits: int = 512) -> rsa.RSAPrivateKey:
    """An RSA key below the 1024 bits cryptography generates: quick to recover, for the errors."""

    def prime() -> int:
        return int(gmpy2.next_prime(secrets.randbits(bits // 2) | (3 << (bits // 2 - 2))))

    p, q, e = prime(), prime(), 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    public = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), public
    ).private_key()


def pair(key, alg: str = "RS256") -> tuple[str, str]:
    now = int(time.time())
    return signed(key, {"sub": "a", "iat": now}, alg), signed(
        key, {"sub": "a", "iat": now + 1}, alg
    )


answer_tokens: dict[int, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def recovered():
    """The 1024- and 2048-bit keys, each recovered once (about 15 and 35 seconds)."""
    answers = {}
    for bits, alg in ((1024, "RS384"), (2048, "RS256")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        answer_tokens[bits] = pair(key, alg)
        started = time.monotonic()
        answers[bits] = (
            key,
            alg,
            recover_rsa_key(*answer_tokens[bits]),
            time.monotonic() - started,
        )
    return answers


def pem(key: rsa.RSAPrivateKey, form) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, form).decode()


@pytest.mark.parametrize("bits", (1024, 2048))
def test_the_key_that_signed_both_tokens_is_recovered_in_both_pem_forms(recovered, bits):
    key, alg, answer, seconds = recovered[bits]
    assert (answer["bits"], answer["exponent"], answer["alg"]) == (bits, 65537, alg)
    assert answer["public_pem"] == pem(key, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert answer["public_pem"].startswith("-----BEGIN PUBLIC KEY-----\n")
    assert answer["pkcs1_pem"] == pem(key, serialization.PublicFormat.PKCS1)
    expected = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    assert (answer["jwk"]["n"], answer["jwk"]["e"]) == (expected["n"], expected["e"])
    assert seconds < RECOVERY_SECONDS, "the recovery is over its budget"


def test_asking_again_for_the_same_tokens_is_answered_at_once(recovered):
    key, alg, answer, _ = recovered[2048]
    started = time.monotonic()
    assert recover_rsa_key(*answer_tokens[2048]) == answer
    assert time.monotonic() - started < 0.5


def test_a_key_with_exponent_3_is_recovered_at_once():
    key = rsa.generate_private_key(public_exponent=3, key_size=2048)
    started = time.monotonic()
    answer = recover_rsa_key(*pair(key, "RS512"))
    assert time.monotonic() - started < 2
    assert answer["exponent"] == 3
    assert answer["public_pem"] == pem(key, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_tokens_of_two_different_keys_give_no_key():
    first = pair(small_key())[0]
    second = pair(small_key())[1]
    with pytest.raises(DebuggerError) as caught:
        recover_rsa_key(first, second)
    assert caught.value.code == "key_not_recovered"


RSA_1024 = rsa.generate_private_key(public_exponent=65537, key_size=1024)


@pytest.mark.parametrize(
    ("first", "second", "code", "field"),
    (
        ("not a token", pair(RSA_1024)[1], "not_rsa_token", "first"),
        (pair(RSA_1024)[0], "a.b", "not_rsa_token", "second"),
        (
            signed(RSA_1024, {"n": 1}, "PS256", padding.PSS(padding.MGF1(hashes.SHA256()), 32)),
            pair(RSA_1024)[1],
            "not_rsa_token",
            "first",
        ),
        (
            pair(RSA_1024)[0],
            signed(ec.generate_private_key(ec.SECP256R1()), {"n": 1}, "ES256"),
            "not_rsa_token",
            "second",
        ),
        ("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", pair(RSA_1024)[1], "not_rsa_token", "first"),
        (
            pair(RSA_1024)[0],
            "eyJhbGciOiJSUzI1NiJ9.e30." + b64url(b"\x01" * 1025),
            "not_rsa_token",
            "second",
        ),
        (pair(RSA_1024)[0], pair(RSA_1024, "RS512")[1], "key_not_recovered", None),
        (pair(RSA_1024)[0], pair(small_key())[1], "key_not_recovered", None),
        (pair(RSA_1024)[0], pair(RSA_1024)[0], "key_not_recovered", None),
    ),
    ids=(
        "unreadable",
        "two-parts",
        "pss",
        "es256",
        "hs256",
        "over-4096-bits",
        "different-algs",
        "different-lengths",
        "same-token",
    ),
)
def test_tokens_no_key_can_come_from_are_refused_at_once(first, second, code, field):
    started = time.monotonic()
    with pytest.raises(DebuggerError) as caught:
        recover_rsa_key(first, second)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert time.monotonic() - started < 2


def test_the_recovery_in_another_process_stops_at_its_deadline():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    started = time.monotonic()
    with pytest.raises(DebuggerError) as caught:
        recover_in_subprocess(*pair(key), seconds=0.5)
    assert caught.value.code == "key_not_recovered"
    assert time.monotonic() - started < 10


def test_the_recovery_in_another_process_answers_like_the_core():
    key = rsa.generate_private_key(public_exponent=3, key_size=2048)
    first, second = pair(key)
    assert recover_in_subprocess(first, second) == recover_rsa_key(first, second)
    with pytest.raises(DebuggerError) as caught:
        recover_in_subprocess(first, "nope")
    assert (caught.value.code, caught.value.field) == ("not_rsa_token", "second")
