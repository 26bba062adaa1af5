"""Serve the page on the user's own machine: a threaded WSGI server, quiet by default."""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser
from typing import Any
from urllib.parse import unquote

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.serving import make_server

from ..net.addresses import WILDCARD_HOSTS, is_loopback_host
from .keepalive import KeepAliveRequestHandler

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestHandler(KeepAliveRequestHandler):
    """Logs method, path and status only: never a query string, a header or a body.

    A path is logged only when it names a route of the page or the API, so a token typed into
    the address bar stays out of the log; messages about malformed requests, which quote the
    request line, are logged without their text.
    """

    verbose = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.verbose:
            sys.stderr.write(f'{self.address_string()} "{self._request_summary(code)}" {code}\n')

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 (base class name)
        # Every other message (bad request lines, timeouts) passes here: keep numbers only.
        if self.verbose:
            withheld = tuple(arg if isinstance(arg, int) else "(withheld)" for arg in args)
            sys.stderr.write(f"{self.address_string()} {type}: {message % withheld}\n")

    def _request_summary(self, code: int | str) -> str:
        method = getattr(self, "command", None)
        path = getattr(self, "path", None)
        if method is None or path is None:
            return "(unreadable request line)"
        method = method if method in _METHODS else "(other method)"
        return f"{method} {self._loggable_path(path.split('?', 1)[0], code)}"

    def _loggable_path(self, path: str, code: int | str) -> str:
        if str(code) == "404":
            return "(unknown path)"
        app: Any = self.server.app
        try:
            app.url_map.bind("localhost").match(unquote(path), method="GET")
        except MethodNotAllowed:
            return path
        except HTTPException:
            return "(unknown path)"
        return path


def url_for_host(host: str, port: int) -> str:
    """The URL a browser should open for this bind address."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def serve(host: str, port: int, *, open_browser: bool, verbose: bool = False) -> int:
    """Run the debugger until Ctrl-C; returns the process exit code."""
    from .app import MAX_BODY_BYTES, create_app

    RequestHandler.verbose = verbose
    RequestHandler.max_body = MAX_BODY_BYTES
    try:
        listener = _listen(host, port)
    except OSError as err:
        reason = err.strerror or err
        print(f"jwt-debugger: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    server = make_server(
        host,
        port,
        # The app knows where it listens: it answers only requests addressed there (a defence
        # against DNS rebinding), and it refuses to fetch key sets from itself.
        create_app({"SERVER_HOST": host, "SERVER_PORT": listener.getsockname()[1]}),
        threaded=True,
        request_handler=RequestHandler,
        fd=listener.fileno(),
    )
    url = url_for_host(host, server.port)
    if not is_loopback_host(host):
        print(
            f"Warning: listening on {host}, not on loopback: anyone who can reach this machine "
            "on that network can use the debugger and see what is pasted into it. Key sets are "
            "fetched only from public addresses.",
            file=sys.stderr,
        )
    print(f"JWT debugger running at {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever()  # returns on Ctrl-C
    finally:
        server.server_close()
        listener.close()
    print("\nStopped.", flush=True)
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """Bind and listen ourselves, so that a busy port is one clear error line."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    family, _, _, _, address = infos[0]
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener
