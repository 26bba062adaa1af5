"""Outbound HTTP with limits, shared by every request the debugger makes for the user.

A request is limited: http and https only, no credentials in the URL, one deadline for
everything (name lookups, connections, TLS handshakes, requests, answers and redirects), a size
cap, redirects only to the same host. Each host name is resolved once and the connection goes to
the very address that was checked: never a link-local or cloud-metadata address, never the
debugger's own address and port, and, when the caller says so, never a private network.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from .. import __version__
from ..errors import (
    FETCH_BAD_URL,
    FETCH_CONNECTION_REFUSED,
    FETCH_CREDENTIALS_IN_URL,
    FETCH_DNS_FAILED,
    FETCH_FAILED,
    FETCH_HTTP_STATUS,
    FETCH_LINK_LOCAL_ADDRESS,
    FETCH_METADATA_ADDRESS,
    FETCH_NOT_JSON,
    FETCH_OWN_ADDRESS,
    FETCH_PRIVATE_ADDRESS,
    FETCH_REDIRECT_REFUSED,
    FETCH_TIMEOUT,
    FETCH_TLS_FAILED,
    FETCH_TOO_LARGE,
    DebuggerError,
)
from ..jose import jsontext
from .addresses import Resolved, is_link_local, is_metadata, is_own_address, is_private, resolve

_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = f"jwt-debugger/{__version__}"


@dataclass(frozen=True)
class FetchLimits:
    """The limits of a fetch.

    `timeout` is one deadline for the whole fetch, discovery and redirects included. `own_port`
    is the port the debugger itself serves on. `allow_private_networks` is False when the
    debugger listens beyond loopback: then private networks and this machine's loopback are
    refused too, so that the debugger is no way into them for others on the network.
    """

    timeout: float = 5.0
    max_bytes: int = 1024 * 1024
    max_redirects: int = 5
    own_port: int | None = None
    allow_private_networks: bool = True

    def deadline(self) -> float:
        """The monotonic time by which a fetch that starts now must be done."""
        return time.monotonic() + self.timeout


@dataclass(frozen=True)
class Answer:
    """What a server answered: status, headers (names in lower case), body, and where from."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    url: str
    redirects: list[str] = dataclass_field(default_factory=list)


def request(
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    limits: FetchLimits | None = None,
    *,
    deadline: float | None = None,
    field: str = "url",
) -> Answer:
    """One request within the limits, whatever the status; redirects are answers, not followed."""
    limits = limits or FetchLimits()
    return _exchange(
        method,
        url,
        headers or {},
        body,
        limits,
        limits.deadline() if deadline is None else deadline,
        field,
        read_any_status=True,
    )


def get(url: str, limits: FetchLimits, deadline: float, field: str = "url") -> Answer:
    """GET `url`, following same-host redirects, and insist on a 200."""
    followed: list[str] = []
    current = url
    while True:
        answer = _exchange(
            "GET", current, {"Accept": "application/json"}, None, limits, deadline, field, False
        )
        location = answer.headers.get("location")
        if answer.status in _REDIRECTS and location:
            target = urljoin(current, location)
            _check_redirect(current, target, len(followed), limits, field)
            followed.append(target)
            current = target
            continue
        return Answer(answer.status, answer.reason, answer.headers, answer.body, current, followed)


def get_json(
    url: str, limits: FetchLimits, deadline: float, field: str = "url"
) -> tuple[dict[str, Any], str, str, list[str]]:
    """GET `url` within the limits: the JSON object it answers, its text, final URL, redirects."""
    answer = get(url, limits, deadline, field)
    return (*json_object(answer.body, answer.url, field), answer.url, answer.redirects)


def json_object(body: bytes, url: str, field: str) -> tuple[dict[str, Any], str]:
    """The JSON object a body holds, with its text; FETCH_NOT_JSON otherwise."""
    try:
        text = body.decode("utf-8-sig")
        value = jsontext.loads(text, field="answer")
    except (UnicodeDecodeError, DebuggerError) as err:
        raise DebuggerError(
            FETCH_NOT_JSON,
            f"{url} did not answer JSON (it starts with {body[:40]!r}).",
            field=field,
        ) from err
    if not isinstance(value, dict):
        raise DebuggerError(
            FETCH_NOT_JSON, f"{url} answered JSON that is not an object.", field=field
        )
    return value, text


def check_url(url: str, field: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as err:
        raise DebuggerError(
            FETCH_BAD_URL, f"{url!r} is not a valid URL: {err}.", field=field
        ) from err
    if parts.username is not None or parts.password is not None:
        # The message does not repeat the URL: it holds a password.
        raise DebuggerError(
            FETCH_CREDENTIALS_IN_URL,
            "The URL holds a user name or password (user:password@). The debugger sends no "
            "credentials in a URL: remove them from it (a client secret has a field of its own).",
            field=field,
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DebuggerError(
            FETCH_BAD_URL,
            f"{url!r} is not an http or https URL with a host name.",
            field=field,
        )
    return parts


def _check_destination(
    url: str, limits: FetchLimits, deadline: float, field: str
) -> tuple[SplitResult, int, list[Resolved]]:
    """Resolve the URL's host once and check every address it gives; the ones to connect to."""
    parts = check_url(url, field)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""  # never empty: check_url refuses that
    try:
        found = resolve(host, port, deadline - time.monotonic())
    except TimeoutError as err:
        raise timeout_error(url, limits, field) from err
    except (socket.gaierror, UnicodeError) as err:
        raise DebuggerError(
            FETCH_DNS_FAILED,
            f"The host name {host!r} could not be resolved. Check its spelling.",
            field=field,
        ) from err
    for address in found:
        ip = address.ip
        if is_metadata(ip):
            raise DebuggerError(
                FETCH_METADATA_ADDRESS,
                f"{host} resolves to {ip}, a cloud instance-metadata address; the debugger never "
                "fetches from it. Use the issuer's public URL.",
                field=field,
            )
        if is_link_local(ip):
            raise DebuggerError(
                FETCH_LINK_LOCAL_ADDRESS,
                f"{host} resolves to {ip}, a link-local address (169.254.0.0/16 or fe80::/10); "
                "the debugger never fetches from one. Use the issuer's routable URL.",
                field=field,
            )
    if limits.own_port is not None and is_own_address(found, port, limits.own_port):
        raise DebuggerError(
            FETCH_OWN_ADDRESS,
            f"{url} points at this debugger's own address and port; it does not fetch from itself.",
            field=field,
        )
    if not limits.allow_private_networks:
        for address in found:
            if is_private(address.ip):
                raise DebuggerError(
                    FETCH_PRIVATE_ADDRESS,
                    f"{host} resolves to {address.ip}, an address on a private network or on this "
                    "machine. This debugger listens beyond loopback, so it fetches only from "
                    "public addresses: start it on 127.0.0.1 to fetch from a private issuer, "
                    "or paste the key set instead.",
                    field=field,
                )
    return parts, port, found


class _DeadlineSocket(socket.socket):
    """A socket whose every read and write may take only what is left before `deadline`.

    A socket timeout bounds one call; a server sending a byte just before each timeout would
    never hit it. Setting the timeout to the time remaining before each call bounds them all.
    """

    deadline: float | None = None

    def apply_deadline(self) -> None:
        if self.deadline is None:
            return
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the deadline has passed")
        self.settimeout(remaining)

    def recv(self, *args: Any, **kwargs: Any) -> bytes:
        self.apply_deadline()
        return super().recv(*args, **kwargs)

    def recv_into(self, *args: Any, **kwargs: Any) -> int:
        self.apply_deadline()
        return super().recv_into(*args, **kwargs)

    def send(self, *args: Any, **kwargs: Any) -> int:
        self.apply_deadline()
        return super().send(*args, **kwargs)

    def sendall(self, *args: Any, **kwargs: Any) -> None:
        self.apply_deadline()
        super().sendall(*args, **kwargs)


class _DeadlineSSLSocket(_DeadlineSocket, ssl.SSLSocket):
    """The TLS socket `wrap_socket` makes (through `SSLContext.sslsocket_class`), bounded alike."""

    def do_handshake(self, *args: Any, **kwargs: Any) -> None:
        self.apply_deadline()
        super().do_handshake(*args, **kwargs)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses resolved and checked beforehand, within a deadline.

    `host` stays the URL's name: it is what the request's Host header and, over TLS, the server
    name (SNI) and the certificate check use. Only `connect` is replaced, the documented hook.
    """

    def __init__(
        self,
        host: str,
        port: int,
        addresses: list[Resolved],
        deadline: float,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port)
        self.addresses = addresses
        self.deadline = deadline
        self.tls = tls

    def connect(self) -> None:
        raw = self.connect_first_address()
        if self.tls is None:
            self.sock = raw
            return
        try:
            wrapped = self.tls.wrap_socket(
                raw, server_hostname=self.host, do_handshake_on_connect=False
            )
        except BaseException:
            raw.close()
            raise
        self.sock = wrapped
        if isinstance(wrapped, _DeadlineSocket):
            wrapped.deadline = self.deadline
        wrapped.do_handshake()

    def connect_first_address(self) -> _DeadlineSocket:
        """Connect to the first checked address that accepts, in the resolver's order."""
        failure: OSError = ConnectionRefusedError("no address to connect to")
        for address in self.addresses:
            sock = _DeadlineSocket(address.family, socket.SOCK_STREAM)
            sock.deadline = self.deadline
            try:
                sock.apply_deadline()
                sock.connect(address.sockaddr)
            except TimeoutError:
                sock.close()
                raise
            except OSError as err:
                sock.close()
                failure = err
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        raise failure


def _check_redirect(
    old_url: str, new_url: str, count: int, limits: FetchLimits, field: str
) -> None:
    """Follow a redirect only to the same host, never from https to http, and only a few."""
    old = urlsplit(old_url)
    new = urlsplit(new_url)
    reason = None
    if (new.hostname or "").lower() != (old.hostname or "").lower():
        reason = f"to another host ({new.hostname})"
    elif old.scheme == "https" and new.scheme != "https":
        reason = "from https to http"
    elif count >= limits.max_redirects:
        reason = f"more than {limits.max_redirects} times"
    if reason is not None:
        raise DebuggerError(
            FETCH_REDIRECT_REFUSED,
            f"{old_url} redirects {reason}; only redirects to the same host are "
            "followed. Fetch the final URL directly if you trust it.",
            field=field,
        )


def _exchange(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    limits: FetchLimits,
    deadline: float,
    field: str,
    read_any_status: bool,
) -> Answer:
    """One exchange within the deadline. Unless `read_any_status`, anything but a 200 or a
    redirect is FETCH_HTTP_STATUS, raised before its body is read."""
    parts, port, addresses = _check_destination(url, limits, deadline, field)
    tls = None
    if parts.scheme == "https":
        tls = ssl.create_default_context()
        tls.sslsocket_class = _DeadlineSSLSocket
    connection = _PinnedConnection(parts.hostname or "", port, addresses, deadline, tls)
    sent = {
        "Host": _host_header(parts, port, field),
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        "Connection": "close",
        **headers,
    }
    try:
        connection.request(method, _request_target(parts), body=body, headers=sent)
        with connection.getresponse() as response:
            answered = {name.lower(): value for name, value in response.getheaders()}
            reason = response.reason[:100]
            status = response.status
            if status in _REDIRECTS and answered.get("location"):
                return Answer(status, reason, answered, b"", url)
            if status != 200 and not read_any_status:
                raise DebuggerError(
                    FETCH_HTTP_STATUS, f"{url} answered HTTP {status} {reason}.", field=field
                )
            content = _read_limited(response, url, limits, field, deadline)
            return Answer(status, reason, answered, content, url)
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise _network_error(url, err, limits, field) from err
    finally:
        connection.close()


def _host_header(parts: SplitResult, port: int, field: str) -> str:
    """The URL's own host name for the Host header, with its port unless the scheme's default."""
    host = parts.hostname or ""
    try:
        name = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as err:
        raise DebuggerError(
            FETCH_BAD_URL, f"{host!r} is not a valid host name.", field=field
        ) from err
    if ":" in name:
        name = f"[{name}]"
    default = 443 if parts.scheme == "https" else 80
    return name if port == default else f"{name}:{port}"


def _request_target(parts: SplitResult) -> str:
    """The path and query to request, with anything that may not travel as is percent-encoded."""
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return quote(target, safe="/?:@!$&'()*+,;=%[]~")


def _read_limited(
    response: http.client.HTTPResponse, url: str, limits: FetchLimits, field: str, deadline: float
) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limits.max_bytes:
        raise _too_large(url, limits, field)
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise timeout_error(url, limits, field)
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_large(url, limits, field)
        chunks.append(chunk)


def _network_error(url: str, reason: Any, limits: FetchLimits, field: str) -> DebuggerError:
    if isinstance(reason, TimeoutError):
        return timeout_error(url, limits, field)
    if isinstance(reason, ConnectionRefusedError):
        return DebuggerError(
            FETCH_CONNECTION_REFUSED,
            f"{url}: the connection was refused; nothing listens on that host and port.",
            field=field,
        )
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return DebuggerError(
            FETCH_TLS_FAILED,
            f"{url}: the TLS connection failed ({getattr(reason, 'reason', None) or reason}).",
            field=field,
        )
    return DebuggerError(
        FETCH_FAILED, f"{url}: the request failed ({type(reason).__name__}: {reason}).", field=field
    )


def timeout_error(url: str, limits: FetchLimits, field: str) -> DebuggerError:
    return DebuggerError(
        FETCH_TIMEOUT,
        f"{url} did not answer in time: a fetch, with its discovery and redirects, has "
        f"{limits.timeout:g} seconds in all.",
        field=field,
    )


def _too_large(url: str, limits: FetchLimits, field: str) -> DebuggerError:
    return DebuggerError(
        FETCH_TOO_LARGE,
        f"{url} answered more than {limits.max_bytes // 1024} KiB, the limit for an answer.",
        field=field,
    )
