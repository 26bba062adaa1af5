"""The JSON serialization of a JWS (RFC 7515 section 7.2): read, and verified per signature."""

from __future__ import annotations

import hashlib
import hmac
import json

import jwt
import pytest

from debugger.analysis.report import decode_report, verify_report
from debugger.codes import (
    BAD_JSON_SERIALIZATION,
    DETACHED_PAYLOAD,
    JSON_SIGNATURE_VERIFIED,
    JWE_TOKEN,
    KID_NOT_FOUND,
    NOT_JSON,
    SIGNATURE_MISMATCH,
)
from debugger.jose.pasted import parse

from ..conftest import SECRET

NOW = 1_700_000_000
OTHER_SECRET = "another-secret-of-thirty-two-byt"


def json_signature(payload: dict, secret: str, header: dict, unprotected: dict | None = None):
    """Sign with PyJWT and split the compact token into a JSON serialization signature."""
    compact = jwt.encode(payload, secret, algorithm="HS256", headers=header)
    protected, encoded_payload, signature = compact.split(".")
    entry = {"protected": protected, "signature": signature}
    if unprotected is not None:
        entry["header"] = unprotected
    return encoded_payload, entry


def general(payload: dict, *signers: tuple[str, dict]) -> str:
    entries = []
    encoded = ""
    for secret, header in signers:
        encoded, entry = json_signature(payload, secret, header)
        entries.append(entry)
    return json.dumps({"payload": encoded, "signatures": entries})


def test_general_jws_with_one_valid_signature_of_two_verifies_and_says_which():
    token = general({"sub": "alice"}, (OTHER_SECRET, {"kid": "a"}), (SECRET, {"kid": "b"}))
    report = verify_report(token, SECRET, now=NOW)
    assert report["serialization"] == "general"
    assert report["kind"] == "JWS"
    assert report["payload"] == {"sub": "alice"}
    assert report["signature_valid"] is True
    assert [s["verified"] for s in report["signatures"]] == [False, True]
    assert report["signatures"][0]["reason"]["code"] == SIGNATURE_MISMATCH
    assert report["signatures"][1]["reason"] is None
    assert [s["kid"] for s in report["signatures"]] == ["a", "b"]
    assert report["header"]["kid"] == "b"
    assert JSON_SIGNATURE_VERIFIED in [note["code"] for note in report["notes"]]


def test_general_jws_with_no_valid_signature_is_not_valid():
    token = general({"sub": "alice"}, (OTHER_SECRET, {}), (OTHER_SECRET, {}))
    report = verify_report(token, SECRET, now=NOW)
    assert report["signature_valid"] is False
    assert report["reason"]["code"] == SIGNATURE_MISMATCH
    assert [s["verified"] for s in report["signatures"]] == [False, False]


def test_key_set_picks_each_signatures_key_by_its_kid():
    keys = {
        "keys": [
            {"kty": "oct", "kid": "b", "k": jwt.utils.base64url_encode(SECRET.encode()).decode()}
        ]
    }
    token = general({"sub": "alice"}, (SECRET, {"kid": "zz"}), (SECRET, {"kid": "b"}))
    report = verify_report(token, json.dumps(keys), now=NOW)
    assert report["signature_valid"] is True
    assert report["signatures"][0]["reason"]["code"] == KID_NOT_FOUND
    assert report["signatures"][1]["verified"] is True


def test_flattened_jws_with_unprotected_header_reads_kid_from_it():
    encoded, entry = json_signature({"sub": "bob"}, SECRET, {}, {"kid": "k1"})
    token = json.dumps({"payload": encoded, **entry})
    decoded = decode_report(token, now=NOW)
    assert decoded["serialization"] == "flattened"
    assert decoded["signatures"][0]["header"] == {"kid": "k1"}
    assert decoded["signatures"][0]["protected"] == {"alg": "HS256", "typ": "JWT"}
    assert decoded["signatures"][0]["verified"] is None
    assert decoded["header"] == {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    assert decoded["problems"] == []
    report = verify_report(token, SECRET, now=NOW)
    assert report["signature_valid"] is True
    assert report["signatures"][0]["kid"] == "k1"


def test_changing_the_unprotected_header_does_not_break_the_signature():
    encoded, entry = json_signature({"sub": "bob"}, SECRET, {}, {"kid": "k1"})
    entry["header"] = {"kid": "something-else"}
    report = verify_report(json.dumps({"payload": encoded, **entry}), SECRET, now=NOW)
    assert report["signature_valid"] is True


def test_alg_only_in_the_unprotected_header_signs_an_empty_protected_header():
    payload = jwt.utils.base64url_encode(b'{"sub":"carol"}').decode()
    # The signing input of an absent protected header is ".payload" (RFC 7515 section 5.1).
    mac = hmac.new(SECRET.encode(), f".{payload}".encode(), hashlib.sha256).digest()
    token = json.dumps(
        {
            "payload": payload,
            "header": {"alg": "HS256"},
            "signature": jwt.utils.base64url_encode(mac).decode(),
        }
    )
    report = verify_report(token, SECRET, now=NOW)
    assert report["signature_valid"] is True
    assert report["signatures"][0]["protected"] is None


def test_a_detached_payload_is_verified_when_supplied():
    encoded, entry = json_signature({"sub": "dan"}, SECRET, {})
    token = json.dumps(entry)
    decoded = decode_report(token, now=NOW)
    assert DETACHED_PAYLOAD in [p["code"] for p in decoded["problems"]]
    content = jwt.utils.base64url_decode(encoded).decode()
    report = verify_report(token, SECRET, now=NOW, detached_payload=content)
    assert report["signature_valid"] is True


def test_a_header_parameter_in_both_headers_is_a_problem():
    encoded, entry = json_signature({"sub": "bob"}, SECRET, {"kid": "k1"}, {"kid": "k1"})
    report = verify_report(json.dumps({"payload": encoded, **entry}), SECRET, now=NOW)
    assert report["signature_valid"] is False
    assert BAD_JSON_SERIALIZATION in [p["code"] for p in report["problems"]]


@pytest.mark.parametrize(
    ("text", "code"),
    (
        ("{", NOT_JSON),
        ("{}", BAD_JSON_SERIALIZATION),
        ('{"payload": "e30", "signatures": []}', BAD_JSON_SERIALIZATION),
        ('{"payload": "e30", "signatures": "x"}', BAD_JSON_SERIALIZATION),
        ('{"payload": "e30", "signatures": [1]}', BAD_JSON_SERIALIZATION),
        (
            '{"payload": "e30", "signatures": [{"protected": 5, "signature": "x"}]}',
            BAD_JSON_SERIALIZATION,
        ),
        ('{"payload": "e30", "signatures": [{"signature": "x"}]}', BAD_JSON_SERIALIZATION),
        (
            '{"payload": "e30", "signatures": [{"header": [], "signature": "x"}]}',
            BAD_JSON_SERIALIZATION,
        ),
        ('{"payload": 7, "signature": "x", "protected": "e30"}', BAD_JSON_SERIALIZATION),
        ('{"payload": "e30", "protected": "e30"}', BAD_JSON_SERIALIZATION),
        (
            '{"payload": "e30", "protected": "{\\"alg\\":1}", "signature": ""}',
            BAD_JSON_SERIALIZATION,
        ),
    ),
)
def test_malformed_json_serialization_gets_a_clear_problem(text, code):
    decoded = decode_report(text, now=NOW)
    assert code in [p["code"] for p in decoded["problems"]]
    assert decoded["serialization"] in ("flattened", "general")
    report = verify_report(text, SECRET, now=NOW)
    assert report["signature_valid"] is False


def test_too_many_signatures_are_refused():
    token = general({"sub": "a"}, *[(SECRET, {})] * 33)
    assert BAD_JSON_SERIALIZATION in [p.code for p in parse(token).problems]


def test_jwe_in_json_serialization_is_recognised_on_decode():
    text = json.dumps(
        {"protected": "eyJlbmMiOiJBMTI4R0NNIn0", "iv": "AA", "ciphertext": "AA", "tag": "AA"}
    )
    decoded = decode_report(text, now=NOW)
    assert decoded["kind"] == "JWE"
    assert decoded["serialization"] == "flattened"
    assert decoded["header"] == {"enc": "A128GCM"}
    assert JWE_TOKEN in [p["code"] for p in decoded["problems"]]


def test_compact_answer_has_no_signatures_field():
    token = jwt.encode({"sub": "x"}, SECRET, algorithm="HS256")
    report = verify_report(token, SECRET, now=NOW)
    assert report["serialization"] == "compact"
    assert "signatures" not in report
