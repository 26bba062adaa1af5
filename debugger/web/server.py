"""Serve the page on the user's own machine with waitress: keep-alive, quiet by default.

waitress reads each request whole (line, headers and body) before a thread runs the
application, answers malformed requests with a 400 itself, and keeps connections open between
requests. Slow clients cost it a socket, not a thread, so a few hundred of them cannot keep the
page from being answered.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import webbrowser
from typing import Any

from ..net.addresses import WILDCARD_HOSTS, is_loopback_host

#: Open connections served at once. waitress's default (100) lets a hundred slow clients take
#: every slot; idle sockets cost no thread, so the limit can be far above what a browser opens.
CONNECTION_LIMIT = 1000
#: Threads that run the application (waitress's default). On two cores 1 to 16 threads gave the
#: same single-client latency; with 4, a key-set fetch waiting on a slow host leaves 3 for typing.
THREADS = 4
#: Seconds an idle keep-alive connection stays open.
IDLE_TIMEOUT = 30
#: How many times the application's own header limit waitress reads before answering 431 itself:
#: room for the application to answer an oversized header with its own error.
_HEADER_HEADROOM = 4
#: Likewise for bodies: up to this many times the limit, the application answers the 413 (in the
#: API's error shape) after waitress has read the body; beyond it waitress refuses at once.
_BODY_HEADROOM = 4

#: waitress messages that quote nothing from a request; any other is withheld from the log.
_SAFE_SERVER_MESSAGES = frozenset(
    {
        "Task queue depth is %d",
        "%d thread(s) still running",
        "Canceling %d pending task(s)",
        "server accept() threw an exception",
        "Socket error",
        "total open connections reached the connection limit, no longer accepting new connections",
        "total open connections dropped below the connection limit, listening again",
    }
)


def url_for_host(host: str, port: int) -> str:
    """The URL a browser should open for this bind address."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def server_settings(max_body: int, max_header: int) -> dict[str, Any]:
    """waitress's settings for an application that takes bodies and headers up to these sizes."""
    max_request_body = _BODY_HEADROOM * max_body
    return {
        "threads": THREADS,
        "connection_limit": CONNECTION_LIMIT,
        # select() cannot watch a socket numbered 1024 or above; poll() can.
        "asyncore_use_poll": True,
        "channel_timeout": IDLE_TIMEOUT,
        "cleanup_interval": 10,
        "max_request_header_size": _HEADER_HEADROOM * max_header,
        "max_request_body_size": max_request_body,
        # Bodies and answers stay in memory: waitress would otherwise spool the larger ones,
        # tokens and keys among them, to temporary files.
        "inbuf_overflow": max_request_body,
        "outbuf_overflow": 1 << 30,
        # No Server header, and nothing from a proxy header is believed: there is no proxy.
        "ident": "",
        "clear_untrusted_proxy_headers": True,
        "expose_tracebacks": False,
    }


def serve(
    host: str, port: int, *, open_browser: bool, verbose: bool = False, labs: bool = False
) -> int:
    """Run the debugger until Ctrl-C; returns the process exit code."""
    from waitress.server import BaseWSGIServer, create_server

    from .app import MAX_BODY_BYTES, MAX_HEADER_BYTES, create_app

    try:
        listener = _listen(host, port)
    except OSError as err:
        reason = err.strerror or err
        print(f"jwt-debugger: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    bound_port = listener.getsockname()[1]
    _configure_logging(verbose)
    # The app knows where it listens: it answers only requests addressed there (a defence
    # against DNS rebinding), and it refuses to fetch key sets from itself.
    app = create_app({"SERVER_HOST": host, "SERVER_PORT": bound_port, "LABS": labs})
    server = create_server(
        app, sockets=[listener], **server_settings(MAX_BODY_BYTES, MAX_HEADER_BYTES)
    )
    if isinstance(server, BaseWSGIServer):  # one listening socket: always
        server.channel_class = _connection_class()
    url = url_for_host(host, bound_port)
    if not is_loopback_host(host):
        print(
            f"Warning: listening on {host}, not on loopback: anyone who can reach this machine "
            "on that network can use the debugger and see what is pasted into it. Key sets are "
            "fetched only from public addresses.",
            file=sys.stderr,
        )
    if labs:
        print(
            "Labs on at /labs/: deliberately insecure APIs, for learning on this machine only.",
            flush=True,
        )
    print(f"JWT debugger running at {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.run()  # returns on Ctrl-C, after closing every connection
    finally:
        server.close()
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
        listener.listen(1024)
    except OSError:
        listener.close()
        raise
    return listener


def _connection_class() -> type[Any]:
    """waitress's connection, whose parser answers a request target it cannot split with a 400.

    waitress 3.0.2 lets `urlsplit`'s ValueError (`GET http://[x/`) escape its parser: the
    connection is then dropped without an answer. Raised as waitress's own ParsingError, it is
    the 400 that every other malformed request gets.
    """
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser, ParsingError

    class RequestParser(HTTPRequestParser):
        def parse_header(self, header_plus: bytes) -> None:
            try:
                super().parse_header(header_plus)
            except ValueError as err:
                raise ParsingError("The request target is not a valid URL.") from err

    class Connection(HTTPChannel):
        parser_class = RequestParser

    return Connection


class _ServerMessages(logging.Formatter):
    """waitress's own messages without tracebacks, and only those that quote no request."""

    def format(self, record: logging.LogRecord) -> str:
        if record.msg in _SAFE_SERVER_MESSAGES:
            text = record.getMessage()
        else:
            text = "(message withheld: it could quote a request)"
        return f"server {record.levelname.lower()}: {text}"


class _AppMessages(logging.Formatter):
    """The debugger's own lines as they are written: never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[0] is not None:
            # Flask's own lines about a failure quote the request's path.
            return f"error: {record.exc_info[0].__name__} (details withheld)"
        return record.getMessage()


def _configure_logging(verbose: bool) -> None:
    """Quiet: nothing at all. Verbose: one line per request, and the server's own warnings."""
    server_log = logging.getLogger("waitress")
    app_log = logging.getLogger("debugger")
    for log in (server_log, app_log):
        log.propagate = False
        if not verbose:
            log.addHandler(logging.NullHandler())
    if not verbose:
        return
    server_handler = logging.StreamHandler(sys.stderr)
    server_handler.setFormatter(_ServerMessages())
    server_log.addHandler(server_handler)
    server_log.setLevel(logging.WARNING)
    app_handler = logging.StreamHandler(sys.stderr)
    app_handler.setFormatter(_AppMessages())
    app_log.addHandler(app_handler)
    app_log.setLevel(logging.INFO)
