"""DPoP proofs (RFC 9449): made for a request and checked independently with PyJWT."""

from __future__ import annotations

import base64
import hashlib
import json

import jwt
import pytest

from debugger.errors import DebuggerError
from debugger.jose import dpop
from debugger.jose.jwk import thumbprint

NOW = 1_700_000_000
URL = "https://api.example/orders?page=2#top"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize("pair", ["RSA", "P-256", "Ed25519"])
def test_a_proof_verifies_with_pyjwt_and_carries_the_request(keypairs, pair):
    proof = dpop.make_proof(
        keypairs[pair].private_pem, method="POST", url=URL, now=NOW, access_token="the-token"
    )
    header = jwt.get_unverified_header(proof)
    assert header["typ"] == "dpop+jwt"
    assert "d" not in header["jwk"]
    key = jwt.PyJWK(header["jwk"], algorithm=header["alg"])
    claims = jwt.decode(proof, key, algorithms=[header["alg"]], options={"verify_iat": False})
    assert claims["htm"] == "POST"
    assert claims["htu"] == "https://api.example/orders"
    assert claims["iat"] == NOW
    assert claims["ath"] == b64(hashlib.sha256(b"the-token").digest())
    assert len(claims["jti"]) >= 16


def test_a_proof_needs_a_private_key(keypairs):
    with pytest.raises(DebuggerError) as caught:
        dpop.make_proof(keypairs["RSA"].public_pem, method="GET", url=URL, now=NOW)
    assert caught.value.code == "private_key_required"


def bound_token(jkt: str) -> str:
    return jwt.encode({"sub": "a", "cnf": {"jkt": jkt}}, "s" * 32, algorithm="HS256")


def test_a_good_proof_bound_to_its_token_has_no_problem(keypairs):
    pem = keypairs["P-256"].private_pem
    probe = dpop.make_proof(pem, method="GET", url=URL, now=NOW)
    jkt = thumbprint(jwt.get_unverified_header(probe)["jwk"])
    token = bound_token(jkt)
    proof = dpop.make_proof(pem, method="GET", url=URL, now=NOW, access_token=token)
    checked = dpop.check_proof(proof, now=NOW + 5, access_token=token, method="GET", url=URL)
    assert checked["problems"] == []
    assert checked["valid"] is True
    assert checked["jkt"] == jkt


def codes(check) -> set[str]:
    return {problem["code"] for problem in check["problems"]}


def test_each_mismatch_is_named(keypairs):
    proof = dpop.make_proof(
        keypairs["P-256"].private_pem, method="GET", url=URL, now=NOW, access_token="other"
    )
    checked = dpop.check_proof(
        proof,
        now=NOW + 3600,
        access_token=bound_token("not-this-key"),
        method="POST",
        url="https://api.example/elsewhere",
    )
    assert codes(checked) == {
        "dpop_iat_out_of_range",
        "dpop_htm_mismatch",
        "dpop_htu_mismatch",
        "dpop_ath_mismatch",
        "dpop_jkt_mismatch",
    }


def test_a_proof_with_a_changed_signature_or_a_secret_is_refused(keypairs):
    proof = dpop.make_proof(keypairs["P-256"].private_pem, method="GET", url=URL, now=NOW)
    head, payload, signature = proof.split(".")
    forged = f"{head}.{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert "dpop_bad_signature" in codes(dpop.check_proof(forged, now=NOW))
    hmac_proof = jwt.encode(
        {"jti": "x", "htm": "GET", "htu": URL, "iat": NOW},
        "s" * 32,
        headers={"typ": "dpop+jwt", "jwk": {"kty": "oct", "k": "AAAA"}},
    )
    assert codes(dpop.check_proof(hmac_proof, now=NOW)) >= {"dpop_bad_alg"}
    assert codes(dpop.check_proof("not a proof", now=NOW)) == {"dpop_malformed"}


def test_a_proof_whose_jwk_holds_the_private_key_is_refused(keypairs):
    private = jwt.PyJWK.from_json(
        json.dumps(json.loads(jwt.algorithms.ECAlgorithm.to_jwk(keypairs["P-256"].private)))
    )
    header_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(keypairs["P-256"].private))
    proof = jwt.encode(
        {"jti": "x", "htm": "GET", "htu": URL, "iat": NOW},
        private.key,
        algorithm="ES256",
        headers={"typ": "dpop+jwt", "jwk": header_jwk},
    )
    assert "dpop_bad_jwk" in codes(dpop.check_proof(proof, now=NOW))
