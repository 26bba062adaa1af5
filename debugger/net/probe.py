"""Send a token to an API the user names, and show what was sent and what came back.

Nothing is sent unless the user asks (a button, a command). `build` makes the request and its
preview, with every secret masked, so the page can show exactly what will be sent before it is;
`send_probe` sends it once, within the limits of a key-set fetch, and reads the answer: status,
headers, timing, the first 64 KiB of the body, and the `WWW-Authenticate` challenges explained.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NotRequired, TypedDict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import INVALID_REQUEST, DebuggerError, ErrorData
from ..jose import dpop
from . import outbound
from .challenge import Challenge, Explanation, explain, parse_challenges
from .jwks import FetchLimits

PLACEMENTS = ("bearer", "header", "cookie", "query")
#: The answer's body is read up to this many bytes; the rest is not read.
MAX_ANSWER_BYTES = 64 * 1024
#: Each request may take this many seconds in all.
PROBE_TIMEOUT = 10.0
_DEFAULT_NAMES = {"header": "Authorization", "cookie": "access_token", "query": "access_token"}
#: Header names whose values are secrets, masked in the preview.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|key|dpop|session|password", re.I)


@dataclass(frozen=True)
class ProbeSpec:
    """What the user asked to send."""

    url: str
    method: str = "GET"
    token: str | None = None
    placement: str = "bearer"
    name: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    dpop_key: str | None = None


class Preview(TypedDict):
    """The request as it will be sent, secrets masked: method, URL, headers in order, body."""

    method: str
    url: str
    headers: list[list[str]]
    body: str | None


class Previewed(TypedDict):
    """The request that would be sent, secrets masked."""

    sent: Preview


class ProbeAnswer(TypedDict):
    """What the API answered, and what the answer means. `status` is null when nothing came
    back; `reason` then says why."""

    sent: Preview
    status: int | None
    status_text: str
    headers: dict[str, str]
    header_list: list[list[str]]
    body: str
    body_truncated: bool
    elapsed_ms: float | None
    www_authenticate: list[Challenge]
    explanations: list[Explanation]
    reason: NotRequired[ErrorData]


def mask(secret: str) -> str:
    """A secret shown by its first and last characters and its length."""
    if len(secret) <= 12:
        return f"•••• ({len(secret)} characters)"
    return f"{secret[:8]}…{secret[-4:]} ({len(secret)} characters)"


def build(spec: ProbeSpec, now: float) -> tuple[outbound.Outbound, Preview, str | None]:
    """The request to send, its masked preview, and the authentication scheme it carries."""
    method = outbound.check_method(spec.method)
    outbound.check_url(spec.url)
    if spec.placement not in PLACEMENTS:
        raise DebuggerError(
            INVALID_REQUEST,
            f'"placement" must be one of {", ".join(PLACEMENTS)}.',
            field="placement",
        )
    url, masked_url = spec.url, spec.url
    headers: list[tuple[str, str]] = []
    masked: list[list[str]] = []
    secrets_sent: list[str] = []
    scheme = None
    token = spec.token.strip() if spec.token else None
    if token:
        secrets_sent.append(token)
        name = spec.name or _DEFAULT_NAMES.get(spec.placement, "")
        if spec.placement == "bearer":
            scheme = "DPoP" if spec.dpop_key else "Bearer"
            headers.append(("Authorization", f"{scheme} {token}"))
        elif spec.placement == "header":
            headers.append((name, token))
        elif spec.placement == "cookie":
            headers.append(("Cookie", f"{name}={token}"))
        else:
            url = _with_query(spec.url, name, token)
            masked_url = _with_query(spec.url, name, mask(token))
    if spec.dpop_key:
        proof = dpop.make_proof(spec.dpop_key, method=method, url=url, now=now, access_token=token)
        secrets_sent.append(proof)
        headers.append(("DPoP", proof))
    for name, value in spec.headers.items():
        outbound.check_header(name, value)
        cookie = next((i for i, (n, _) in enumerate(headers) if n == "Cookie"), None)
        if name.lower() == "cookie" and cookie is not None:
            headers[cookie] = ("Cookie", f"{value}; {headers[cookie][1]}")
        else:
            headers.append((name, value))
    for name, value in headers:
        outbound.check_header(name, value)
        masked.append([name, _masked_value(name, value, secrets_sent)])
    body = _utf8(spec.body, "body") if spec.body is not None else None
    preview: Preview = {"method": method, "url": masked_url, "headers": masked, "body": spec.body}
    return outbound.Outbound(method, url, tuple(headers), body), preview, scheme


def _utf8(text: str, field: str) -> bytes:
    """`text` as UTF-8; a lone surrogate, which UTF-8 cannot carry, is a clear error."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise DebuggerError(
            INVALID_REQUEST,
            f"The {field} holds a lone surrogate (U+{ord(err.object[err.start]):04X}), which "
            "cannot be sent: remove it or write the character as a surrogate pair.",
            field=field,
        ) from err


def send_probe(spec: ProbeSpec, limits: FetchLimits, now: float) -> ProbeAnswer:
    """Send the request once; an unreachable URL is an answer with `status` None and a reason."""
    request, preview, scheme = build(spec, now)
    try:
        received = outbound.send(request, limits)
    except DebuggerError as err:
        return {
            "sent": preview,
            "status": None,
            "status_text": "",
            "headers": {},
            "header_list": [],
            "body": "",
            "body_truncated": False,
            "elapsed_ms": None,
            "www_authenticate": [],
            "explanations": [],
            "reason": err.to_dict(),
        }
    challenges = parse_challenges(
        [value for name, value in received.headers if name.lower() == "www-authenticate"]
    )
    joined: dict[str, str] = {}
    for name, value in received.headers:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return {
        "sent": preview,
        "status": received.status,
        "status_text": received.reason,
        "headers": joined,
        "header_list": [[name, value] for name, value in received.headers],
        "body": received.body.decode("utf-8", "replace"),
        "body_truncated": received.truncated,
        "elapsed_ms": received.elapsed_ms,
        "www_authenticate": challenges,
        "explanations": explain(received.status, challenges, spec.token, scheme, now),
    }


class Sent(TypedDict):
    """One token sent by a scan: the status (None when nothing came back) and the time taken."""

    status: int | None
    elapsed_ms: float | None
    reason: NotRequired[str]


def sender(spec: ProbeSpec, limits: FetchLimits, now: float) -> Callable[[str], Sent]:
    """A function that sends `spec` with another token in it, once, and says what came back."""

    def send(token: str) -> Sent:
        request, _, _ = build(replace(spec, token=token), now)
        try:
            received = outbound.send(request, limits)
        except DebuggerError as err:
            return {"status": None, "elapsed_ms": None, "reason": err.message}
        return {"status": received.status, "elapsed_ms": received.elapsed_ms}

    return send


def preview(spec: ProbeSpec, now: float) -> Previewed:
    """What `spec` would send, secrets masked; nothing is sent."""
    return {"sent": build(spec, now)[1]}


def probe_limits(own_port: int | None, allow_private_networks: bool) -> FetchLimits:
    """The limits of one probe request: 10 s in all, 64 KiB of answer read."""
    return FetchLimits(
        timeout=PROBE_TIMEOUT,
        max_bytes=MAX_ANSWER_BYTES,
        own_port=own_port,
        allow_private_networks=allow_private_networks,
    )


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), (name, value)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _masked_value(name: str, value: str, secrets_sent: list[str]) -> str:
    masked = value
    for secret in secrets_sent:
        masked = masked.replace(secret, mask(secret))
    if masked == value and _SECRET_HEADER.search(name):
        scheme, _, rest = value.partition(" ")
        return f"{scheme} {mask(rest)}" if rest and scheme.isalpha() else mask(value)
    return masked
