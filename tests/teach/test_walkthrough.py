"""The signature walkthrough matches an independent computation with hashlib and cryptography."""

from __future__ import annotations

import base64
import hashlib
import hmac

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature
from debugger.teach.ecmath import CURVES
from debugger.teach.walkthrough import first_difference, walkthrough

from ..conftest import ALG_KEYS, SECRET

CLAIMS = {"sub": "1234567890", "name": "Ada Lovelace", "iat": 1516239022}
# RFC 8017 section 9.2, note 1: the DER prefix of DigestInfo for SHA-256.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def walk(token: str, key: str, *, algorithms=None, detached_payload=None) -> dict:
    parsed = parse(token)
    verdict = check_signature(
        parsed, read_key(key), algorithms=algorithms, detached_payload=detached_payload
    )
    return walkthrough(parsed, verdict, detached_payload=detached_payload)


def parts(token: str) -> tuple[bytes, bytes]:
    signing_input, _, signature = token.rpartition(".")
    padded = signature + "=" * (-len(signature) % 4)
    return signing_input.encode(), base64.urlsafe_b64decode(padded)


def assert_common(result: dict, token: str, hash_name: str | None) -> tuple[bytes, bytes]:
    signing_input, signature = parts(token)
    assert result["available"] is True
    assert result["signing_input"] == signing_input.decode()
    assert result["signing_input_length"] == len(signing_input)
    assert result["signature"] == signature.hex()
    if hash_name:
        assert result["signing_input_hash"] == hashlib.new(hash_name, signing_input).hexdigest()
    return signing_input, signature


def independent_difference(expected: bytes, actual: bytes) -> int | None:
    pairs = list(zip(expected, actual, strict=False))
    for index, (a, b) in enumerate(pairs):
        if a != b:
            return index
    return None if len(expected) == len(actual) else len(pairs)


def test_hs256_mac_is_the_hmac_of_the_signing_input():
    token = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
    result = walk(token, SECRET)
    signing_input, signature = assert_common(result, token, "sha256")
    mac = hmac.new(SECRET.encode(), signing_input, hashlib.sha256).digest()
    assert result["method"] == "hmac"
    assert result["computed_mac"] == mac.hex() == signature.hex()
    assert result["comparison"]["equal"] is True and result["valid"] is True


def test_hs256_with_the_wrong_secret_shows_the_first_differing_byte():
    token = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
    wrong = "another-secret-of-32-bytes-00000"
    result = walk(token, wrong)
    signing_input, signature = assert_common(result, token, "sha256")
    mac = hmac.new(wrong.encode(), signing_input, hashlib.sha256).digest()
    comparison = result["comparison"]
    assert (comparison["expected"], comparison["actual"]) == (mac.hex(), signature.hex())
    assert comparison["equal"] is False and result["valid"] is False
    assert comparison["first_difference"] == independent_difference(mac, signature)


def _public(pem: str):
    return load_pem_public_key(pem.encode())


def test_rs256_recovers_digest_info_and_hash_with_the_raw_public_operation(keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="RS256")
    result = walk(token, pair.public_pem)
    signing_input, signature = assert_common(result, token, "sha256")
    numbers = _public(pair.public_pem).public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    block = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(size, "big")
    digest = hashlib.sha256(signing_input).digest()
    padding = b"\x00\x01" + b"\xff" * (size - 3 - len(SHA256_DIGEST_INFO) - 32) + b"\x00"
    assert block == padding + SHA256_DIGEST_INFO + digest
    assert result["method"] == "rsa_pkcs1v15"
    assert result["recovered"]["block"] == block.hex()
    assert result["recovered"]["digest_info"] == (SHA256_DIGEST_INFO + digest).hex()
    assert result["recovered"]["hash"] == digest.hex()
    assert result["comparison"]["expected"] == digest.hex()
    assert result["comparison"]["equal"] is True and result["valid"] is True


def _another_rsa_key(above: int):
    """A fresh RSA key whose modulus is above a given number (half of them are)."""
    while True:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if key.public_key().public_numbers().n > above:
            pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
            return key, pem.decode()


def test_rs256_with_another_key_recovers_garbage_and_says_so(keypairs):
    token = jwt.encode(CLAIMS, keypairs["RSA"].private_pem, algorithm="RS256")
    _, signature = parts(token)
    other, pem = _another_rsa_key(above=int.from_bytes(signature, "big"))
    result = walk(token, pem)
    numbers = other.public_key().public_numbers()
    block = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(256, "big")
    assert result["recovered"]["block"] == block.hex()
    assert result["recovered"]["padding_ok"] is False
    assert result["comparison"]["equal"] is False and result["valid"] is False
    assert result["comparison"]["actual"] == block.hex()
    assert result["notes"]


def test_rs256_signature_not_below_the_modulus_is_explained(keypairs):
    pair = keypairs["RSA"]
    signing_input = jwt.encode(CLAIMS, pair.private_pem, algorithm="RS256").rpartition(".")[0]
    too_big = base64.urlsafe_b64encode(b"\xff" * 256).rstrip(b"=").decode()  # 2^2048 - 1 > n
    result = walk(f"{signing_input}.{too_big}", pair.public_pem)
    assert result["valid"] is False and "recovered" not in result
    assert any("modulus" in note for note in result["notes"])


def _mgf1(seed: bytes, length: int) -> bytes:
    out = b"".join(
        hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        for counter in range(length // 32 + 1)
    )
    return out[:length]


def test_ps256_recovers_h_and_salt_and_recomputes_h(keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="PS256")
    result = walk(token, pair.public_pem)
    signing_input, signature = assert_common(result, token, "sha256")
    numbers = _public(pair.public_pem).public_numbers()
    encoded = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(256, "big")
    assert encoded[-1] == 0xBC
    h = encoded[-33:-1]
    db = bytes(a ^ b for a, b in zip(encoded[:-33], _mgf1(h, 256 - 33), strict=True))
    salt = db[-32:]  # PyJWT signs with a salt as long as the hash
    m_hash = hashlib.sha256(signing_input).digest()
    assert result["method"] == "rsa_pss"
    assert result["message_hash"] == m_hash.hex()
    assert result["recovered"]["hash"] == h.hex()
    assert result["recovered"]["salt"] == salt.hex()
    assert result["computed_hash"] == hashlib.sha256(b"\x00" * 8 + m_hash + salt).hexdigest()
    assert result["computed_hash"] == h.hex()
    assert result["comparison"]["equal"] is True and result["valid"] is True


def test_ps256_of_a_changed_token_differs(keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="PS256")
    header, payload, signature = token.split(".")
    changed = jwt.encode({**CLAIMS, "name": "Eve"}, pair.private_pem, algorithm="PS256")
    tampered = f"{header}.{changed.split('.')[1]}.{signature}"
    result = walk(tampered, pair.public_pem)
    assert result["comparison"]["equal"] is False and result["valid"] is False
    assert result["comparison"]["first_difference"] == independent_difference(
        bytes.fromhex(result["comparison"]["expected"]),
        bytes.fromhex(result["comparison"]["actual"]),
    )


def test_es256_shows_r_and_s_and_the_verification_equation(keypairs):
    pair = keypairs["P-256"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="ES256")
    result = walk(token, pair.public_pem)
    signing_input, signature = assert_common(result, token, "sha256")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    # r and s, DER-encoded, verify with cryptography: they are the signature's numbers.
    _public(pair.public_pem).verify(
        encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256())
    )
    assert result["method"] == "ecdsa" and result["curve"] == "P-256"
    assert (result["r"], result["s"]) == (signature[:32].hex(), signature[32:].hex())
    assert result["computed_x"] == signature[:32].hex()
    assert result["comparison"]["equal"] is True and result["valid"] is True


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512", "ES256K"])
def test_every_ecdsa_curve_recomputes_r_and_rejects_another_message(keypairs, alg):
    pair = keypairs[ALG_KEYS[alg]]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm=alg)
    assert walk(token, pair.public_pem)["comparison"]["equal"] is True
    header, _, signature = token.split(".")
    other = jwt.encode({"sub": "someone else"}, pair.private_pem, algorithm=alg).split(".")[1]
    tampered = f"{header}.{other}.{signature}"
    result = walk(tampered, pair.public_pem)
    signing_input, raw = parts(tampered)
    with pytest.raises(InvalidSignature):
        half = len(raw) // 2
        der = encode_dss_signature(
            int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
        )
        hash_alg = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "ES512": hashes.SHA512()}
        _public(pair.public_pem).verify(
            der, signing_input, ec.ECDSA(hash_alg.get(alg, hashes.SHA256()))
        )
    assert result["comparison"]["equal"] is False and result["valid"] is False


def test_ecdsa_curve_constants_give_the_public_key_from_the_private_one(keypairs):
    for name in ("P-256", "P-384", "P-521", "secp256k1"):
        private = keypairs[name].private
        curve = CURVES[name]
        numbers = private.public_key().public_numbers()
        assert curve.contains(curve.g)
        assert curve.multiply(private.private_numbers().private_value, curve.g) == (
            numbers.x,
            numbers.y,
        )


def test_ecdsa_zero_r_is_explained_as_never_valid(keypairs):
    pair = keypairs["P-256"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="ES256")
    header, payload, _ = token.split(".")
    zero = base64.urlsafe_b64encode(bytes(64)).rstrip(b"=").decode()
    result = walk(f"{header}.{payload}.{zero}", pair.public_pem)
    assert result["valid"] is False and "comparison" not in result
    assert any("CVE-2022-21449" in note for note in result["notes"])


def test_eddsa_shows_r_s_and_k_as_rfc_8032_defines_them(keypairs):
    pair = keypairs["Ed25519"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="EdDSA")
    result = walk(token, pair.public_pem)
    signing_input, signature = assert_common(result, token, None)
    public = pair.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert result["method"] == "eddsa" and result["hash"] is None
    assert (result["r"], result["s"]) == (signature[:32].hex(), signature[32:].hex())
    assert result["public_key"] == public.hex()
    assert result["k"] == hashlib.sha512(signature[:32] + public + signing_input).hexdigest()
    assert result["valid"] is True
    header, payload, sig = token.split(".")
    assert walk(f"{header}.{payload}x.{sig}", pair.public_pem)["valid"] is False


def test_ed448_k_uses_shake256_with_its_domain_prefix(keypairs):
    pair = keypairs["Ed448"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="EdDSA")
    result = walk(token, pair.public_pem)
    signing_input, signature = parts(token)
    public = pair.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    expected = hashlib.shake_256(b"SigEd448\x00\x00" + signature[:57] + public + signing_input)
    assert result["k"] == expected.hexdigest(114)


@pytest.mark.parametrize("curve", ["Ed25519", "Ed448"])
def test_eddsa_sets_s_b_minus_k_a_beside_r(keypairs, curve):
    pair = keypairs[curve]
    size = 32 if curve == "Ed25519" else 57
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="EdDSA")
    result = walk(token, pair.public_pem)
    _, signature = parts(token)
    comparison = result["comparison"]
    assert comparison["equal"] is True and comparison["first_difference"] is None
    assert result["computed_r"] == comparison["expected"] == signature[:size].hex()
    header, payload, _ = token.split(".")
    forged = walk(f"{header}.{payload}x.{token.split('.')[2]}", pair.public_pem)
    assert forged["valid"] is False and forged["comparison"]["equal"] is False
    assert isinstance(forged["comparison"]["first_difference"], int)


def test_eddsa_s_beyond_the_order_is_explained_as_never_valid(keypairs):
    pair = keypairs["Ed25519"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="EdDSA")
    header, payload, _ = token.split(".")
    _, signature = parts(token)
    huge = base64.urlsafe_b64encode(signature[:32] + b"\xff" * 32).rstrip(b"=").decode()
    result = walk(f"{header}.{payload}.{huge}", pair.public_pem)
    assert result["valid"] is False and "comparison" not in result
    assert any("order of the base point" in note for note in result["notes"])


@pytest.mark.parametrize(
    ("token", "key"),
    (
        (jwt.encode(CLAIMS, None, algorithm="none"), SECRET),
        ("not.a.token", SECRET),
    ),
)
def test_no_walkthrough_when_the_signature_cannot_be_checked(token, key):
    result = walk(token, key)
    assert result["available"] is False and result["message"]


@pytest.mark.parametrize(
    ("expected", "actual", "index"),
    (
        (b"abc", b"abc", None),
        (b"abc", b"abd", 2),
        (b"abc", b"ab", 2),
        (b"", b"x", 0),
        (b"xbc", b"abc", 0),
    ),
)
def test_first_difference(expected, actual, index):
    assert first_difference(expected, actual) == index == independent_difference(expected, actual)
