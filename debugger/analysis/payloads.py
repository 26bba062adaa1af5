"""How the payload is carried: base64url or unencoded (RFC 7797), attached or detached."""

from __future__ import annotations

from typing import TypedDict

from ..jose.tokens import ParsedToken

_UNENCODED = (
    'The header sets "b64": false (RFC 7797): the payload is signed exactly as it is, not '
    "base64url-encoded, so it may contain spaces and other characters; they are kept as they are."
)
_NOT_CRITICAL = (
    ' RFC 7797 requires "b64" to be listed in "crit": a verifier that does not know b64 would '
    "otherwise compute a different signing input."
)
_DETACHED = (
    "The payload part is empty: the content is detached (RFC 7515 Appendix F, as in RFC 7520 "
    "section 4.5). The signature covers content sent separately; supply it as the detached "
    "payload to verify."
)
_DETACHED_UNENCODED = " Give the content exactly as it was signed."
_DETACHED_ENCODED = (
    " Give the content as text (it is base64url-encoded before checking) or already "
    "base64url-encoded."
)


class PayloadForm(TypedDict):
    """Whether the payload is base64url-encoded (RFC 7797) and whether it is detached."""

    b64: bool
    b64_critical: bool
    detached: bool
    explanation: str | None


def payload_form(parsed: ParsedToken) -> PayloadForm:
    """Whether the payload is base64url-encoded and whether it is detached, with an explanation."""
    header = parsed.header if parsed.header is not None else {}
    unencoded = header.get("b64") is False
    detached = len(parsed.segments) == 3 and parsed.segments[1] == ""
    crit = header.get("crit")
    b64_critical = isinstance(crit, list) and "b64" in crit
    sentences = []
    if unencoded:
        sentences.append(_UNENCODED + ("" if b64_critical else _NOT_CRITICAL))
    if detached:
        sentences.append(_DETACHED + (_DETACHED_UNENCODED if unencoded else _DETACHED_ENCODED))
    return {
        "b64": not unencoded,
        "b64_critical": b64_critical,
        "detached": detached,
        "explanation": " ".join(sentences) or None,
    }
