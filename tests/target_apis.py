"""Small protected APIs for the probe and the scan: one correct, three with classic flaws.

Each runs as a real HTTP server on 127.0.0.1 (werkzeug's `make_server` in a thread) and answers
`GET /resource` with 200 when it accepts the Bearer token, 401 with an RFC 6750 challenge when it
does not. `/scoped` wants the scope `write`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator

import jwt
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

#: How each API checks a token: given the token and the public key PEM, the claims or an error.
Check = Callable[[str, str], dict]


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def correct(token: str, public_pem: str) -> dict:
    """PyJWT with a fixed algorithm: what every API should do."""
    return jwt.decode(token, public_pem, algorithms=["RS256"], options={"verify_aud": False})


def accepts_alg_none(token: str, public_pem: str) -> dict:
    """Trusts the header: `none` (any casing) means no signature to check."""
    header = jwt.get_unverified_header(token)
    if str(header.get("alg")).lower() == "none":
        return json.loads(_b64decode(token.split(".")[1]))
    return correct(token, public_pem)


def public_key_as_hmac_secret(token: str, public_pem: str) -> dict:
    """Passes its public key to whatever algorithm the header names: HS256 uses it as a secret."""
    header = jwt.get_unverified_header(token)
    if header.get("alg") == "HS256":
        signing_input, _, signature = token.rpartition(".")
        expected = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64decode(signature)):
            raise jwt.InvalidSignatureError("bad signature")
        return json.loads(_b64decode(token.split(".")[1]))
    return correct(token, public_pem)


def no_verification(token: str, public_pem: str) -> dict:
    """Reads the claims and checks nothing."""
    return jwt.decode(token, options={"verify_signature": False})


def make_api(check: Check, public_pem: str) -> Flask:
    app = Flask(__name__)

    def claims_or_refusal():
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None, _refusal(None, None)
        try:
            return check(auth[7:], public_pem), None
        except jwt.ExpiredSignatureError:
            return None, _refusal("invalid_token", "The access token expired")
        except Exception:  # any failure is a refusal, as in a real API
            return None, _refusal("invalid_token", "The access token is invalid")

    @app.get("/resource")
    def resource():
        claims, refusal = claims_or_refusal()
        return refusal or jsonify(ok=True, sub=claims.get("sub"))

    @app.get("/scoped")
    def scoped():
        claims, refusal = claims_or_refusal()
        if refusal:
            return refusal
        if "write" not in str(claims.get("scope", "")).split():
            return _refusal("insufficient_scope", None, status=403, scope="write")
        return jsonify(ok=True)

    @app.route("/echo", methods=["GET", "POST", "PUT"])
    def echo():
        return jsonify(
            method=request.method,
            headers=dict(request.headers),
            args=request.args.to_dict(),
            cookies=request.cookies.to_dict(),
            body=request.get_data(as_text=True),
        )

    @app.get("/big")
    def big():
        return "x" * (200 * 1024)

    return app


def _refusal(error, description, status=401, scope=None):
    parts = ['realm="api"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return jsonify(ok=False), status, {"WWW-Authenticate": "Bearer " + ", ".join(parts)}


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 while the block runs; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
