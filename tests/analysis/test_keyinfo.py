"""The key panel's facts and the key-set report: which key verified, which could not be used."""

from __future__ import annotations

import base64
import datetime
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from debugger.analysis.keyinfo import inspect_key
from debugger.analysis.report import verify_report
from debugger.jose.jwk import thumbprint

from ..certificates import NOW, certificate
from ..conftest import SECRET, assert_canonical_error

NOW_TS = NOW.timestamp()


def jwk_of(key, **extra) -> dict:
    algorithm = {
        rsa.RSAPrivateKey: RSAAlgorithm,
        ec.EllipticCurvePrivateKey: ECAlgorithm,
        ed448.Ed448PrivateKey: OKPAlgorithm,
    }
    for kind, implementation in algorithm.items():
        if isinstance(key, kind):
            jwk = implementation.to_jwk(key.public_key(), as_dict=True)
            jwk.pop("key_ops", None)
            return {**jwk, **extra}
    raise AssertionError(key)


@pytest.fixture(scope="module")
def keys():
    return {
        "rsa": rsa.generate_private_key(65537, 2048),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p256b": ec.generate_private_key(ec.SECP256R1()),
        "ed448": ed448.Ed448PrivateKey.generate(),
    }


def pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# ---- inspecting one key ------------------------------------------------------------------


def test_inspect_reports_kind_size_visibility_thumbprint_and_public_forms(keys):
    info = inspect_key(pem(keys["p256"]), now=NOW_TS)
    assert (info["kind"], info["curve"], info["size"], info["private"]) == (
        "EC",
        "P-256",
        256,
        True,
    )
    public = jwk_of(keys["p256"])
    assert info["thumbprint"] == thumbprint(public)
    assert info["public_jwk"]["x"] == public["x"]
    assert "d" not in info["public_jwk"]
    loaded = serialization.load_pem_public_key(info["public_pem"].encode())
    assert loaded.public_numbers() == keys["p256"].public_key().public_numbers()
    assert info["algorithms"] == ["ES256"]
    assert info["warnings"] == []
    assert info["is_set"] is False and info["key_set"] is None


def test_inspect_warns_on_an_rsa_key_under_2048_bits():
    weak = rsa.generate_private_key(65537, 1024)
    info = inspect_key(pem(weak), now=NOW_TS)
    assert [w["code"] for w in info["warnings"]] == ["weak_rsa_key"]
    assert info["size"] == 1024


@pytest.mark.parametrize(
    ("key", "encoding", "warned"),
    (
        ("short-secret", "utf-8", True),
        ("x" * 31, "utf-8", True),
        (SECRET, "utf-8", False),
        (base64.b64encode(b"\x01" * 32).decode(), "base64", False),
        (json.dumps({"kty": "oct", "k": "A" * 43, "alg": "HS512"}), "utf-8", True),
        (json.dumps({"kty": "oct", "k": "A" * 86, "alg": "HS512"}), "utf-8", False),
    ),
)
def test_inspect_warns_on_an_hmac_secret_shorter_than_the_hash(key, encoding, warned):
    info = inspect_key(key, secret_encoding=encoding, now=NOW_TS)
    assert ("short_hmac_secret" in [w["code"] for w in info["warnings"]]) is warned
    assert info["private"] is None
    assert info["public_jwk"] is None and info["public_pem"] is None


def test_inspect_shows_certificate_subject_issuer_and_validity():
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate("api.example", key.public_key(), "Example CA", key)
    text = cert.public_bytes(serialization.Encoding.PEM).decode()
    info = inspect_key(text, now=NOW_TS)
    assert info["certificate"]["subject"] == "CN=api.example"
    assert info["certificate"]["issuer"] == "CN=Example CA"
    assert info["warnings"] == []
    later = (NOW + datetime.timedelta(days=400)).timestamp()
    expired = inspect_key(text, now=later)
    assert [w["code"] for w in expired["warnings"]] == ["certificate_expired"]
    earlier = (NOW - datetime.timedelta(days=400)).timestamp()
    early = inspect_key(text, now=earlier)
    assert [w["code"] for w in early["warnings"]] == ["certificate_not_yet_valid"]


def test_inspect_endpoint(client, keys):
    response = client.post("/api/keys/inspect", json={"key": pem(keys["rsa"])})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["kind"], body["size"]) == ("RSA", 2048)
    assert body["thumbprint"] == thumbprint(jwk_of(keys["rsa"]))
    assert body["public_jwk"]["kid"] == body["thumbprint"]


@pytest.mark.parametrize(
    ("body", "code"),
    (
        ({}, "invalid_request"),
        ({"key": 5}, "invalid_request"),
        ({"key": "{not json"}, "bad_key"),
        ({"key": "abc", "secret_encoding": "rot13"}, "invalid_request"),
    ),
)
def test_inspect_endpoint_errors(client, body, code):
    assert_canonical_error(client.post("/api/keys/inspect", json=body), 400, code)


# ---- key sets ------------------------------------------------------------------------------


def key_set(keys) -> dict:
    """RSA 'r1', P-256 'e1', another P-256 'e2', an Ed448 key PyJWT drops, an unknown kty."""
    return {
        "keys": [
            jwk_of(keys["rsa"], kid="r1", alg="RS256"),
            jwk_of(keys["p256"], kid="e1"),
            jwk_of(keys["p256b"], kid="e2"),
            jwk_of(keys["ed448"], kid="ed"),
            {"kty": "XYZ", "kid": "strange"},
        ]
    }


def es256(key, header: dict) -> str:
    return jwt.encode({"sub": "a"}, key, algorithm="ES256", headers=header)


def test_inspect_lists_every_entry_of_a_set_with_unusable_reasons(keys):
    info = inspect_key(json.dumps(key_set(keys)), now=NOW_TS)
    assert info["is_set"] is True
    assert len(info["keys"]) == 4
    entries = info["key_set"]["entries"]
    assert [e["status"] for e in entries] == ["usable"] * 4 + ["unusable"]
    assert entries[4]["code"] == "unknown_kty"
    assert entries[4]["reason"]
    assert info["key_set"]["unusable"][0]["code"] == "unknown_kty"


def test_a_key_set_read_again_is_listed_afresh_each_time(keys):
    text = json.dumps(key_set(keys))
    first = inspect_key(text, now=NOW_TS)["key_set"]["entries"]
    first[0]["kid"] = "changed by a caller"
    first[4]["reason"] = "changed by a caller"
    again = inspect_key(text, now=NOW_TS)["key_set"]["entries"]
    assert again[0]["kid"] != "changed by a caller"
    assert again[4]["reason"] != "changed by a caller"
    assert [e["status"] for e in again] == ["usable"] * 4 + ["unusable"]


def test_verify_names_the_key_chosen_by_kid(keys):
    report = verify_report(
        es256(keys["p256b"], {"kid": "e2"}), json.dumps(key_set(keys)), now=NOW_TS
    )
    assert report["signature_valid"] is True
    key_set_report = report["key_set"]
    assert key_set_report["used"] == 2
    assert key_set_report["token_kid"] == "e2"
    statuses = [e["status"] for e in key_set_report["entries"]]
    assert statuses == ["other_kid", "other_kid", "matched", "other_kid", "unusable"]
    assert report["key"]["kid"] == "e2"
    assert report["key"]["thumbprint"] == thumbprint(jwk_of(keys["p256b"]))


def test_verify_without_kid_says_which_of_several_fitting_keys_matched(keys):
    report = verify_report(es256(keys["p256b"], {}), json.dumps(key_set(keys)), now=NOW_TS)
    assert report["signature_valid"] is True
    key_set_report = report["key_set"]
    assert key_set_report["fitting"] == 2
    assert key_set_report["used"] == 2
    entries = key_set_report["entries"]
    assert entries[0]["status"] == "unfit" and entries[0]["reason"]
    assert entries[1]["status"] == "no_match"
    assert entries[2]["status"] == "matched"


def test_verify_marks_later_fitting_keys_as_not_tried(keys):
    report = verify_report(es256(keys["p256"], {}), json.dumps(key_set(keys)), now=NOW_TS)
    statuses = [e["status"] for e in report["key_set"]["entries"]]
    assert statuses[1:3] == ["matched", "not_tried"]


def test_verify_with_a_kid_absent_from_the_set_lists_the_kids_present(keys):
    report = verify_report(
        es256(keys["p256"], {"kid": "gone"}), json.dumps(key_set(keys)), now=NOW_TS
    )
    assert report["reason"]["code"] == "kid_not_found"
    assert report["key_set"]["kids"] == ["r1", "e1", "e2", "ed"]
    assert report["key_set"]["token_kid"] == "gone"
    assert report["key_set"]["used"] is None
    assert report["key"] is None


def test_verify_with_no_matching_key_marks_the_tried_ones(keys):
    other = ec.generate_private_key(ec.SECP256R1())
    report = verify_report(es256(other, {}), json.dumps(key_set(keys)), now=NOW_TS)
    assert report["reason"]["code"] == "signature_mismatch"
    statuses = [e["status"] for e in report["key_set"]["entries"]]
    assert statuses == ["unfit", "no_match", "no_match", "unfit", "unusable"]
    assert report["key_set"]["used"] == 1  # the first key tried is the one described


def test_an_ed448_jwk_without_alg_verifies_and_is_flagged_as_dropped_by_pyjwt(keys):
    """PyJWT's PyJWKSet silently skips an OKP Ed448 key without alg; the debugger uses it."""
    jwks = key_set(keys)
    with pytest.raises(jwt.exceptions.PyJWTError):
        jwt.PyJWK(jwks["keys"][3])
    assert [k.key_id for k in jwt.PyJWKSet(jwks["keys"]).keys] == ["r1", "e1", "e2"]
    token = jwt.encode({"sub": "a"}, keys["ed448"], algorithm="EdDSA", headers={"kid": "ed"})
    report = verify_report(token, json.dumps(jwks), now=NOW_TS)
    assert report["signature_valid"] is True
    entry = report["key_set"]["entries"][3]
    assert entry["status"] == "matched"
    assert entry["pyjwt"]
    assert report["key_set"]["pyjwt_skips"] == [3]


def test_verify_lists_entries_that_are_not_objects_or_unreadable(keys):
    jwks = {"keys": ["text", {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "bad"}]}
    jwks["keys"].append(jwk_of(keys["p256"], kid="e1"))
    report = verify_report(es256(keys["p256"], {"kid": "e1"}), json.dumps(jwks), now=NOW_TS)
    assert report["signature_valid"] is True
    unusable = report["key_set"]["unusable"]
    assert [(u["index"], u["code"]) for u in unusable] == [(0, "not_object"), (1, "unreadable")]
    assert report["key_set"]["used"] == 2


def test_verify_endpoint_reports_the_key_set(client, keys):
    body = {"token": es256(keys["p256b"], {}), "key": json.dumps(key_set(keys))}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["signature_valid"] is True
    assert answer["key_set"]["used"] == 2
    assert answer["key_set"]["size"] == 4
    assert answer["key"]["warnings"] == []


def test_verify_key_warns_on_a_short_secret_for_the_token_alg(client):
    secret = "s" * 40
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        token = jwt.encode({}, secret, algorithm="HS512")
    answer = client.post("/api/verify", json={"token": token, "key": secret}).get_json()
    assert answer["signature_valid"] is True
    assert [w["code"] for w in answer["key"]["warnings"]] == ["short_hmac_secret"]


@pytest.mark.parametrize(
    ("make_token_and_key", "code", "finding_id"),
    (
        (
            lambda: (
                jwt.encode({}, pem(weak := rsa.generate_private_key(65537, 1024)), "RS256"),
                pem(weak),
            ),
            "weak_rsa_key",
            "weak-rsa-key",
        ),
        (
            lambda: (jwt.encode({}, "s" * 20, "HS256"), "s" * 20),
            "short_hmac_secret",
            "short-secret",
        ),
    ),
)
def test_a_key_warning_names_the_finding_it_is_reported_as(
    client, make_token_and_key, code, finding_id
):
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        token, key = make_token_and_key()
    answer = client.post("/api/verify", json={"token": token, "key": key}).get_json()
    assert answer["signature_valid"] is True
    warnings = [w for w in answer["key"]["warnings"] if w["code"] == code]
    assert [w["finding"] for w in warnings] == [finding_id]
    assert finding_id in [f["id"] for f in answer["findings"]]


def test_key_endpoints_statuses_and_codes_are_documented_in_the_readme():
    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    endpoints = ("keys/inspect", "keys/generate", "keys/convert", "jwks/fetch")
    for endpoint in endpoints:
        assert f"`POST /api/{endpoint}`" in readme, endpoint
    codes = (
        "weak_rsa_key",
        "short_hmac_secret",
        "certificate_expired",
        "certificate_not_yet_valid",
        "matched",
        "no_match",
        "not_tried",
        "candidate",
        "other_kid",
        "unfit",
        "unusable",
        "not_object",
        "unknown_kty",
        "unreadable",
        "issuer_mismatch",
        "empty_key_set",
        "embedded_key_used",
    )
    for code in codes:
        assert f"`{code}`" in readme, code


def test_keys_that_fit_a_token_not_checked_yet_are_candidates(keys):
    attached = es256(keys["p256"], {"kid": "e1"})
    header, _, signature = attached.split(".")
    report = verify_report(f"{header}..{signature}", json.dumps(key_set(keys)), now=NOW_TS)
    assert report["reason"]["code"] == "detached_payload_required"
    assert report["key_set"]["entries"][1]["status"] == "candidate"


def test_the_one_key_given_is_described_while_the_token_is_still_being_typed(keys):
    # A signature cut short stops the check before any key is tried; the key in the key box is
    # the same, and so is what the answer says about it (the page's key line does not flicker).
    token = jwt.encode({"sub": "a"}, keys["p256"], algorithm="ES256")
    public = pem(keys["p256"])
    whole = verify_report(token, public, now=NOW_TS)
    for length in range(len(token) - 4, len(token)):
        cut = verify_report(token[:length], public, now=NOW_TS)
        assert cut["signature_valid"] is False
        assert cut["key"] == whole["key"], length
    assert verify_report(token[:-1], public, now=NOW_TS)["reason"]["code"] == "malformed_token"
    assert whole["key"]["kind"] == "EC"
    # With a key set the key is the one the token's kid or the check chose: none here.
    in_set = verify_report(token[:-1], json.dumps(key_set(keys)), now=NOW_TS)
    assert in_set["key"] is None
