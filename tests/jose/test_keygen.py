"""Generated keys: the right type and size, kid = RFC 7638 thumbprint, and PyJWT accepts them."""

from __future__ import annotations

import base64
import hashlib
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from debugger.errors import DebuggerError
from debugger.jose.keygen import generate_key

from ..conftest import assert_canonical_error

ASYMMETRIC = (
    ("RS256", rsa.RSAPrivateKey, 2048),
    ("RS384", rsa.RSAPrivateKey, 2048),
    ("RS512", rsa.RSAPrivateKey, 2048),
    ("PS256", rsa.RSAPrivateKey, 2048),
    ("PS384", rsa.RSAPrivateKey, 2048),
    ("PS512", rsa.RSAPrivateKey, 2048),
    ("ES256", ec.EllipticCurvePrivateKey, 256),
    ("ES384", ec.EllipticCurvePrivateKey, 384),
    ("ES512", ec.EllipticCurvePrivateKey, 521),
    ("ES256K", ec.EllipticCurvePrivateKey, 256),
    ("EdDSA", ed25519.Ed25519PrivateKey, None),
    ("Ed25519", ed25519.Ed25519PrivateKey, None),
    ("Ed448", ed448.Ed448PrivateKey, None),
)
CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521", "ES256K": "secp256k1"}
THUMBPRINT_MEMBERS = {"RSA": "e kty n", "EC": "crv kty x y", "OKP": "crv kty x", "oct": "k kty"}
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}


def rfc7638(jwk: dict) -> str:
    """The thumbprint computed here, independently of the debugger's code."""
    members = {name: jwk[name] for name in THUMBPRINT_MEMBERS[jwk["kty"]].split()}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def pyjwt_alg(alg: str) -> str:
    """PyJWT names both Ed25519 and Ed448 signatures EdDSA."""
    return "EdDSA" if alg in ("Ed25519", "Ed448") else alg


@pytest.mark.parametrize(("alg", "key_type", "bits"), ASYMMETRIC)
def test_generated_key_pair_signs_a_token_pyjwt_verifies(alg, key_type, bits):
    generated = generate_key(alg)
    assert set(generated) == {
        "alg",
        "kid",
        "private_pem",
        "public_pem",
        "private_jwk",
        "public_jwk",
    }
    private = serialization.load_pem_private_key(generated["private_pem"].encode(), None)
    assert isinstance(private, key_type)
    if bits is not None:
        assert private.key_size == bits
    name = pyjwt_alg(alg)
    token = jwt.encode({"sub": alg}, private, algorithm=name, headers={"kid": generated["kid"]})
    assert jwt.decode(token, generated["public_pem"], algorithms=[name]) == {"sub": alg}
    public_jwk = jwt.PyJWK(generated["public_jwk"], algorithm=name)
    assert jwt.decode(token, public_jwk, algorithms=[name]) == {"sub": alg}
    private_jwk = jwt.PyJWK(generated["private_jwk"], algorithm=name)
    resigned = jwt.encode({"sub": "again"}, private_jwk, algorithm=name)
    assert jwt.decode(resigned, generated["public_pem"], algorithms=[name]) == {"sub": "again"}


@pytest.mark.parametrize(("alg", "key_type", "bits"), ASYMMETRIC)
def test_generated_jwks_carry_the_thumbprint_as_kid_and_no_private_part_in_public(
    alg, key_type, bits
):
    generated = generate_key(alg)
    public, private = generated["public_jwk"], generated["private_jwk"]
    assert generated["kid"] == rfc7638(public) == rfc7638(private)
    for jwk in (public, private):
        assert jwk["kid"] == generated["kid"]
        assert jwk["alg"] == alg
        assert jwk["use"] == "sig"
        assert "key_ops" not in jwk
    assert not PRIVATE_MEMBERS & set(public)
    assert "d" in private
    if alg in CURVES:
        assert public["crv"] == CURVES[alg]
    if alg == "Ed448":
        assert public["crv"] == "Ed448"


@pytest.mark.parametrize(("alg", "length"), (("HS256", 32), ("HS384", 48), ("HS512", 64)))
def test_generated_hmac_secret_has_the_hash_length_and_signs_for_pyjwt(alg, length):
    generated = generate_key(alg)
    assert set(generated) == {"alg", "kid", "secret", "secret_encoding", "jwk"}
    assert generated["secret_encoding"] == "base64url"
    secret = base64.urlsafe_b64decode(generated["secret"] + "=" * (-len(generated["secret"]) % 4))
    assert len(secret) == length
    jwk = generated["jwk"]
    assert jwk["k"] == generated["secret"]
    assert jwk["kid"] == generated["kid"] == rfc7638(jwk)
    assert (jwk["alg"], jwk["use"]) == (alg, "sig")
    token = jwt.encode({"n": 1}, secret, algorithm=alg)
    assert jwt.decode(token, jwt.PyJWK(jwk), algorithms=[alg]) == {"n": 1}


def test_two_generated_secrets_differ():
    assert generate_key("HS256")["secret"] != generate_key("HS256")["secret"]


@pytest.mark.parametrize("bits", (3072, 4096))
def test_rsa_key_of_the_size_asked(bits):
    generated = generate_key("PS256", bits)
    public = serialization.load_pem_public_key(generated["public_pem"].encode())
    assert public.key_size == bits
    token = jwt.encode({}, generated["private_pem"], algorithm="PS256")
    assert jwt.decode(token, generated["public_pem"], algorithms=["PS256"]) == {}


def test_hmac_secret_may_be_longer_than_the_hash():
    generated = generate_key("HS256", 512)
    assert len(base64.urlsafe_b64decode(generated["secret"] + "==")) == 64


@pytest.mark.parametrize(
    ("alg", "size", "code"),
    (
        ("XS256", None, "unsupported_alg"),
        ("none", None, "unsupported_alg"),
        ("RS256", 1024, "invalid_request"),
        ("RS256", 2047, "invalid_request"),
        ("ES256", 384, "invalid_request"),
        ("EdDSA", 448, "invalid_request"),
        ("HS256", 128, "invalid_request"),
        ("HS512", 256, "invalid_request"),
        ("HS256", 260, "invalid_request"),
        ("HS256", 10**6, "invalid_request"),
    ),
)
def test_generate_refuses_unknown_algorithms_and_wrong_sizes(alg, size, code):
    with pytest.raises(DebuggerError) as raised:
        generate_key(alg, size)
    assert raised.value.code == code


def test_generate_endpoint_answers_what_generate_key_returns(client):
    response = client.post("/api/keys/generate", json={"alg": "ES384"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"alg", "kid", "private_pem", "public_pem", "private_jwk", "public_jwk"}
    assert body["kid"] == rfc7638(body["public_jwk"])
    token = jwt.encode({}, body["private_pem"], algorithm="ES384")
    assert jwt.decode(token, body["public_pem"], algorithms=["ES384"]) == {}


def test_generate_endpoint_takes_an_rsa_size(client):
    body = client.post("/api/keys/generate", json={"alg": "RS256", "size": 3072}).get_json()
    assert serialization.load_pem_public_key(body["public_pem"].encode()).key_size == 3072


@pytest.mark.parametrize(
    ("body", "code"),
    (
        ({}, "invalid_request"),
        ({"alg": 256}, "invalid_request"),
        ({"alg": "RS256", "size": "2048"}, "invalid_request"),
        ({"alg": "RS256", "size": True}, "invalid_request"),
        ({"alg": "RS256", "size": 512}, "invalid_request"),
        ({"alg": "HS999"}, "unsupported_alg"),
    ),
)
def test_generate_endpoint_errors(client, body, code):
    assert_canonical_error(client.post("/api/keys/generate", json=body), 400, code)
