"""Serve the page on the user's own machine: a threaded WSGI server, quiet by default."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import webbrowser
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

LOOPBACK_NAMES = ("localhost",)


class RequestHandler(WSGIRequestHandler):
    """Logs method, path and status only: never a query string, a header or a body."""

    verbose = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.verbose:
            path = self.path.split("?", 1)[0]
            sys.stderr.write(f'{self.address_string()} "{self.command} {path}" {code}\n')

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base class name)
        if self.verbose:
            super().log_message(format, *args)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_for_host(host: str, port: int) -> str:
    """The URL a browser should open for this bind address."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def serve(host: str, port: int, *, open_browser: bool, verbose: bool = False) -> int:
    """Run the debugger until Ctrl-C; returns the process exit code."""
    from .app import create_app

    RequestHandler.verbose = verbose
    try:
        listener = _listen(host, port)
    except OSError as err:
        reason = err.strerror or err
        print(f"jwt-debugger: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    server = make_server(
        host,
        port,
        create_app(),
        threaded=True,
        request_handler=RequestHandler,
        fd=listener.fileno(),
    )
    url = url_for_host(host, server.port)
    if not is_loopback(host):
        print(
            f"Warning: listening on {host}, not on loopback: anyone who can reach this machine "
            "on that network can use the debugger and see what is pasted into it.",
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
