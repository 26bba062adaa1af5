"""The OpenAPI document: served, valid, in step with the routes, and true of real answers."""

from __future__ import annotations

import json
import re

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from openapi_spec_validator import validate

from debugger.errors import ERROR_CODES
from debugger.web.openapi import document

from ..apischema import (
    assert_documented_answer,
    request_validator,
    schema_problems,
    validator,
)
from ..conftest import SECRET

NOW = 1_800_000_000
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _openapi_path(rule: str) -> str:
    """Flask's `/api/x/<int:id>` is OpenAPI's `/api/x/{id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_document_is_served_as_json_and_not_cached(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == json.loads(json.dumps(document()))


def test_the_document_is_valid_openapi_3_1():
    validate(document())
    assert document()["openapi"].startswith("3.1")


def test_every_api_route_is_documented_and_every_documented_path_is_a_route(app):
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - IGNORED_METHODS
    }
    documented = {(path, method) for path, item in document()["paths"].items() for method in item}
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented paths the app does not serve"


def test_the_error_schema_lists_exactly_the_error_codes():
    error = document()["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["properties"]["code"]["enum"] == list(ERROR_CODES)


_EC_JWK = json.dumps(
    jwt.algorithms.ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()), as_dict=True)
)


def _hs256(**claims) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


REAL_CALLS = (
    ("/api/decode", {"token": _hs256(sub="a", exp=NOW + 60, nbf="soon"), "now": NOW}),
    ("/api/decode", {"token": "Bearer not.a.token!"}),
    ("/api/decode", {"token": ""}),
    ("/api/verify", {"token": _hs256(sub="a", iat=NOW), "key": SECRET, "now": NOW}),
    ("/api/verify", {"token": _hs256(sub="a"), "key": "x" * 40, "algorithms": ["HS256"]}),
    (
        "/api/verify",
        {"token": _hs256(), "key": json.dumps({"keys": [{"kty": "oct", "k": "QUFB", "kid": "a"}]})},
    ),
    ("/api/verify", {"token": _hs256(), "key": "-----BEGIN PUBLIC KEY-----\nAA\n"}),
    ("/api/encode", {"header": {"alg": "HS256"}, "payload": {"n": 1}, "key": SECRET}),
    ("/api/encode", {"header_json": '{"alg":"none"}', "payload_json": "{}", "key": ""}),
    ("/api/encode", {"header": {"alg": "RS256"}, "payload": {}, "key": SECRET}),
    ("/api/keys/inspect", {"key": SECRET}),
    ("/api/keys/generate", {"alg": "ES256"}),
    ("/api/keys/generate", {"alg": "HS256", "size": 7}),
    ("/api/keys/convert", {"key": json.dumps({"kty": "oct", "k": "QUFB"}), "to": "jwk"}),
    ("/api/keys/certificate", {"key": _EC_JWK, "subject": "Mallory"}),
    ("/api/keys/certificate", {"key": SECRET}),
    ("/api/jwks/fetch", {"url": "ftp://127.0.0.1/keys"}),
)


@pytest.mark.parametrize(("path", "body"), REAL_CALLS)
def test_real_answers_match_the_document(client, path, body):
    assert not schema_problems(request_validator(path), body), "the test's request is undocumented"
    assert_documented_answer(path, "post", client.post(path, json=body))


def test_the_schemas_are_strict_enough_to_catch_a_wrong_answer(client):
    answer = client.post("/api/decode", json={"token": _hs256(sub="a")}).get_json()
    check = validator(
        "paths", "/api/decode", "post", "responses", "200", "content", "application/json", "schema"
    )
    assert not schema_problems(check, answer)
    for broken in (
        {**answer, "problems": "none"},
        {**answer, "time": {**answer["time"], "status": "fine"}},
        {key: value for key, value in answer.items() if key != "token"},
    ):
        assert schema_problems(check, broken)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    (("get", "/api/nothing", 404), ("get", "/api/decode", 405), ("post", "/api/openapi.json", 405)),
)
def test_routing_errors_have_the_documented_error_shape(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    check = validator("components", "schemas", "Error")
    assert not schema_problems(check, response.get_json())
