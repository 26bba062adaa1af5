"""The Flask application: configuration, blueprints, security headers and error handlers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestHeaderFieldsTooLarge

from ..errors import (
    BAD_REQUEST,
    HEADERS_TOO_LARGE,
    INTERNAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    TOO_LARGE,
    DebuggerError,
)
from . import guard as security
from . import openapi
from .context import SERVED_KEY, served

#: The largest request body accepted, in bytes: room for a token whose payload is 1 MiB (base64url
#: makes it a third longer) together with a key. Anything larger is refused before it is read.
MAX_BODY_BYTES = 2 * 1024 * 1024
_TOO_LARGE_MESSAGE = (
    f"The request is over the {MAX_BODY_BYTES // (1024 * 1024)} MiB limit: the debugger takes "
    "tokens of up to about two million characters (a payload of about 1.5 MB)."
)

#: The largest request headers accepted, in bytes (names and values together).
MAX_HEADER_BYTES = 64 * 1024
_HEADERS_TOO_LARGE_MESSAGE = (
    f"The request's headers are over the {MAX_HEADER_BYTES // 1024} KiB limit: send the token in "
    "the request body, or a shorter Authorization header."
)

_PACKAGE = Path(__file__).resolve().parent.parent
_HTTP_CODES = {
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: TOO_LARGE,
    431: HEADERS_TOO_LARGE,
}
#: Paths whose every answer, errors included, is JSON: the debugger's API and the demo API.
_JSON_PATHS = ("/api/", "/demo/")
#: Methods named in the request log; any other is logged as "(other method)".
_LOGGED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
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
log = logging.getLogger(__name__)
#: One line per request with --verbose: method, route pattern and status, never the raw path.
request_log = logging.getLogger("debugger.requests")


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
    app.extensions[SERVED_KEY] = (
        security.Served.at(app.config.get("SERVER_HOST"), port)
        if port is not None
        else security.LOOPBACK_ANY_PORT
    )

    from . import api
    from . import demo as demo_api
    from . import labs as labs_views
    from . import learn as learn_views
    from . import oauth as oauth_views
    from . import pages as web

    app.register_blueprint(api.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(demo_api.bp)
    app.register_blueprint(oauth_views.bp)
    app.register_blueprint(labs_views.bp)
    app.register_blueprint(learn_views.bp)
    app.add_url_rule("/api/openapi.json", "openapi", _openapi_document)
    app.before_request(_guard_request)
    app.after_request(_security_headers)
    app.after_request(_end_connection_after_413)
    app.after_request(_log_request)
    app.register_error_handler(DebuggerError, _debugger_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


class _JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that JSON nested too deeply to parse is bad input, not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as err:
            raise ValueError("the JSON is nested too deeply") from err


def _guard_request() -> None:
    """Refuse oversized headers, missing or rebound hosts, foreign origins and non-JSON bodies
    before any view runs."""
    if _header_bytes() > MAX_HEADER_BYTES:
        raise RequestHeaderFieldsTooLarge()
    served_at = served()
    # Without a Host header Werkzeug would make one up from the address the server listens on.
    security.check_host(request.host if "HTTP_HOST" in request.environ else None, served_at)
    host = request.host
    method = request.method
    environ = request.environ
    security.check_origin(
        method, environ.get("HTTP_ORIGIN"), environ.get("HTTP_SEC_FETCH_SITE"), host, served_at
    )
    if method == "POST" and request.url_rule and request.path.startswith("/api/"):
        security.check_content_type(request.mimetype)


def _header_bytes() -> int:
    """The size of the request's headers, about as they were sent."""
    return sum(len(name) + len(value) + 4 for name, value in request.headers.items())


def _openapi_document() -> dict[str, Any]:
    return openapi.document()


def _security_headers(response: Response) -> Response:
    # Added in one go (no other code sets these): a keystroke's answer is on the clock.
    response.headers.extend(_SECURITY_HEADERS)
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _end_connection_after_413(response: Response) -> Response:
    # An answer without a length is its connection's last: waitress sends it chunked, then
    # closes. A client that sent too much gets no second try on the same connection.
    if response.status_code == 413:
        response.response = iter([response.get_data()])
        del response.headers["Content-Length"]
    return response


def _log_request(response: Response) -> Response:
    if request_log.isEnabledFor(logging.INFO):
        method = request.method if request.method in _LOGGED_METHODS else "(other method)"
        request_log.info(
            '%s "%s %s" %s', request.remote_addr, method, _route_pattern(), response.status_code
        )
    return response


def _route_pattern() -> str:
    """The pattern of the route a request was for (`/static/<path:filename>`), never its path:
    a path can carry a token typed into the address bar."""
    if request.url_rule is not None:
        return request.url_rule.rule
    error = request.routing_exception
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        # The path names a route, for other methods: match it again with one of them.
        routes = current_app.url_map.bind("localhost")
        try:
            method = next(iter(error.valid_methods))
            rule, _ = routes.match(request.path, method=method, return_rule=True)
        except HTTPException:
            return "(unknown path)"
        return rule.rule
    return "(unknown path)"


def _error_response(code: str, message: str, status: int, **extra: Any) -> tuple[Any, int]:
    return {"error": {"code": code, "message": message, **extra}}, status


def _debugger_error(err: DebuggerError) -> tuple[Any, int]:
    return {"error": err.to_dict()}, err.status


def _http_error(err: HTTPException) -> Any:
    status = err.code or 400
    if not request.path.startswith(_JSON_PATHS):
        return err
    code = _HTTP_CODES.get(status, BAD_REQUEST)
    messages = {
        NOT_FOUND: f"There is no API endpoint at {request.path}.",
        METHOD_NOT_ALLOWED: f"{request.method} is not allowed at {request.path}.",
        TOO_LARGE: _TOO_LARGE_MESSAGE,
        HEADERS_TOO_LARGE: _HEADERS_TOO_LARGE_MESSAGE,
    }
    return _error_response(code, messages.get(code, err.description or "Bad request."), status)


def _unexpected_error(err: Exception) -> tuple[Any, int]:
    # The message names the exception type only: its text could quote a token or a key.
    log.error("Unexpected %s in %s %s", type(err).__name__, request.method, _route_pattern())
    return _error_response(
        INTERNAL, "Something went wrong inside the debugger. Please report it.", 500
    )
