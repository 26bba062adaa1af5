"""The Flask application: configuration, blueprints, security headers and error handlers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from .errors import (
    BAD_REQUEST,
    INTERNAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    TOO_LARGE,
    DebuggerError,
)

#: The largest request body accepted, in bytes.
MAX_BODY_BYTES = 1024 * 1024

_PACKAGE = Path(__file__).resolve().parent
_HTTP_CODES = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED, 413: TOO_LARGE}
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
log = logging.getLogger(__name__)


def _asset_folder(name: str) -> str:
    """Inside an installed wheel the folder sits in the package; in a checkout, beside it."""
    installed = _PACKAGE / name
    return str(installed if installed.is_dir() else _PACKAGE.parent / name)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the debugger's Flask application."""
    app = Flask(
        __name__,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_SORT_KEYS=False)
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from . import api, web

    app.register_blueprint(api.bp)
    app.register_blueprint(web.bp)
    app.after_request(_security_headers)
    app.register_error_handler(DebuggerError, _debugger_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _error_response(code: str, message: str, status: int, **extra: Any) -> tuple[Any, int]:
    return {"error": {"code": code, "message": message, **extra}}, status


def _debugger_error(err: DebuggerError) -> tuple[Any, int]:
    return {"error": err.to_dict()}, err.status


def _http_error(err: HTTPException) -> Any:
    status = err.code or 400
    if not request.path.startswith("/api/"):
        return err
    code = _HTTP_CODES.get(status, BAD_REQUEST)
    messages = {
        NOT_FOUND: f"There is no API endpoint at {request.path}.",
        METHOD_NOT_ALLOWED: f"{request.method} is not allowed here; the API takes POST.",
        TOO_LARGE: f"The request body is over the {MAX_BODY_BYTES // 1024} KiB limit.",
    }
    return _error_response(code, messages.get(code, err.description or "Bad request."), status)


def _unexpected_error(err: Exception) -> tuple[Any, int]:
    # The message names the exception type only: its text could quote a token or a key.
    log.error("Unexpected %s in %s %s", type(err).__name__, request.method, request.path)
    return _error_response(
        INTERNAL, "Something went wrong inside the debugger. Please report it.", 500
    )
