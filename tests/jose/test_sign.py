"""Signing: every algorithm, JSON kept as written, and the errors a user can fix."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from debugger.errors import DebuggerError
from debugger.jose.sign import encode

from ..conftest import ALG_KEYS, SECRET


def _payload_text(token: str) -> str:
    segment = token.split(".")[1]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_tokens_verify_with_pyjwt(alg):
    token = encode({"alg": alg}, {"sub": "a"}, SECRET * 2)["token"]
    assert jwt.decode(token, SECRET * 2, algorithms=[alg]) == {"sub": "a"}


@pytest.mark.parametrize("alg", sorted(ALG_KEYS))
def test_every_asymmetric_algorithm_signs_a_token_pyjwt_verifies(alg, keypairs):
    pair = keypairs[ALG_KEYS[alg]]
    result = encode({"alg": alg, "typ": "JWT"}, {"sub": "a"}, pair.private_pem)
    token = result["token"]
    signing_input, _, signature = token.rpartition(".")
    implementation = jwt.algorithms.get_default_algorithms()[
        "EdDSA" if alg in ("Ed25519", "Ed448") else alg
    ]
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    assert implementation.verify(signing_input.encode(), pair.private.public_key(), raw)
    assert result["alg"] == alg


def test_json_text_is_signed_exactly_as_written():
    payload = '{\n  "big": 12345678901234567890,\n  "f": 3.0,\n  "e": 1E+2, "s": "\\u003c"\n}'
    token = encode('{"alg": "HS256"}', payload, SECRET)["token"]
    assert _payload_text(token) == '{"big":12345678901234567890,"f":3.0,"e":1E+2,"s":"\\u003c"}'
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["big"] == 12345678901234567890


def test_header_member_order_is_kept():
    written = '{"typ":"JWT","alg":"HS256","kid":"k"}'
    header = encode(written, "{}", SECRET)["token"].split(".")[0]
    assert base64.urlsafe_b64decode(header + "==").decode() == written


def test_unsecured_token_has_an_empty_signature():
    token = encode({"alg": "none"}, {"sub": "a"}, "")["token"]
    assert token.endswith(".") and token.count(".") == 2


def test_unencoded_payload_is_carried_as_is():
    header = {"alg": "HS256", "b64": False, "crit": ["b64"]}
    token = encode(header, '"$ 02"', SECRET)["token"]
    assert token.split(".")[1] == '"$ 02"'


@pytest.mark.parametrize(
    ("header", "payload", "key", "code", "field"),
    (
        ('{"alg": "HS256"', "{}", SECRET, "invalid_json", "header"),
        ('{"alg": "HS256"}', '{"a": }', SECRET, "invalid_json", "payload"),
        ("[]", "{}", SECRET, "invalid_json", "header"),
        ('{"typ": "JWT"}', "{}", SECRET, "invalid_json", "header"),
        ('{"alg": "XX1"}', "{}", SECRET, "unsupported_alg", "header"),
        ('{"alg": "RS256"}', "{}", SECRET, "key_type_mismatch", "key"),
    ),
)
def test_encode_errors_name_the_field_to_fix(header, payload, key, code, field):
    with pytest.raises(DebuggerError) as raised:
        encode(header, payload, key)
    assert raised.value.code == code
    assert raised.value.field == field


def test_a_public_key_cannot_sign(keypairs):
    with pytest.raises(DebuggerError) as raised:
        encode({"alg": "RS256"}, {}, keypairs["RSA"].public_pem)
    assert raised.value.code == "private_key_required"


def test_key_set_signs_with_the_key_named_by_kid(keypairs):
    keys = []
    for kid, name in (("one", "P-256"), ("two", "RSA")):
        jwk = jwt.algorithms.get_default_algorithms()["RS256" if name == "RSA" else "ES256"]
        keys.append({**json.loads(jwk.to_jwk(keypairs[name].private)), "kid": kid})
    token = encode({"alg": "RS256", "kid": "two"}, {}, json.dumps({"keys": keys}))["token"]
    assert jwt.decode(token, keypairs["RSA"].public_pem, algorithms=["RS256"]) == {}
