"""A sample protected API, as a real service would check a Bearer token, over the core library.

It accepts HS256 tokens signed with a published demo secret, so users can see what a server
sees: 200 with the claims, or 401 with the reason and an RFC 6750 `WWW-Authenticate` header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..codes import INVALID_TOKEN, MISSING_AUTHORIZATION, NOT_BEARER, NOT_CLAIMS
from ..errors import UNAUTHORIZED, DebuggerError, ErrorData
from ..jose.keys import read_key
from ..jose.pasted import parse
from ..jose.times import check_times
from ..jose.verify import check_signature

#: The demo API's key: published on the page, so it protects nothing. Never reuse it.
DEMO_SECRET = "demo-secret-for-learning-jwts-0123"
DEMO_ALGORITHM = "HS256"
DEMO_PATH = "/demo/protected"


class Granted(TypedDict):
    """The body of a 200: the token's claims."""

    message: str
    alg: str | None
    claims: dict[str, Any]


class RefusalError(ErrorData):
    """The API's error, with the reason the token was refused."""

    reason: str


class Refusal(TypedDict):
    """The body of a 401, in the API's error shape."""

    error: RefusalError


@dataclass(frozen=True)
class DemoAnswer:
    """The HTTP answer: status, JSON body and headers."""

    status: int
    body: Granted | Refusal
    headers: dict[str, str] = field(default_factory=dict)


def protected(authorization: str | None, *, now: float) -> DemoAnswer:
    """Check an Authorization header as a protected endpoint would, strictly."""
    if not authorization or not authorization.strip():
        return _refuse(
            MISSING_AUTHORIZATION,
            "No Authorization header: send the token as 'Authorization: Bearer <token>'.",
            error=None,
        )
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _refuse(
            NOT_BEARER,
            "The Authorization header must be 'Bearer <token>' (RFC 6750); this one uses "
            f"{scheme[:20]!r}.",
        )
    parsed = parse(token.strip())
    verdict = check_signature(parsed, read_key(DEMO_SECRET), algorithms=[DEMO_ALGORITHM])
    if not verdict.valid:
        return _refuse(verdict.reason_code or INVALID_TOKEN, verdict.reason_message or "")
    time = check_times(parsed.payload, now=now)
    if time["status"] in ("expired", "not_yet_valid", "invalid"):
        return _refuse(time["status"], time["message"])
    if not isinstance(parsed.payload, dict):
        return _refuse(NOT_CLAIMS, "The payload is not a JSON object of claims.")
    return DemoAnswer(
        200,
        {
            "message": "Access granted: the token is signed with the demo key and is in date.",
            "alg": verdict.alg,
            "claims": parsed.payload,
        },
    )


def _refuse(reason: str, message: str, error: str | None = INVALID_TOKEN) -> DemoAnswer:
    """A 401 in the API's error shape, with the reason code beside it."""
    body: Refusal = {"error": {**DebuggerError(UNAUTHORIZED, message).to_dict(), "reason": reason}}
    challenge = 'Bearer realm="demo"'
    if error is not None:
        # Header text: printable ASCII only, so no claim text can break the header.
        description = "".join(c if " " <= c <= "~" and c not in '"\\' else "?" for c in message)
        description = description[:200]
        challenge += f', error="{error}", error_description="{description}"'
    return DemoAnswer(401, body, {"WWW-Authenticate": challenge})
