"""The ID token and JWT access token checklist: each item fails for the token built to fail it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from debugger.analysis.oidc_checks import Expected, check_access_token, check_id_token, hash_half
from debugger.codes import (
    TOKEN_ALG,
    TOKEN_AT_HASH,
    TOKEN_AUDIENCE,
    TOKEN_AZP,
    TOKEN_C_HASH,
    TOKEN_EXPIRY,
    TOKEN_ISSUED_AT,
    TOKEN_ISSUER,
    TOKEN_NONCE,
    TOKEN_SIGNATURE,
    TOKEN_TYP,
)

NOW = 1_700_000_000
ISSUER = "https://id.example"
ACCESS_TOKEN = "an-opaque-access-token"
CODE = "an-authorization-code"


def _half(value: str) -> str:
    digest = hashlib.sha256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def signer():
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    public["kid"] = "k1"
    return private, {"keys": [public]}


def _claims(**changes):
    claims = {
        "iss": ISSUER,
        "sub": "alice",
        "aud": "app",
        "exp": NOW + 300,
        "iat": NOW,
        "nonce": "n-0S6_WzA2Mj",
        "at_hash": _half(ACCESS_TOKEN),
        "c_hash": _half(CODE),
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


EXPECTED = Expected(
    issuer=ISSUER,
    client_id="app",
    nonce="n-0S6_WzA2Mj",
    access_token=ACCESS_TOKEN,
    code=CODE,
    algorithms=("RS256",),
)


def _failed(checks):
    return sorted(check["code"] for check in checks if check["passed"] is False)


def _id_token(signer, headers=None, **changes):
    private, _ = signer
    return jwt.encode(
        _claims(**changes), private, "RS256", headers={"kid": "k1", **(headers or {})}
    )


@pytest.mark.parametrize(
    ("changes", "failed"),
    (
        ({"iss": "https://login.example/t-42/v2.0", "tid": "t-42"}, []),
        ({"iss": "https://login.example/t-42/v2.0", "tid": "t-43"}, [TOKEN_ISSUER]),
        ({"iss": "https://login.example/t-42/v2.0"}, [TOKEN_ISSUER]),
    ),
)
def test_a_tenant_template_issuer_is_checked_with_the_tokens_tid(signer, changes, failed):
    expected = dataclasses.replace(EXPECTED, issuer="https://login.example/{tenantid}/v2.0")
    checks = check_id_token(_id_token(signer, **changes), signer[1], expected, now=NOW)
    assert _failed(checks) == failed


def test_a_good_id_token_passes_every_item(signer):
    checks = check_id_token(_id_token(signer), signer[1], EXPECTED, now=NOW)
    assert _failed(checks) == []
    assert {check["code"] for check in checks if check["passed"]} == {
        TOKEN_SIGNATURE,
        TOKEN_ALG,
        TOKEN_ISSUER,
        TOKEN_AUDIENCE,
        TOKEN_EXPIRY,
        TOKEN_ISSUED_AT,
        TOKEN_NONCE,
        TOKEN_AT_HASH,
        TOKEN_C_HASH,
    }


@pytest.mark.parametrize(
    ("changes", "failed"),
    (
        ({"nonce": "another-nonce"}, [TOKEN_NONCE]),
        ({"nonce": None}, [TOKEN_NONCE]),
        ({"aud": "another-app"}, [TOKEN_AUDIENCE]),
        ({"aud": ["app", "api"]}, [TOKEN_AZP]),
        ({"aud": ["app", "api"], "azp": "api"}, [TOKEN_AZP]),
        ({"iss": ISSUER + "/"}, [TOKEN_ISSUER]),
        ({"at_hash": _half("another-access-token")}, [TOKEN_AT_HASH]),
        ({"c_hash": _half("another-code")}, [TOKEN_C_HASH]),
        ({"exp": NOW - 3600}, [TOKEN_EXPIRY]),
        ({"iat": NOW + 3600}, [TOKEN_ISSUED_AT]),
        ({"exp": None}, [TOKEN_EXPIRY]),
    ),
)
def test_each_bad_id_token_fails_its_item(signer, changes, failed):
    checks = check_id_token(_id_token(signer, **changes), signer[1], EXPECTED, now=NOW)
    assert _failed(checks) == failed


def test_several_audiences_with_azp_the_client_pass(signer):
    token = _id_token(signer, aud=["app", "api"], azp="app")
    assert _failed(check_id_token(token, signer[1], EXPECTED, now=NOW)) == []


def test_a_token_signed_by_another_key_fails_the_signature(signer):
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(), other, "RS256", headers={"kid": "k1"})
    assert _failed(check_id_token(token, signer[1], EXPECTED, now=NOW)) == [TOKEN_SIGNATURE]


def test_a_tampered_payload_fails_the_signature(signer):
    header, _, signature = _id_token(signer).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(_claims(sub="mallory")).encode()).rstrip(b"=")
    token = f"{header}.{forged.decode()}.{signature}"
    assert _failed(check_id_token(token, signer[1], EXPECTED, now=NOW)) == [TOKEN_SIGNATURE]


def test_an_unsigned_id_token_fails_signature_alg_and_hashes(signer):
    token = jwt.encode(_claims(), None, "none")
    assert _failed(check_id_token(token, signer[1], EXPECTED, now=NOW)) == [
        TOKEN_ALG,
        TOKEN_AT_HASH,
        TOKEN_C_HASH,
        TOKEN_SIGNATURE,
    ]


def test_without_hashes_or_nonce_sent_those_items_do_not_apply(signer):
    token = _id_token(signer, at_hash=None, c_hash=None, nonce=None)
    plain = Expected(issuer=ISSUER, client_id="app")
    checks = {c["code"]: c["passed"] for c in check_id_token(token, signer[1], plain, now=NOW)}
    assert checks[TOKEN_AT_HASH] is None and checks[TOKEN_C_HASH] is None
    assert checks[TOKEN_NONCE] is None and checks[TOKEN_AZP] is None


@pytest.mark.parametrize(("alg", "digest"), (("RS384", hashlib.sha384), ("ES512", hashlib.sha512)))
def test_the_half_hash_follows_the_algorithm(alg, digest):
    expected = base64.urlsafe_b64encode(digest(b"token").digest()[: digest().digest_size // 2])
    assert hash_half("token", alg) == expected.rstrip(b"=").decode()


def test_a_jwt_access_token_needs_typ_at_jwt(signer):
    private, jwks = signer
    claims = _claims(aud="https://api.example", nonce=None, at_hash=None, c_hash=None)
    expected = Expected(issuer=ISSUER, client_id="app", resource="https://api.example")
    good = jwt.encode(claims, private, "RS256", headers={"kid": "k1", "typ": "at+jwt"})
    assert _failed(check_access_token(good, jwks, expected, now=NOW)) == []
    as_id_token = jwt.encode(claims, private, "RS256", headers={"kid": "k1"})
    assert _failed(check_access_token(as_id_token, jwks, expected, now=NOW)) == [TOKEN_TYP]


def test_an_opaque_access_token_gets_no_checklist(signer):
    assert check_access_token(ACCESS_TOKEN, signer[1], EXPECTED, now=NOW) is None
