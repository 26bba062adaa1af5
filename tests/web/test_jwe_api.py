"""POST /api/decrypt and /api/encrypt: answers in the documented shape, errors in the one shape."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from ..apischema import assert_documented_answer
from ..conftest import assert_canonical_error

NOW = 1_800_000_000
SECRET = "k" * 32
CLAIMS = {"sub": "alice", "exp": NOW + 60}


def post(client, path: str, body: dict):
    return client.post(path, json=body)


def test_encrypt_then_decrypt_gives_the_claims(client):
    made = assert_documented_answer(
        "/api/encrypt",
        "post",
        post(
            client,
            "/api/encrypt",
            {"header": {"alg": "dir", "enc": "A256GCM"}, "key": SECRET, "payload": CLAIMS},
        ),
    )
    answer = assert_documented_answer(
        "/api/decrypt",
        "post",
        post(client, "/api/decrypt", {"token": made["token"], "key": SECRET, "now": NOW}),
    )
    assert answer["decrypted"] is True and answer["payload"] == CLAIMS
    assert answer["time"]["status"] == "valid"
    assert [part["name"] for part in answer["parts"]] == [
        "protected",
        "encrypted_key",
        "iv",
        "ciphertext",
        "tag",
    ]
    assert answer["plaintext"] == json.dumps(CLAIMS, separators=(",", ":"))


def test_a_token_that_does_not_decrypt_is_a_200_with_its_reason(client):
    made = post(
        client,
        "/api/encrypt",
        {"header": {"alg": "A256KW", "enc": "A128GCM"}, "key": SECRET, "plaintext": "hi"},
    ).get_json()
    response = post(client, "/api/decrypt", {"token": made["token"], "key": "x" * 32})
    answer = assert_documented_answer("/api/decrypt", "post", response)
    assert response.status_code == 200
    assert (answer["decrypted"], answer["reason_code"], answer["plaintext"]) == (
        False,
        "wrong_key",
        None,
    )


def test_sign_then_encrypt_is_verified_with_the_inner_key(client):
    body = {
        "header": {"alg": "PBES2-HS256+A128KW", "enc": "A128CBC-HS256"},
        "key": "a password",
        "payload": CLAIMS,
        "sign": {"header": {"alg": "HS256"}, "key": SECRET},
    }
    made = assert_documented_answer("/api/encrypt", "post", post(client, "/api/encrypt", body))
    answer = assert_documented_answer(
        "/api/decrypt",
        "post",
        post(
            client,
            "/api/decrypt",
            {"token": made["token"], "key": "a password", "inner_key": SECRET, "now": NOW},
        ),
    )
    assert answer["nested"]["signature_valid"] is True
    assert answer["nested"]["payload"] == CLAIMS


def test_decode_says_which_kind_of_token_it_is(client):
    made = post(
        client,
        "/api/encrypt",
        {"header": {"alg": "dir", "enc": "A256GCM"}, "key": SECRET, "payload": {}},
    ).get_json()
    answer = assert_documented_answer(
        "/api/decode", "post", post(client, "/api/decode", {"token": made["token"]})
    )
    assert (answer["kind"], answer["serialization"]) == ("JWE", "compact")


@pytest.mark.parametrize(
    ("path", "body", "code"),
    (
        ("/api/decrypt", {"key": SECRET}, "invalid_request"),
        ("/api/decrypt", {"token": 5, "key": SECRET}, "invalid_request"),
        ("/api/decrypt", {"token": "a.b.c.d.e", "key": SECRET, "inner_key": 1}, "invalid_request"),
        (
            "/api/decrypt",
            {"token": "a.b.c.d.e", "key": SECRET, "secret_encoding": "rot13"},
            "invalid_request",
        ),
        (
            "/api/encrypt",
            {"header": {"alg": "dir", "enc": "A256GCM"}, "key": SECRET},
            "invalid_request",
        ),
        ("/api/encrypt", {"header": "x", "key": SECRET, "payload": {}}, "invalid_request"),
        (
            "/api/encrypt",
            {"header": {"alg": "nope", "enc": "A256GCM"}, "key": SECRET, "payload": {}},
            "unsupported_alg",
        ),
        (
            "/api/encrypt",
            {"header": {"alg": "dir", "enc": "A128GCM"}, "key": SECRET, "payload": {}},
            "key_type_mismatch",
        ),
    ),
)
def test_malformed_requests_are_400_in_the_one_shape(client, path, body, code):
    response = post(client, path, body)
    assert_canonical_error(response, 400, code)
    assert_documented_answer(path, "post", response)


def test_the_origin_guard_covers_the_jwe_endpoints(client):
    response = client.post(
        "/api/decrypt", json={"token": "a", "key": "b"}, headers={"Origin": "https://evil.example"}
    )
    assert_canonical_error(response, 403, "origin_not_allowed")


@pytest.mark.parametrize(("key", "verified"), [(SECRET, True), ("x" * 32, False)])
def test_decrypt_answer_carries_the_documented_walkthrough(client, key, verified):
    made = post(
        client,
        "/api/encrypt",
        {"header": {"alg": "dir", "enc": "A128CBC-HS256"}, "key": SECRET, "plaintext": "hi"},
    ).get_json()
    answer = assert_documented_answer(
        "/api/decrypt", "post", post(client, "/api/decrypt", {"token": made["token"], "key": key})
    )
    walked = answer["walkthrough"]
    assert walked["key_step"] == "direct"
    assert walked["cek_bytes"] == 32
    assert walked["tag_verified"] is verified
    assert (walked["computed_tag"] == walked["tag"]) is verified
    assert walked["aad"] == made["token"].split(".")[0]


def test_decrypt_reads_the_json_serialization_with_its_recipients(client):
    ours = jwcrypto_jwk.JWK.generate(kty="oct", size=128)
    message = jwcrypto_jwe.JWE(
        b'{"sub":"a"}', json.dumps({"enc": "A128GCM"}, separators=(",", ":"))
    )
    message.add_recipient(jwcrypto_jwk.JWK.generate(kty="oct", size=128), '{"alg":"A128KW"}')
    message.add_recipient(ours, '{"alg":"A128KW"}')
    body = {"token": message.serialize(), "key": ours.export(), "now": NOW}
    answer = assert_documented_answer("/api/decrypt", "post", post(client, "/api/decrypt", body))
    assert answer["serialization"] == "general"
    assert answer["payload"] == {"sub": "a"}
    assert [r["decrypted"] for r in answer["recipients"]] == [False, True]
