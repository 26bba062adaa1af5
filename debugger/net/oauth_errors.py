"""What a provider's error answer most likely means, and what to do about it.

The provider's `error` and `error_description` are its own words (hostile text to show, never to
trust); the diagnosis is ours: a stable code, a plain explanation and the likely fix.
"""

from __future__ import annotations

from typing import Any, TypedDict

from ..codes import (
    ACCESS_DENIED,
    ASSERTION_CLOCK_SKEW,
    AUTHORIZATION_PENDING,
    CLIENT_AUTH_FAILED,
    CLIENT_NOT_AUTHORIZED,
    DEVICE_CODE_EXPIRED,
    GRANT_INVALID,
    GRANT_TYPE_UNSUPPORTED,
    PKCE_MISMATCH,
    PROVIDER_ERROR,
    REDIRECT_URI_MISMATCH,
    REQUEST_INVALID,
    SCOPE_INVALID,
    SLOW_DOWN,
    TOKEN_INVALID,
)

#: Seconds of clock difference with the provider worth mentioning for a client assertion.
CLOCK_SKEW_SECONDS = 30


class Diagnosis(TypedDict):
    """The provider's error, what it most likely means, and the likely fix."""

    code: str
    error: str
    error_description: str | None
    explanation: str
    fix: str


#: Our reading of each standard error: (diagnosis code, explanation, fix).
_STANDARD: dict[str, tuple[str, str, str]] = {
    "invalid_grant": (
        GRANT_INVALID,
        "The provider refused the grant itself: the code, refresh token or device code is "
        "invalid, expired, already used, or was issued to another client.",
        "Codes live for seconds to minutes and work once: start the sign-in again. A refresh "
        "token may have been rotated (use the newest one) or revoked.",
    ),
    "invalid_client": (
        CLIENT_AUTH_FAILED,
        "The provider could not authenticate the client: the client id is unknown, the secret "
        "is wrong, or the client is registered for another authentication method.",
        "Check the client id and secret, and choose the method the client is registered with "
        "(token_endpoint_auth_method). For private_key_jwt the provider must know the public "
        "key (its jwks or jwks_uri) and the key's alg.",
    ),
    "unauthorized_client": (
        CLIENT_NOT_AUTHORIZED,
        "The client is known, but not allowed to use this grant type.",
        "Add the grant type (for example client_credentials or refresh_token) to the client's "
        "registration at the provider.",
    ),
    "invalid_scope": (
        SCOPE_INVALID,
        "A scope asked for is unknown to the provider or not allowed for this client.",
        "Ask only for scopes the provider lists in scopes_supported and the client may have.",
    ),
    "unsupported_grant_type": (
        GRANT_TYPE_UNSUPPORTED,
        "The provider does not support this grant type at all.",
        "Check grant_types_supported in the metadata.",
    ),
    "invalid_request": (
        REQUEST_INVALID,
        "The request is missing a parameter, repeats one, or has a malformed value.",
        "Read the provider's error_description; compare the request shown with RFC 6749.",
    ),
    "authorization_pending": (
        AUTHORIZATION_PENDING,
        "The user has not approved the device yet.",
        "Keep polling at the interval the provider gave.",
    ),
    "slow_down": (
        SLOW_DOWN,
        "The client polls too often.",
        "Poll five seconds less often, from now on (RFC 8628 3.5).",
    ),
    "access_denied": (
        ACCESS_DENIED,
        "The user (or the provider's policy) refused the request.",
        "Sign in again and approve, or check the provider's policy for this client.",
    ),
    "expired_token": (
        DEVICE_CODE_EXPIRED,
        "The device code expired before the user approved it.",
        "Start the device flow again and approve within the time given.",
    ),
    "invalid_token": (
        TOKEN_INVALID,
        "The provider refused the access token: it is expired, revoked, for another audience, "
        "or lacks the scope this endpoint needs (openid for UserInfo).",
        "Get a fresh access token with the openid scope.",
    ),
}


def diagnose(
    response: dict[str, Any],
    *,
    status: int,
    used_assertion: bool = False,
    date_skew_seconds: float | None = None,
) -> Diagnosis | None:
    """Our reading of an error answer; None when the answer is not an error."""
    error = response.get("error")
    if not isinstance(error, str):
        if status < 400:
            return None
        error = f"HTTP {status}"
    raw_description = response.get("error_description")
    description = raw_description if isinstance(raw_description, str) else None
    said = (description or "").lower()
    code, explanation, fix = _STANDARD.get(
        error,
        (
            PROVIDER_ERROR,
            "The provider answered an error this debugger does not know.",
            "Read the provider's error_description and its documentation.",
        ),
    )
    if error == "invalid_grant" and ("verifier" in said or "pkce" in said or "challenge" in said):
        code = PKCE_MISMATCH
        explanation = (
            "The code_verifier does not match the code_challenge sent with the authorization "
            "request (RFC 7636 4.6)."
        )
        fix = (
            "Send the verifier of the same flow, unchanged; the challenge must be "
            "BASE64URL(SHA256(verifier)) without padding, with code_challenge_method S256."
        )
    elif "redirect_uri" in said or "redirect uri" in said:
        code = REDIRECT_URI_MISMATCH
        explanation = (
            "The redirect URI is not registered for this client, or the token request's "
            "redirect_uri differs from the authorization request's."
        )
        fix = (
            "Register the exact redirect URI shown (scheme, host, port and path). Loopback "
            "redirects on any port are allowed by RFC 8252 7.3, but not every provider does so."
        )
    elif error == "invalid_client" and used_assertion and _clock_related(said, date_skew_seconds):
        code = ASSERTION_CLOCK_SKEW
        skew = "" if date_skew_seconds is None else f" (about {date_skew_seconds:+g} s)"
        explanation = (
            "The client assertion's iat or exp disagrees with the provider's clock" + skew + "."
        )
        fix = (
            "Synchronise this machine's clock (NTP). Assertions are valid for a minute from "
            "their iat."
        )
    return {
        "code": code,
        "error": error,
        "error_description": description,
        "explanation": explanation,
        "fix": fix,
    }


def _clock_related(description: str, skew: float | None) -> bool:
    if skew is not None and abs(skew) >= CLOCK_SKEW_SECONDS:
        return True
    return any(word in description for word in ("iat", "exp", "nbf", "clock", "future", "expired"))
