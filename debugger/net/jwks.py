"""Fetch a JWK Set over HTTP, only when the user asks: from a URL or by an issuer's discovery.

Nothing here runs on its own: the token's `jku`, `x5u` and `iss` are never followed. A fetch is
limited: http and https only, no credentials in the URL, one deadline for everything (name
lookups, connections, TLS handshakes, requests, answers and redirects), a size cap, redirects
only to the same host. Each host name is resolved once and the connection goes to the very
address that was checked: never a link-local or cloud-metadata address, never the debugger's own
address and port, and, when the caller says so, never a private network.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from .. import __version__
from ..codes import EMPTY_KEY_SET, ISSUER_MISMATCH, JWKS_URI_OTHER_HOST
from ..errors import (
    FETCH_BAD_URL,
    FETCH_CONNECTION_REFUSED,
    FETCH_CREDENTIALS_IN_URL,
    FETCH_DNS_FAILED,
    FETCH_FAILED,
    FETCH_HTTP_STATUS,
    FETCH_LINK_LOCAL_ADDRESS,
    FETCH_METADATA_ADDRESS,
    FETCH_NO_JWKS_URI,
    FETCH_NO_KEYS,
    FETCH_NOT_JSON,
    FETCH_OWN_ADDRESS,
    FETCH_PRIVATE_ADDRESS,
    FETCH_REDIRECT_REFUSED,
    FETCH_TIMEOUT,
    FETCH_TLS_FAILED,
    FETCH_TOO_LARGE,
    INVALID_REQUEST,
    DebuggerError,
)
from ..jose import jsontext
from ..jose.tokens import NoteData
from .addresses import Resolved, is_link_local, is_metadata, is_own_address, is_private, resolve

#: Where discovery looks, in order: OpenID Connect, then RFC 8414 OAuth metadata.
OPENID_CONFIGURATION = "openid-configuration"
OAUTH_METADATA = "oauth-authorization-server"
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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


class Discovery(TypedDict):
    """Where discovery found the key set: its URL, the metadata URL and the kind of metadata."""

    jwks_uri: str
    url: str
    source: str


class FetchedJwks(TypedDict):
    """A fetched JWK Set with its text, where it came from, its kids, and warnings."""

    jwks: dict[str, Any]
    jwks_text: str
    url: str
    requested_url: str
    redirects: list[str]
    source: str
    issuer: str | None
    discovery_url: str | None
    key_count: int
    kids: list[str]
    warnings: list[NoteData]


def fetch_jwks(
    *, url: str | None = None, issuer: str | None = None, limits: FetchLimits | None = None
) -> FetchedJwks:
    """Fetch a JWK Set from `url`, or discover it from `issuer`; say where it came from."""
    limits = limits or FetchLimits()
    if (url is None) == (issuer is None):
        raise DebuggerError(INVALID_REQUEST, 'Give either "url" or "issuer", not both.')
    deadline = time.monotonic() + limits.timeout
    warnings: list[NoteData] = []
    discovery: Discovery | None = None
    if issuer is not None:
        discovery = _discover(issuer.strip(), limits, deadline, warnings)
        url = discovery["jwks_uri"]
    assert url is not None
    document, text, final_url, redirects = _fetch_json(url.strip(), limits, deadline)
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise DebuggerError(
            FETCH_NO_KEYS,
            f'{final_url} answered JSON without a "keys" list, so it is not a JWK Set.',
            field="url",
        )
    if not keys:
        warnings.append({"code": EMPTY_KEY_SET, "message": "The JWK Set holds no keys."})
    kids = [entry.get("kid") for entry in keys if isinstance(entry, dict)]
    return {
        "jwks": document,
        "jwks_text": jsontext.pretty(text),
        "url": final_url,
        "requested_url": url.strip(),
        "redirects": redirects,
        "source": discovery["source"] if discovery else "url",
        "issuer": issuer.strip() if issuer is not None else None,
        "discovery_url": discovery["url"] if discovery else None,
        "key_count": len(keys),
        "kids": [kid for kid in kids if isinstance(kid, str)],
        "warnings": warnings,
    }


def discovery_urls(issuer: str) -> list[tuple[str, str]]:
    """The metadata URLs to try for an issuer, each with the kind of document it serves."""
    parts = _check_url(issuer, "issuer")
    path = parts.path.rstrip("/")
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    urls = [(f"{base}/.well-known/{OPENID_CONFIGURATION}", OPENID_CONFIGURATION)]
    inserted = urlunsplit(
        (parts.scheme, parts.netloc, f"/.well-known/{OAUTH_METADATA}{path}", "", "")
    )
    urls.append((inserted, OAUTH_METADATA))
    if path:
        urls.append((f"{base}/.well-known/{OAUTH_METADATA}", OAUTH_METADATA))
    return urls


def _discover(
    issuer: str, limits: FetchLimits, deadline: float, warnings: list[NoteData]
) -> Discovery:
    tried: list[str] = []
    for metadata_url, source in discovery_urls(issuer):
        try:
            metadata, _, final_url, _ = _fetch_json(metadata_url, limits, deadline, "issuer")
        except DebuggerError as err:
            if err.code not in (FETCH_HTTP_STATUS, FETCH_NOT_JSON):
                raise
            tried.append(f"{metadata_url} ({err.message})")
            continue
        jwks_uri = metadata.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri.strip():
            raise DebuggerError(
                FETCH_NO_JWKS_URI,
                f'The discovery document at {final_url} has no "jwks_uri".',
                field="issuer",
            )
        named = metadata.get("issuer")
        if not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
            warnings.append(
                {
                    "code": ISSUER_MISMATCH,
                    "message": f"The discovery document names the issuer "
                    f"{named!r}, not {issuer!r}: a verifier must refuse "
                    "metadata for another issuer.",
                }
            )
        jwks_url = urljoin(final_url, jwks_uri.strip())
        if urlsplit(jwks_url).hostname != urlsplit(issuer).hostname:
            warnings.append(
                {
                    "code": JWKS_URI_OTHER_HOST,
                    "message": f"The key set lives on another host ({urlsplit(jwks_url).hostname})"
                    " than the issuer. That is common, but check that the discovery document "
                    "is the issuer's own before trusting these keys.",
                }
            )
        return {"jwks_uri": jwks_url, "url": final_url, "source": source}
    raise DebuggerError(
        FETCH_HTTP_STATUS,
        "No discovery document was found for this issuer. Tried: " + "; ".join(tried),
        field="issuer",
    )


def _check_url(url: str, field: str) -> SplitResult:
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
            "credentials: remove them from the URL; a key set is public and needs none.",
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
    parts = _check_url(url, field)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""  # never empty: _check_url refuses that
    try:
        found = resolve(host, port, deadline - time.monotonic())
    except TimeoutError as err:
        raise _timeout(url, limits, field) from err
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


def _fetch_json(
    url: str, limits: FetchLimits, deadline: float, field: str = "url"
) -> tuple[dict[str, Any], str, str, list[str]]:
    """GET `url` within the limits: the JSON object it answers, its text, final URL, redirects."""
    body, final_url, redirects = _fetch(url, limits, deadline, field)
    try:
        text = body.decode("utf-8-sig")
        value = jsontext.loads(text, field="answer")
    except (UnicodeDecodeError, DebuggerError) as err:
        raise DebuggerError(
            FETCH_NOT_JSON,
            f"{final_url} did not answer JSON (it starts with {body[:40]!r}).",
            field=field,
        ) from err
    if not isinstance(value, dict):
        raise DebuggerError(
            FETCH_NOT_JSON, f"{final_url} answered JSON that is not an object.", field=field
        )
    return value, text, final_url, redirects


def _fetch(
    url: str, limits: FetchLimits, deadline: float, field: str
) -> tuple[bytes, str, list[str]]:
    """GET `url`, following same-host redirects; the body, the final URL and the redirects."""
    followed: list[str] = []
    current = url
    while True:
        body, location = _get(current, limits, deadline, field)
        if location is None:
            return body, current, followed
        target = urljoin(current, location)
        _check_redirect(current, target, len(followed), limits, field)
        followed.append(target)
        current = target


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


def _get(url: str, limits: FetchLimits, deadline: float, field: str) -> tuple[bytes, str | None]:
    """One GET within the deadline: the body of a 200, or the Location of a redirect."""
    parts, port, addresses = _check_destination(url, limits, deadline, field)
    tls = None
    if parts.scheme == "https":
        tls = ssl.create_default_context()
        tls.sslsocket_class = _DeadlineSSLSocket
    connection = _PinnedConnection(parts.hostname or "", port, addresses, deadline, tls)
    headers = {
        "Host": _host_header(parts, port, field),
        "Accept": "application/json",
        "User-Agent": f"jwt-debugger/{__version__}",
        "Connection": "close",
    }
    try:
        connection.request("GET", _request_target(parts), headers=headers)
        with connection.getresponse() as response:
            location = response.getheader("Location")
            if response.status in _REDIRECTS and location:
                return b"", location
            if response.status != 200:
                reason = response.reason[:100]
                raise DebuggerError(
                    FETCH_HTTP_STATUS,
                    f"{url} answered HTTP {response.status} {reason}.",
                    field=field,
                )
            return _read_limited(response, url, limits, field, deadline), None
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
            raise _timeout(url, limits, field)
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_large(url, limits, field)
        chunks.append(chunk)


def _network_error(url: str, reason: Any, limits: FetchLimits, field: str) -> DebuggerError:
    if isinstance(reason, TimeoutError):
        return _timeout(url, limits, field)
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


def _timeout(url: str, limits: FetchLimits, field: str) -> DebuggerError:
    return DebuggerError(
        FETCH_TIMEOUT,
        f"{url} did not answer in time: a fetch, with its discovery and redirects, has "
        f"{limits.timeout:g} seconds in all.",
        field=field,
    )


def _too_large(url: str, limits: FetchLimits, field: str) -> DebuggerError:
    return DebuggerError(
        FETCH_TOO_LARGE,
        f"{url} answered more than {limits.max_bytes // 1024} KiB, the limit for a key set.",
        field=field,
    )
