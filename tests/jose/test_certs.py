"""Keys inside the token: the x5c chain, an embedded jwk, and verifying with them."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from debugger.errors import DebuggerError
from debugger.jose.certs import embedded_key_text, embedded_keys, self_signed_certificate

from ..certificates import NOW, certificate, chain, es256_token, x5c
from ..conftest import assert_canonical_error

NOW_TS = NOW.timestamp()


@pytest.fixture(scope="module")
def signed_chain():
    leaf_key, certificates = chain()
    header = {"alg": "ES256", "x5c": x5c(certificates)}
    return leaf_key, certificates, es256_token(header, {"sub": "a"}, leaf_key)


def test_decode_shows_the_chain_subject_issuer_validity_and_fingerprint(client, signed_chain):
    _, certificates, token = signed_chain
    answer = client.post("/api/decode", json={"token": token, "now": NOW_TS}).get_json()
    embedded = answer["embedded_keys"]
    assert embedded["jwk"] is None
    listed = embedded["x5c"]["certificates"]
    assert [c["subject"] for c in listed] == ["CN=leaf.example", "CN=Test Root"]
    assert [c["issuer"] for c in listed] == ["CN=Test Root", "CN=Test Root"]
    for shown, real in zip(listed, certificates, strict=True):
        assert shown["sha256_fingerprint"] == real.fingerprint(hashes.SHA256()).hex(":").upper()
        assert shown["not_after"] == real.not_valid_after_utc.isoformat()
        assert shown["validity"] == "valid"
    assert listed[1]["self_signed"] is True
    assert embedded["x5c"]["chain_consistent"] is True
    assert embedded["x5c"]["problems"] == []
    assert "proves nothing" in embedded["trust"]


def test_a_token_without_embedded_keys_has_none(client):
    token = es256_token({"alg": "ES256"}, {}, ec.generate_private_key(ec.SECP256R1()))
    assert client.post("/api/decode", json={"token": token}).get_json()["embedded_keys"] is None


def test_a_broken_chain_is_reported(signed_chain):
    _, certificates, _ = signed_chain
    stranger = ec.generate_private_key(ec.SECP256R1())
    other_root = certificate("Test Root", stranger.public_key(), "Test Root", stranger)
    report = embedded_keys({"x5c": x5c([certificates[0], other_root])}, now=NOW_TS)["x5c"]
    assert report["chain_consistent"] is False
    assert len(report["problems"]) == 1


def test_expired_certificates_and_bad_entries_are_shown(signed_chain):
    _, certificates, _ = signed_chain
    later = NOW_TS + 400 * 86400
    report = embedded_keys({"x5c": [*x5c(certificates), "!!not base64!!"]}, now=later)["x5c"]
    assert [c.get("validity") for c in report["certificates"][:2]] == ["expired", "expired"]
    assert "error" in report["certificates"][2]
    assert report["chain_consistent"] is None


@pytest.mark.parametrize("value", ("one", [], [1], {"a": 1}))
def test_an_x5c_that_is_not_a_list_of_strings_is_a_problem(value):
    report = embedded_keys({"x5c": value}, now=NOW_TS)["x5c"]
    assert report["certificates"] == [] and report["problems"]
    assert report["leaf_pem"] is None


def test_x5t_s256_must_match_the_leaf(signed_chain):
    _, certificates, _ = signed_chain
    der = certificates[0].public_bytes(serialization.Encoding.DER)
    good = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    header = {"x5c": x5c(certificates), "x5t#S256": good}
    assert embedded_keys(header, now=NOW_TS)["x5c"]["problems"] == []
    header["x5t#S256"] = good[::-1]
    assert len(embedded_keys(header, now=NOW_TS)["x5c"]["problems"]) == 1


def test_verify_with_the_leaf_certificate_of_the_chain(client, signed_chain):
    _, _, token = signed_chain
    body = {"token": token, "use_embedded_key": "x5c", "now": NOW_TS}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["signature_valid"] is True
    assert answer["key"]["certificate"]["subject"] == "CN=leaf.example"
    assert "embedded_key_used" in [note["code"] for note in answer["notes"]]


def test_a_forged_token_with_its_own_chain_still_verifies_which_is_why_trust_is_stated(client):
    """Anyone can make a chain; verifying with it proves only who holds the leaf key."""
    forger_key, forged = chain()
    token = es256_token({"alg": "ES256", "x5c": x5c(forged)}, {"admin": True}, forger_key)
    answer = client.post("/api/verify", json={"token": token, "use_embedded_key": "x5c"})
    body = answer.get_json()
    assert body["signature_valid"] is True
    assert body["embedded_keys"]["trust"]
    note = next(n for n in body["notes"] if n["code"] == "embedded_key_used")
    assert body["embedded_keys"]["trust"] in note["message"]


def test_embedded_jwk_is_described_and_can_verify(client):
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    token = es256_token({"alg": "ES256", "jwk": jwk}, {"sub": "a"}, key)
    decoded = client.post("/api/decode", json={"token": token}).get_json()
    assert decoded["embedded_keys"]["jwk"]["description"] == "P-256 public key"
    assert decoded["embedded_keys"]["jwk"]["problems"] == []
    answer = client.post("/api/verify", json={"token": token, "use_embedded_key": "jwk"})
    assert answer.get_json()["signature_valid"] is True


def test_an_embedded_jwk_with_its_private_key_is_a_problem():
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(ECAlgorithm.to_jwk(key))
    report = embedded_keys({"jwk": jwk}, now=NOW_TS)["jwk"]
    assert len(report["problems"]) == 1


def test_an_unreadable_embedded_jwk_is_a_problem():
    report = embedded_keys({"jwk": {"kty": "EC"}}, now=NOW_TS)["jwk"]
    assert report["description"] is None and report["problems"]


def test_use_embedded_key_needs_that_key_in_the_header(client):
    token = es256_token({"alg": "ES256"}, {}, ec.generate_private_key(ec.SECP256R1()))
    response = client.post("/api/verify", json={"token": token, "use_embedded_key": "x5c"})
    assert_canonical_error(response, 400, "no_embedded_key")
    response = client.post("/api/verify", json={"token": token, "use_embedded_key": "jku"})
    assert_canonical_error(response, 400, "invalid_request")


def test_embedded_key_text_of_a_broken_chain_is_refused():
    token = es256_token(
        {"alg": "ES256", "x5c": ["AAAA"]}, {}, ec.generate_private_key(ec.SECP256R1())
    )
    with pytest.raises(DebuggerError) as raised:
        embedded_key_text(token, "x5c")
    assert raised.value.code == "no_embedded_key"


@pytest.mark.parametrize("name", ("RSA", "P-256", "secp256k1", "Ed25519", "Ed448"))
def test_a_self_signed_certificate_is_for_and_signed_by_the_private_key(keypairs, name):
    made = self_signed_certificate(keypairs[name].private_pem, now=NOW_TS, subject=" Mallory ")
    certificate = x509.load_pem_x509_certificate(made["certificate_pem"].encode())
    certificate.verify_directly_issued_by(certificate)
    assert certificate.public_key() == keypairs[name].private.public_key()
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert made["x5c"] == [base64.b64encode(der).decode()]
    info = made["certificate"]
    assert (info["subject"], info["issuer"], info["self_signed"]) == ("CN=Mallory",) * 2 + (True,)
    assert info["validity"] == "valid"
    assert certificate.not_valid_before_utc.timestamp() == NOW_TS - 300


def test_a_self_signed_certificate_in_x5c_verifies_a_token_signed_with_its_key(keypairs, client):
    made = self_signed_certificate(keypairs["P-256"].private_pem, now=NOW_TS)
    assert made["certificate"]["subject"] == "CN=Self-signed test certificate"
    token = es256_token(
        {"alg": "ES256", "x5c": made["x5c"]}, {"sub": "a"}, keypairs["P-256"].private
    )
    answer = client.post("/api/verify", json={"token": token, "use_embedded_key": "x5c"})
    assert answer.get_json()["signature_valid"] is True


@pytest.mark.parametrize("name", ("RSA", "P-256"))
def test_a_certificate_needs_a_private_key(keypairs, name):
    with pytest.raises(DebuggerError) as refused:
        self_signed_certificate(keypairs[name].public_pem, now=NOW_TS)
    assert refused.value.code == "private_key_required"


def test_a_secret_cannot_sign_a_certificate():
    with pytest.raises(DebuggerError) as refused:
        self_signed_certificate("a-secret-of-thirty-two-bytes-000", now=NOW_TS)
    assert refused.value.code == "private_key_required"


def test_a_certificate_name_over_64_characters_is_refused(keypairs):
    with pytest.raises(DebuggerError) as refused:
        self_signed_certificate(keypairs["P-256"].private_pem, now=NOW_TS, subject="x" * 65)
    assert (refused.value.code, refused.value.field) == ("invalid_request", "subject")


def test_the_certificate_endpoint_answers_and_refuses_a_public_key(client, keypairs):
    answer = client.post("/api/keys/certificate", json={"key": keypairs["P-256"].private_pem})
    assert answer.status_code == 200
    assert answer.get_json()["certificate"]["self_signed"] is True
    refused = client.post("/api/keys/certificate", json={"key": keypairs["P-256"].public_pem})
    assert_canonical_error(refused, 400, "private_key_required")
