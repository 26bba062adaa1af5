"""The attack lab: each forged variant raises its finding and a correct verifier rejects it."""

from __future__ import annotations

import base64
import hmac
import json
import socket

import jwt
import pytest

from debugger.analysis.attacks import ATTACKER_JKU, NONE_CASINGS, TRAVERSAL_KID, forge_variants
from debugger.analysis.report import decode_report, verify_report
from debugger.errors import DebuggerError

from ..conftest import SECRET, assert_canonical_error

NOW = 1_800_000_000
CLAIMS = {"sub": "ada", "role": "reader", "exp": NOW + 3600}
VARIANT_IDS = [f"alg-{casing}" for casing in NONE_CASINGS] + [
    "null-signature",
    "empty-secret",
    "key-confusion",
    "embedded-jwk",
    "jku-attacker",
    "psychic-signature",
    "kid-traversal",
]


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def header_of(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[0]))


@pytest.fixture
def rs256(keypairs):
    """An RS256 token and the issuer's public key: the usual target of these attacks."""
    pair = keypairs["RSA"]
    return jwt.encode(CLAIMS, pair.private_pem, algorithm="RS256"), pair.public_pem


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open a network connection."""

    def refuse(*args, **kwargs):
        raise AssertionError("the attack lab must not touch the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_variants_cover_every_attack_in_order(rs256, no_network):
    token, public_pem = rs256
    result = forge_variants(token, public_pem)
    assert [variant["id"] for variant in result["variants"]] == VARIANT_IDS
    assert result["skipped"] == []
    for variant in result["variants"]:
        assert variant["title"] and len(variant["explanation"]) > 80 and variant["references"]
        assert header_of(variant["token"]) == variant["header"]


def test_every_variant_keeps_the_original_payload(rs256):
    token, public_pem = rs256
    payload = token.split(".")[1]
    for variant in forge_variants(token, public_pem)["variants"]:
        assert variant["token"].split(".")[1] == payload, variant["id"]


def test_loading_each_variant_raises_the_finding_it_names(rs256):
    token, public_pem = rs256
    for variant in forge_variants(token, public_pem)["variants"]:
        report = verify_report(variant["token"], public_pem, now=NOW)
        ids = {finding["id"] for finding in report["findings"]}
        assert variant["finding"] in ids, (variant["id"], ids)


def test_a_correct_verifier_rejects_every_variant(rs256):
    token, public_pem = rs256
    assert verify_report(token, public_pem, now=NOW)["signature_valid"] is True
    for variant in forge_variants(token, public_pem)["variants"]:
        report = verify_report(variant["token"], public_pem, now=NOW)
        assert report["signature_valid"] is False, variant["id"]
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(variant["token"], public_pem, algorithms=["RS256"])


def test_hmac_variants_are_rejected_by_the_real_secret_too():
    token = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
    for variant in forge_variants(token)["variants"]:
        assert verify_report(variant["token"], SECRET, now=NOW)["signature_valid"] is False


@pytest.mark.parametrize("casing", NONE_CASINGS)
def test_alg_none_variants_have_no_signature(rs256, casing):
    variants = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}
    variant = variants[f"alg-{casing}"]
    assert variant["header"]["alg"] == casing
    assert variant["token"].endswith(".")
    assert variant["token"].count(".") == 2


def test_null_signature_variant_keeps_the_original_header_exactly(rs256):
    token = rs256[0]
    variant = {v["id"]: v for v in forge_variants(token)["variants"]}["null-signature"]
    assert variant["token"] == token.rsplit(".", 1)[0] + "."


@pytest.mark.parametrize(("alg", "expected"), (("RS256", "HS256"), ("ES384", "HS384")))
def test_empty_secret_variant_uses_an_hmac_of_the_same_hash_size(keypairs, alg, expected):
    pair = keypairs["RSA" if alg == "RS256" else "P-384"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm=alg)
    variant = {v["id"]: v for v in forge_variants(token)["variants"]}["empty-secret"]
    assert variant["header"]["alg"] == expected
    signing_input, _, signature = variant["token"].rpartition(".")
    digest = {"HS256": "sha256", "HS384": "sha384"}[expected]
    assert b64url_decode(signature) == hmac.digest(b"", signing_input.encode(), digest)


def test_key_confusion_variant_is_signed_with_the_public_key_pem(rs256):
    token, public_pem = rs256
    variant = {v["id"]: v for v in forge_variants(token, public_pem)["variants"]}["key-confusion"]
    signing_input, _, signature = variant["token"].rpartition(".")
    # What a verifier computes when it lets the header pick HMAC and keeps its public key file.
    expected = hmac.digest(public_pem.encode(), signing_input.encode(), "sha256")
    assert b64url_decode(signature) == expected
    assert variant["header"]["alg"] == "HS256"


def test_key_confusion_variant_works_from_a_private_key_or_a_jwk(keypairs, rs256):
    token = rs256[0]
    for key in (
        keypairs["RSA"].private_pem,
        jwt.algorithms.RSAAlgorithm.to_jwk(keypairs["RSA"].private.public_key()),
    ):
        ids = [v["id"] for v in forge_variants(token, key)["variants"]]
        assert "key-confusion" in ids


@pytest.mark.parametrize("public_key", (None, "", "   ", SECRET, "-----BEGIN PUBLIC KEY-----\nx"))
def test_key_confusion_is_skipped_with_a_reason_without_a_usable_public_key(rs256, public_key):
    result = forge_variants(rs256[0], public_key)
    assert "key-confusion" not in [v["id"] for v in result["variants"]]
    assert [item["id"] for item in result["skipped"]] == ["key-confusion"]
    assert result["skipped"][0]["reason"]


def test_embedded_jwk_variant_verifies_with_the_key_it_carries(rs256):
    variant = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}["embedded-jwk"]
    embedded = json.dumps(variant["header"]["jwk"])
    report = verify_report(variant["token"], embedded, now=NOW)
    assert report["signature_valid"] is True
    assert "d" not in variant["header"]["jwk"]


def test_jku_variant_points_at_the_attacker_and_verifies_with_the_attacker_key_set(rs256):
    variant = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}["jku-attacker"]
    assert variant["header"]["jku"] == ATTACKER_JKU
    report = verify_report(variant["token"], json.dumps(variant["attacker_jwks"]), now=NOW)
    assert report["signature_valid"] is True
    assert all("d" not in key for key in variant["attacker_jwks"]["keys"])


def test_psychic_variant_is_all_zeros_of_the_right_length(keypairs):
    token = jwt.encode(CLAIMS, keypairs["P-521"].private_pem, algorithm="ES512")
    variant = {v["id"]: v for v in forge_variants(token)["variants"]}["psychic-signature"]
    assert variant["header"]["alg"] == "ES512"
    assert b64url_decode(variant["token"].rsplit(".", 1)[1]) == bytes(132)


def test_kid_traversal_variant_is_signed_with_an_empty_key(rs256):
    variant = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}["kid-traversal"]
    assert variant["header"]["kid"] == TRAVERSAL_KID
    ids = {f["id"] for f in decode_report(variant["token"], now=NOW)["findings"]}
    assert {"kid-injection", "empty-secret"} <= ids


def test_each_request_forges_with_a_fresh_attacker_key(rs256):
    first = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}["embedded-jwk"]
    second = {v["id"]: v for v in forge_variants(rs256[0])["variants"]}["embedded-jwk"]
    assert first["header"]["jwk"] != second["header"]["jwk"]


@pytest.mark.parametrize("token", ("", "not a token", "!!!.e30.", "a.b.c.d.e"))
def test_an_unreadable_token_is_refused(token):
    with pytest.raises(DebuggerError) as err:
        forge_variants(token)
    assert err.value.code == "unreadable_token"


def test_attacks_endpoint_returns_the_variants(client, rs256):
    token, public_pem = rs256
    body = client.post("/api/attacks", json={"token": token, "public_key": public_pem}).get_json()
    assert [variant["id"] for variant in body["variants"]] == VARIANT_IDS


@pytest.mark.parametrize(
    ("body", "code"),
    (
        ({}, "invalid_request"),
        ({"token": 5}, "invalid_request"),
        ({"token": "x.y.z", "public_key": ["pem"]}, "invalid_request"),
        ({"token": "%%%"}, "unreadable_token"),
    ),
)
def test_attacks_endpoint_refuses_bad_requests(client, body, code):
    assert_canonical_error(client.post("/api/attacks", json=body), 400, code)
