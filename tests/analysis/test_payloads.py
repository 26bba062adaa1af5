"""Detached (RFC 7515 Appendix F) and unencoded (RFC 7797) payloads: explain, verify, sign."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest

from debugger.analysis.payloads import payload_form
from debugger.jose.b64 import b64url
from debugger.jose.pasted import parse

from ..conftest import SECRET, assert_canonical_error
from ..rfc_vectors import RFC7520_PAYLOAD, RFC7520_PAYLOAD_B64URL, RFC_VECTORS

RFC7520_45 = next(v for v in RFC_VECTORS if v["name"] == "rfc7520-4.5-hs256-detached")
RFC7520_HEADER = '{"alg":"HS256","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037"}'
UNENCODED = {"alg": "HS256", "b64": False, "crit": ["b64"]}


def hs256(header: dict, payload: bytes) -> str:
    """An attached HS256 token built by hand, independently of the debugger."""
    segment = payload.decode() if header.get("b64") is False else b64url(payload)
    compact = json.dumps(header, separators=(",", ":"))
    signing_input = f"{b64url(compact.encode())}.{segment}"
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def hmac_verifies(token: str, payload: bytes) -> bool:
    """Check a detached HS256 token by hand: the signing input rebuilt from the payload."""
    header, middle, signature = token.split(".")
    assert middle == ""
    unencoded = json.loads(base64.urlsafe_b64decode(header + "==")).get("b64") is False
    segment = payload if unencoded else b64url(payload).encode()
    mac = hmac.new(SECRET.encode(), header.encode() + b"." + segment, hashlib.sha256).digest()
    return b64url(mac) == signature


def pyjws_verifies(token: str, payload: bytes) -> bool:
    """PyJWT verifies detached content only with b64 false (RFC 7797)."""
    decoded = jwt.api_jws.PyJWS().decode_complete(
        token, SECRET, algorithms=["HS256"], detached_payload=payload
    )
    return decoded["payload"] == payload


def test_form_of_an_ordinary_token_needs_no_explanation():
    form = payload_form(parse(jwt.encode({"a": 1}, SECRET)))
    assert form == {"b64": True, "b64_critical": False, "detached": False, "explanation": None}


def test_form_of_a_detached_token_is_explained():
    form = payload_form(parse(RFC7520_45["token"]))
    assert form["detached"] is True and form["b64"] is True
    assert "RFC 7515 Appendix F" in form["explanation"]


def test_form_of_an_unencoded_payload_is_explained():
    form = payload_form(parse(hs256(UNENCODED, b"a b")))
    assert (form["b64"], form["b64_critical"], form["detached"]) == (False, True, False)
    assert "RFC 7797" in form["explanation"]


def test_b64_false_outside_crit_is_pointed_out():
    token = f"{b64url(json.dumps({'alg': 'HS256', 'b64': False}).encode())}.x.AAAA"
    with_crit = payload_form(parse(hs256(UNENCODED, b"x")))["explanation"]
    without = payload_form(parse(token))
    assert without["b64_critical"] is False
    assert len(without["explanation"]) > len(with_crit)


@pytest.mark.parametrize("detached", (RFC7520_PAYLOAD_B64URL, RFC7520_PAYLOAD))
def test_rfc7520_section_4_5_verifies_through_the_api(client, detached):
    body = {"token": RFC7520_45["token"], "key": RFC7520_45["key"], "detached_payload": detached}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["signature_valid"] is True
    assert answer["payload_form"]["detached"] is True


def test_rfc7520_section_4_5_without_the_payload_asks_for_it(client):
    body = {"token": RFC7520_45["token"], "key": RFC7520_45["key"]}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["reason"]["code"] == "detached_payload_required"
    decoded = client.post("/api/decode", json={"token": RFC7520_45["token"]}).get_json()
    assert decoded["payload_form"]["detached"] is True
    assert decoded["payload_form"]["explanation"]


def test_encode_reproduces_rfc7520_section_4_5_exactly(client):
    body = {
        "header_json": RFC7520_HEADER,
        "payload_raw": RFC7520_PAYLOAD,
        "key": RFC7520_45["key"],
        "detached": True,
    }
    answer = client.post("/api/encode", json=body).get_json()
    assert answer["token"] == RFC7520_45["token"]
    assert answer["detached_payload"] == RFC7520_PAYLOAD


def test_encode_a_detached_token_pyjwt_verifies(client):
    body = {"header": {"alg": "HS256"}, "payload": {"sub": "a"}, "key": SECRET, "detached": True}
    answer = client.post("/api/encode", json=body).get_json()
    header, middle, _ = answer["token"].split(".")
    assert middle == ""
    assert answer["detached_payload"] == '{"sub":"a"}'
    assert hmac_verifies(answer["token"], b'{"sub":"a"}')
    assert not hmac_verifies(answer["token"], b'{"sub":"b"}')


def test_encode_a_detached_unencoded_payload_with_dots_and_spaces(client):
    text = "line one. line two\n  indented"
    body = {"header": UNENCODED, "payload_raw": text, "key": SECRET, "detached": True}
    token = client.post("/api/encode", json=body).get_json()["token"]
    assert token.split(".")[1] == ""
    assert pyjws_verifies(token, text.encode())
    assert hmac_verifies(token, text.encode())
    verify = {"token": token, "key": SECRET, "detached_payload": text}
    assert client.post("/api/verify", json=verify).get_json()["signature_valid"] is True


def test_an_attached_unencoded_payload_still_cannot_hold_a_dot(client):
    body = {"header": UNENCODED, "payload_raw": "a.b", "key": SECRET}
    assert_canonical_error(client.post("/api/encode", json=body), 400, "invalid_json")


def test_an_unencoded_non_ascii_payload_signs_and_verifies(client):
    text = "It\u2019s a dangerous business, Frodo"
    body = {"header": UNENCODED, "payload_raw": text, "key": SECRET}
    token = client.post("/api/encode", json=body).get_json()["token"]
    assert token.split(".")[1] == text
    assert token == hs256(UNENCODED, text.encode())
    assert client.post("/api/verify", json={"token": token, "key": SECRET}).get_json()[
        "signature_valid"
    ]


def test_pasted_unencoded_payload_keeps_its_spaces_while_line_breaks_elsewhere_go(client):
    token = hs256(UNENCODED, b"two  spaces and\ta tab")
    header, payload, signature = token.split(".")
    pasted = f"  Bearer {header[:10]}\n{header[10:]}.{payload}.{signature[:5]}\r\n{signature[5:]} "
    answer = client.post("/api/verify", json={"token": pasted, "key": SECRET}).get_json()
    assert answer["signature_valid"] is True
    assert answer["payload"] == "two  spaces and\ta tab"
    codes = [note["code"] for note in answer["notes"]]
    assert "token_whitespace_removed" in codes and "bearer_prefix_removed" in codes


def test_encode_refuses_a_payload_raw_that_is_not_text(client):
    body = {"header": {"alg": "HS256"}, "payload_raw": 5, "key": SECRET}
    assert_canonical_error(client.post("/api/encode", json=body), 400, "invalid_request")
    body = {"header": {"alg": "HS256"}, "payload": {}, "key": SECRET, "detached": "yes"}
    assert_canonical_error(client.post("/api/encode", json=body), 400, "invalid_request")
