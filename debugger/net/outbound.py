"""One HTTP request to a URL the user typed, within the limits of a key-set fetch.

The same rules as `http.request`: one deadline for everything (name lookup, connection, TLS,
request and answer), the host resolved once and the connection made to the very address that
was checked (never link-local or cloud metadata, never the debugger's own address and port, and
no private network when the debugger listens beyond loopback). Unlike `http.request` it keeps
the headers in order and reads at most `max_bytes` of the answer, keeping what it read instead
of failing.
"""

from __future__ import annotations

import http.client
import re
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult

from ..errors import FETCH_TIMEOUT, INVALID_REQUEST, DebuggerError
from .http import (
    FetchLimits,
    _check_destination,
    _DeadlineSSLSocket,
    _host_header,
    _network_error,
    _PinnedConnection,
    _request_target,
)
from .http import check_url as _check_url

#: RFC 9110 token characters: what a method or a header name may hold.
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
#: A header value may not carry line breaks or NUL (they would start another header).
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_CHUNK = 16 * 1024
#: Headers the request line, the URL and the body decide: the user may not set them.
_SET_BY_SENDER = frozenset({"host", "content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True)
class Outbound:
    """A request to send: method, absolute URL, headers in order, and an optional body."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass(frozen=True)
class Received:
    """What came back: status, headers in order, the body read (at most the cap), timing."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    elapsed_ms: float


def check_method(method: str, field: str = "method") -> str:
    """The method, upper-cased, when it is an HTTP token; a clear error otherwise."""
    if not _TOKEN.match(method) or len(method) > 32:
        raise DebuggerError(
            INVALID_REQUEST, f"{method[:40]!r} is not an HTTP method (such as GET).", field=field
        )
    return method.upper()


def check_header(name: str, value: str, field: str = "headers") -> None:
    """Refuse a header name that is not a token or that the sender sets itself, and a value
    with line breaks."""
    if not _TOKEN.match(name):
        raise DebuggerError(
            INVALID_REQUEST, f"{name[:60]!r} is not a valid header name.", field=field
        )
    if name.lower() in _SET_BY_SENDER:
        raise DebuggerError(
            INVALID_REQUEST,
            f"The {name} header is set from the URL and the body; remove it from the headers.",
            field=field,
        )
    if _BAD_VALUE.search(value):
        raise DebuggerError(
            INVALID_REQUEST,
            f"The value of the {name} header holds a line break or NUL; remove it.",
            field=field,
        )


def check_url(url: str, field: str = "url") -> SplitResult:
    """The parts of an http or https URL with a host and no credentials; a clear error else."""
    return _check_url(url, field)


def send(request: Outbound, limits: FetchLimits, field: str = "url") -> Received:
    """Send `request` once, within `limits.timeout`; read at most `limits.max_bytes` of the body.

    Network failures and refused destinations raise `DebuggerError` with a `fetch_*` code.
    """
    started = time.monotonic()
    deadline = started + limits.timeout
    parts, port, addresses = _check_destination(request.url, limits, deadline, field)
    tls = None
    if parts.scheme == "https":
        tls = ssl.create_default_context()
        tls.sslsocket_class = _DeadlineSSLSocket
    connection = _PinnedConnection(parts.hostname or "", port, addresses, deadline, tls)
    headers = [("Host", _host_header(parts, port, field)), *request.headers]
    if request.body is not None:
        headers.append(("Content-Length", str(len(request.body))))
    headers.append(("Connection", "close"))
    try:
        connection.putrequest(
            request.method, _request_target(parts), skip_host=True, skip_accept_encoding=True
        )
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders(request.body)
        with connection.getresponse() as response:
            body, truncated = _read_capped(response, limits.max_bytes, deadline)
            return Received(
                status=response.status,
                reason=response.reason[:200],
                headers=tuple(response.getheaders()),
                body=body,
                truncated=truncated,
                elapsed_ms=round((time.monotonic() - started) * 1000, 1),
            )
    except TimeoutError as err:
        raise DebuggerError(
            FETCH_TIMEOUT,
            f"{request.url} did not answer within {limits.timeout:g} seconds.",
            field=field,
        ) from err
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise _network_error(request.url, err, limits, field) from err
    finally:
        connection.close()


def _read_capped(
    response: http.client.HTTPResponse, cap: int, deadline: float
) -> tuple[bytes, bool]:
    """At most `cap` bytes of the body, and whether there was more."""
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        if time.monotonic() >= deadline:
            raise TimeoutError("the deadline has passed")
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:cap], True
