"""The Flask application: configuration, blueprints, security headers and error handlers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from ..errors import (
    BAD_REQUEST,
    INTERNAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    TOO_LARGE,
    DebuggerError,
)
from . import guard as security
from . import openapi

#: The largest request body accepted, in bytes: room for a token whose payload is 1 MiB (base64url
#: makes it a third longer) together with a key. Anything larger is refused before it is read.
MAX_BODY_BYTES = 2 * 1024 * 1024
_TOO_LARGE_MESSAGE = (
    f"The request is over the {MAX_BODY_BYTES // (1024 * 1024)} MiB limit: the debugger takes "
    "tokens of up to about two million characters (a payload of about 1.5 MB)."
)

_PACKAGE = Path(__file__).resolve().parent.parent
_HTTP_CODES = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED, 413: TOO_LARGE}
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = (
    ("Content-Security-Policy", _CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
_SERVED = "debugger.served"
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
    app.json = _JSONProvider(app)
    app.json.sort_keys = False
    port = app.config.get("SERVER_PORT")
    app.extensions[_SERVED] = (
        security.Served.at(app.config.get("SERVER_HOST"), port)
        if port is not None
        else security.LOOPBACK_ANY_PORT
    )

    from . import api
    from . import demo as demo_api
    from . import pages as web

    app.register_blueprint(api.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(demo_api.bp)
    app.add_url_rule("/api/openapi.json", "openapi", _openapi_document)
    app.before_request(_guard_request)
    app.after_request(_security_headers)
    app.register_error_handler(DebuggerError, _debugger_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def served() -> security.Served:
    """Where the current application listens: its names, its port, and whether only on loopback."""
    value: security.Served = current_app.extensions[_SERVED]
    return value


class _JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that JSON nested too deeply to parse is bad input, not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as err:
            raise ValueError("the JSON is nested too deeply") from err


def _guard_request() -> None:
    """Refuse rebound hosts, foreign origins and non-JSON bodies before any view runs."""
    served_at = served()
    host = request.host
    method = request.method
    security.check_host(host, served_at)
    environ = request.environ
    security.check_origin(
        method, environ.get("HTTP_ORIGIN"), environ.get("HTTP_SEC_FETCH_SITE"), host, served_at
    )
    if method == "POST" and request.url_rule and request.path.startswith("/api/"):
        security.check_content_type(request.mimetype)


def _openapi_document() -> dict[str, Any]:
    return openapi.document()


def _security_headers(response: Response) -> Response:
    # Added in one go (no other code sets these): a keystroke's answer is on the clock.
    response.headers.extend(_SECURITY_HEADERS)
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
        METHOD_NOT_ALLOWED: f"{request.method} is not allowed at {request.path}.",
        TOO_LARGE: _TOO_LARGE_MESSAGE,
    }
    return _error_response(code, messages.get(code, err.description or "Bad request."), status)


def _unexpected_error(err: Exception) -> tuple[Any, int]:
    # The message names the exception type only: its text could quote a token or a key.
    log.error("Unexpected %s in %s %s", type(err).__name__, request.method, request.path)
    return _error_response(
        INTERNAL, "Something went wrong inside the debugger. Please report it.", 500
    )
