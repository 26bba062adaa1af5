"""Talk to an OAuth 2.0 / OpenID Connect provider, only when the user asks.

Every request goes to a URL the user typed or one the provider's metadata named, within the
limits of `http.FetchLimits`. Each request is described first (`SentRequest`, secrets masked), so
the page can show exactly what will be sent before it is sent.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict
from urllib.parse import quote, urlencode, urljoin, urlsplit

from ..codes import (
    ALG_NONE_SUPPORTED,
    IMPLICIT_GRANT_OFFERED,
    ISSUER_MISMATCH,
    ISSUER_NOT_HTTPS,
    METADATA_NO_JWKS_URI,
    METADATA_NO_TOKEN_ENDPOINT,
    PKCE_PLAIN_OFFERED,
    PKCE_S256_MISSING,
)
from ..errors import (
    OAUTH_CLIENT_AUTH,
    OAUTH_NO_ENDPOINT,
    DebuggerError,
)
from ..jose.keys import read_key
from ..jose.sign import encode
from ..jose.tokens import NoteData
from .addresses import is_loopback_host
from .http import Answer, FetchLimits, check_url, json_object, request
from .jwks import discovery_document, issuer_template_warning

#: The client authentication methods of RFC 6749 and OpenID Connect Core 9 that are supported.
AUTH_METHODS = ("none", "client_secret_basic", "client_secret_post", "private_key_jwt")
#: Form parameters whose values are credentials: masked wherever a request is shown.
SECRET_PARAMETERS = frozenset(
    {"client_secret", "code", "code_verifier", "refresh_token", "device_code", "token", "password"}
)
#: How long a client assertion is valid, in seconds.
ASSERTION_LIFETIME = 60
#: Metadata members that name endpoints, in the order they are shown.
ENDPOINT_NAMES = (
    "authorization_endpoint",
    "token_endpoint",
    "device_authorization_endpoint",
    "userinfo_endpoint",
    "introspection_endpoint",
    "revocation_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)
_ALG_LISTS = (
    "id_token_signing_alg_values_supported",
    "token_endpoint_auth_signing_alg_values_supported",
    "userinfo_signing_alg_values_supported",
    "request_object_signing_alg_values_supported",
)
_FORM = "application/x-www-form-urlencoded"


class ProviderMetadata(TypedDict):
    """A provider's metadata: where it was found, the parts that matter, and warnings."""

    issuer: str
    metadata_url: str
    source: str
    endpoints: dict[str, str | None]
    id_token_signing_alg_values_supported: list[str]
    code_challenge_methods_supported: list[str]
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    scopes_supported: list[str]
    warnings: list[NoteData]
    metadata: dict[str, Any]


class SentRequest(TypedDict):
    """A request as it is (or would be) sent, with every secret masked."""

    method: str
    url: str
    headers: dict[str, str]
    body: str


class ProviderAnswer(TypedDict):
    """What the provider answered to a request, and the request as it was sent (masked)."""

    status: int
    response: dict[str, Any]
    request: SentRequest
    sent: bool
    date_skew_seconds: NotRequired[float]


@dataclass(frozen=True)
class Client:
    """The client, as the user describes it, and how it authenticates at the token endpoint."""

    client_id: str
    client_secret: str | None = None
    auth_method: str | None = None
    assertion_key: str | None = None
    assertion_alg: str | None = None

    def method(self) -> str:
        """The authentication method: the one asked for, else what the credentials suggest."""
        if self.auth_method:
            if self.auth_method not in AUTH_METHODS:
                raise DebuggerError(
                    OAUTH_CLIENT_AUTH,
                    f"Unknown client authentication method {self.auth_method!r}. Use one of: "
                    f"{', '.join(AUTH_METHODS)}.",
                    field="auth_method",
                )
            return self.auth_method
        if self.assertion_key:
            return "private_key_jwt"
        return "client_secret_basic" if self.client_secret else "none"


@dataclass(frozen=True)
class Prepared:
    """A form POST ready to send, with the masked description the page shows."""

    url: str
    headers: dict[str, str]
    form: list[tuple[str, str]]
    shown: SentRequest

    @property
    def body(self) -> bytes:
        return urlencode(self.form).encode("ascii")


def discover(issuer: str, limits: FetchLimits) -> ProviderMetadata:
    """Find the provider's metadata (OpenID Connect first, then RFC 8414) and check it."""
    issuer = issuer.strip()
    deadline = limits.deadline()
    metadata, final_url, source = discovery_document(issuer, limits, deadline)
    return describe_metadata(issuer, metadata, final_url, source)


def describe_metadata(
    issuer: str, metadata: dict[str, Any], url: str, source: str
) -> ProviderMetadata:
    """The metadata that matters, endpoints resolved against `url`, and what is wrong with it."""
    endpoints = {name: _endpoint(metadata, name, url) for name in ENDPOINT_NAMES}
    return {
        "issuer": issuer,
        "metadata_url": url,
        "source": source,
        "endpoints": endpoints,
        "id_token_signing_alg_values_supported": _strings(
            metadata, "id_token_signing_alg_values_supported"
        ),
        "code_challenge_methods_supported": _strings(metadata, "code_challenge_methods_supported"),
        "grant_types_supported": _strings(metadata, "grant_types_supported"),
        "token_endpoint_auth_methods_supported": _strings(
            metadata, "token_endpoint_auth_methods_supported"
        ),
        "scopes_supported": _strings(metadata, "scopes_supported"),
        "warnings": metadata_warnings(issuer, metadata, endpoints),
        "metadata": metadata,
    }


def metadata_warnings(
    issuer: str, metadata: dict[str, Any], endpoints: dict[str, str | None]
) -> list[NoteData]:
    """What a client should worry about in this metadata."""
    warnings: list[NoteData] = []
    named = metadata.get("issuer")
    template = issuer_template_warning(named, issuer)
    if template is not None:
        warnings.append(template)
    elif not isinstance(named, str) or named != issuer:
        warnings.append(
            {
                "code": ISSUER_MISMATCH,
                "message": f"The metadata names the issuer {named!r}, not {issuer!r}. OpenID "
                "Connect Discovery 4.3 and RFC 8414 3.3 require them to be identical (even a "
                "trailing slash counts): a client must refuse this metadata, and ID tokens "
                "will carry the other value in iss.",
            }
        )
    methods = _strings(metadata, "code_challenge_methods_supported")
    if "S256" not in methods:
        warnings.append(
            {
                "code": PKCE_S256_MISSING,
                "message": "The metadata does not list S256 in code_challenge_methods_supported: "
                "the provider may not support PKCE (RFC 7636), which every client should use. "
                "The flow still sends an S256 challenge; check that the provider enforces it.",
            }
        )
    if "plain" in methods:
        warnings.append(
            {
                "code": PKCE_PLAIN_OFFERED,
                "message": "The provider accepts the plain PKCE method, which sends the verifier "
                "itself as the challenge. Clients must use S256 (RFC 9700 2.1.1).",
            }
        )
    for name in _ALG_LISTS:
        if any(alg.lower() == "none" for alg in _strings(metadata, name)):
            warnings.append(
                {
                    "code": ALG_NONE_SUPPORTED,
                    "message": f'{name} includes "none": the provider may issue unsigned tokens. '
                    "A client must never accept them.",
                }
            )
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not is_loopback_host(parts.hostname or ""):
        warnings.append(
            {
                "code": ISSUER_NOT_HTTPS,
                "message": "The issuer is plain http on a host that is not loopback: tokens "
                "and secrets would cross the network unencrypted. Issuers must use https.",
            }
        )
    if endpoints["jwks_uri"] is None:
        warnings.append(
            {
                "code": METADATA_NO_JWKS_URI,
                "message": "The metadata names no jwks_uri, so signed ID tokens cannot be "
                "checked against the provider's keys.",
            }
        )
    if endpoints["token_endpoint"] is None:
        warnings.append(
            {
                "code": METADATA_NO_TOKEN_ENDPOINT,
                "message": "The metadata names no token_endpoint: no grant can be used.",
            }
        )
    if "implicit" in _strings(metadata, "grant_types_supported"):
        warnings.append(
            {
                "code": IMPLICIT_GRANT_OFFERED,
                "message": "The provider offers the implicit grant, which returns tokens in the "
                "browser's address bar. RFC 9700 says not to use it: use the code flow with "
                "PKCE.",
            }
        )
    return warnings


def endpoint(metadata: ProviderMetadata | None, name: str, given: str | None) -> str:
    """The URL to use for an endpoint: the one typed, else the one the metadata names."""
    if given and given.strip():
        url = given.strip()
        check_url(url, name)
        return url
    found = metadata["endpoints"].get(name) if metadata is not None else None
    if not found:
        raise DebuggerError(
            OAUTH_NO_ENDPOINT,
            f"No {name} to send this request to: give the issuer (whose metadata names it) "
            f"or the {name} URL itself.",
            field=name if metadata is None else "issuer",
        )
    return found


def prepare_form(
    url: str,
    parameters: list[tuple[str, str]],
    client: Client | None,
    *,
    audience: str,
    now: float,
    extra_headers: dict[str, str] | None = None,
) -> Prepared:
    """A form POST to `url` with the client's authentication added, and its masked description."""
    form = [(name, value) for name, value in parameters if value]
    headers = {"Content-Type": _FORM, "Accept": "application/json", **(extra_headers or {})}
    if client is not None:
        form, headers = _authenticate(client, form, headers, audience, now)
    shown_form = [(name, mask_parameter(name, value)) for name, value in form]
    shown: SentRequest = {
        "method": "POST",
        "url": url,
        "headers": {name: mask_header(name, value) for name, value in headers.items()},
        "body": urlencode(shown_form, safe="*()"),
    }
    return Prepared(url, headers, form, shown)


def send_form(prepared: Prepared, limits: FetchLimits, now: float, field: str) -> ProviderAnswer:
    """Send a prepared form POST; the provider's JSON answer, whatever its status."""
    answer = request(
        "POST",
        prepared.url,
        prepared.headers,
        prepared.body,
        limits,
        field=field,
    )
    return provider_answer(answer, prepared.shown, now, field)


def send_bearer(
    url: str, access_token: str, limits: FetchLimits, now: float, field: str
) -> ProviderAnswer:
    """GET `url` with the access token as a Bearer token (RFC 6750), as UserInfo takes it."""
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    shown: SentRequest = {
        "method": "GET",
        "url": url,
        "headers": {name: mask_header(name, value) for name, value in headers.items()},
        "body": "",
    }
    return provider_answer(
        request("GET", url, headers, None, limits, field=field), shown, now, field
    )


def preview_bearer(url: str, access_token: str) -> ProviderAnswer:
    """The UserInfo request as it would be sent, not sent."""
    shown: SentRequest = {
        "method": "GET",
        "url": url,
        "headers": {"Authorization": mask_header("Authorization", f"Bearer {access_token}")},
        "body": "",
    }
    return {"status": 0, "response": {}, "request": shown, "sent": False}


def not_sent(prepared: Prepared) -> ProviderAnswer:
    """The request as it would be sent: the preview the page shows before sending."""
    return {"status": 0, "response": {}, "request": prepared.shown, "sent": False}


def provider_answer(answer: Answer, shown: SentRequest, now: float, field: str) -> ProviderAnswer:
    """The answer's JSON object (or its text under `text` when it is not JSON)."""
    body: dict[str, Any]
    if not answer.body.strip():
        body = {}
    else:
        try:
            body, _ = json_object(answer.body, answer.url, field)
        except DebuggerError:
            text = answer.body[:2000].decode("utf-8", "replace")
            body = {"text": text}
    result: ProviderAnswer = {
        "status": answer.status,
        "response": body,
        "request": shown,
        "sent": True,
    }
    skew = date_skew(answer.headers.get("date"), now)
    if skew is not None:
        result["date_skew_seconds"] = skew
    return result


def date_skew(date_header: str | None, now: float) -> float | None:
    """How far the provider's clock (its Date header) is ahead of ours, in seconds."""
    if not date_header:
        return None
    from email.utils import parsedate_to_datetime

    try:
        provider_time = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return round(provider_time - now, 1)


def mask(value: str) -> str:
    """A secret as shown: never any of its characters, only how long it is."""
    return f"********({len(value)} characters)"


def mask_parameter(name: str, value: str) -> str:
    """A form parameter as shown: secrets masked; a client assertion keeps its readable parts."""
    if name == "client_assertion":
        parts = value.split(".")
        if len(parts) == 3:
            return f"{parts[0]}.{parts[1]}.{mask(parts[2])}"
        return mask(value)
    return mask(value) if name in SECRET_PARAMETERS else value


def mask_header(name: str, value: str) -> str:
    """A header as shown: the credentials of Authorization masked, its scheme kept."""
    if name.lower() != "authorization":
        return value
    scheme, _, credentials = value.partition(" ")
    return f"{scheme} {mask(credentials)}"


def _authenticate(
    client: Client,
    form: list[tuple[str, str]],
    headers: dict[str, str],
    audience: str,
    now: float,
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    method = client.method()
    if method == "none":
        return [("client_id", client.client_id), *form], headers
    if method in ("client_secret_basic", "client_secret_post"):
        if not client.client_secret:
            raise DebuggerError(
                OAUTH_CLIENT_AUTH,
                f"{method} needs the client secret: give it, or choose another method.",
                field="client_secret",
            )
        if method == "client_secret_post":
            pair = [("client_id", client.client_id), ("client_secret", client.client_secret)]
            return [*pair, *form], headers
        return form, {**headers, "Authorization": basic_credentials(client)}
    if not client.assertion_key:
        raise DebuggerError(
            OAUTH_CLIENT_AUTH,
            "private_key_jwt needs the client's private key (PEM or JWK) to sign the client "
            "assertion with.",
            field="client_assertion_key",
        )
    assertion = client_assertion(client, audience, now)
    return [
        ("client_id", client.client_id),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
        *form,
    ], headers


def basic_credentials(client: Client) -> str:
    """HTTP Basic with the client id and secret, each form-encoded first (RFC 6749 2.3.1)."""
    pair = f"{quote(client.client_id, safe='')}:{quote(client.client_secret or '', safe='')}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def client_assertion(client: Client, audience: str, now: float) -> str:
    """A JWT client assertion (RFC 7523 3, OpenID Connect Core 9) signed with the client's key."""
    key_text = client.assertion_key or ""
    ring = read_key(key_text)
    key = next((entry for entry in ring.keys if entry.can_sign), ring.keys[0])
    alg = client.assertion_alg or key.jwk_alg or _default_alg(key.kind, key.curve)
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if key.kid:
        header["kid"] = key.kid
    issued = int(now)
    payload = {
        "iss": client.client_id,
        "sub": client.client_id,
        "aud": audience,
        "jti": str(uuid.uuid4()),
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
    }
    return encode(header, payload, key_text)["token"]


def _default_alg(kind: str, curve: str | None) -> str:
    if kind == "EC":
        return {"P-384": "ES384", "P-521": "ES512", "secp256k1": "ES256K"}.get(curve or "", "ES256")
    if kind == "OKP":
        return "EdDSA"
    if kind == "secret":
        return "HS256"
    return "RS256"


def _endpoint(metadata: dict[str, Any], name: str, base: str) -> str | None:
    value = metadata.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return urljoin(base, value.strip())


def _strings(metadata: dict[str, Any], name: str) -> list[str]:
    value = metadata.get(name)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]
