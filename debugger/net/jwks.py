"""Fetch a JWK Set over HTTP, only when the user asks: from a URL or by an issuer's discovery.

Nothing here runs on its own: the token's `jku`, `x5u` and `iss` are never followed. A fetch is
limited: http and https only, no credentials in the URL, one deadline for everything (name
lookups, connections, TLS handshakes, requests, answers and redirects), a size cap, redirects
only to the same host. Each host name is resolved once and the connection goes to the very
address that was checked: never a link-local or cloud-metadata address, never the debugger's own
address and port, and, when the caller says so, never a private network.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..codes import EMPTY_KEY_SET, ISSUER_MISMATCH, ISSUER_TEMPLATE, JWKS_URI_OTHER_HOST
from ..errors import (
    FETCH_HTTP_STATUS,
    FETCH_NO_JWKS_URI,
    FETCH_NO_KEYS,
    FETCH_NOT_JSON,
    INVALID_REQUEST,
    DebuggerError,
)
from ..jose import jsontext
from ..jose.tokens import NoteData
from .http import FetchLimits, check_url, get_json

__all__ = [
    "OAUTH_METADATA",
    "OPENID_CONFIGURATION",
    "Discovery",
    "FetchLimits",
    "FetchedJwks",
    "discovery_urls",
    "fetch_jwks",
]

#: Where discovery looks, in order: OpenID Connect, then RFC 8414 OAuth metadata.
OPENID_CONFIGURATION = "openid-configuration"
OAUTH_METADATA = "oauth-authorization-server"


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
    deadline = limits.deadline()
    warnings: list[NoteData] = []
    discovery: Discovery | None = None
    if issuer is not None:
        discovery = _discover(issuer.strip(), limits, deadline, warnings)
        url = discovery["jwks_uri"]
    assert url is not None
    document, text, final_url, redirects = get_json(url.strip(), limits, deadline)
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


_PLACEHOLDER = re.compile(r"\\\{[A-Za-z_]+\\\}")


def issuer_template_warning(named: Any, issuer: str) -> NoteData | None:
    """`issuer_template` when the metadata's issuer is a template the asked issuer fits.

    Microsoft's multi-tenant endpoints (`.../common/v2.0`, `.../organizations/v2.0`) publish the
    issuer `https://login.microsoftonline.com/{tenantid}/v2.0`: not another issuer, but one per
    tenant, which each token's `iss` names.
    """
    if not isinstance(named, str) or "{" not in named:
        return None
    pattern = _PLACEHOLDER.sub("[^/?#]+", re.escape(named.rstrip("/")))
    if pattern == re.escape(named.rstrip("/")):
        return None
    if re.fullmatch(pattern, issuer.strip().rstrip("/")) is None and named != issuer.strip():
        return None
    placeholders = ", ".join(sorted(set(re.findall(r"\{[A-Za-z_]+\}", named))))
    return {
        "code": ISSUER_TEMPLATE,
        "message": f"The metadata names the issuer {named!r}, a template: this is a "
        f"multi-tenant endpoint, and each token's iss carries its own tenant in place of "
        f"{placeholders}. It is not an issuer mismatch, but iss cannot be compared with this "
        "value as it is. To validate a token: after its signature verifies, put its tenant id "
        f"(the tid claim) in place of {placeholders}, require iss to equal the result, and "
        "accept only the tenants you expect (or ask the tenant's own endpoint, whose metadata "
        "names its real issuer).",
    }


def discovery_urls(issuer: str) -> list[tuple[str, str]]:
    """The metadata URLs to try for an issuer, each with the kind of document it serves."""
    parts = check_url(issuer, "issuer")
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
    metadata, final_url, source = discovery_document(issuer, limits, deadline)
    jwks_uri = metadata.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri.strip():
        raise DebuggerError(
            FETCH_NO_JWKS_URI,
            f'The discovery document at {final_url} has no "jwks_uri".',
            field="issuer",
        )
    named = metadata.get("issuer")
    template = issuer_template_warning(named, issuer)
    if template is not None:
        warnings.append(template)
    elif not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
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


def discovery_document(
    issuer: str, limits: FetchLimits, deadline: float
) -> tuple[dict[str, Any], str, str]:
    """The issuer's metadata (OpenID Connect first, then RFC 8414), its final URL and which."""
    tried: list[str] = []
    for metadata_url, source in discovery_urls(issuer):
        try:
            metadata, _, final_url, _ = get_json(metadata_url, limits, deadline, "issuer")
        except DebuggerError as err:
            if err.code not in (FETCH_HTTP_STATUS, FETCH_NOT_JSON):
                raise
            tried.append(f"{metadata_url} ({err.message})")
            continue
        return metadata, final_url, source
    raise DebuggerError(
        FETCH_HTTP_STATUS,
        "No discovery document was found for this issuer. Tried: " + "; ".join(tried),
        field="issuer",
    )
