"""`oauth token` against the real OpenID Provider: each grant, exit codes, masked secrets."""

from __future__ import annotations

import json

from debugger.cli.oauth_parser import AUTH_METHOD_NAMES, GRANT_NAMES
from debugger.net.oauth import AUTH_METHODS
from debugger.web.oauth_service import TOKEN_GRANTS

from ..oidc.provider import SECRETS
from .conftest import cli


def test_the_parser_names_the_core_s_choices():
    assert AUTH_METHOD_NAMES == AUTH_METHODS and GRANT_NAMES == TOKEN_GRANTS


def test_client_credentials_prints_the_answer_and_the_checks(oidc_provider):
    result = cli(
        "oauth",
        "token",
        "--issuer",
        oidc_provider.issuer,
        "--client-id",
        "basic-app",
        "--client-secret",
        "env:CLIENT_SECRET",
        "--resource",
        "urn:test:api",
        "--scope",
        "api:read",
        env={"CLIENT_SECRET": SECRETS["basic-app"]},
    )
    assert result.returncode == 0, result.stderr
    assert "Answer: HTTP 200" in result.stdout
    assert "✓ RS256 signature verifies" in result.stdout
    assert SECRETS["basic-app"] not in result.stdout + result.stderr


def test_private_key_jwt_with_json_output(oidc_provider, tmp_path):
    key_file = tmp_path / "client.pem"
    key_file.write_text(oidc_provider.assertion_key_pem)
    result = cli(
        "oauth",
        "token",
        "--issuer",
        oidc_provider.issuer,
        "--client-id",
        "jwt-app",
        "--client-assertion-key",
        f"@{key_file}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200 and answer["response"]["access_token"]


def test_a_refused_request_exits_1_with_the_diagnosis(oidc_provider):
    result = cli(
        "oauth",
        "token",
        "--issuer",
        oidc_provider.issuer,
        "--client-id",
        "post-app",
        "--client-secret",
        "wrong",
        "--auth-method",
        "client_secret_post",
    )
    assert result.returncode == 1
    assert "[client_auth_failed]" in result.stdout


def test_a_refresh_with_an_unknown_token_is_an_invalid_grant(oidc_provider):
    result = cli(
        "oauth",
        "token",
        "--token-endpoint",
        oidc_provider.issuer + "/token",
        "--client-id",
        "basic-app",
        "--client-secret",
        SECRETS["basic-app"],
        "--grant",
        "refresh_token",
        "--refresh-token",
        "not-a-refresh-token",
        "--json",
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["diagnosis"]["code"] == "grant_invalid"


def test_dry_run_sends_nothing_and_masks_the_secret():
    result = cli(
        "oauth",
        "token",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--client-id",
        "basic-app",
        "--client-secret",
        "a-secret-never-printed",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert "Request (not sent)" in result.stdout
    assert "Authorization: Basic ********(" in result.stdout
    assert "a-secret-never-printed" not in result.stdout
