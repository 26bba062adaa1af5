"""`oauth token`: client credentials or refresh token at a provider's token endpoint, on the same
core as `/api/oauth/token`. Secrets are read as KEYs are (text, @FILE, env:NAME or -)."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from .commands import Outcome
from .inputs import Inputs
from .terminal import Style, safe, safe_block

if TYPE_CHECKING:
    from ..web.oauth_service import TokenResult


def oauth_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`oauth token`: one token request, its answer and its checks."""
    from ..net.http import FetchLimits
    from ..net.oauth import Client
    from ..web.oauth_service import metadata_for, token_request

    secret = _optional(inputs, args.client_secret, "--client-secret")
    key = _optional(inputs, args.client_assertion_key, "--client-assertion-key")
    refresh = _optional(inputs, args.refresh_token, "--refresh-token")
    limits = FetchLimits()
    result = token_request(
        metadata_for(args.issuer, limits),
        args.token_endpoint,
        args.grant,
        Client(args.client_id, secret, args.auth_method, key),
        scope=args.scope,
        resource=args.resource,
        refresh_token=refresh,
        limits=limits,
        now=time.time(),
        preview=args.dry_run,
    )
    failed = _failed(result)
    return Outcome(dict(result), lambda style: render_token(result, style), 1 if failed else 0)


def _optional(inputs: Inputs, value: str | None, what: str) -> str | None:
    return None if value is None else inputs.text(value, what)


def _failed(result: TokenResult) -> bool:
    if not result["sent"]:
        return False
    if "diagnosis" in result or result["status"] != 200:
        return True
    checks = [*result.get("id_token_checks", []), *result.get("access_token_checks", [])]
    return any(check["passed"] is False for check in checks)


def render_token(result: TokenResult, style: Style) -> str:
    """The request as sent, the answer, what an error means, and the checks."""
    shown = result["request"]
    lines = [style.title("Request" + ("" if result["sent"] else " (not sent)"))]
    lines.append(f"  {safe(shown['method'])} {safe(shown['url'])}")
    lines += [f"  {safe(name)}: {safe(value)}" for name, value in shown["headers"].items()]
    lines.append(f"  {safe(shown['body'])}")
    if not result["sent"]:
        return "\n".join(lines) + "\n"
    lines.append(style.title(f"Answer: HTTP {result['status']}"))
    for name, value in result["response"].items():
        lines.append(f"  {safe(name)}: {safe_block(value)}")
    diagnosis = result.get("diagnosis")
    if diagnosis is not None:
        lines.append(style.title(f"Error {safe(diagnosis['error'])} [{diagnosis['code']}]"))
        lines.append(f"  {diagnosis['explanation']}")
        lines.append(f"  Fix: {diagnosis['fix']}")
    tables = (
        ("ID token", result.get("id_token_checks")),
        ("Access token", result.get("access_token_checks")),
    )
    for title, checks in tables:
        if checks:
            lines.append(style.title(f"{title} checks"))
            for check in checks:
                mark = {True: "✓", False: "✗", None: "-"}[check["passed"]]
                lines.append(f"  {mark} {safe(check['message'])}")
    return "\n".join(lines) + "\n"
