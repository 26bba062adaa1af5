"""The authorization code flow with PKCE, and the flows waiting for their callback.

A pending flow (state, nonce, code verifier, and the client's credentials for the code exchange)
lives only in the server's memory, for at most `FLOW_LIFETIME` seconds, and is taken out once:
a `state` can finish one flow, once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..errors import OAUTH_TOO_MANY_FLOWS, OAUTH_UNKNOWN_STATE, DebuggerError
from .oauth import Client, ProviderMetadata

#: Seconds a started flow waits for its callback before it is forgotten.
FLOW_LIFETIME = 600
#: Flows that may wait at once: enough for a person, bounded for memory.
MAX_PENDING_FLOWS = 32
#: The path of the redirect URI on the debugger (RFC 8252 7.3 loopback redirect).
CALLBACK_PATH = "/oauth/callback"


class AuthorizationStart(TypedDict):
    """Where to send the browser, the redirect URI to register, and the flow's state."""

    authorization_url: str
    redirect_uri: str
    state: str
    code_challenge_method: str
    parameters: dict[str, str]


@dataclass(frozen=True)
class PendingFlow:
    """What the callback needs to finish a flow the user started."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    client: Client
    metadata: ProviderMetadata
    scope: str
    started: float


def redirect_uri(port: int) -> str:
    """The loopback redirect URI of the debugger listening on `port`."""
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def code_challenge(verifier: str) -> str:
    """The S256 code challenge of a verifier (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_flow(
    metadata: ProviderMetadata, client: Client, scope: str, redirect: str, now: float
) -> PendingFlow:
    """A flow with fresh state, nonce and code verifier (each 256 random bits)."""
    return PendingFlow(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(48),
        redirect_uri=redirect,
        client=client,
        metadata=metadata,
        scope=scope,
        started=now,
    )


def authorization_url(
    flow: PendingFlow, authorization_endpoint: str, extra: dict[str, str]
) -> AuthorizationStart:
    """The authorization request (RFC 6749 4.1.1 with PKCE and the OpenID Connect nonce)."""
    parameters = {
        **extra,
        "response_type": "code",
        "client_id": flow.client.client_id,
        "redirect_uri": flow.redirect_uri,
        "scope": flow.scope,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": code_challenge(flow.code_verifier),
        "code_challenge_method": "S256",
    }
    parts = urlsplit(authorization_endpoint)
    query = "&".join(part for part in (parts.query, urlencode(parameters)) if part)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return {
        "authorization_url": url,
        "redirect_uri": flow.redirect_uri,
        "state": flow.state,
        "code_challenge_method": "S256",
        "parameters": parameters,
    }


class PendingFlows:
    """The flows waiting for their callback, in memory only, each for at most FLOW_LIFETIME."""

    def __init__(self, lifetime: float = FLOW_LIFETIME, capacity: int = MAX_PENDING_FLOWS) -> None:
        self.lifetime = lifetime
        self.capacity = capacity
        self._flows: dict[str, PendingFlow] = {}
        self._lock = threading.Lock()

    def add(self, flow: PendingFlow, now: float) -> None:
        """Keep `flow` until its callback, or until it expires."""
        with self._lock:
            self._forget_expired(now)
            if len(self._flows) >= self.capacity:
                raise DebuggerError(
                    OAUTH_TOO_MANY_FLOWS,
                    f"{self.capacity} sign-ins are already waiting for their callback. Finish "
                    f"one, or wait: each is forgotten after {self.lifetime // 60:g} minutes.",
                    status=429,
                )
            self._flows[flow.state] = flow

    def take(self, state: str, now: float) -> PendingFlow:
        """The flow `state` names, removed: a state is good for one callback."""
        with self._lock:
            self._forget_expired(now)
            flow = self._flows.pop(state, None)
        if flow is None:
            raise DebuggerError(
                OAUTH_UNKNOWN_STATE,
                "This callback's state matches no sign-in started here: it was already used, it "
                f"is older than {self.lifetime // 60:g} minutes, the debugger was restarted, or "
                "the request did not come from this debugger. Start the sign-in again.",
                field="state",
            )
        return flow

    def __len__(self) -> int:
        with self._lock:
            return len(self._flows)

    def _forget_expired(self, now: float) -> None:
        expired = [s for s, flow in self._flows.items() if now - flow.started > self.lifetime]
        for state in expired:
            del self._flows[state]
