"""The OAuth troubleshooter: the provider's requests (net) and the token checklist (analysis)
put together, for the API and the command line. Nothing here imports Flask.

Every request is made only when the user asks; with `preview` it is described, not sent.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from ..analysis.oidc_checks import Expected, TokenCheck, check_access_token, check_id_token
from ..errors import INVALID_REQUEST, OAUTH_UNKNOWN_STATE, DebuggerError, ErrorData
from ..net import oauth
from ..net.http import FetchLimits
from ..net.jwks import fetch_jwks
from ..net.oauth import Client, ProviderAnswer, ProviderMetadata, SentRequest
from ..net.oauth_errors import Diagnosis, diagnose
from ..net.oauth_flow import (
    FLOW_LIFETIME,
    AuthorizationStart,
    PendingFlow,
    PendingFlows,
    authorization_url,
    new_flow,
)

#: The grant types the token endpoint of the troubleshooter sends.
TOKEN_GRANTS = ("client_credentials", "refresh_token")
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
#: RFC 8628 3.5: the polling interval when the provider gives none, and what slow_down adds.
DEFAULT_INTERVAL = 5
SLOW_DOWN_SECONDS = 5


class TokenResult(TypedDict):
    """The token endpoint's answer, the request as sent (masked), and the checks of its tokens."""

    status: int
    response: dict[str, Any]
    request: SentRequest
    sent: bool
    date_skew_seconds: NotRequired[float]
    diagnosis: NotRequired[Diagnosis]
    id_token_checks: NotRequired[list[TokenCheck]]
    access_token_checks: NotRequired[list[TokenCheck]]
    issuer: NotRequired[str]
    client_id: NotRequired[str]
    error: NotRequired[ErrorData]


class DeviceStart(TypedDict):
    """The device authorization answer: what the user must do, and how to poll."""

    status: int
    response: dict[str, Any]
    request: SentRequest
    sent: bool
    device_id: NotRequired[str]
    user_code: NotRequired[str]
    verification_uri: NotRequired[str]
    verification_uri_complete: NotRequired[str]
    interval: NotRequired[int]
    diagnosis: NotRequired[Diagnosis]


class DevicePoll(TokenResult):
    """One poll of the token endpoint: its result, whether to poll again, and when."""

    done: bool
    next_poll_seconds: int


@dataclass
class PendingDevice:
    """A device authorization waiting for the user's approval."""

    device_code: str
    client: Client
    metadata: ProviderMetadata | None
    token_endpoint: str
    interval: int
    expires: float
    last_poll: float | None = None


@dataclass
class OAuthState:
    """What the server keeps in memory: flows waiting for their callback, device flows being
    polled, and finished flows waiting for the page to show them. Each for ten minutes at most."""

    flows: PendingFlows = field(default_factory=PendingFlows)
    devices: dict[str, PendingDevice] = field(default_factory=dict)
    finished: dict[str, tuple[float, TokenResult]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep_result(self, result: TokenResult, now: float) -> str:
        """Keep a finished flow's result for the page to take once; its id."""
        handle = secrets.token_urlsafe(16)
        with self.lock:
            self._forget(now)
            self.finished[handle] = (now, result)
        return handle

    def take_result(self, handle: str, now: float) -> TokenResult:
        with self.lock:
            self._forget(now)
            kept = self.finished.pop(handle, None)
        if kept is None:
            raise DebuggerError(
                OAUTH_UNKNOWN_STATE,
                "This sign-in's result was already shown or is older than ten minutes.",
                field="result_id",
            )
        return kept[1]

    def keep_device(self, device: PendingDevice, now: float) -> str:
        handle = secrets.token_urlsafe(16)
        with self.lock:
            self._forget(now)
            self.devices[handle] = device
        return handle

    def device(self, handle: str, now: float) -> PendingDevice:
        with self.lock:
            self._forget(now)
            device = self.devices.get(handle)
        if device is None:
            raise DebuggerError(
                OAUTH_UNKNOWN_STATE,
                "This device flow is finished or expired: start it again.",
                field="device_id",
            )
        return device

    def forget_device(self, handle: str) -> None:
        with self.lock:
            self.devices.pop(handle, None)

    def _forget(self, now: float) -> None:
        for handle in [h for h, (t, _) in self.finished.items() if now - t > FLOW_LIFETIME]:
            del self.finished[handle]
        for handle in [h for h, d in self.devices.items() if now > d.expires]:
            del self.devices[handle]


def metadata_for(issuer: str | None, limits: FetchLimits) -> ProviderMetadata | None:
    """The provider's metadata when an issuer is given."""
    if issuer is None or not issuer.strip():
        return None
    return oauth.discover(issuer, limits)


def start_flow(
    state: OAuthState,
    metadata: ProviderMetadata,
    client: Client,
    scope: str,
    extra: dict[str, str],
    redirect: str,
    now: float,
) -> AuthorizationStart:
    """Start the code flow: a fresh flow kept for its callback, and where to send the browser."""
    client.method()  # an unknown method is refused now, not after the sign-in
    endpoint = oauth.endpoint(metadata, "authorization_endpoint", None)
    flow = new_flow(metadata, client, scope, redirect, now)
    started = authorization_url(flow, endpoint, extra)
    state.flows.add(flow, now)
    return started


def finish_flow(
    state: OAuthState, query: dict[str, str], limits: FetchLimits, now: float
) -> TokenResult:
    """The callback: check state (and iss, RFC 9207), exchange the code, check the tokens."""
    flow = state.flows.take(query.get("state", ""), now)
    metadata = flow.metadata
    returned_issuer = query.get("iss")
    if returned_issuer is not None and returned_issuer != metadata["issuer"]:
        raise DebuggerError(
            INVALID_REQUEST,
            f"The callback names the issuer {returned_issuer!r}, not {metadata['issuer']!r}: "
            "the answer may come from another provider (a mix-up attack, RFC 9207). Nothing "
            "was exchanged.",
            field="iss",
        )
    if "error" in query:
        response: dict[str, Any] = {
            k: query[k] for k in ("error", "error_description") if k in query
        }
        shown: SentRequest = {"method": "GET", "url": flow.redirect_uri, "headers": {}, "body": ""}
        result: TokenResult = {"status": 0, "response": response, "request": shown, "sent": False}
        found = diagnose(response, status=400)
        if found is not None:
            result["diagnosis"] = found
        return result
    code = query.get("code", "")
    parameters = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", flow.redirect_uri),
        ("code_verifier", flow.code_verifier),
    ]
    return send_token_request(
        metadata, None, parameters, flow.client, limits, now, flow=flow, code=code
    )


def token_request(
    metadata: ProviderMetadata | None,
    token_endpoint: str | None,
    grant_type: str,
    client: Client,
    *,
    scope: str | None,
    resource: str | None,
    refresh_token: str | None,
    limits: FetchLimits,
    now: float,
    preview: bool,
) -> TokenResult:
    """Client credentials or refresh token, previewed or sent, with its tokens checked."""
    if grant_type not in TOKEN_GRANTS:
        raise DebuggerError(
            INVALID_REQUEST,
            f"grant_type must be one of {', '.join(TOKEN_GRANTS)}; the code flow starts with "
            "the sign-in button and the device flow with its own button.",
            field="grant_type",
        )
    if grant_type == "refresh_token" and not refresh_token:
        raise DebuggerError(
            INVALID_REQUEST,
            "The refresh_token grant needs the refresh token.",
            field="refresh_token",
        )
    parameters = [
        ("grant_type", grant_type),
        ("refresh_token", refresh_token or ""),
        ("scope", scope or ""),
        ("resource", resource or ""),
    ]
    return send_token_request(
        metadata,
        token_endpoint,
        parameters,
        client,
        limits,
        now,
        resource=resource,
        preview=preview,
    )


def send_token_request(
    metadata: ProviderMetadata | None,
    token_endpoint: str | None,
    parameters: list[tuple[str, str]],
    client: Client,
    limits: FetchLimits,
    now: float,
    *,
    flow: PendingFlow | None = None,
    code: str | None = None,
    resource: str | None = None,
    preview: bool = False,
) -> TokenResult:
    """POST to the token endpoint (or only describe it), then read and check its answer."""
    url = oauth.endpoint(metadata, "token_endpoint", token_endpoint)
    audience = metadata["issuer"] if metadata is not None else url
    prepared = oauth.prepare_form(url, parameters, client, audience=audience, now=now)
    if preview:
        return _as_result(oauth.not_sent(prepared))
    answer = oauth.send_form(prepared, limits, now, "token_endpoint")
    result = _as_result(answer)
    result["client_id"] = client.client_id
    found = diagnose(
        answer["response"],
        status=answer["status"],
        used_assertion=client.method() == "private_key_jwt",
        date_skew_seconds=answer.get("date_skew_seconds"),
    )
    if found is not None:
        result["diagnosis"] = found
        return result
    if metadata is not None:
        result["issuer"] = metadata["issuer"]
        _check_tokens(result, metadata, client, limits, now, flow, code, resource)
    return result


def _check_tokens(
    result: TokenResult,
    metadata: ProviderMetadata,
    client: Client,
    limits: FetchLimits,
    now: float,
    flow: PendingFlow | None,
    code: str | None,
    resource: str | None,
) -> None:
    response = result["response"]
    id_token = response.get("id_token")
    access_token = response.get("access_token")
    jwt_access = isinstance(access_token, str) and access_token.count(".") == 2
    if not isinstance(id_token, str) and not jwt_access:
        return
    jwks = _provider_keys(metadata, limits)
    expected = Expected(
        issuer=metadata["issuer"],
        client_id=client.client_id,
        nonce=flow.nonce if flow is not None else None,
        access_token=access_token if isinstance(access_token, str) else None,
        code=code,
        resource=resource,
        algorithms=tuple(metadata["id_token_signing_alg_values_supported"]),
    )
    if isinstance(id_token, str):
        result["id_token_checks"] = check_id_token(id_token, jwks, expected, now=now)
    if isinstance(access_token, str):
        checks = check_access_token(access_token, jwks, expected, now=now)
        if checks is not None:
            result["access_token_checks"] = checks


def _provider_keys(metadata: ProviderMetadata, limits: FetchLimits) -> dict[str, Any] | None:
    jwks_uri = metadata["endpoints"]["jwks_uri"]
    if jwks_uri is None:
        return None
    return fetch_jwks(url=jwks_uri, limits=limits)["jwks"]


def start_device(
    state: OAuthState,
    metadata: ProviderMetadata | None,
    device_endpoint: str | None,
    client: Client,
    scope: str | None,
    limits: FetchLimits,
    now: float,
    preview: bool,
) -> DeviceStart:
    """RFC 8628 3.1: ask for a device code; keep it here, give the page a handle to poll."""
    url = oauth.endpoint(metadata, "device_authorization_endpoint", device_endpoint)
    audience = metadata["issuer"] if metadata is not None else url
    prepared = oauth.prepare_form(url, [("scope", scope or "")], client, audience=audience, now=now)
    if preview:
        shown = oauth.not_sent(prepared)
        return {"status": 0, "response": {}, "request": shown["request"], "sent": False}
    answer = oauth.send_form(prepared, limits, now, "device_authorization_endpoint")
    result: DeviceStart = {
        "status": answer["status"],
        "response": dict(answer["response"]),
        "request": answer["request"],
        "sent": True,
    }
    body = answer["response"]
    found = diagnose(
        body, status=answer["status"], used_assertion=client.method() == "private_key_jwt"
    )
    device_code = body.get("device_code")
    if found is not None or not isinstance(device_code, str):
        if found is not None:
            result["diagnosis"] = found
        return result
    interval = body.get("interval")
    interval = interval if isinstance(interval, int) and 0 < interval <= 60 else DEFAULT_INTERVAL
    expires_in = body.get("expires_in")
    lifetime = min(expires_in if isinstance(expires_in, int) else FLOW_LIFETIME, FLOW_LIFETIME)
    token_endpoint = oauth.endpoint(metadata, "token_endpoint", None if metadata else url)
    device = PendingDevice(device_code, client, metadata, token_endpoint, interval, now + lifetime)
    result["device_id"] = state.keep_device(device, now)
    result["response"]["device_code"] = oauth.mask(device_code)
    user_code = body.get("user_code")
    if isinstance(user_code, str):
        result["user_code"] = user_code
    uri = body.get("verification_uri")
    if isinstance(uri, str):
        result["verification_uri"] = uri
    complete = body.get("verification_uri_complete")
    if isinstance(complete, str):
        result["verification_uri_complete"] = complete
    result["interval"] = interval
    return result


def poll_device(state: OAuthState, handle: str, limits: FetchLimits, now: float) -> DevicePoll:
    """One poll (RFC 8628 3.4), never sooner than the interval; slow_down adds five seconds."""
    device = state.device(handle, now)
    parameters = [("grant_type", DEVICE_GRANT), ("device_code", device.device_code)]
    if device.last_poll is not None and now - device.last_poll < device.interval:
        wait = int(device.interval - (now - device.last_poll)) + 1
        shown: SentRequest = {
            "method": "POST",
            "url": device.token_endpoint,
            "headers": {},
            "body": "",
        }
        base = _as_result({"status": 0, "response": {}, "request": shown, "sent": False})
        return {**base, "done": False, "next_poll_seconds": wait}
    device.last_poll = now
    result = send_token_request(
        device.metadata, device.token_endpoint, parameters, device.client, limits, now
    )
    diagnosis = result.get("diagnosis")
    pending = diagnosis is not None and diagnosis["error"] in ("authorization_pending", "slow_down")
    if diagnosis is not None and diagnosis["error"] == "slow_down":
        device.interval += SLOW_DOWN_SECONDS
    if not pending:
        state.forget_device(handle)
    return {**result, "done": not pending, "next_poll_seconds": device.interval}


def token_call(
    metadata: ProviderMetadata | None,
    endpoint_name: str,
    endpoint_url: str | None,
    token: str,
    token_type_hint: str | None,
    client: Client,
    limits: FetchLimits,
    now: float,
    preview: bool,
) -> TokenResult:
    """Introspection (RFC 7662) or revocation (RFC 7009): the token, authenticated as the client."""
    url = oauth.endpoint(metadata, endpoint_name, endpoint_url)
    audience = metadata["issuer"] if metadata is not None else url
    parameters = [("token", token), ("token_type_hint", token_type_hint or "")]
    prepared = oauth.prepare_form(url, parameters, client, audience=audience, now=now)
    if preview:
        return _as_result(oauth.not_sent(prepared))
    answer = oauth.send_form(prepared, limits, now, endpoint_name)
    result = _as_result(answer)
    found = diagnose(
        answer["response"],
        status=answer["status"],
        used_assertion=client.method() == "private_key_jwt",
    )
    if found is not None:
        result["diagnosis"] = found
    return result


def userinfo(
    metadata: ProviderMetadata | None,
    endpoint_url: str | None,
    access_token: str,
    limits: FetchLimits,
    now: float,
    preview: bool,
) -> TokenResult:
    """UserInfo (OpenID Connect Core 5.3) with the access token as a Bearer token."""
    url = oauth.endpoint(metadata, "userinfo_endpoint", endpoint_url)
    if preview:
        return _as_result(oauth.preview_bearer(url, access_token))
    answer = oauth.send_bearer(url, access_token, limits, now, "userinfo_endpoint")
    result = _as_result(answer)
    found = diagnose(answer["response"], status=answer["status"])
    if found is not None:
        result["diagnosis"] = found
    return result


def failed(err: DebuggerError) -> TokenResult:
    """A flow that could not finish: nothing (more) was sent, and why."""
    shown: SentRequest = {"method": "", "url": "", "headers": {}, "body": ""}
    return {"status": 0, "response": {}, "request": shown, "sent": False, "error": err.to_dict()}


def _as_result(answer: ProviderAnswer) -> TokenResult:
    result: TokenResult = {
        "status": answer["status"],
        "response": answer["response"],
        "request": answer["request"],
        "sent": answer["sent"],
    }
    if "date_skew_seconds" in answer:
        result["date_skew_seconds"] = answer["date_skew_seconds"]
    return result
