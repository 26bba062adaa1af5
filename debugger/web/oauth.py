"""The OAuth troubleshooter's views: read the request, call `oauth_service`, answer.

Every outbound request starts from a button the user pressed. The callback is a GET from the
provider's redirect: it finishes only a flow this server started (its `state`), then sends the
browser to the OAuth page, which takes the result once by the id in the address's fragment.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .. import __version__
from ..errors import DebuggerError
from ..net import oauth
from ..net.http import FetchLimits
from ..net.oauth import AUTH_METHODS
from ..net.oauth_flow import CALLBACK_PATH, AuthorizationStart, redirect_uri
from . import oauth_service as service
from .context import json_body, served
from .fields import read
from .guard import split_host
from .oauth_requests import (
    OAuthDevicePollRequest,
    OAuthDeviceRequest,
    OAuthDiscoverRequest,
    OAuthResultRequest,
    OAuthStartRequest,
    OAuthTokenCallRequest,
    OAuthTokenRequest,
    OAuthUserinfoRequest,
)

bp = Blueprint("oauth", __name__)
_STATE = "debugger.oauth"


@bp.record_once
def _keep_state(setup: Any) -> None:
    setup.app.extensions[_STATE] = service.OAuthState()


def _state() -> service.OAuthState:
    kept: service.OAuthState = current_app.extensions[_STATE]
    return kept


def _limits() -> FetchLimits:
    # Listening beyond loopback, the debugger must not be anyone's way into private networks.
    return FetchLimits(
        own_port=current_app.config.get("SERVER_PORT"),
        allow_private_networks=served().loopback_only,
    )


def _own_port() -> int:
    port = current_app.config.get("SERVER_PORT")
    if isinstance(port, int):
        return port
    parts = split_host(request.host)
    return parts[1] if parts is not None else 80


@bp.get("/oauth")
def page() -> str:
    return render_template(
        "oauth.html",
        version=__version__,
        redirect_uri=redirect_uri(_own_port()),
        auth_methods=AUTH_METHODS,
    )


@bp.post("/api/oauth/discover")
def discover() -> oauth.ProviderMetadata:
    asked = read(OAuthDiscoverRequest, json_body())
    return oauth.discover(asked.issuer, _limits())


@bp.post("/api/oauth/start")
def start() -> AuthorizationStart:
    asked = read(OAuthStartRequest, json_body())
    extra = asked.extra_parameters()
    client = asked.client()
    client.method()
    metadata = oauth.discover(asked.issuer, _limits())
    uri = redirect_uri(_own_port())
    return service.start_flow(_state(), metadata, client, asked.scope, extra, uri, time.time())


@bp.get(CALLBACK_PATH)
def callback() -> Response:
    now = time.time()
    query = {name: value for name, value in request.args.items()}
    try:
        result = service.finish_flow(_state(), query, _limits(), now)
    except DebuggerError as err:
        result = service.failed(err)
    handle = _state().keep_result(result, now)
    # The code and state leave the address bar: the page's address carries only a handle.
    return redirect(url_for("oauth.page") + f"#result={handle}", code=303)


@bp.post("/api/oauth/result")
def result() -> service.TokenResult:
    asked = read(OAuthResultRequest, json_body())
    return _state().take_result(asked.result_id, time.time())


@bp.post("/api/oauth/token")
def token() -> service.TokenResult:
    asked = read(OAuthTokenRequest, json_body())
    limits = _limits()
    return service.token_request(
        service.metadata_for(asked.issuer, limits),
        asked.token_endpoint,
        asked.grant_type,
        asked.client(),
        scope=asked.scope,
        resource=asked.resource,
        refresh_token=asked.refresh_token,
        limits=limits,
        now=time.time(),
        preview=asked.preview,
    )


@bp.post("/api/oauth/device")
def device() -> service.DeviceStart:
    asked = read(OAuthDeviceRequest, json_body())
    limits = _limits()
    metadata = service.metadata_for(asked.issuer, limits)
    return service.start_device(
        _state(),
        metadata,
        asked.device_authorization_endpoint,
        asked.client(),
        asked.scope,
        limits,
        time.time(),
        asked.preview,
    )


@bp.post("/api/oauth/device/poll")
def device_poll() -> service.DevicePoll:
    asked = read(OAuthDevicePollRequest, json_body())
    return service.poll_device(_state(), asked.device_id, _limits(), time.time())


@bp.post("/api/oauth/userinfo")
def userinfo() -> service.TokenResult:
    asked = read(OAuthUserinfoRequest, json_body())
    limits = _limits()
    metadata = service.metadata_for(asked.issuer, limits)
    return service.userinfo(
        metadata, asked.userinfo_endpoint, asked.access_token, limits, time.time(), asked.preview
    )


@bp.post("/api/oauth/introspect")
def introspect() -> service.TokenResult:
    return _token_call("introspection_endpoint")


@bp.post("/api/oauth/revoke")
def revoke() -> service.TokenResult:
    return _token_call("revocation_endpoint")


def _token_call(endpoint_name: str) -> service.TokenResult:
    asked = read(OAuthTokenCallRequest, json_body())
    limits = _limits()
    return service.token_call(
        service.metadata_for(asked.issuer, limits),
        endpoint_name,
        asked.endpoint,
        asked.token,
        asked.token_type_hint,
        asked.client(),
        limits,
        time.time(),
        asked.preview,
    )
