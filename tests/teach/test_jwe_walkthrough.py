"""How this token is decrypted: the walkthrough on the RFC 7516 Appendix A tokens."""

from __future__ import annotations

import base64
import json

import pytest
from joserfc import jwe
from joserfc.jwk import ECKey

from debugger.analysis.jwe_report import decrypt_report
from debugger.codes import JWE_P2C_TOO_LARGE
from debugger.jose.jwe import decrypt
from debugger.teach.jwe_walkthrough import JweWalkthrough, jwe_walkthrough

from ..jose import jwe_vectors as v

#: RFC 7516 A.3.2: the content key of the A.3 token.
A3_CEK = bytes(
    [4, 211, 31, 197, 84, 157, 252, 254, 11, 100, 157, 250, 63, 170, 106, 206,
     107, 124, 212, 45, 111, 107, 9, 219, 200, 177, 0, 240, 143, 156, 44, 207]
)  # fmt: skip
#: RFC 7516 A.3.7: the authentication tag, as octets.
A3_TAG = bytes([83, 73, 191, 98, 104, 205, 211, 128, 201, 189, 199, 133, 32, 38, 194, 85])
#: RFC 7516 A.1.5: the AAD, the encoded protected header.
A1_AAD = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ"


def walk(token: str, key: dict | str) -> JweWalkthrough:
    key_text = key if isinstance(key, str) else json.dumps(key)
    result = jwe_walkthrough(token, key_text, decrypt(token, key_text))
    assert result is not None
    return result


def _tamper(token: str, index: int) -> str:
    parts = token.split(".")
    data = bytearray(base64.urlsafe_b64decode(parts[index] + "=" * (-len(parts[index]) % 4)))
    data[0] ^= 1
    parts[index] = base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()
    return ".".join(parts)


def test_a1_rsa_oaep_gcm_decrypts_with_a_32_byte_cek_and_the_header_as_aad():
    walked = walk(v.RFC7516_A1_TOKEN, v.RFC7516_A1_KEY)
    assert walked["key_step"] == "key decryption"
    assert (walked["alg"], walked["enc"]) == ("RSA-OAEP", "A256GCM")
    assert walked["cek_bytes"] == walked["cek_expected_bytes"] == 32
    assert walked["aad"] == A1_AAD
    assert walked["aad_bytes"] == len(A1_AAD)
    assert walked["tag_verified"] is True
    assert walked["plaintext_bytes"] == len(v.RFC7516_A1_PLAINTEXT)
    assert [step["ok"] for step in walked["steps"]][:2] == [True, True]


def test_a1_changed_tag_is_shown_as_a_mismatch_with_the_key_step_done():
    walked = walk(_tamper(v.RFC7516_A1_TOKEN, 4), v.RFC7516_A1_KEY)
    assert walked["cek_bytes"] == 32
    assert walked["tag_verified"] is False
    assert walked["steps"][4]["ok"] is False


def test_a3_key_wrap_cbc_hmac_recomputes_the_rfc_tag():
    walked = walk(v.RFC7516_A3_TOKEN, v.RFC7516_A3_KEY)
    assert walked["key_step"] == "key unwrap"
    assert walked["cek_bytes"] == len(A3_CEK)
    assert walked["computed_tag"] == A3_TAG.hex() == walked["tag"]
    assert walked["tag_verified"] is True
    assert walked["iv"] == base64.urlsafe_b64decode("AxY8DCtDaGlsbGljb3RoZQ==").hex()


def test_a3_changed_ciphertext_shows_a_different_computed_tag():
    walked = walk(_tamper(v.RFC7516_A3_TOKEN, 3), v.RFC7516_A3_KEY)
    assert walked["cek_bytes"] == len(A3_CEK)
    assert walked["tag_verified"] is False
    assert walked["computed_tag"] is not None
    assert walked["computed_tag"] != walked["tag"] == A3_TAG.hex()


def test_a3_wrong_key_gives_no_cek():
    walked = walk(v.RFC7516_A3_TOKEN, {"kty": "oct", "k": "AAAAAAAAAAAAAAAAAAAAAA"})
    assert walked["cek_bytes"] is None
    assert walked["tag_verified"] is False
    assert walked["steps"][1]["ok"] is False


def test_a2_rsa1_5_with_a_wrong_key_does_not_tell_the_key_step_from_the_tag():
    walked = walk(v.RFC7516_A2_TOKEN, v.RFC7516_A1_KEY)
    assert walked["cek_bytes"] is None
    assert walked["computed_tag"] is None
    assert walked["tag_verified"] is False


def test_pbes2_with_a_huge_p2c_is_not_run():
    header = {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "AAAAAAAAAAA", "p2c": 10**9}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    token = f"{encoded}.{'A' * 32}.{'A' * 16}.AAAA.{'A' * 22}"
    result = decrypt(token, "password")
    assert result.reason_code == JWE_P2C_TOO_LARGE
    walked = jwe_walkthrough(token, "password", result)
    assert walked is not None
    assert walked["cek_bytes"] is None
    assert walked["tag_verified"] is None


@pytest.mark.parametrize("token", ["a.b.c", "not a token"])
def test_no_walkthrough_without_five_parts(token):
    assert jwe_walkthrough(token, "k", decrypt(token, "k")) is None


def test_the_decrypt_report_carries_the_walkthrough():
    report = decrypt_report(v.RFC7516_A3_TOKEN, json.dumps(v.RFC7516_A3_KEY), now=0)
    assert report["walkthrough"] is not None
    assert report["walkthrough"]["tag_verified"] is True


@pytest.mark.parametrize(
    ("token", "key", "step"),
    [
        (v.RFC7520_5_3_TOKEN, v.RFC7520_5_3_PASSWORD, "key unwrap"),
        (v.RFC7520_5_4_TOKEN, v.RFC7520_5_4_KEY, "key agreement and unwrap"),
        (v.RFC7520_5_6_TOKEN, v.RFC7520_5_6_KEY, "direct"),
    ],
)
def test_rfc_7520_tokens_say_which_key_step_gave_the_cek(token, key, step):
    walked = walk(token, key)
    assert walked["key_step"] == step
    assert walked["cek_bytes"] == walked["cek_expected_bytes"]
    assert walked["tag_verified"] is True


def test_ecdh_es_direct_agrees_the_cek_from_the_epk():
    key = ECKey.generate_key("P-256")
    registry = jwe.JWERegistry(algorithms=["ECDH-ES", "A192GCM"])
    token = jwe.encrypt_compact({"alg": "ECDH-ES", "enc": "A192GCM"}, b"hi", key, registry=registry)
    walked = walk(token, key.as_dict(private=True))
    assert walked["key_step"] == "key agreement"
    assert walked["cek_bytes"] == 24
    assert walked["tag_verified"] is True
    assert "P-256" in walked["steps"][1]["detail"]
