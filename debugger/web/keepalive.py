"""HTTP/1.1 keep-alive for Werkzeug's threaded server, so that a keystroke reuses a connection.

Werkzeug's own request handler closes every connection after one answer, because it cannot
know where an unread request body ends. The page sends a request on every keystroke, and a new
connection each time costs the browser about as much as the debugger's own work. This handler
reads each request body completely before the application runs, so the stream always stands at
the next request line, and sends each answer with its length, so the connection can stay open.
Anything it does not handle this way (a chunked or oversized body, `Expect: 100-continue`, an
HTTP/1.0 client) goes to Werkzeug's handling, which closes the connection as before.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import InternalServerError
from werkzeug.serving import WSGIRequestHandler

#: Statuses whose answers never have a body (RFC 9110 section 6.4.1).
_NO_BODY = {204, 304}


class KeepAliveRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, keeping connections open between requests."""

    #: Answers go out at once, not after the client's delayed acknowledgement.
    disable_nagle_algorithm = True
    #: An idle connection's thread ends after this many seconds.
    timeout = 30
    #: The largest body read before the application runs; larger ones go to Werkzeug (413).
    max_body = 2 * 1024 * 1024

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 (base class name)
        # An idle keep-alive connection timing out is normal, not an error worth a line.
        if not format.startswith("Request timed out"):
            super().log_error(format, *args)

    def run_wsgi(self) -> None:
        body = self._read_body()
        if body is None:
            super().run_wsgi()
            return
        environ = self.make_environ()
        environ["wsgi.input"] = io.BytesIO(body)
        status, headers, chunks = self._call_app(environ)
        code = int(status.split(" ", 1)[0])
        payload = b"" if code in _NO_BODY or code < 200 else b"".join(chunks)
        self.send_response(code, status.split(" ", 1)[1] if " " in status else "")
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        if code not in _NO_BODY and code >= 200:
            # HEAD answers keep the length of the body they leave out.
            declared = next((v for n, v in headers if n.lower() == "content-length"), None)
            length = declared if self.command == "HEAD" and declared else str(len(payload))
            self.send_header("Content-Length", length)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    def _read_body(self) -> bytes | None:
        """The whole request body, or None when Werkzeug should handle this request."""
        if self.request_version != "HTTP/1.1" or self.close_connection:
            return None
        if "Transfer-Encoding" in self.headers or "Expect" in self.headers:
            return None
        length = self.headers.get("Content-Length", "0").strip()
        if not length.isdigit() or int(length) > self.max_body:
            return None
        body = self.rfile.read(int(length)) if int(length) else b""
        if len(body) != int(length):
            self.close_connection = True  # the client went away mid-body
        return body

    def _call_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        answer: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers)
            return lambda data: answer.setdefault("written", []).append(data)

        try:
            iterable: Iterable[bytes] = self.server.app(environ, start_response)
            try:
                chunks = [*answer.get("written", []), *iterable]
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
            return answer["status"], answer["headers"], chunks
        except Exception as err:
            # The application failed outside its own error handling: a plain 500, then close.
            # Only the exception's type is logged: its text could quote what was pasted.
            self.log_error(f"Error on request: {type(err).__name__}")
            self.close_connection = True
            error = InternalServerError()
            body = error.get_body().encode()
            headers = [("Content-Type", "text/html; charset=utf-8")]
            return f"500 {error.name}", headers, [body]
