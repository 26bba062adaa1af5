"""Adversarial input through the API: each gets a clear 4xx, or the 200 the contract promises for
a broken token, in bounded time, and the debugger keeps answering afterwards."""

from __future__ import annotations

import base64
import json
import math
import threading
import time
import urllib.error
import urllib.request

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from debugger.jose.keys import MAX_RSA_BITS, MAX_RSA_PRIVATE_BITS
from debugger.web.app import MAX_BODY_BYTES

from .apischema import assert_documented_answer
from .conftest import SECRET, assert_canonical_error, start_server, stop_server

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
        "key_too_large",
    ),
    (
        "a 20,000-bit RSA PEM",
        "/api/verify",
        {"token": token({"alg": "RS256"}), "key": rsa_pem(20_000)},
        400,
        "key_too_large",
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
                    "n": _uint(_modulus(MAX_RSA_PRIVATE_BITS)),
                    "e": "AQAB",
                    **{
                        name: _uint(_modulus(MAX_RSA_PRIVATE_BITS // 2)) for name in ("d", "p", "q")
                    },
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


# --- Large RSA private keys ---------------------------------------------------------------------
# Reading an RSA private key checks that its primes are prime. At 16384 bits that took a minute,
# holding up every other request; larger private keys are refused before any check.


def large_rsa_private_key() -> rsa.RSAPrivateKey:
    """A real 16384-bit RSA private key, built at once (generating one takes minutes).

    Its primes are the first above 3 * 2**8190 and above 7 * 2**8189.
    """
    p, q, e = (3 << 8190) + 407, (7 << 8189) + 423, 65537
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    # Our own numbers, known to be right: no need for the slow check here.
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)


def large_private_texts() -> dict[str, str]:
    key = large_rsa_private_key()
    pem = {
        f"PEM {name}": key.private_bytes(
            serialization.Encoding.PEM, fmt, serialization.NoEncryption()
        ).decode()
        for name, fmt in (
            ("PKCS#8", serialization.PrivateFormat.PKCS8),
            ("PKCS#1", serialization.PrivateFormat.TraditionalOpenSSL),
            ("OpenSSH", serialization.PrivateFormat.OpenSSH),
        )
    }
    return {**pem, "JWK": RSAAlgorithm.to_jwk(key)}


def large_private_key_set(count: int) -> str:
    """A JWK Set of `count` 16384-bit private keys and one ordinary public key."""
    private = json.loads(RSAAlgorithm.to_jwk(large_rsa_private_key()))
    public = json.loads(rsa_jwk(2048))
    entries = [{**private, "kid": f"big-{index}"} for index in range(count)]
    return json.dumps({"keys": [*entries, {**public, "kid": "small"}]})


@pytest.mark.parametrize("form", ("PEM PKCS#8", "PEM PKCS#1", "PEM OpenSSH", "JWK"))
def test_a_16384_bit_private_key_is_refused_at_once(client, form):
    key = large_private_texts()[form]
    started = time.perf_counter()
    for path, body in (
        ("/api/keys/inspect", {"key": key}),
        ("/api/encode", {"header": {"alg": "RS256"}, "payload": {}, "key": key}),
        ("/api/keys/convert", {"keys": [key], "to": "jwk"}),
    ):
        response = client.post(path, json=body)
        answer = assert_documented_answer(path, "post", response)
        assert answer["error"]["code"] == "key_too_large", answer
    assert time.perf_counter() - started < 2.0


def test_a_set_of_twenty_16384_bit_private_keys_is_answered_at_once(client):
    key_set = large_private_key_set(20)
    started = time.perf_counter()
    response = client.post("/api/keys/inspect", json={"key": key_set})
    assert time.perf_counter() - started < 2.0
    answer = assert_documented_answer("/api/keys/inspect", "post", response)
    entries = answer["key_set"]["entries"]
    assert [entry["code"] for entry in entries[:20]] == ["too_large"] * 20
    assert entries[20]["usable"] is True and entries[20]["kid"] == "small"


def _post_json(url: str, path: str, body: object) -> tuple[int | None, float]:
    """The status of a POST to the real server (None if it did not answer in 20 s) and its time."""
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    status = None
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
        err.close()
    except TimeoutError:
        pass
    return status, time.perf_counter() - started


def test_the_server_answers_others_while_a_large_private_key_is_read():
    server = start_server()
    try:
        heavy: dict[str, tuple[int, float]] = {}
        cases = (
            ({"key": large_private_texts()["PEM PKCS#8"]}, 400),  # refused
            ({"key": large_private_key_set(20)}, 200),  # read, its large keys listed as unusable
        )
        for body, expected in cases:
            reader = threading.Thread(
                target=lambda b=body: heavy.update(r=_post_json(server.url, "/api/keys/inspect", b))
            )
            reader.start()
            time.sleep(0.2)
            status, elapsed = _post_json(server.url, "/api/decode", {"token": hs256("{}")})
            reader.join(timeout=30)
            assert elapsed < 2.0, f"/api/decode waited {elapsed:.1f} s for the key to be read"
            assert status == 200
            assert heavy["r"] == (expected, pytest.approx(0, abs=2.0)), heavy
    finally:
        output = stop_server(server)
    assert "Traceback" not in output, output


def test_a_lone_surrogate_in_detached_content_is_a_clear_400(client):
    token = jwt.api_jws.encode(b"abc", SECRET, algorithm="HS256")
    header, _, signature = token.split(".")
    body = {"token": f"{header}..{signature}", "key": SECRET, "detached_payload": "\ud800"}
    for path in ("/api/verify", "/api/explain"):
        response = client.post(path, json=body)
        assert_canonical_error(response, 400, "invalid_request")
        assert response.get_json()["error"]["field"] == "detached_payload"


def test_a_lone_surrogate_in_an_unencoded_payload_is_described_not_a_crash(client):
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","b64":false,"crit":["b64"]}').decode()
    token = f"{header}.a\ud800b.c2ln"
    for path in ("/api/decode", "/api/verify", "/api/explain"):
        response = client.post(path, json={"token": token, "key": SECRET})
        assert response.status_code == 200, path
    decoded = client.post("/api/decode", json={"token": token}).get_json()
    assert "binary_payload" in [problem["code"] for problem in decoded["problems"]]
