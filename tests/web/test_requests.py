"""One declaration per request: what the views accept is what the OpenAPI document says."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from jsonschema import Draft202012Validator

from debugger.errors import DebuggerError
from debugger.web.fields import read, specs
from debugger.web.openapi import document
from debugger.web.requests import ENDPOINTS

from ..apischema import request_validator, schema_problems
from ..conftest import SECRET, assert_canonical_error

TOKEN = jwt.encode({"sub": "a"}, SECRET, algorithm="HS256")
#: A small request each endpoint answers without a 400 invalid_request (and without any network).
GOOD_BODIES = {
    "/api/decode": {"token": TOKEN},
    "/api/verify": {"token": TOKEN, "key": SECRET},
    "/api/explain": {"token": TOKEN},
    "/api/encode": {"header_json": '{"alg":"HS256"}', "payload_json": "{}", "key": SECRET},
    "/api/keys/inspect": {"key": SECRET},
    "/api/keys/generate": {"alg": "HS256"},
    "/api/keys/convert": {"key": json.dumps({"kty": "oct", "k": "QUFB"}), "to": "jwk"},
    "/api/keys/certificate": {"key": SECRET},
    "/api/jwks/fetch": {"url": "ftp://127.0.0.1/keys"},
    "/api/attacks": {"token": TOKEN},
    "/api/recover-key": {"token": TOKEN, "second_token": TOKEN},
    "/api/secret-search": {"token": TOKEN, "wordlist_base64": base64.b64encode(b"a\n").decode()},
    "/api/decrypt": {"token": TOKEN, "key": SECRET},
    "/api/encrypt": {
        "header": {"alg": "dir", "enc": "A128GCM"},
        "key": "0123456789abcdef",
        "payload": {"sub": "a"},
    },
    "/api/probe": {"url": "http://127.0.0.1:1/", "token": TOKEN},
    "/api/probe/preview": {"url": "http://127.0.0.1:1/", "token": TOKEN},
    "/api/probe/attacks": {"url": "http://127.0.0.1:1/", "token": TOKEN, "confirm": True},
    "/api/extract": {"text": TOKEN},
    "/api/dpop/check": {"proof": TOKEN},
    "/api/oauth/discover": {"issuer": "ftp://127.0.0.1/"},
    "/api/oauth/start": {"issuer": "ftp://127.0.0.1/", "client_id": "app"},
    "/api/oauth/token": {
        "token_endpoint": "ftp://127.0.0.1/token",
        "client_id": "app",
        "grant_type": "client_credentials",
    },
    "/api/oauth/device": {"device_authorization_endpoint": "ftp://127.0.0.1/d", "client_id": "a"},
    "/api/oauth/device/poll": {"device_id": "unknown"},
    "/api/oauth/userinfo": {"userinfo_endpoint": "ftp://127.0.0.1/me", "access_token": "t"},
    "/api/oauth/introspect": {"endpoint": "ftp://127.0.0.1/i", "client_id": "a", "token": "t"},
    "/api/oauth/revoke": {"endpoint": "ftp://127.0.0.1/r", "client_id": "a", "token": "t"},
    "/api/oauth/result": {"result_id": "unknown"},
}
#: Values of every JSON type, and the edge cases of the declared limits.
CANDIDATES = ("text", "", 5, 0, 2.0, 1.5, True, [], ["a"], [1], {"a": 1})


def _request_schema(path: str) -> dict:
    return document()["components"]["schemas"][ENDPOINTS[path].reads[0].__name__]


def _documented_fields() -> list[tuple[str, str]]:
    return [(path, name) for path in ENDPOINTS for name in _request_schema(path)["properties"]]


def test_every_endpoint_has_a_good_body_here():
    assert set(GOOD_BODIES) == set(ENDPOINTS)


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_every_endpoint_documents_exactly_the_fields_it_reads(path):
    declared = [spec for request_type in ENDPOINTS[path].reads for spec in specs(request_type)]
    schema = _request_schema(path)
    assert set(schema["properties"]) == {spec.name for spec in declared}
    assert set(schema["required"]) == {spec.name for spec in declared if spec.required}


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_the_good_bodies_are_documented_and_accepted(client, path):
    assert not schema_problems(request_validator(path), GOOD_BODIES[path])
    response = client.post(path, json=GOOD_BODIES[path])
    if response.status_code >= 400:
        assert response.get_json()["error"]["code"] != "invalid_request", response.get_json()


def _refused_field(path: str, body: dict) -> str | None:
    """The field the declarations of `path` refuse in `body`, or None when they read it."""
    try:
        for request_type in ENDPOINTS[path].reads:
            read(request_type, body)
    except DebuggerError as err:
        assert err.code == "invalid_request"
        return err.field or "(no field)"
    return None


@pytest.mark.parametrize(("path", "name"), _documented_fields())
def test_a_field_is_refused_exactly_when_the_document_refuses_it(client, path, name):
    """Each value the document refuses for a field is a 400 invalid_request naming that field,
    and each value it allows is read."""
    field_schema = Draft202012Validator(_request_schema(path)["properties"][name])
    for value in CANDIDATES:
        body = {**GOOD_BODIES[path], name: value}
        if field_schema.is_valid(value):
            assert _refused_field(path, body) in (None, "(no field)"), (name, value)
        else:
            assert _refused_field(path, body) == name, (name, value)
            error = assert_canonical_error(client.post(path, json=body), 400, "invalid_request")
            assert error["field"] == name, (value, error)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    (
        ("/api/decode", {}, "token"),
        ("/api/verify", {"token": TOKEN}, "key"),
        ("/api/encode", {"payload": {}, "key": SECRET}, "header"),
        ("/api/encode", {"header": {"alg": "HS256"}, "key": SECRET}, "payload"),
        ("/api/keys/convert", {"to": "jwk"}, "key"),
        ("/api/secret-search", {"token": TOKEN}, "wordlist_base64"),
        ("/api/secret-search", {"token": TOKEN, "wordlist_base64": "a!"}, "wordlist_base64"),
    ),
)
def test_a_missing_or_unreadable_field_is_named(client, path, body, field):
    error = assert_canonical_error(client.post(path, json=body), 400, "invalid_request")
    assert error["field"] == field


@pytest.mark.parametrize("body", ({}, {"url": "ftp://127.0.0.1/keys", "issuer": "x"}))
def test_jwks_fetch_needs_exactly_one_of_url_and_issuer(client, body):
    error = assert_canonical_error(
        client.post("/api/jwks/fetch", json=body), 400, "invalid_request"
    )
    assert "field" not in error


def test_an_unknown_field_is_ignored(client):
    """The page sends its verify options to decode too, so fields an endpoint does not take
    change nothing."""
    plain = client.post("/api/decode", json={"token": TOKEN, "now": 0}).get_json()
    extra = {"token": TOKEN, "now": 0, "detached_payload": "x", "no_such_field": [1]}
    assert client.post("/api/decode", json=extra).get_json() == plain


@pytest.mark.parametrize(
    ("key_fields", "field"),
    (
        ({"key": 5}, "key"),
        ({}, "key"),
        ({"key": SECRET, "algorithms": [1]}, "algorithms"),
        ({"key": SECRET, "secret_encoding": "rot13"}, "secret_encoding"),
        ({"use_embedded_key": "jku"}, "use_embedded_key"),
    ),
)
def test_verify_reports_a_refused_key_field_beside_the_token_when_asked(client, key_fields, field):
    body = {"token": TOKEN, **key_fields, "report_key_error": True}
    response = client.post("/api/verify", json=body)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert (answer["key_error"]["code"], answer["key_error"]["field"]) == ("invalid_request", field)
    assert answer["payload"] == {"sub": "a"}
    body.pop("report_key_error")
    error = assert_canonical_error(client.post("/api/verify", json=body), 400, "invalid_request")
    assert error["field"] == field


@pytest.mark.parametrize("field", ("now", "audience", "report_key_error"))
def test_verify_refuses_a_wrong_field_outside_the_key_even_when_asked(client, field):
    body = {"token": TOKEN, "key": "{", "report_key_error": True, field: [1]}
    error = assert_canonical_error(client.post("/api/verify", json=body), 400, "invalid_request")
    assert error["field"] == field
