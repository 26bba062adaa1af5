"""Nothing secret from the OAuth troubleshooter reaches the server's log: client secrets, client
assertion keys, tokens, codes and states, with --verbose."""

from __future__ import annotations

import http.client
import json

from ..conftest import start_server, stop_server
from ..oidc.provider import SECRETS


def _request(url: str, method: str, path: str, body: object | None = None) -> dict:
    address = url.split("//")[1].rstrip("/")
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        data = b"" if body is None else json.dumps(body).encode()
        headers = {"Host": address, "Content-Type": "application/json"}
        connection.request(method, path, body=data or None, headers=headers)
        response = connection.getresponse()
        text = response.read()
        return json.loads(text) if text and method == "POST" else {}
    finally:
        connection.close()


def test_no_oauth_secret_reaches_the_verbose_log(oidc_provider):
    server = start_server("--verbose")
    try:
        base = {"issuer": oidc_provider.issuer, "grant_type": "client_credentials"}
        basic = {"client_id": "basic-app", "client_secret": SECRETS["basic-app"]}
        issued = _request(server.url, "POST", "/api/oauth/token", {**base, **basic})
        access_token = issued["response"]["access_token"]
        jwt_client = {
            "client_id": "jwt-app",
            "client_assertion_key": oidc_provider.assertion_key_pem,
        }
        _request(server.url, "POST", "/api/oauth/token", {**base, **jwt_client})
        call = {"issuer": oidc_provider.issuer, **basic, "token": access_token}
        _request(server.url, "POST", "/api/oauth/introspect", call)
        started = _request(
            server.url,
            "POST",
            "/api/oauth/start",
            {"issuer": oidc_provider.issuer, "client_id": "public-app"},
        )
        state = started["state"]
        _request(server.url, "GET", f"/oauth/callback?state={state}&code=code-in-the-address")
    finally:
        output = stop_server(server)
    assert '"POST /api/oauth/token" 200' in output, output
    assert '"GET /oauth/callback" 303' in output, output
    key_body = oidc_provider.assertion_key_pem.splitlines()[1]
    for secret in (SECRETS["basic-app"], access_token, state, "code-in-the-address", key_body):
        assert secret not in output, output
