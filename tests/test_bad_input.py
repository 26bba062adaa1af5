"""Adversarial input through the API: each gets a clear 4xx, or the 200 the contract promises for
a broken token, in bounded time, and the debugger keeps answering afterwards."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from debugger.jose.keys import MAX_RSA_BITS
from debugger.web.app import MAX_BODY_BYTES

from .apischema import assert_documented_answer
from .conftest import SECRET

#: Seconds any single adversarial request may take (generous: the machine may be busy).
TIME_LIMIT = 3.0
RS256_HEADER = "eyJhbGciOiJSUzI1NiJ9"


def b64url(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _modulus(bits: int) -> int:
    """An odd number of exactly `bits` bits: enough to stand for an RSA modulus when parsing."""
    return (1 << (bits - 1)) | 0x1234567 | 1


def rsa_jwk(bits: int, exponent: int = 65537) -> str:
    return json.dumps({"kty": "RSA", "n": _uint(_modulus(bits)), "e": _uint(exponent)})


def rsa_pem(bits: int) -> str:
    key = rsa.RSAPublicNumbers(65537, _modulus(bits)).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def token(header: object, payload: object = None, signature: bytes = b"s" * 32) -> str:
    payload_text = json.dumps({} if payload is None else payload)
    return f"{b64url(json.dumps(header))}.{b64url(payload_text)}.{b64url(signature)}"


def hs256(payload: str) -> str:
    from debugger.jose.sign import encode

    return encode({"alg": "HS256"}, payload, SECRET)["token"]


def _send(client, path: str, body: object):
    started = time.perf_counter()
    if isinstance(body, bytes):
        response = client.post(path, data=body, content_type="application/json")
    else:
        response = client.post(path, data=json.dumps(body), content_type="application/json")
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"{path} took {elapsed:.1f} s"
    return response


DEEP = 100_000

# (case id, path, body, expected status, expected error code)
BAD_BODIES = (
    ("deeply nested body", "/api/decode", b"[" * DEEP + b"]" * DEEP, 400, "invalid_request"),
    (
        "deeply nested field",
        "/api/decode",
        b'{"token": ' + b"[" * DEEP + b"]" * DEEP + b"}",
        400,
        "invalid_request",
    ),
    (
        "a 5000-digit number",
        "/api/decode",
        b'{"token": "a", "now": 1' + b"0" * 5000 + b"}",
        400,
        "invalid_request",
    ),
    (
        "a number beyond floats",
        "/api/decode",
        {"token": "a.b.c", "now": 10**400},
        400,
        "invalid_request",
    ),
    (
        "a number that overflows",
        "/api/verify",
        b'{"token": "a.b.c", "key": "k", "leeway": 1e999}',
        400,
        "invalid_request",
    ),
    ("invalid UTF-8", "/api/decode", b'{"token": "\xff\xfe\xc0\xaf"}', 400, "invalid_request"),
    (
        "a lone surrogate in the key",
        "/api/verify",
        {"token": "a.b.c", "key": "\ud800"},
        400,
        "bad_key",
    ),
    (
        "a lone surrogate in the payload to sign",
        "/api/encode",
        {"header_json": '{"alg":"HS256"}', "payload_json": '"\ud800"', "key": SECRET},
        400,
        "invalid_json",
    ),
    (
        "NUL bytes in a PEM key",
        "/api/verify",
        {"token": "a.b.c", "key": "-----BEGIN PUBLIC KEY-----\x00\x00"},
        400,
        "bad_key",
    ),
    (
        "an RSA modulus over the limit",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": rsa_jwk(MAX_RSA_BITS + 1)},
        400,
        "bad_key",
    ),
    (
        "a 20,000-bit RSA PEM",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": rsa_pem(20_000)},
        400,
        "bad_key",
    ),
    (
        "an absurd RSA exponent",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": rsa_jwk(3072, (1 << 3000) + 1)},
        400,
        "bad_key",
    ),
    (
        "an EC point not on the curve",
        "/api/verify",
        {
            "token": token({"alg": "ES256"}, signature=b"s" * 64),
            "key": json.dumps(
                {"kty": "EC", "crv": "P-256", "x": b64url(b"\x01" * 32), "y": b64url(b"\x02" * 32)}
            ),
        },
        400,
        "bad_key",
    ),
    (
        "an RSA JWK without n",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": '{"kty": "RSA", "e": "AQAB"}'},
        400,
        "bad_key",
    ),
    (
        "an EC JWK without crv",
        "/api/verify",
        {"token": token({"alg": "ES256"}), "key": '{"kty": "EC", "x": "AA", "y": "AA"}'},
        400,
        "bad_key",
    ),
    (
        "a JWK with fields of the wrong type",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": '{"kty": "RSA", "n": 5, "e": []}'},
        400,
        "bad_key",
    ),
    (
        "a JWK of an unknown kty",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": '{"kty": "DSA"}'},
        400,
        "bad_key",
    ),
    (
        "a private RSA JWK whose numbers do not agree",
        "/api/verify",
        {
            "token": token({"alg": "RS256"}),
            "key": json.dumps(
                {
                    "kty": "RSA",
                    "n": _uint(_modulus(MAX_RSA_BITS)),
                    "e": "AQAB",
                    **{name: _uint(_modulus(MAX_RSA_BITS // 2)) for name in ("d", "p", "q")},
                    **{name: _uint(_modulus(1000)) for name in ("dp", "dq", "qi")},
                }
            ),
        },
        400,
        "bad_key",
    ),
)


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [case[1:] for case in BAD_BODIES],
    ids=[case[0] for case in BAD_BODIES],
)
def test_bad_input_gets_a_clear_4xx_quickly(client, path, body, status, code):
    response = _send(client, path, body)
    answer = assert_documented_answer(path, "post", response)
    assert response.status_code == status, answer
    assert answer["error"]["code"] == code
    # Nothing broke: the next ordinary request is answered as usual.
    assert client.post("/api/decode", json={"token": hs256("{}")}).status_code == 200


def _problem_codes(answer: dict) -> set[str]:
    return {problem["code"] for problem in answer["problems"]}


def test_a_token_of_ten_thousand_parts_is_described_not_refused(client):
    many = ".".join(["eyJhbGciOiJIUzI1NiJ9"] * 10_000)
    decoded = _send(client, "/api/decode", {"token": many}).get_json()
    assert "wrong_part_count" in _problem_codes(decoded)
    verified = _send(client, "/api/verify", {"token": many, "key": SECRET}).get_json()
    assert verified["signature_valid"] is False
    assert verified["reason"]["code"] == "malformed_token"


def test_a_100_kb_kid_is_reported_as_not_found(client):
    kid = "k" * 100_000
    key_set = json.dumps({"keys": [{"kty": "oct", "k": b64url(SECRET), "kid": "real"}]})
    response = _send(
        client, "/api/verify", {"token": token({"alg": "HS256", "kid": kid}), "key": key_set}
    )
    answer = assert_documented_answer("/api/verify", "post", response)
    assert answer["reason"]["code"] == "kid_not_found"


def test_a_16384_bit_rsa_key_is_read_and_checked_in_bounded_time(client):
    signature = b"\x01" * (MAX_RSA_BITS // 8)
    for key in (rsa_jwk(MAX_RSA_BITS), rsa_pem(MAX_RSA_BITS)):
        body = {"token": token({"alg": "RS256"}, signature=signature), "key": key}
        answer = assert_documented_answer("/api/verify", "post", _send(client, "/api/verify", body))
        assert answer["key"]["size"] == MAX_RSA_BITS
        assert answer["reason"]["code"] == "signature_mismatch"


def test_nul_bytes_and_lone_surrogates_in_a_token_are_described(client):
    for pasted in ("a\x00b.c\x00.d", "\ud800.\udfff.x", token({"alg": "HS256", "x": "\x00\ud800"})):
        answer = _send(client, "/api/decode", {"token": pasted}).get_json()
        assert isinstance(answer["problems"], list)
        assert_documented_answer(
            "/api/decode", "post", client.post("/api/decode", json={"token": pasted})
        )


@pytest.mark.parametrize(
    ("payload_bytes", "code"),
    (
        (b"\xff\xfe\x00", "binary_payload"),
        (b"[" * DEEP, "not_json"),
        (b'{"exp": 1' + b"0" * 5000 + b"}", "not_json"),
        (b'{"a": NaN}', "not_json"),
    ),
)
def test_a_payload_that_cannot_be_read_is_a_200_with_a_problem(client, payload_bytes, code):
    pasted = f"{b64url(json.dumps({'alg': 'HS256'}))}.{b64url(payload_bytes)}.{b64url(b'sig')}"
    response = _send(client, "/api/decode", {"token": pasted})
    answer = assert_documented_answer("/api/decode", "post", response)
    assert code in _problem_codes(answer)


def test_a_header_of_invalid_utf8_is_a_200_with_a_problem(client):
    header = b64url(b"\xff\xfe")
    pasted = f"{header}.{b64url('{}')}.{b64url(b'sig')}"
    answer = _send(client, "/api/decode", {"token": pasted}).get_json()
    assert "not_utf8" in _problem_codes(answer)


def test_a_lone_surrogate_in_a_claim_to_sign_stays_a_json_escape(client):
    body = {"header": {"alg": "HS256", "x": "\udc00"}, "payload": {"y": "a\ud800"}, "key": SECRET}
    answer = assert_documented_answer("/api/encode", "post", _send(client, "/api/encode", body))
    header, payload, _ = answer["token"].split(".")
    assert base64.urlsafe_b64decode(header + "==") == b'{"alg":"HS256","x":"\\udc00"}'
    assert base64.urlsafe_b64decode(payload + "==") == b'{"y":"a\\ud800"}'


def test_a_jwk_with_extra_members_is_used_and_its_extras_ignored(client):
    jwk = {"kty": "oct", "k": b64url(SECRET), "x-custom": {"nested": [1, 2]}, "ext": True}
    body = {"token": hs256('{"sub":"a"}'), "key": json.dumps(jwk)}
    answer = assert_documented_answer("/api/verify", "post", _send(client, "/api/verify", body))
    assert answer["signature_valid"] is True


def test_a_key_set_with_broken_entries_uses_the_good_one_and_lists_the_others(client):
    entries = [{"kty": "RSA"}, "not an object", {"kty": "oct", "k": b64url(SECRET)}]
    body = {"token": hs256("{}"), "key": json.dumps({"keys": entries})}
    answer = assert_documented_answer("/api/verify", "post", _send(client, "/api/verify", body))
    assert answer["signature_valid"] is True
    assert [item["index"] for item in answer["key_set"]["unusable"]] == [0, 1]


def test_a_body_just_under_the_limit_is_read(client):
    pasted = "a" * (MAX_BODY_BYTES - 100)
    response = _send(client, "/api/decode", {"token": pasted})
    assert response.status_code == 200
