"""Nothing secret reaches the server's log: a full session with --verbose, then a scan of all it
printed for every token, key and secret that went through it."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import expect

from debugger.web.app import MAX_BODY_BYTES

from ..conftest import ROOT, Server, pem_pair, start_server, stop_server

VERIFIED = "Signature verified"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Session:
    """Requests to the running server, as a script and a browser would send them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.address = url.split("//")[1].rstrip("/")
        host, port = self.address.rsplit(":", 1)
        self.host, self.port = host, int(port)

    def send(self, method: str, path: str, body: bytes = b"", **headers: str) -> int:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            headers = {"Host": self.address, "Content-Length": str(len(body)), **headers}
            for name, value in headers.items():
                connection.putheader(name.replace("_", "-"), value)
            connection.endheaders(body)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def post_json(self, path: str, body: object, **headers: str) -> int:
        data = json.dumps(body).encode()
        return self.send("POST", path, data, Content_Type="application/json", **headers)

    def raw(self, data: bytes) -> None:
        with socket.create_connection((self.host, self.port), timeout=10) as connection:
            connection.sendall(data)
            connection.recv(4096)


@pytest.fixture
def credentials():
    """Credentials of every kind, each with a random part that cannot appear by chance."""
    marker = secrets.token_hex(8)
    secret = f"log-scan-secret-{marker}-0123456789"
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pair = pem_pair(private)
    private_pem, public_pem = pair.private_pem, pair.public_pem
    jwk_k = _b64url(secrets.token_bytes(32))
    subject = f"log-scan-subject-{marker}"
    return {
        "secret": secret,
        "private_pem": private_pem,
        "public_pem": public_pem,
        "jwk": json.dumps({"kty": "oct", "k": jwk_k, "kid": f"kid-{marker}"}),
        "jwk_k": jwk_k,
        "subject": subject,
        "hs_token": jwt.encode({"sub": subject}, secret, algorithm="HS256"),
        "rs_token": jwt.encode({"sub": subject}, private_pem, algorithm="RS256"),
        "jwk_token": jwt.encode({"sub": subject}, base64.urlsafe_b64decode(jwk_k + "=")),
    }


def _fragments(credentials: dict[str, str]) -> set[str]:
    """Every piece of text that must not be logged: whole values and their distinctive parts."""
    pieces = {credentials["secret"], credentials["jwk_k"], credentials["subject"]}
    for name in ("hs_token", "rs_token", "jwk_token"):
        token = credentials[name]
        pieces.add(token)
        pieces.update(part for part in token.split(".")[1:] if part)
    for name in ("private_pem", "public_pem"):
        lines = credentials[name].splitlines()[1:-1]
        pieces.update(line for line in lines if len(line) >= 40)
    return pieces


def _api_session(session: Session, creds: dict[str, str]) -> None:
    """Every endpoint and every kind of refusal, with credentials in every place they can be."""
    assert session.post_json("/api/decode", {"token": creds["hs_token"]}) == 200
    verify = {"token": creds["hs_token"], "key": creds["secret"]}
    assert session.post_json("/api/verify", verify) == 200
    verify = {"token": creds["rs_token"], "key": creds["public_pem"]}
    assert session.post_json("/api/verify", verify) == 200
    verify = {"token": creds["jwk_token"], "key": creds["jwk"]}
    assert session.post_json("/api/verify", verify) == 200
    encode = {"header": {"alg": "RS256"}, "payload": {"sub": creds["subject"]}}
    assert session.post_json("/api/encode", {**encode, "key": creds["private_pem"]}) == 200
    assert session.post_json("/api/keys/inspect", {"key": creds["private_pem"]}) == 200
    broken = creds["private_pem"][:200]
    assert session.post_json("/api/verify", {"token": creds["hs_token"], "key": broken}) == 400
    origin = {"Origin": "http://evil.example"}
    assert session.post_json("/api/verify", verify, **origin) == 403
    assert session.post_json("/api/verify", verify, Host=f"evil.example:{session.port}") == 403
    form = f"token={creds['hs_token']}&key={creds['secret']}".encode()
    assert session.send("POST", "/api/verify", form, Content_Type="text/plain") == 415
    filler = creds["hs_token"] * (MAX_BODY_BYTES // len(creds["hs_token"]) + 1)
    huge = json.dumps({"token": filler, "key": creds["secret"]}).encode()
    assert session.send("POST", "/api/verify", huge, Content_Type="application/json") == 413
    # Credentials where they should never be put: in URLs and in broken request lines.
    assert session.send("GET", f"/api/{creds['hs_token']}") == 404
    assert session.send("GET", f"/?token={creds['hs_token']}&key={creds['secret']}") == 200
    assert session.send("GET", f"/static/{creds['secret']}") == 404
    assert session.send(creds["jwk_k"][:20].upper().replace("-", "X"), "/") in (400, 405, 501)
    session.raw(f"GET /?key={creds['secret']} HTTP/1.1 {creds['jwk_k']}\r\n\r\n".encode())
    session.raw(f"{creds['hs_token']}\r\n\r\n".encode())


def _browser_session(browser, url: str, creds: dict[str, str]) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.locator("#token").fill(creds["rs_token"])
        page.locator("#key").fill(creds["private_pem"])
        expect(page.locator("#verdict")).to_contain_text(VERIFIED)
        page.locator("#payload").fill(json.dumps({"sub": creds["subject"], "admin": True}))
        expect(page.locator("#token")).not_to_have_value(creds["rs_token"], timeout=15_000)
        expect(page.locator("#verdict")).to_contain_text(VERIFIED)
        page.locator("#token").fill(creds["hs_token"])
        page.locator("#key").fill(creds["secret"])
        expect(page.locator("#verdict")).to_contain_text(VERIFIED)
    finally:
        context.close()


def test_a_full_session_leaves_no_token_key_or_secret_in_the_verbose_log(browser, credentials):
    server = start_server("--verbose")
    try:
        session = Session(server.url)
        _api_session(session, credentials)
        _browser_session(browser, server.url, credentials)
    finally:
        output = stop_server(server)
    log = server.startup + output
    # The log was on and saw the session: the scan below is not of an empty log.
    assert re.search(r'"POST /api/verify" 200', log), log[-2000:]
    assert re.search(r'"POST /api/encode" 200', log), log[-2000:]
    assert '"GET /" 200' in log
    leaked = sorted(piece for piece in _fragments(credentials) if piece in log)
    assert not leaked, f"credentials in the server log: {leaked}\n{log[-3000:]}"
    assert "Traceback" not in log


def test_the_quiet_server_logs_nothing_about_requests(credentials):
    server = start_server()
    try:
        _api_session(Session(server.url), credentials)
    finally:
        output = stop_server(server)
    assert output.strip() in ("", "Stopped."), output


def test_a_session_writes_nothing_to_disk(tmp_path, credentials):
    """The server runs in empty folders (home, temp, working directory); they stay empty."""
    folders = {name: tmp_path / name for name in ("home", "tmp", "cwd")}
    for folder in folders.values():
        folder.mkdir()
    env = {
        **os.environ,
        "HOME": str(folders["home"]),
        "TMPDIR": str(folders["tmp"]),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "debugger", "--no-browser", "--port", "0", "--verbose"],
        cwd=folders["cwd"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server("", process)
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        match = re.search(r"http://\S+/", first_line)
        assert match, first_line
        _api_session(Session(match.group(0)), credentials)
    finally:
        stop_server(server)
    written = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert written == sorted(folders), written


def test_the_verbose_log_names_the_route_never_the_path_or_query():
    marker = secrets.token_hex(8)
    server = start_server("--verbose")
    try:
        session = Session(server.url)
        foreign = f"evil.example:{session.port}"
        assert session.send("GET", f"/static/../../etc/passwd-{marker}") == 404
        assert session.send("GET", f"/static/{marker}?token={marker}") == 404
        assert session.send("POST", f"/static/{marker}?token={marker}") == 405
        assert session.send("GET", f"/static/{marker}?token={marker}", Host=foreign) == 403
        assert session.send("GET", f"/{marker}?token={marker}") == 404
    finally:
        output = stop_server(server)
    logged = [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("127.")]
    assert logged == [
        '"GET /static/<path:filename>" 404',
        '"GET /static/<path:filename>" 404',
        '"POST /static/<path:filename>" 405',
        '"GET /static/<path:filename>" 403',
        '"GET (unknown path)" 404',
    ], output
    assert marker not in output and "passwd" not in output and "token" not in output
