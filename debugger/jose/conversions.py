"""Key conversions: to a JWK or PEM, to the public part, or several keys into one JWK Set."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from ..codes import ENTRY_SKIPPED
from ..errors import INVALID_REQUEST, KEY_TOO_LARGE, DebuggerError
from .jwk import jwk_set
from .keys import Key, read_keys

#: What `convert` can produce from the keys given.
CONVERSIONS = ("jwk", "public_jwk", "pem", "public_pem", "jwk_set", "public_jwk_set")


class ConvertedKey(TypedDict):
    """One key that was converted: what it is, its own kid (None if it had none), thumbprint."""

    description: str
    kid: str | None
    thumbprint: str


class Converted(TypedDict):
    """The converted key as text, the JWK or JWK Set itself (None for PEM), the kids, and
    each key converted, in order."""

    to: str
    text: str | None
    value: dict[str, Any] | None
    kids: list[str]
    keys: list[ConvertedKey]


def convert(texts: list[str], to: str, *, secret_encoding: str = "utf-8") -> Converted:
    """Convert pasted keys: to a JWK or PEM, to the public part, or into one JWK Set."""
    if to not in CONVERSIONS:
        raise DebuggerError(
            INVALID_REQUEST, f'"to" must be one of {", ".join(CONVERSIONS)}.', field="to"
        )
    rings = read_keys(texts, secret_encoding)
    unusable = [item for ring in rings for item in ring.unusable]
    skipped = [item for item in unusable if item.get("code") == ENTRY_SKIPPED]
    if skipped:
        raise DebuggerError(KEY_TOO_LARGE, skipped[0]["reason"], field="keys")
    keys = [key for ring in rings for key in ring.keys]
    if not keys:
        raise DebuggerError(INVALID_REQUEST, "Give at least one key to convert.", field="keys")
    public = to.startswith("public_")
    if to.endswith("jwk_set"):
        value = jwk_set([_converted_jwk(key, public) for key in keys])
        kids = [jwk["kid"] for jwk in value["keys"]]
        text = json.dumps(value, indent=2)
        return {"to": to, "text": text, "value": value, "kids": kids, "keys": _described(keys)}
    if len(keys) != 1:
        raise DebuggerError(
            INVALID_REQUEST,
            f"This holds {len(keys)} keys; convert it with jwk_set or public_jwk_set.",
            field="to",
        )
    key = keys[0]
    if to.endswith("jwk"):
        jwk = _converted_jwk(key, public)
        text = json.dumps(jwk, indent=2)
        return {
            "to": to,
            "text": text,
            "value": jwk,
            "kids": [jwk["kid"]],
            "keys": _described(keys),
        }
    if key.kind == "secret":
        raise DebuggerError(
            INVALID_REQUEST, "An HMAC secret has no PEM form; convert it to a JWK.", field="to"
        )
    pem = key.private_pem() if not public and key.private else key.public_pem()
    kids = [key.kid or key.thumbprint]
    return {"to": to, "text": pem, "value": None, "kids": kids, "keys": _described(keys)}


def _described(keys: list[Key]) -> list[ConvertedKey]:
    return [
        {"description": key.description, "kid": key.kid, "thumbprint": key.thumbprint}
        for key in keys
    ]


def _converted_jwk(key: Key, public: bool) -> dict[str, Any]:
    if public and key.kind == "secret":
        raise DebuggerError(
            INVALID_REQUEST,
            "An HMAC secret has no public part: both sides share it, and it must stay secret.",
            field="to",
        )
    return key.jwk(private=not public)
