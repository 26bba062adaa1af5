"""The OAuth troubleshooter against a real OpenID Provider (node's oidc-provider on 127.0.0.1),
through the API, and its parts on their own: metadata warnings, masking, diagnoses, flows."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from debugger.codes import (
    ALG_NONE_SUPPORTED,
    ASSERTION_CLOCK_SKEW,
    CLIENT_AUTH_FAILED,
    GRANT_INVALID,
    IMPLICIT_GRANT_OFFERED,
    ISSUER_MISMATCH,
    ISSUER_NOT_HTTPS,
    ISSUER_TEMPLATE,
    PKCE_MISMATCH,
    PKCE_PLAIN_OFFERED,
    PKCE_S256_MISSING,
    REDIRECT_URI_MISMATCH,
    SLOW_DOWN,
)
from debugger.errors import (
    OAUTH_CLIENT_AUTH,
    OAUTH_NO_ENDPOINT,
    OAUTH_TOO_MANY_FLOWS,
    OAUTH_UNKNOWN_STATE,
    ORIGIN_NOT_ALLOWED,
    DebuggerError,
)
from debugger.net import oauth
from debugger.net.oauth_errors import diagnose
from debugger.net.oauth_flow import PendingFlows, authorization_url, code_challenge, new_flow
from debugger.web.app import create_app
from debugger.web.oauth_requests import OAUTH_ENDPOINTS

from ..conftest import assert_canonical_error
from ..oidc.provider import SECRETS

BASIC = {"client_id": "basic-app", "client_secret": SECRETS["basic-app"]}
POST = {
    "client_id": "post-app",
    "client_secret": SECRETS["post-app"],
    "auth_method": "client_secret_post",
}


@pytest.fixture
def api(app):
    return app.test_client()


def _metadata(**changes):
    metadata = {
        "issuer": "https://id.example",
        "authorization_endpoint": "https://id.example/auth",
        "token_endpoint": "https://id.example/token",
        "jwks_uri": "https://id.example/jwks",
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "grant_types_supported": ["authorization_code"],
    }
    metadata.update(changes)
    return {key: value for key, value in metadata.items() if value is not None}


def _warning_codes(issuer, metadata):
    described = oauth.describe_metadata(issuer, metadata, issuer + "/.well-known/x", "x")
    return [warning["code"] for warning in described["warnings"]]


@pytest.mark.parametrize(
    ("issuer", "changes", "expected"),
    (
        ("https://id.example", {}, []),
        ("https://id.example/", {}, [ISSUER_MISMATCH]),
        (
            "https://id.example/common",
            {"issuer": "https://id.example/{tenantid}"},
            [ISSUER_TEMPLATE],
        ),
        (
            "https://id.example/common",
            {"issuer": "https://other.example/{tenantid}"},
            [ISSUER_MISMATCH],
        ),
        ("https://id.example", {"code_challenge_methods_supported": None}, [PKCE_S256_MISSING]),
        (
            "https://id.example",
            {"code_challenge_methods_supported": ["plain"]},
            [PKCE_S256_MISSING, PKCE_PLAIN_OFFERED],
        ),
        (
            "https://id.example",
            {"id_token_signing_alg_values_supported": ["RS256", "none"]},
            [ALG_NONE_SUPPORTED],
        ),
        (
            "https://id.example",
            {"grant_types_supported": ["authorization_code", "implicit"]},
            [IMPLICIT_GRANT_OFFERED],
        ),
    ),
)
def test_metadata_warnings(issuer, changes, expected):
    assert _warning_codes(issuer, _metadata(**changes)) == expected


def test_a_plain_http_issuer_beyond_loopback_is_warned_about():
    metadata = _metadata(issuer="http://id.example")
    assert ISSUER_NOT_HTTPS in _warning_codes("http://id.example", metadata)
    metadata = _metadata(issuer="http://127.0.0.1:9000")
    assert ISSUER_NOT_HTTPS not in _warning_codes("http://127.0.0.1:9000", metadata)


def test_discovery_of_the_real_provider_names_its_endpoints(api, oidc_provider):
    answer = api.post("/api/oauth/discover", json={"issuer": oidc_provider.issuer}).get_json()
    assert answer["endpoints"]["token_endpoint"] == oidc_provider.issuer + "/token"
    assert answer["endpoints"]["device_authorization_endpoint"]
    assert answer["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in answer["id_token_signing_alg_values_supported"]
    # oidc-provider lists the implicit grant, which the debugger warns about; nothing else.
    assert [w["code"] for w in answer["warnings"]] == [IMPLICIT_GRANT_OFFERED]


def test_discovery_with_a_trailing_slash_warns_of_the_issuer_mismatch(api, oidc_provider):
    answer = api.post("/api/oauth/discover", json={"issuer": oidc_provider.issuer + "/"})
    assert ISSUER_MISMATCH in [w["code"] for w in answer.get_json()["warnings"]]


@pytest.mark.parametrize(
    "client",
    (BASIC, POST, "jwt"),
    ids=("client_secret_basic", "client_secret_post", "private_key_jwt"),
)
def test_client_credentials_with_each_authentication_method(api, oidc_provider, client):
    if client == "jwt":
        client = {"client_id": "jwt-app", "client_assertion_key": oidc_provider.assertion_key_pem}
    body = {
        "issuer": oidc_provider.issuer,
        "grant_type": "client_credentials",
        "scope": "api:read",
        "resource": "urn:test:api",
        **client,
    }
    answer = api.post("/api/oauth/token", json=body).get_json()
    assert answer["status"] == 200, answer
    assert "diagnosis" not in answer
    assert answer["response"]["token_type"] == "Bearer"
    checks = answer["access_token_checks"]
    assert [c["code"] for c in checks if c["passed"] is not True] == []
    shown = str(answer["request"])
    assert SECRETS["basic-app"] not in shown and SECRETS["post-app"] not in shown


def test_the_basic_header_is_masked_and_the_assertion_keeps_only_its_readable_parts(
    api, oidc_provider
):
    body = {"issuer": oidc_provider.issuer, "grant_type": "client_credentials", "preview": True}
    basic = api.post("/api/oauth/token", json={**body, **BASIC}).get_json()
    assert basic["sent"] is False and basic["status"] == 0
    assert basic["request"]["headers"]["Authorization"].startswith("Basic ********(")
    jwt_client = {"client_id": "jwt-app", "client_assertion_key": oidc_provider.assertion_key_pem}
    signed = api.post("/api/oauth/token", json={**body, **jwt_client}).get_json()
    form = parse_qs(signed["request"]["body"])
    header, payload, signature = form["client_assertion"][0].split(".")
    claims = base64.urlsafe_b64decode(payload + "==")
    assert b'"iss":"jwt-app"' in claims and b'"aud":"' + oidc_provider.issuer.encode() in claims
    assert signature.startswith("********(")


def test_a_preview_sends_nothing(api, oidc_provider):
    body = {"issuer": oidc_provider.issuer, "grant_type": "client_credentials", **BASIC}
    preview = api.post("/api/oauth/token", json={**body, "preview": True}).get_json()
    assert preview["sent"] is False and preview["response"] == {}
    token = api.post("/api/oauth/token", json=body).get_json()["response"]["access_token"]
    # The token endpoint URL and the body shown are the ones then sent.
    sent = api.post("/api/oauth/token", json=body).get_json()["request"]
    assert sent == preview["request"]
    assert token


def test_a_wrong_secret_is_explained_as_a_client_authentication_failure(api, oidc_provider):
    body = {
        "issuer": oidc_provider.issuer,
        "grant_type": "client_credentials",
        "client_id": "basic-app",
        "client_secret": "wrong",
    }
    answer = api.post("/api/oauth/token", json=body).get_json()
    assert answer["status"] == 401
    assert answer["diagnosis"]["code"] == CLIENT_AUTH_FAILED
    assert answer["diagnosis"]["error"] == "invalid_client"


def test_an_unknown_refresh_token_is_explained_as_an_invalid_grant(api, oidc_provider):
    body = {
        "issuer": oidc_provider.issuer,
        "grant_type": "refresh_token",
        "refresh_token": "not-a-refresh-token",
        **BASIC,
    }
    answer = api.post("/api/oauth/token", json=body).get_json()
    assert answer["status"] == 400
    assert answer["diagnosis"]["code"] == GRANT_INVALID
    assert "not-a-refresh-token" not in answer["request"]["body"]


def test_introspection_then_revocation(api, oidc_provider):
    base = {"issuer": oidc_provider.issuer, **BASIC}
    issued = api.post(
        "/api/oauth/token", json={**base, "grant_type": "client_credentials"}
    ).get_json()
    token = issued["response"]["access_token"]
    call = {**base, "token": token, "token_type_hint": "access_token"}
    active = api.post("/api/oauth/introspect", json=call).get_json()
    assert active["status"] == 200 and active["response"]["active"] is True
    assert active["response"]["client_id"] == "basic-app"
    assert token not in str(active["request"])
    revoked = api.post("/api/oauth/revoke", json=call).get_json()
    assert revoked["status"] == 200 and "diagnosis" not in revoked
    after = api.post("/api/oauth/introspect", json=call).get_json()
    assert after["response"]["active"] is False


def test_an_unknown_device_id_and_result_id_are_refused(api):
    for path, body in (
        ("/api/oauth/device/poll", {"device_id": "nope"}),
        ("/api/oauth/result", {"result_id": "nope"}),
    ):
        assert_canonical_error(api.post(path, json=body), 400, OAUTH_UNKNOWN_STATE)


def test_private_key_jwt_without_a_key_is_refused_before_sending(api, oidc_provider):
    body = {
        "issuer": oidc_provider.issuer,
        "grant_type": "client_credentials",
        "client_id": "jwt-app",
        "auth_method": "private_key_jwt",
    }
    error = assert_canonical_error(api.post("/api/oauth/token", json=body), 400, OAUTH_CLIENT_AUTH)
    assert error["field"] == "client_assertion_key"


def test_no_endpoint_without_issuer_or_url(api):
    body = {"grant_type": "client_credentials", "client_id": "a"}
    assert_canonical_error(api.post("/api/oauth/token", json=body), 400, OAUTH_NO_ENDPOINT)


def test_start_gives_the_loopback_redirect_uri_and_an_s256_challenge(oidc_provider):
    app = create_app({"TESTING": True, "SERVER_HOST": "127.0.0.1", "SERVER_PORT": 8765})
    client = app.test_client()
    body = {"issuer": oidc_provider.issuer, "client_id": "public-app", "scope": "openid"}
    answer = client.post(
        "/api/oauth/start", json=body, headers={"Host": "127.0.0.1:8765"}
    ).get_json()
    assert answer["redirect_uri"] == "http://127.0.0.1:8765/oauth/callback"
    query = parse_qs(urlsplit(answer["authorization_url"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == [answer["state"]]
    assert len(query["nonce"][0]) >= 43 and len(query["code_challenge"][0]) == 43
    assert "code_verifier" not in query


def test_a_callback_with_an_unknown_state_exchanges_nothing(api):
    response = api.get("/oauth/callback?state=forged&code=abc")
    assert response.status_code == 303
    handle = response.headers["Location"].split("/oauth#result=")[1]
    result = api.post("/api/oauth/result", json={"result_id": handle}).get_json()
    assert result["sent"] is False
    assert result["error"]["code"] == OAUTH_UNKNOWN_STATE
    # A result is shown once.
    again = api.post("/api/oauth/result", json={"result_id": handle})
    assert_canonical_error(again, 400, OAUTH_UNKNOWN_STATE)


@pytest.mark.parametrize("path", sorted(OAUTH_ENDPOINTS))
def test_every_oauth_endpoint_refuses_a_foreign_origin(api, path):
    response = api.post(path, json={}, headers={"Origin": "http://evil.example"})
    assert_canonical_error(response, 403, ORIGIN_NOT_ALLOWED)


def test_the_callback_refuses_a_foreign_host(api):
    response = api.get("/oauth/callback?state=x", headers={"Host": "evil.example"})
    assert response.status_code == 403


def _flow(now=1000.0):
    metadata = oauth.describe_metadata("https://id.example", _metadata(), "https://id.example", "x")
    client = oauth.Client("app")
    return new_flow(metadata, client, "openid", "http://127.0.0.1:1/oauth/callback", now)


def test_a_pending_flow_is_taken_once_and_forgotten_after_ten_minutes():
    flows = PendingFlows()
    flow = _flow()
    flows.add(flow, 1000.0)
    assert flows.take(flow.state, 1001.0) is flow
    with pytest.raises(DebuggerError) as taken:
        flows.take(flow.state, 1002.0)
    assert taken.value.code == OAUTH_UNKNOWN_STATE
    old = _flow()
    flows.add(old, 1000.0)
    with pytest.raises(DebuggerError) as expired:
        flows.take(old.state, 1000.0 + 601)
    assert expired.value.code == OAUTH_UNKNOWN_STATE


def test_pending_flows_are_bounded():
    flows = PendingFlows(capacity=2)
    flows.add(_flow(), 0.0)
    flows.add(_flow(), 0.0)
    with pytest.raises(DebuggerError) as full:
        flows.add(_flow(), 0.0)
    assert full.value.code == OAUTH_TOO_MANY_FLOWS and full.value.status == 429


def test_code_challenge_is_rfc_7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_extra_parameters_cannot_replace_the_flow_s_own():
    flow = _flow()
    started = authorization_url(flow, "https://id.example/auth", {"state": "x", "prompt": "login"})
    query = parse_qs(urlsplit(started["authorization_url"]).query)
    assert query["state"] == [flow.state] and query["prompt"] == ["login"]
    digest = hashlib.sha256(flow.code_verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]


@pytest.mark.parametrize(
    ("response", "options", "expected"),
    (
        (
            {"error": "invalid_grant", "error_description": "PKCE verification failed"},
            {},
            PKCE_MISMATCH,
        ),
        (
            {
                "error": "invalid_grant",
                "error_description": "grant request is invalid: redirect_uri mismatch",
            },
            {},
            REDIRECT_URI_MISMATCH,
        ),
        (
            {"error": "invalid_client"},
            {"used_assertion": True, "date_skew_seconds": 120.0},
            ASSERTION_CLOCK_SKEW,
        ),
        (
            {"error": "invalid_client", "error_description": "jwt issued in the future"},
            {"used_assertion": True},
            ASSERTION_CLOCK_SKEW,
        ),
        (
            {"error": "invalid_client"},
            {"used_assertion": True, "date_skew_seconds": 1.0},
            CLIENT_AUTH_FAILED,
        ),
        ({"error": "slow_down"}, {}, SLOW_DOWN),
    ),
)
def test_provider_errors_are_diagnosed(response, options, expected):
    found = diagnose(response, status=400, **options)
    assert found is not None and found["code"] == expected
    assert found["explanation"] and found["fix"]


def test_a_success_is_not_diagnosed():
    assert diagnose({"access_token": "x"}, status=200) is None


def _device(state, interval=5):
    from debugger.web.oauth_service import PendingDevice

    device = PendingDevice(
        "device-code", oauth.Client("app"), None, "http://127.0.0.1:9/token", interval, 10_000.0
    )
    return state.keep_device(device, 0.0), device


def test_a_device_poll_sooner_than_the_interval_sends_nothing(monkeypatch):
    from debugger.web import oauth_service

    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be sent before the interval has passed")

    state = oauth_service.OAuthState()
    handle, device = _device(state)
    device.last_poll = 100.0
    monkeypatch.setattr(oauth_service, "send_token_request", refuse)
    polled = oauth_service.poll_device(state, handle, oauth.FetchLimits(), 102.0)
    assert polled["sent"] is False and polled["done"] is False
    assert polled["next_poll_seconds"] == 4


def test_slow_down_adds_five_seconds_and_authorization_pending_keeps_polling(monkeypatch):
    from debugger.web import oauth_service

    answers = iter(("slow_down", "authorization_pending"))

    def provider_says(*args, **kwargs):
        error = next(answers)
        return {
            "status": 400,
            "response": {"error": error},
            "request": {"method": "POST", "url": "", "headers": {}, "body": ""},
            "sent": True,
            "diagnosis": diagnose({"error": error}, status=400),
        }

    state = oauth_service.OAuthState()
    handle, device = _device(state)
    monkeypatch.setattr(oauth_service, "send_token_request", provider_says)
    first = oauth_service.poll_device(state, handle, oauth.FetchLimits(), 100.0)
    assert first["next_poll_seconds"] == 10 and first["done"] is False
    second = oauth_service.poll_device(state, handle, oauth.FetchLimits(), 110.0)
    assert second["next_poll_seconds"] == 10 and second["done"] is False
