"""Shared fixtures: the app and its client, keys of every kind, and the real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from debugger.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
BROWSER_TESTS = ROOT / "tests" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests, so that `pytest -m "not browser"` is a quick loop: every test
    in tests/browser, and any other that drives Chromium through the `browser` fixture."""
    for item in items:
        in_folder = item.path.resolve().is_relative_to(BROWSER_TESTS)
        if in_folder or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def assert_canonical_error(response, status: int, code: str) -> dict:
    """Every API error has the same shape: {"error": {"code", "message"}}."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@dataclass(frozen=True)
class KeyPair:
    private: object
    private_pem: str
    public_pem: str


def pem_pair(private) -> KeyPair:
    """A private key with its PKCS#8 and SPKI PEM texts."""
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private, private_pem, public_pem)


@pytest.fixture(scope="session")
def keypairs() -> dict[str, KeyPair]:
    """One key pair per asymmetric key type, made once per test run."""
    return {
        "RSA": pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "P-256": pem_pair(ec.generate_private_key(ec.SECP256R1())),
        "P-384": pem_pair(ec.generate_private_key(ec.SECP384R1())),
        "P-521": pem_pair(ec.generate_private_key(ec.SECP521R1())),
        "secp256k1": pem_pair(ec.generate_private_key(ec.SECP256K1())),
        "Ed25519": pem_pair(ed25519.Ed25519PrivateKey.generate()),
        "Ed448": pem_pair(ed448.Ed448PrivateKey.generate()),
    }


#: Which key pair signs each asymmetric algorithm.
ALG_KEYS = {
    "RS256": "RSA",
    "RS384": "RSA",
    "RS512": "RSA",
    "PS256": "RSA",
    "PS384": "RSA",
    "PS512": "RSA",
    "ES256": "P-256",
    "ES384": "P-384",
    "ES512": "P-521",
    "ES256K": "secp256k1",
    "EdDSA": "Ed25519",
    "Ed25519": "Ed25519",
    "Ed448": "Ed448",
}
SECRET = "a-secret-of-thirty-two-bytes-000"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    startup: str = ""


def start_server(*args: str, cwd: Path = ROOT, python: str = sys.executable) -> Server:
    """Start `python -m debugger --no-browser --port 0` and wait until it prints its URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [python, "-m", "debugger", "--no-browser", "--port", "0", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    lines = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"(http://\S+/)", line)
        if match:
            return Server(match.group(1), process, "".join(lines))
    process.kill()
    rest, _ = process.communicate()
    raise AssertionError("the server did not start:\n" + "".join(lines) + rest)


def stop_server(server: Server) -> str:
    """Stop the server and return everything it printed."""
    server.process.terminate()
    try:
        out, _ = server.process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        out, _ = server.process.communicate()
    return out


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    running = start_server()
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.goto(server.url)
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """A real OpenID Provider (node's oidc-provider) on 127.0.0.1, for the whole session."""
    from .oidc import provider

    running = provider.start(tmp_path_factory.mktemp("oidc"))
    yield running
    provider.stop(running)


def open_panels(page) -> None:
    """Open every folded panel, as a user clicks its heading, and wait until its controls work."""
    folds = page.locator("details.fold:not([hidden])")
    for index in range(folds.count()):
        fold = folds.nth(index)
        if fold.is_visible() and not fold.evaluate("node => node.open"):
            fold.locator("> summary").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('details.fold')]"
        ".every((fold) => !fold.open || 'loaded' in fold.dataset)"
    )
