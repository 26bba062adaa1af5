"""Start the real OpenID Provider of tests/oidc (node's `oidc-provider`) on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

FOLDER = Path(__file__).resolve().parent
#: The clients provider.js registers, and their secrets.
SECRETS = {
    "basic-app": "basic-app-secret-0123456789abcdef",
    "post-app": "post-app-secret-0123456789abcdef",
}


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    assertion_key_pem: str
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(workdir: Path) -> Provider:
    """Install the provider if needed (npm ci), start it, wait for its discovery document."""
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--quiet"],
            cwd=FOLDER,
            check=True,
            capture_output=True,
            timeout=300,
        )
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": "client-key-1", "alg": "RS256", "use": "sig"})
    settings = workdir / "clients.json"
    settings.write_text(json.dumps({"assertion_jwks": {"keys": [public_jwk]}}))
    port = free_port()
    log = workdir / "provider.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["node", "provider.js", str(port), str(settings)],
            cwd=FOLDER,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    provider = Provider(issuer, process, pem, log)
    _wait_for_discovery(provider)
    return provider


def _wait_for_discovery(provider: Provider) -> None:
    deadline = time.monotonic() + 30
    url = provider.issuer + "/.well-known/openid-configuration"
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    stop(provider)
    raise AssertionError("the OpenID Provider did not start:\n" + provider.log.read_text())


def stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()
