"""Signature verdicts: every algorithm, the published examples, and each reason code."""

from __future__ import annotations

import json

import jwt
import pytest

from debugger.codes import REASON_CODES
from debugger.jose.b64 import b64url
from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature

from ..conftest import ALG_KEYS, SECRET
from ..rfc_vectors import RFC_VECTORS


def _token(header: dict, payload: dict, key: object) -> str:
    """Sign with PyJWT's algorithm objects directly, as an independent signer."""
    from jwt.algorithms import get_default_algorithms

    alg = header["alg"]
    implementation = get_default_algorithms()["EdDSA" if alg in ("Ed25519", "Ed448") else alg]
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64url(implementation.sign(signing_input.encode(), key))}"


def _hmac_token(header: bytes, payload: bytes, secret: bytes, *, encode_payload=True) -> str:
    """An HS256 token built by hand from exact header and payload bytes."""
    from jwt.algorithms import HMACAlgorithm

    body = b64url(payload) if encode_payload else payload.decode()
    signing_input = f"{b64url(header)}.{body}"
    mac = HMACAlgorithm(HMACAlgorithm.SHA256).sign(signing_input.encode(), secret)
    return f"{signing_input}.{b64url(mac)}"


def verdict_for(token: str, key: str, **options):
    return check_signature(parse(token), read_key(key), **options)


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=[v["name"] for v in RFC_VECTORS])
def test_published_rfc_examples_have_their_expected_verdict(vector):
    result = verdict_for(
        vector["token"], vector["key"] or "unused", detached_payload=vector["detached_payload"]
    )
    assert result.valid is vector["expected_valid"]
    if not vector["expected_valid"]:
        assert result.reason_code == "unsecured_token"


def test_rfc_example_fails_when_one_payload_byte_changes():
    vector = RFC_VECTORS[0]
    header, payload, signature = vector["token"].split(".")
    changed = "A" if payload[-2] != "A" else "B"
    tampered = f"{header}.{payload[:-2]}{changed}{payload[-1]}.{signature}"
    assert verdict_for(tampered, vector["key"]).reason_code == "signature_mismatch"


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_algorithms_verify_with_the_secret(alg):
    token = jwt.encode({"sub": "a"}, SECRET * 2, algorithm=alg)
    assert verdict_for(token, SECRET * 2).valid
    assert verdict_for(token, SECRET).reason_code == "signature_mismatch"


@pytest.mark.parametrize("alg", sorted(ALG_KEYS))
def test_every_asymmetric_algorithm_verifies_with_public_and_private_key(alg, keypairs):
    pair = keypairs[ALG_KEYS[alg]]
    token = _token({"alg": alg}, {"sub": "a"}, pair.private)
    for key in (pair.public_pem, pair.private_pem):
        result = verdict_for(token, key)
        assert result.valid, result
        assert result.alg == alg


@pytest.mark.parametrize("alg", sorted(ALG_KEYS))
def test_every_asymmetric_algorithm_rejects_another_key(alg, keypairs):
    pair = keypairs[ALG_KEYS[alg]]
    other = {"RSA": "RSA"}.get(ALG_KEYS[alg])
    token = _token({"alg": alg}, {"sub": "a"}, pair.private)
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    assert verdict_for(tampered, pair.public_pem).reason_code == "signature_mismatch"
    if other:
        from cryptography.hazmat.primitives.asymmetric import rsa

        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = _token({"alg": alg}, {"sub": "a"}, stranger)
        assert verdict_for(token, pair.public_pem).reason_code == "signature_mismatch"


def test_private_rsa_jwk_verifies_with_its_public_part(keypairs):
    private_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(keypairs["RSA"].private)
    token = jwt.encode({"sub": "a"}, keypairs["RSA"].private_pem, algorithm="RS256")
    assert verdict_for(token, private_jwk).valid


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_unsecured_tokens_never_verify(alg):
    token = f"{b64url(json.dumps({'alg': alg}).encode())}.{b64url(b'{}')}."
    result = verdict_for(token, SECRET)
    assert not result.valid
    assert result.reason_code == "unsecured_token"


def test_hs256_header_with_public_key_is_key_confusion(keypairs):
    public_pem = keypairs["RSA"].public_pem
    # The classic attack: an HMAC made with the public key's text as the secret.
    token = _hmac_token(b'{"alg":"HS256"}', b"{}", public_pem.encode())
    result = verdict_for(token, public_pem)
    assert not result.valid
    assert result.reason_code == "key_confusion"


def test_rs256_token_with_a_secret_is_key_type_mismatch(keypairs):
    token = jwt.encode({}, keypairs["RSA"].private_pem, algorithm="RS256")
    assert verdict_for(token, SECRET).reason_code == "key_type_mismatch"


def test_es256_token_with_a_p384_key_is_key_type_mismatch(keypairs):
    token = jwt.encode({}, keypairs["P-256"].private_pem, algorithm="ES256")
    assert verdict_for(token, keypairs["P-384"].public_pem).reason_code == "key_type_mismatch"


def test_algorithm_outside_the_allowed_list_is_refused():
    token = jwt.encode({}, SECRET, algorithm="HS256")
    assert verdict_for(token, SECRET, algorithms=["HS512"]).reason_code == "alg_not_allowed"
    assert verdict_for(token, SECRET, algorithms=["HS256"]).valid


def test_unknown_algorithm_is_not_allowed():
    token = _hmac_token(b'{"alg":"HS999"}', b"{}", SECRET.encode())
    assert verdict_for(token, SECRET).reason_code == "alg_not_allowed"


@pytest.mark.parametrize(
    ("crit", "code"),
    (
        (["exp"], "crit_unsupported"),
        ("b64", "crit_unsupported"),
        (["b64"], "crit_unsupported"),  # listed but absent from the header
    ),
)
def test_crit_header_is_honoured(crit, code):
    token = jwt.encode({}, SECRET, algorithm="HS256", headers={"crit": crit})
    assert verdict_for(token, SECRET).reason_code == code


def test_unencoded_payload_with_crit_b64_verifies_and_keeps_its_spaces():
    header = b'{"alg":"HS256","b64":false,"crit":["b64"]}'
    token = _hmac_token(header, b"$ 02", SECRET.encode(), encode_payload=False)
    assert verdict_for(token, SECRET).valid
    wrong = _hmac_token(header, b"$02", SECRET.encode(), encode_payload=False)
    assert verdict_for(wrong.replace("$02", "$ 02"), SECRET).reason_code == "signature_mismatch"


def test_detached_payload_is_required_and_then_verifies():
    full = jwt.encode({"sub": "a"}, SECRET, algorithm="HS256")
    header, payload, signature = full.split(".")
    detached = f"{header}..{signature}"
    assert verdict_for(detached, SECRET).reason_code == "detached_payload_required"
    assert verdict_for(detached, SECRET, detached_payload='{"sub":"a"}').valid
    encoded = verdict_for(detached, SECRET, detached_payload=payload)
    assert encoded.valid and encoded.notes[0]["code"] == "detached_payload_encoded"


def test_malformed_token_is_reported_with_the_part_problem():
    result = verdict_for("eyJhbGciOiJIUzI1NiJ9.e30", SECRET)
    assert result.reason_code == "malformed_token"
    assert "three parts" in result.reason_message


def _jwk(pair, **extra) -> str:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pair.private.public_key()))
    return json.dumps({**jwk, **extra})


@pytest.mark.parametrize(
    ("extra", "valid"),
    (
        ({}, True),
        ({"use": "sig"}, True),
        ({"use": "enc"}, False),
        ({"key_ops": ["verify"]}, True),
        ({"key_ops": ["encrypt"]}, False),
        ({"alg": "RS256"}, True),
        ({"alg": "PS256"}, False),
    ),
)
def test_jwk_use_key_ops_and_alg_are_honoured(keypairs, extra, valid):
    token = jwt.encode({}, keypairs["RSA"].private_pem, algorithm="RS256")
    result = verdict_for(token, _jwk(keypairs["RSA"], **extra))
    assert result.valid is valid
    if not valid:
        assert result.reason_code == "key_type_mismatch"


def _jwk_set(keypairs, *kids) -> str:
    names = ["P-256", "RSA"]
    keys = []
    for name, kid in zip(names, kids, strict=False):
        pair = keypairs[name]
        if name == "RSA":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pair.private.public_key()))
        else:
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(pair.private.public_key()))
        keys.append({**jwk, "kid": kid})
    return json.dumps({"keys": keys})


def test_key_set_picks_the_key_by_kid(keypairs):
    token = jwt.encode({}, keypairs["RSA"].private_pem, algorithm="RS256", headers={"kid": "r1"})
    result = verdict_for(token, _jwk_set(keypairs, "e1", "r1"))
    assert result.valid and result.key.kid == "r1"


def test_key_set_reports_kid_not_found_with_available_kids(keypairs):
    token = jwt.encode({}, keypairs["RSA"].private_pem, algorithm="RS256", headers={"kid": "gone"})
    result = verdict_for(token, _jwk_set(keypairs, "e1", "r1"))
    assert result.reason_code == "kid_not_found"
    assert "'e1'" in result.reason_message and "'r1'" in result.reason_message


def test_key_set_without_kid_tries_the_keys_that_fit(keypairs):
    token = jwt.encode({}, keypairs["RSA"].private_pem, algorithm="RS256")
    result = verdict_for(token, _jwk_set(keypairs, "e1", "r1"))
    assert result.valid and result.key.kid == "r1"


def test_every_reason_code_is_documented_in_the_readme():
    readme = (__import__("pathlib").Path(__file__).parent.parent.parent / "README.md").read_text()
    for code in REASON_CODES:
        assert f"`{code}`" in readme, code
