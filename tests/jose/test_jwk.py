"""JWK conversions: RFC 7638 thumbprints, PEM and JWK both ways, public parts and JWK Sets."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from debugger.errors import DebuggerError
from debugger.jose.conversions import convert
from debugger.jose.jwk import public_jwk, thumbprint
from debugger.jose.keys import read_key

from ..conftest import SECRET, assert_canonical_error

# RFC 7638 section 3.1: the example RSA key and its thumbprint.
RFC7638_KEY = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
    "_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_F"
    "DW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4"
    "vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
# RFC 8037 Appendix A.3: the thumbprint of the Ed25519 example key.
RFC8037_KEY = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


def test_rfc7638_example_thumbprint():
    assert thumbprint(RFC7638_KEY) == RFC7638_THUMBPRINT


def test_a_read_key_knows_its_thumbprint_and_works_it_out_once():
    key = read_key(json.dumps(RFC7638_KEY)).keys[0]
    assert key.thumbprint == RFC7638_THUMBPRINT
    assert vars(key)["thumbprint"] == RFC7638_THUMBPRINT  # kept on the key for the next answer
    assert read_key(json.dumps(RFC8037_KEY)).keys[0].thumbprint == RFC8037_THUMBPRINT


def test_rfc8037_okp_thumbprint():
    assert thumbprint(RFC8037_KEY) == RFC8037_THUMBPRINT


def test_thumbprint_ignores_member_order_and_optional_members():
    shuffled = {"e": "AQAB", "use": "sig", "n": RFC7638_KEY["n"], "kty": "RSA"}
    assert thumbprint(shuffled) == RFC7638_THUMBPRINT


@pytest.mark.parametrize(
    "jwk",
    ({"kty": "RSA", "e": "AQAB"}, {"kty": "EC", "crv": "P-256", "x": "AA"}, {"kty": "XYZ"}, {}),
)
def test_thumbprint_of_an_incomplete_or_unknown_jwk_is_a_bad_key(jwk):
    with pytest.raises(DebuggerError) as raised:
        thumbprint(jwk)
    assert raised.value.code == "bad_key"


def test_public_jwk_drops_every_private_member():
    private = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048)))
    public = public_jwk({**private, "key_ops": ["sign"]})
    assert not PRIVATE_MEMBERS & set(public)
    assert public["key_ops"] == ["verify"]
    assert (public["n"], public["e"]) == (private["n"], private["e"])


def private_keys():
    return {
        "RSA": rsa.generate_private_key(65537, 2048),
        "P-256": ec.generate_private_key(ec.SECP256R1()),
        "P-384": ec.generate_private_key(ec.SECP384R1()),
        "P-521": ec.generate_private_key(ec.SECP521R1()),
        "secp256k1": ec.generate_private_key(ec.SECP256K1()),
        "Ed25519": ed25519.Ed25519PrivateKey.generate(),
        "Ed448": ed448.Ed448PrivateKey.generate(),
    }


KEYS = private_keys()


def private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_der(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize("name", KEYS)
def test_pem_to_jwk_and_back_keeps_the_private_key(name):
    key = KEYS[name]
    jwk = convert([private_pem(key)], "jwk")
    assert jwk["value"]["kid"] == thumbprint(jwk["value"])
    assert "d" in jwk["value"]
    back = convert([jwk["text"]], "pem")["text"]
    reloaded = serialization.load_pem_private_key(back.encode(), None)
    assert public_der(reloaded) == public_der(key)
    assert reloaded.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) == key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.mark.parametrize("name", KEYS)
def test_public_part_of_a_private_key_as_jwk_and_pem(name):
    key = KEYS[name]
    as_jwk = convert([private_pem(key)], "public_jwk")["value"]
    assert not PRIVATE_MEMBERS & set(as_jwk)
    as_pem = convert([private_pem(key)], "public_pem")["text"]
    assert as_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert serialization.load_pem_public_key(as_pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == public_der(key)
    from_jwk = convert([json.dumps(as_jwk)], "pem")["text"]
    assert from_jwk == as_pem


@pytest.mark.parametrize("name", KEYS)
def test_a_converted_jwk_verifies_for_pyjwt(name):
    key = KEYS[name]
    alg = {"RSA": "RS256", "P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}.get(name)
    alg = alg or ("ES256K" if name == "secp256k1" else "EdDSA")
    jwk = convert([private_pem(key)], "public_jwk")["value"]
    token = jwt.encode({"k": name}, key, algorithm=alg)
    assert jwt.decode(token, jwt.PyJWK(jwk, algorithm=alg), algorithms=[alg]) == {"k": name}


def test_a_pasted_kid_is_kept_and_a_missing_one_is_the_thumbprint():
    with_kid = convert([json.dumps(RFC7638_KEY)], "jwk")["value"]
    assert with_kid["kid"] == "2011-04-29"
    assert with_kid["alg"] == "RS256"
    without = {k: v for k, v in RFC7638_KEY.items() if k not in ("kid", "alg")}
    assert convert([json.dumps(without)], "jwk")["value"]["kid"] == RFC7638_THUMBPRINT


def test_jwk_set_from_several_keys_of_several_kinds():
    texts = [private_pem(KEYS["RSA"]), private_pem(KEYS["Ed448"]), json.dumps(RFC8037_KEY)]
    result = convert(texts, "public_jwk_set")
    keys = result["value"]["keys"]
    assert [k["kty"] for k in keys] == ["RSA", "OKP", "OKP"]
    assert result["kids"][2] == RFC8037_THUMBPRINT
    assert not any(PRIVATE_MEMBERS & set(k) for k in keys)
    ring = read_key(result["text"])
    assert ring.is_set and len(ring.keys) == 3 and not ring.unusable


def test_private_jwk_set_keeps_private_members_and_secrets():
    result = convert([private_pem(KEYS["P-256"]), SECRET], "jwk_set")
    kinds = [(k["kty"], "d" in k or "k" in k) for k in result["value"]["keys"]]
    assert kinds == [("EC", True), ("oct", True)]


def test_a_set_converted_to_public_parts():
    set_text = convert([private_pem(KEYS["RSA"]), private_pem(KEYS["P-256"])], "jwk_set")["text"]
    public = convert([set_text], "public_jwk_set")["value"]
    assert len(public["keys"]) == 2
    assert not any(PRIVATE_MEMBERS & set(k) for k in public["keys"])


@pytest.mark.parametrize(
    ("texts", "to", "code"),
    (
        ([SECRET], "pem", "invalid_request"),
        ([SECRET], "public_jwk", "invalid_request"),
        ([SECRET], "public_jwk_set", "invalid_request"),
        ([SECRET], "xml", "invalid_request"),
        (["-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"], "jwk", "bad_key"),
        ([json.dumps(RFC7638_KEY), json.dumps(RFC7638_KEY)], "jwk_set", "bad_key"),
    ),
)
def test_convert_errors(texts, to, code):
    with pytest.raises(DebuggerError) as raised:
        convert(texts, to)
    assert raised.value.code == code


def test_a_set_cannot_become_one_jwk():
    set_text = json.dumps({"keys": [RFC8037_KEY, RFC7638_KEY]})
    with pytest.raises(DebuggerError) as raised:
        convert([set_text], "jwk")
    assert raised.value.code == "invalid_request"
    assert raised.value.field == "to"


def test_secret_converts_to_an_oct_jwk():
    jwk = convert([SECRET], "jwk")["value"]
    assert jwk["kty"] == "oct"
    assert jwt.PyJWK(jwk).key == SECRET.encode()


def test_convert_endpoint_pem_to_jwk(client):
    response = client.post(
        "/api/keys/convert", json={"key": json.dumps(RFC7638_KEY), "to": "public_pem"}
    )
    assert response.status_code == 200
    pem = response.get_json()["text"]
    numbers = serialization.load_pem_public_key(pem.encode()).public_numbers()
    assert numbers.e == 65537


def test_convert_endpoint_builds_a_set_from_a_list(client):
    body = {"keys": [json.dumps(RFC7638_KEY), json.dumps(RFC8037_KEY)], "to": "public_jwk_set"}
    answer = client.post("/api/keys/convert", json=body).get_json()
    assert answer["kids"] == ["2011-04-29", RFC8037_THUMBPRINT]


def test_convert_describes_each_key_with_its_own_kid_and_thumbprint(client):
    body = {"keys": [json.dumps(RFC7638_KEY), json.dumps(RFC8037_KEY)], "to": "jwk_set"}
    answer = client.post("/api/keys/convert", json=body).get_json()
    assert answer["keys"] == [
        {
            "description": "RSA 2048-bit public key",
            "kid": "2011-04-29",
            "thumbprint": RFC7638_THUMBPRINT,
        },
        {"description": "Ed25519 public key", "kid": None, "thumbprint": RFC8037_THUMBPRINT},
    ]
    assert convert([SECRET], "jwk")["keys"][0]["description"].startswith("HMAC secret")


@pytest.mark.parametrize(
    "body",
    (
        {"to": "jwk"},
        {"key": SECRET},
        {"keys": [], "to": "jwk_set"},
        {"keys": [1], "to": "jwk_set"},
        {"keys": "abc", "to": "jwk_set"},
        {"key": SECRET, "to": 3},
    ),
)
def test_convert_endpoint_refuses_bad_requests(client, body):
    assert_canonical_error(client.post("/api/keys/convert", json=body), 400, "invalid_request")
