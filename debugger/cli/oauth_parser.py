"""The `oauth` command's arguments. The parser is built for every command, `--version` included,
so this module names the choices without importing the core; tests/cli/test_oauth.py checks them
against `AUTH_METHODS` and `TOKEN_GRANTS`."""

from __future__ import annotations

from typing import Any

AUTH_METHOD_NAMES = ("none", "client_secret_basic", "client_secret_post", "private_key_jwt")
GRANT_NAMES = ("client_credentials", "refresh_token")


def add_parser(commands: Any) -> None:
    """The `oauth` command and its `token` subcommand."""
    oauth = commands.add_parser(
        "oauth",
        help="get tokens from an OAuth 2.0 / OpenID Connect provider",
        description="Talk to a provider only when asked: `oauth token` uses the client "
        "credentials or refresh token grant and checks the tokens it returns.",
    )
    actions = oauth.add_subparsers(dest="oauth_command", metavar="ACTION", required=True)
    token = actions.add_parser(
        "token",
        help="client credentials or refresh token",
        description="POST to the token endpoint (found by discovery from --issuer, or given "
        "with --token-endpoint) and print the answer, with the request as sent (secrets "
        "masked) and the checks of any JWT it returns. Exits 0 when the provider issued "
        "tokens that pass every check, 1 when it refused or a check failed.",
    )
    where = token.add_mutually_exclusive_group(required=True)
    where.add_argument("--issuer", metavar="URL", help="the issuer, to discover the endpoint")
    where.add_argument("--token-endpoint", metavar="URL", help="the token endpoint itself")
    token.add_argument("--client-id", required=True, metavar="ID")
    token.add_argument("--client-secret", metavar="KEY", help="text, @FILE, env:NAME or -")
    token.add_argument(
        "--auth-method", choices=AUTH_METHOD_NAMES, help="default: from the credentials"
    )
    token.add_argument(
        "--client-assertion-key", metavar="KEY", help="private key for private_key_jwt"
    )
    token.add_argument("--grant", choices=GRANT_NAMES, default="client_credentials")
    token.add_argument("--refresh-token", metavar="KEY", help="for --grant refresh_token")
    token.add_argument("--scope", metavar="SCOPE")
    token.add_argument("--resource", metavar="URI", help="the resource (RFC 8707)")
    token.add_argument(
        "--dry-run", action="store_true", help="print the request (secrets masked), send nothing"
    )
    token.add_argument("--json", action="store_true", help="print the API's JSON answer")
