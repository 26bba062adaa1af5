"""JWE JSON serialization (RFC 7516 section 7.2): jwcrypto's flattened and general tokens decrypt,
each recipient is tried, and malformed objects get a reason, never an exception."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto.common import json_encode

from debugger.analysis.jwe_report import decrypt_report
from debugger.codes import (
    JWE_BAD_HEADER,
    JWE_KID_NOT_FOUND,
    JWE_MALFORMED,
    JWE_P2C_TOO_LARGE,
    JWE_WRONG_KEY,
)
from debugger.errors import INVALID_REQUEST, DebuggerError
from debugger.jose.jwe_encrypt import encrypt_token
from debugger.jose.jwe_json import decrypt_json_text

from .test_jwe import (
    CLAIMS,
    JWCRYPTO_ALGS,
    NOW,
    jwcrypto_decrypt,
    jwcrypto_key,
    key_text,
    public_text,
)


def decrypt(token, key, secret_encoding="utf-8"):
    """The JSON serialization's reader, as the report calls it."""
    return decrypt_json_text(token, key, secret_encoding=secret_encoding)


PLAINTEXT = json.dumps(CLAIMS).encode()


def general(*recipients: tuple[jwcrypto_jwk.JWK, dict], aad: bytes | None = None) -> str:
    """jwcrypto's general JSON serialization: one `enc`, one recipient per (key, header)."""
    message = jwcrypto_jwe.JWE(
        PLAINTEXT, json_encode({"enc": "A256GCM"}), aad=aad, algs=JWCRYPTO_ALGS
    )
    for key, header in recipients:
        message.add_recipient(key, json_encode(header))
    return message.serialize()


@pytest.mark.parametrize("alg", ("RSA-OAEP-256", "ECDH-ES+A128KW", "A128KW", "dir"))
def test_flattened_jwcrypto_token_decrypts(alg):
    key = jwcrypto_key(alg, "A256GCM")
    token = general((key, {"alg": alg, "kid": "only"}))
    assert "recipients" not in json.loads(token)
    report = decrypt_report(token, key_text(key), now=NOW)
    assert report["decrypted"] is True, report["reason"]
    assert report["serialization"] == "flattened"
    assert report["payload"] == CLAIMS
    assert report["recipients"][0]["kid"] == "only"
    assert report["recipients"][0]["decrypted"] is True


def test_general_token_decrypts_for_the_recipient_whose_key_is_given():
    rsa = jwcrypto_key("RSA-OAEP", "A256GCM")
    kw = jwcrypto_key("A128KW", "A256GCM")
    token = general((rsa, {"alg": "RSA-OAEP", "kid": "r"}), (kw, {"alg": "A128KW", "kid": "w"}))
    assert len(json.loads(token)["recipients"]) == 2
    for key, decrypted in ((rsa, [True, False]), (kw, [False, True])):
        report = decrypt_report(token, key_text(key), now=NOW)
        assert report["decrypted"] is True, report["reason"]
        assert report["serialization"] == "general"
        assert report["payload"] == CLAIMS
        assert [r["decrypted"] for r in report["recipients"]] == decrypted
    keys = json.dumps({"keys": [json.loads(key_text(kw)) | {"kid": "w"}]})
    report = decrypt_report(token, keys, now=NOW)
    assert report["decrypted"] is True
    assert report["recipients"][0]["reason_code"] == JWE_KID_NOT_FOUND
    assert report["header"]["kid"] == "w"


def test_additional_authenticated_data_is_covered():
    key = jwcrypto_key("A128KW", "A256GCM")
    token = json.loads(general((key, {"alg": "A128KW"}), aad=b"context"))
    assert decrypt(json.dumps(token), key_text(key)).plaintext == PLAINTEXT
    token["aad"] = "b3RoZXI"
    result = decrypt(json.dumps(token), key_text(key))
    assert result.plaintext is None
    assert result.reason_code is not None


def test_a_key_for_no_recipient_says_why_for_each():
    token = general(
        (jwcrypto_key("A128KW", "A256GCM"), {"alg": "A128KW"}),
        (jwcrypto_key("A128KW", "A256GCM"), {"alg": "A128KW"}),
    )
    report = decrypt_report(token, key_text(jwcrypto_key("A128KW", "A256GCM")), now=NOW)
    assert report["decrypted"] is False
    assert report["reason_code"] == JWE_WRONG_KEY
    assert [r["reason_code"] for r in report["recipients"]] == [JWE_WRONG_KEY, JWE_WRONG_KEY]


def test_a_parameter_in_two_headers_is_refused():
    key = jwcrypto_key("A128KW", "A256GCM")
    token = json.loads(general((key, {"alg": "A128KW"})))
    token["unprotected"] = {"enc": "A256GCM"}
    result = decrypt(json.dumps(token), key_text(key))
    assert result.reason_code == JWE_BAD_HEADER


@pytest.mark.parametrize(
    "text",
    (
        "{",
        "{}",
        '{"ciphertext": "AA", "iv": "AA", "tag": "AA"}',
        '{"protected": "e30", "ciphertext": 5, "iv": "AA", "tag": "AA"}',
        '{"protected": "e30", "ciphertext": "AA", "iv": "AA", "tag": "AA", "recipients": []}',
        '{"protected": "e30", "ciphertext": "AA", "iv": "AA", "tag": "AA", "recipients": [1]}',
        '{"protected": "e30", "ciphertext": "AA", "iv": "AA", "tag": "AA", "unprotected": []}',
        '{"protected": "e30", "ciphertext": "AA", "iv": "AA", "tag": "AA", '
        '"recipients": [{"header": "x"}]}',
        '{"protected": "!!", "ciphertext": "AA", "iv": "AA", "tag": "AA"}',
    ),
)
def test_malformed_json_serialization_gets_a_reason(text):
    report = decrypt_report(text, "a-secret-of-thirty-two-bytes-000", now=NOW)
    assert report["decrypted"] is False
    assert report["reason_code"] in (JWE_MALFORMED, JWE_BAD_HEADER)
    assert report["serialization"] in ("flattened", "general")


def test_too_many_recipients_are_refused():
    entry = {"header": {"alg": "A128KW"}, "encrypted_key": "AA"}
    token = {"protected": "e30", "iv": "AA", "ciphertext": "AA", "tag": "AA"}
    token["recipients"] = [entry] * 33
    assert decrypt(json.dumps(token), "x" * 16).reason_code == JWE_MALFORMED


@pytest.mark.parametrize(
    ("alg", "enc"),
    (
        ("RSA-OAEP-256", "A256GCM"),
        ("ECDH-ES", "A128CBC-HS256"),
        ("A128KW", "A256GCM"),
        ("dir", "A128GCM"),
    ),
)
def test_our_flattened_token_decrypts_with_jwcrypto_and_with_ours(alg, enc):
    key = jwcrypto_key(alg, enc)
    answer = encrypt_token(
        {"alg": alg, "enc": enc}, public_text(key), payload=CLAIMS, serialization="flattened"
    )
    token = json.loads(answer["token"])
    assert "ciphertext" in token and "recipients" not in token
    assert json.loads(jwcrypto_decrypt(answer["token"], key)) == CLAIMS
    assert json.loads(decrypt(answer["token"], key_text(key)).plaintext or b"") == CLAIMS


def test_an_unknown_serialization_is_refused():
    with pytest.raises(DebuggerError) as raised:
        encrypt_token({"alg": "dir", "enc": "A128GCM"}, "k" * 16, payload={}, serialization="x")
    assert raised.value.code == INVALID_REQUEST


def test_pbes2_recipients_share_one_budget_of_pbkdf2_rounds():
    password = jwcrypto_key("PBES2-HS256+A128KW", "A256GCM")
    header = {"alg": "PBES2-HS256+A128KW"}
    token = json.loads(general((password, header), (password, header)))
    for recipient in token["recipients"]:
        recipient["header"]["p2c"] = 200_000  # jwcrypto will not write so many
    report = decrypt_report(json.dumps(token), "a-wrong-password", now=NOW)
    assert report["decrypted"] is False
    assert [r["reason_code"] for r in report["recipients"]][1] == JWE_P2C_TOO_LARGE
