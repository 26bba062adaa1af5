"""The sample protected API: 200 with the claims for a good demo token, 401 with the reason."""

from __future__ import annotations

import base64
import time

import jwt
import pytest

from debugger.teach import demo

from ..conftest import SECRET, assert_canonical_error

URL = "/demo/protected"


def demo_token(**claims) -> str:
    now = int(time.time())
    return jwt.encode(
        {"sub": "demo-user", "iat": now, "exp": now + 600, **claims}, demo.DEMO_SECRET
    )


def get(client, authorization: str | None = None):
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.get(URL, headers=headers)


def refused(response, reason: str) -> dict:
    error = assert_canonical_error(response, 401, "unauthorized")
    assert error["reason"] == reason, error
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="demo"')
    assert "\r" not in challenge and "\n" not in challenge
    return error


def test_a_token_signed_with_the_demo_key_gets_200_and_its_claims(client):
    token = demo_token(role="reader")
    response = get(client, f"Bearer {token}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["claims"] == jwt.decode(token, demo.DEMO_SECRET, algorithms=["HS256"])
    assert body["alg"] == "HS256"
    assert response.headers["Cache-Control"] == "no-store"


def test_no_authorization_header_is_401_without_an_error_code_in_the_challenge(client):
    response = get(client)
    refused(response, "missing_authorization")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="demo"'


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token abc.def.ghi"])
def test_another_scheme_is_401_not_bearer(client, header):
    refused(get(client, header), "not_bearer")


@pytest.mark.parametrize(
    ("make_token", "reason"),
    (
        (lambda: jwt.encode({"sub": "a"}, SECRET), "signature_mismatch"),
        (lambda: demo_token(exp=int(time.time()) - 120), "expired"),
        (lambda: demo_token(nbf=int(time.time()) + 600), "not_yet_valid"),
        (
            lambda: jwt.encode({"sub": "a"}, demo.DEMO_SECRET * 2, algorithm="HS512"),
            "alg_not_allowed",
        ),
        (lambda: jwt.encode({"sub": "a"}, None, algorithm="none"), "unsecured_token"),
        (lambda: demo_token().rsplit(".", 1)[0], "malformed_token"),
    ),
)
def test_a_bad_token_is_401_with_the_reason(client, make_token, reason):
    error = refused(get(client, f"Bearer {make_token()}"), reason)
    assert (
        'error="invalid_token"' in get(client, f"Bearer {make_token()}").headers["WWW-Authenticate"]
    )
    assert error["message"]


def test_a_hostile_header_value_cannot_break_the_challenge_header(client):
    header = '{"alg":"HS256\\r\\nSet-Cookie: a=b","typ":"JWT"}'
    encoded = base64.urlsafe_b64encode(header.encode()).rstrip(b"=").decode()
    response = get(client, f"Bearer {encoded}.e30.c2ln")
    refused(response, "alg_not_allowed")
    assert "Set-Cookie" not in response.headers


def test_the_core_answers_without_flask():
    answer = demo.protected(f"Bearer {demo_token()}", now=time.time())
    assert answer.status == 200 and answer.body["claims"]["sub"] == "demo-user"
    expired = demo.protected(f"Bearer {demo_token()}", now=time.time() + 3600)
    assert expired.status == 401 and expired.body["error"]["reason"] == "expired"


def test_the_page_shows_the_demo_key_and_the_endpoint(client):
    with client.get("/") as response:
        page = response.get_data(as_text=True)
    assert demo.DEMO_SECRET in page
    assert 'data-demo-url="/demo/protected"' in page
    assert 'data-explain-url="/api/explain"' in page
