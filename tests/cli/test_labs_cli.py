"""`--labs` turns the labs on in the real server; `--classroom` prints the one-page summary."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from debugger.analysis.attacks import forge_variants
from debugger.jose.b64 import b64url
from debugger.teach import labs

from ..conftest import start_server, stop_server
from .conftest import cli


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        with err:
            text = err.read()
        return err.code, json.loads(text) if text.startswith(b"{") else {}


def test_classroom_prints_every_lab_and_how_to_start():
    result = cli("--labs", "--classroom")
    assert result.returncode == 0, result.stderr
    assert "python -m debugger --labs" in result.stdout
    assert "deliberately insecure" in result.stdout
    for lab in labs.LABS:
        assert f"/labs/{lab.name}/" in result.stdout


def test_serve_with_labs_solves_a_lab_over_http_and_without_labs_is_404():
    server = start_server("--labs")
    try:
        assert "deliberately insecure" in server.startup
        status, body = _get(server.url + "labs/none-case/token")
        assert status == 200
        token = body["token"]
        status, body = _get(server.url + "labs/none-case/admin", token)
        assert status == 403 and body["solved"] is False  # genuine, but role user
        header, payload, _ = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        admin = b64url(json.dumps({**claims, "role": "admin"}).encode())
        variants = forge_variants(f"{header}.{admin}.")["variants"]
        none_variant = next(v for v in variants if v["id"] == "alg-None")
        status, body = _get(server.url + "labs/none-case/admin", none_variant["token"])
        assert status == 200 and body["solved"] is True, body
        assert "def fixed_hs256" in body["fixed_code"]
    finally:
        stop_server(server)
    plain = start_server()
    try:
        status, _ = _get(plain.url + "labs/none-case/token")
        assert status == 404
    finally:
        stop_server(plain)
