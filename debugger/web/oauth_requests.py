"""What each OAuth endpoint takes: one declaration per request, like `requests`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import INVALID_REQUEST, DebuggerError
from ..net.oauth import AUTH_METHODS, Client
from .fields import Endpoint, Request, field
from .oauth_service import TOKEN_GRANTS

_PREVIEW = "Only describe the request (secrets masked); send nothing."


@dataclass(frozen=True, kw_only=True)
class OAuthDiscoverRequest(Request):
    issuer: str = field("The issuer URL, exactly as the provider names itself.")


@dataclass(frozen=True, kw_only=True)
class OAuthClientRequest(Request):
    """The client, and the provider by its issuer (or by the endpoint URL itself)."""

    issuer: str | None = field("The issuer, whose metadata names the endpoints.")
    client_id: str = field("The client id registered at the provider.")
    client_secret: str | None = field("The client secret, for client_secret_basic or _post.")
    auth_method: str | None = field(
        "How the client authenticates (default: from the credentials given).", choices=AUTH_METHODS
    )
    client_assertion_key: str | None = field(
        "For private_key_jwt: the private key (PEM or JWK) that signs the client assertion."
    )

    def client(self) -> Client:
        """The client as the core takes it."""
        return Client(
            self.client_id, self.client_secret, self.auth_method, self.client_assertion_key
        )


@dataclass(frozen=True, kw_only=True)
class OAuthStartRequest(OAuthClientRequest):
    issuer: str = field("The issuer, whose metadata names the authorization endpoint.")
    scope: str = field("The scopes to ask for.", default="openid")
    extra: dict[str, Any] | None = field(
        "More authorization request parameters (prompt, login_hint, resource, ...): strings."
    )

    def extra_parameters(self) -> dict[str, str]:
        """The extra parameters, each a string."""
        extra = self.extra or {}
        if not all(isinstance(value, str) for value in extra.values()):
            raise DebuggerError(
                INVALID_REQUEST, 'Each value of "extra" must be a string.', field="extra"
            )
        return dict(extra)


@dataclass(frozen=True, kw_only=True)
class OAuthTokenRequest(OAuthClientRequest):
    token_endpoint: str | None = field("The token endpoint, when no issuer is given.")
    grant_type: str = field("The grant to use.", choices=TOKEN_GRANTS)
    scope: str | None = field("The scopes to ask for.")
    resource: str | None = field("The resource (RFC 8707) the access token is for.")
    refresh_token: str | None = field("For the refresh_token grant.")
    preview: bool = field(_PREVIEW, default=False)


@dataclass(frozen=True, kw_only=True)
class OAuthDeviceRequest(OAuthClientRequest):
    device_authorization_endpoint: str | None = field("When no issuer is given.")
    scope: str | None = field("The scopes to ask for.")
    preview: bool = field(_PREVIEW, default=False)


@dataclass(frozen=True, kw_only=True)
class OAuthDevicePollRequest(Request):
    device_id: str = field("The device_id the device flow's start answered.")


@dataclass(frozen=True, kw_only=True)
class OAuthTokenCallRequest(OAuthClientRequest):
    endpoint: str | None = field("The introspection or revocation endpoint, when no issuer.")
    token: str = field("The token to introspect or revoke.")
    token_type_hint: str | None = field("access_token or refresh_token.")
    preview: bool = field(_PREVIEW, default=False)


@dataclass(frozen=True, kw_only=True)
class OAuthUserinfoRequest(Request):
    issuer: str | None = field("The issuer, whose metadata names the UserInfo endpoint.")
    userinfo_endpoint: str | None = field("When no issuer is given.")
    access_token: str = field("The access token, sent as a Bearer token.")
    preview: bool = field(_PREVIEW, default=False)


@dataclass(frozen=True, kw_only=True)
class OAuthResultRequest(Request):
    result_id: str = field("The id the callback put in the page's address (#oauth=...).")


OAUTH_ENDPOINTS: dict[str, Endpoint] = {
    "/api/oauth/discover": Endpoint(
        "Read an issuer's metadata: endpoints, algorithms, PKCE, grants, and warnings.",
        (OAuthDiscoverRequest,),
        "OAuthDiscoverResponse",
    ),
    "/api/oauth/start": Endpoint(
        "Start the authorization code flow with PKCE; the browser goes to authorization_url.",
        (OAuthStartRequest,),
        "OAuthStartResponse",
    ),
    "/api/oauth/token": Endpoint(
        "Client credentials or refresh token at the token endpoint, its tokens checked.",
        (OAuthTokenRequest,),
        "OAuthTokenResponse",
    ),
    "/api/oauth/device": Endpoint(
        "Start the device authorization grant (RFC 8628).",
        (OAuthDeviceRequest,),
        "OAuthDeviceResponse",
    ),
    "/api/oauth/device/poll": Endpoint(
        "Poll the token endpoint once for a device flow, no sooner than its interval.",
        (OAuthDevicePollRequest,),
        "OAuthDevicePollResponse",
    ),
    "/api/oauth/userinfo": Endpoint(
        "Call UserInfo with an access token.", (OAuthUserinfoRequest,), "OAuthTokenResponse"
    ),
    "/api/oauth/introspect": Endpoint(
        "Introspect a token (RFC 7662).", (OAuthTokenCallRequest,), "OAuthTokenResponse"
    ),
    "/api/oauth/revoke": Endpoint(
        "Revoke a token (RFC 7009).", (OAuthTokenCallRequest,), "OAuthTokenResponse"
    ),
    "/api/oauth/result": Endpoint(
        "Take the result of a finished sign-in, once.",
        (OAuthResultRequest,),
        "OAuthTokenResponse",
    ),
}
