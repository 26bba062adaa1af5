"""Fetch a JWK Set over HTTP, only when the user asks: from a URL or by an issuer's discovery.

Nothing here runs on its own: the token's `jku`, `x5u` and `iss` are never followed. Each request
is limited (http and https only, a deadline, a size cap, redirects only to the same host) and
never goes to the debugger's own address and port.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import __version__
from ..errors import (
    FETCH_BAD_URL,
    FETCH_CONNECTION_REFUSED,
    FETCH_DNS_FAILED,
    FETCH_FAILED,
    FETCH_HTTP_STATUS,
    FETCH_NO_JWKS_URI,
    FETCH_NO_KEYS,
    FETCH_NOT_JSON,
    FETCH_OWN_ADDRESS,
    FETCH_REDIRECT_REFUSED,
    FETCH_TIMEOUT,
    FETCH_TLS_FAILED,
    FETCH_TOO_LARGE,
    INVALID_REQUEST,
    DebuggerError,
)
from ..jose import jsontext
from ..web.guard import is_own_address

#: Where discovery looks, in order: OpenID Connect, then RFC 8414 OAuth metadata.
OPENID_CONFIGURATION = "openid-configuration"
OAUTH_METADATA = "oauth-authorization-server"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """The limits of every request; `own_port` is the port the debugger itself serves on."""

    timeout: float = 5.0
    max_bytes: int = 1024 * 1024
    max_redirects: int = 5
    own_port: int | None = None


def fetch_jwks(
    *, url: str | None = None, issuer: str | None = None, limits: FetchLimits | None = None
) -> dict[str, Any]:
    """Fetch a JWK Set from `url`, or discover it from `issuer`; say where it came from."""
    limits = limits or FetchLimits()
    if (url is None) == (issuer is None):
        raise DebuggerError(INVALID_REQUEST, 'Give either "url" or "issuer", not both.')
    warnings: list[dict[str, str]] = []
    discovery: dict[str, Any] | None = None
    if issuer is not None:
        discovery = _discover(issuer.strip(), limits, warnings)
        url = discovery["jwks_uri"]
    assert url is not None
    document, text, final_url, redirects = _fetch_json(url.strip(), limits)
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise DebuggerError(
            FETCH_NO_KEYS,
            f'{final_url} answered JSON without a "keys" list, so it is not a JWK Set.',
            field="url",
        )
    if not keys:
        warnings.append({"code": "empty_key_set", "message": "The JWK Set holds no keys."})
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


def _discover(issuer: str, limits: FetchLimits, warnings: list[dict[str, str]]) -> dict[str, Any]:
    tried: list[str] = []
    for metadata_url, source in discovery_urls(issuer):
        try:
            metadata, _, final_url, _ = _fetch_json(metadata_url, limits, field="issuer")
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
                    "code": "issuer_mismatch",
                    "message": f"The discovery document names the issuer "
                    f"{named!r}, not {issuer!r}: a verifier must refuse "
                    "metadata for another issuer.",
                }
            )
        jwks_url = urljoin(final_url, jwks_uri.strip())
        if urlsplit(jwks_url).hostname != urlsplit(issuer).hostname:
            warnings.append(
                {
                    "code": "jwks_uri_other_host",
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


def _check_url(url: str, field: str) -> Any:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as err:
        raise DebuggerError(
            FETCH_BAD_URL, f"{url!r} is not a valid URL: {err}.", field=field
        ) from err
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DebuggerError(
            FETCH_BAD_URL,
            f"{url!r} is not an http or https URL with a host name.",
            field=field,
        )
    return parts


def _check_destination(url: str, limits: FetchLimits, field: str) -> None:
    """Resolve the URL's host; refuse the debugger's own address and port."""
    parts = _check_url(url, field)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise DebuggerError(
            FETCH_DNS_FAILED,
            f"The host name {parts.hostname!r} could not be resolved. Check its spelling.",
            field=field,
        ) from err
    if limits.own_port is not None and is_own_address(parts.hostname, port, limits.own_port):
        raise DebuggerError(
            FETCH_OWN_ADDRESS,
            f"{url} points at this debugger's own address and port; it does not fetch from itself.",
            field=field,
        )


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same host, never from https to http, and only a few."""

    def __init__(self, limits: FetchLimits, field: str, deadline: float) -> None:
        self.limits = limits
        self.field = field
        self.deadline = deadline
        self.followed: list[str] = []

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        fp.close()
        old = urlsplit(req.full_url)
        new = urlsplit(newurl)
        reason = None
        if (new.hostname or "").lower() != (old.hostname or "").lower():
            reason = f"to another host ({new.hostname})"
        elif old.scheme == "https" and new.scheme != "https":
            reason = "from https to http"
        elif len(self.followed) >= self.limits.max_redirects:
            reason = f"more than {self.limits.max_redirects} times"
        if reason is not None:
            raise DebuggerError(
                FETCH_REDIRECT_REFUSED,
                f"{req.full_url} redirects {reason}; only redirects to the same host are "
                "followed. Fetch the final URL directly if you trust it.",
                field=self.field,
            )
        if time.monotonic() >= self.deadline:
            raise _timeout(req.full_url, self.limits, self.field)
        _check_destination(newurl, self.limits, self.field)
        self.followed.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch_json(
    url: str, limits: FetchLimits, field: str = "url"
) -> tuple[dict[str, Any], str, str, list[str]]:
    """GET `url` within the limits: the JSON object it answers, its text, final URL, redirects."""
    body, final_url, redirects = _fetch(url, limits, field)
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


def _fetch(url: str, limits: FetchLimits, field: str) -> tuple[bytes, str, list[str]]:
    deadline = time.monotonic() + limits.timeout
    _check_destination(url, limits, field)
    redirects = _SameHostRedirects(limits, field, deadline)
    # No proxies: the request goes straight to the host the user named.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), redirects)
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": f"jwt-debugger/{__version__}"}
    )
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            body = _read_limited(response, url, limits, field, deadline)
            return body, response.geturl(), redirects.followed
    except urllib.error.HTTPError as err:
        err.close()
        raise DebuggerError(
            FETCH_HTTP_STATUS,
            f"{err.geturl() or url} answered HTTP {err.code} {err.reason}.",
            field=field,
        ) from err
    except urllib.error.URLError as err:
        raise _network_error(url, err.reason, limits, field) from err
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise _network_error(url, err, limits, field) from err


def _read_limited(
    response: Any, url: str, limits: FetchLimits, field: str, deadline: float
) -> bytes:
    if response.status != 200:
        raise DebuggerError(
            FETCH_HTTP_STATUS, f"{url} answered HTTP {response.status}, not 200.", field=field
        )
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > limits.max_bytes:
        raise _too_large(url, limits, field)
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timeout(url, limits, field)
        _set_read_timeout(response, remaining)
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_large(url, limits, field)
        chunks.append(chunk)


def _set_read_timeout(response: Any, seconds: float) -> None:
    """Bound the next read by what is left of the deadline, not by a fresh timeout."""
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(seconds)


def _network_error(url: str, reason: Any, limits: FetchLimits, field: str) -> DebuggerError:
    if isinstance(reason, DebuggerError):
        return reason
    if isinstance(reason, TimeoutError | socket.timeout):
        return _timeout(url, limits, field)
    if isinstance(reason, ConnectionRefusedError):
        return DebuggerError(
            FETCH_CONNECTION_REFUSED,
            f"{url}: the connection was refused; nothing listens on that host and port.",
            field=field,
        )
    if isinstance(reason, socket.gaierror):
        return DebuggerError(
            FETCH_DNS_FAILED, f"{url}: the host name could not be resolved.", field=field
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
        FETCH_TIMEOUT, f"{url} did not answer within {limits.timeout:g} seconds.", field=field
    )


def _too_large(url: str, limits: FetchLimits, field: str) -> DebuggerError:
    return DebuggerError(
        FETCH_TOO_LARGE,
        f"{url} answered more than {limits.max_bytes // 1024} KiB, the limit for a key set.",
        field=field,
    )
