"""The decode report: the overall result and next step, and what a JWE's header alone shows."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from debugger import codes
from debugger.analysis.report import decode_report, key_error_report, verify_report
from debugger.errors import BAD_KEY, DebuggerError
from debugger.jose.claims import ClaimChecks


@pytest.mark.parametrize(
    ("header", "finding_id"),
    (
        ({"alg": "RSA1_5", "enc": "A128CBC-HS256"}, "jwe-rsa1_5"),
        ({"alg": "RSA-OAEP", "enc": "A256GCM", "zip": "DEF"}, "jwe-zip"),
        ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": 10_000_000}, "jwe-p2c-high"),
    ),
)
def test_decode_reports_jwe_findings_from_the_header_alone(header, finding_id):
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    answer = decode_report(f"{protected}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", now=0)
    assert answer["kind"] == "JWE"
    assert finding_id in [item["id"] for item in answer["findings"]]


def test_a_jwe_with_a_sound_header_has_no_jwe_findings():
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM"}
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    answer = decode_report(f"{protected}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", now=0)
    assert not [item for item in answer["findings"] if item["id"].startswith("jwe-")]


NOW = 1_700_000_000
SECRET = "a-secret-of-thirty-two-bytes-ok!"
CLAIMS = {"sub": "1", "aud": "api://a", "iat": NOW, "exp": NOW + 3600}


def token(claims=CLAIMS, key=SECRET, headers=None):
    return jwt.encode(claims, key, algorithm="HS256", headers=headers)


@pytest.mark.parametrize(
    ("pasted", "code"),
    (
        ("not-a-token", codes.MALFORMED_TOKEN),
        ('"access_token": "abc"', codes.MALFORMED_TOKEN),
        ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", codes.ENCRYPTED_TOKEN),
        (token(), codes.NO_KEY),
    ),
    ids=("garbage", "json-fragment", "jwe", "no-key"),
)
def test_decode_result_names_what_can_be_said_without_a_key(pasted, code):
    result = decode_report(pasted, now=NOW)["result"]
    assert result["code"] == code
    assert result["message"] and result["next_step"]


@pytest.mark.parametrize(
    ("claims", "key", "checks", "code"),
    (
        (CLAIMS, SECRET, None, codes.VERIFIED),
        (CLAIMS, SECRET[::-1], None, codes.INVALID_SIGNATURE),
        ({**CLAIMS, "exp": NOW - 60}, SECRET, None, codes.EXPIRED),
        ({**CLAIMS, "nbf": NOW + 600}, SECRET, None, codes.NOT_YET_VALID),
        ({**CLAIMS, "exp": "soon"}, SECRET, None, codes.INVALID_NUMERICDATE),
        (CLAIMS, SECRET, ClaimChecks(audience="api://b"), codes.CLAIM_CHECK_FAILED),
    ),
    ids=("verified", "wrong-secret", "expired", "not-yet-valid", "bad-exp", "aud"),
)
def test_verify_result_is_the_first_thing_wrong(claims, key, checks, code):
    report = verify_report(token(claims), key, now=NOW, checks=checks)
    assert report["result"]["code"] == code


def test_verify_result_says_signature_verified_only_when_it_is():
    good = verify_report(token(), SECRET, now=NOW)["result"]["message"]
    bad = verify_report(token(), SECRET[::-1], now=NOW)["result"]["message"]
    assert good.startswith("Signature verified") and bad.startswith("Invalid signature")


def test_claim_check_failure_names_the_claim():
    report = verify_report(token(), SECRET, now=NOW, checks=ClaimChecks(audience="api://b"))
    assert "aud" in report["result"]["message"]


def test_the_next_step_of_a_base64_secret_is_the_base64_hint():
    raw = b"\x01\x02 not text \xff" * 3
    signed = jwt.encode(CLAIMS, raw, algorithm="HS256")
    report = verify_report(signed, base64.b64encode(raw).decode(), now=NOW)
    assert report["result"]["code"] == codes.INVALID_SIGNATURE
    hint = next(h for h in report["hints"] if h["code"] == codes.SECRET_BASE64)
    assert report["result"]["next_step"] == hint["message"]


def test_a_kid_missing_from_the_set_is_not_called_a_bad_signature():
    jwk = {"kty": "oct", "kid": "other", "k": base64.urlsafe_b64encode(SECRET.encode()).decode()}
    signed = token(headers={"kid": "gone"})
    report = verify_report(signed, json.dumps({"keys": [jwk]}), now=NOW)
    assert report["result"]["code"] == codes.KID_NOT_FOUND


def test_a_key_of_the_wrong_kind_cannot_check_the_algorithm(keypairs):
    signed = jwt.encode(CLAIMS, keypairs["P-256"].private, algorithm="ES256")
    report = verify_report(signed, keypairs["RSA"].public_pem, now=NOW)
    assert report["result"]["code"] == codes.KEY_UNFIT


def test_verified_with_the_token_s_own_jwk_carries_a_caveat(keypairs):
    private = keypairs["RSA"].private
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    signed = jwt.encode(CLAIMS, private, algorithm="RS256", headers={"jwk": jwk})
    report = verify_report(signed, json.dumps(jwk), now=NOW)
    assert report["signature_valid"]
    assert report["result"]["code"] == codes.VERIFIED_WITH_EMBEDDED_KEY
    assert report["result"]["message"].startswith("Signature verified")


def test_a_key_that_cannot_be_read_is_the_result():
    error = DebuggerError(BAD_KEY, "no key here")
    assert key_error_report(token(), error, now=NOW)["result"]["code"] == BAD_KEY


@pytest.mark.parametrize(
    "pasted",
    (
        "not-a-token",
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9.e!.c",
    ),
    ids=("garbage", "jwe", "bad-payload"),
)
def test_times_are_unknown_when_the_payload_cannot_be_read(pasted):
    time = decode_report(pasted, now=NOW)["time"]
    assert time["status"] == "unknown"
    assert time["exp"] is None and not time["problems"]
