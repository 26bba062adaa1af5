"""Sign: header JSON + payload JSON + key -> compact token, keeping the JSON as written."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from ..errors import (
    INVALID_JSON,
    KEY_TYPE_MISMATCH,
    PAYLOAD_NOT_OBJECT,
    PRIVATE_KEY_REQUIRED,
    UNSUPPORTED_ALG,
    DebuggerError,
)
from . import jsontext
from .algorithms import ALGORITHMS, is_unsecured
from .b64 import b64url
from .keys import Key, KeyDetails, KeyRing, read_key


class Encoded(TypedDict):
    """A signed token, its algorithm, the key that signed it (None for alg none), and for a
    detached payload the content to send beside it."""

    token: str
    alg: str
    key: KeyDetails | None
    detached_payload: NotRequired[str]


class _Carried(TypedDict, total=False):
    detached_payload: str


def json_text(value: Any, field: str) -> str:
    """Compact JSON text for a part given either as parsed JSON or as JSON text."""
    if isinstance(value, str):
        jsontext.loads(value, field=field)
        text = jsontext.compact(value)
    else:
        jsontext.check_depth(value, field=field)
        text = jsontext.dumps(value)
    return utf8_text(text, field)


def utf8_text(text: str, field: str) -> str:
    """`text` itself, once it is known to encode as UTF-8 (a lone surrogate does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise DebuggerError(
            INVALID_JSON,
            f"The {field} holds a lone surrogate (U+{ord(err.object[err.start]):04X}), which UTF-8 "
            "cannot encode. Write the character as a surrogate pair or remove it.",
            field=field,
        ) from err
    return text


def encode(
    header: Any,
    payload: Any,
    key_text: str,
    *,
    secret_encoding: str = "utf-8",
    detached: bool = False,
    payload_raw: bool = False,
    jws_payload: bool = True,
    passphrase: str | None = None,
) -> Encoded:
    """Sign `payload` under `header` with the key or secret; the algorithm is the header's alg.

    `header` and `payload` are parsed JSON or JSON text; text is signed exactly as written
    (white space between tokens removed), so numbers such as `3.0` keep their form. With
    `payload_raw` the payload is any text, signed byte for byte. Without `jws_payload` the
    JSON payload must be an object (a JWT's claims). With `detached` the token's
    payload part is left empty (RFC 7515 Appendix F) and the answer gives the detached payload.
    """
    header_text = json_text(header, "header")
    header_value = jsontext.loads(header_text, field="header")
    if not isinstance(header_value, dict):
        raise DebuggerError(INVALID_JSON, "The header must be a JSON object.", field="header")
    alg = header_value.get("alg")
    if not isinstance(alg, str):
        raise DebuggerError(
            INVALID_JSON, 'The header needs an "alg" string naming the algorithm.', field="header"
        )
    payload_text = (
        utf8_text(payload, "payload")
        if payload_raw and isinstance(payload, str)
        else json_text(payload, "payload")
    )
    if not payload_raw and not jws_payload:
        _require_claims(payload_text)
    if header_value.get("b64") is False:
        if "." in payload_text and not detached:
            raise DebuggerError(
                INVALID_JSON,
                "With b64 false the payload is carried as is, so it cannot contain '.'.",
                field="payload",
            )
        payload_segment = payload_text
    else:
        payload_segment = b64url(payload_text.encode("utf-8"))
    signing_input = f"{b64url(header_text.encode('utf-8'))}.{payload_segment}"
    carried: _Carried = {"detached_payload": payload_text} if detached else {}
    token_start = f"{b64url(header_text.encode('utf-8'))}." if detached else signing_input
    if is_unsecured(alg):
        return {"token": token_start + ".", "alg": alg, "key": None, **carried}
    spec = ALGORITHMS.get(alg)
    if spec is None:
        raise DebuggerError(
            UNSUPPORTED_ALG,
            f"Unknown algorithm {alg!r}. Use one of: {', '.join(ALGORITHMS)}.",
            field="header",
        )
    ring = read_key(key_text, secret_encoding, passphrase)
    key = signing_key(ring, alg, header_value.get("kid"))
    signature = spec.implementation.sign(signing_input.encode("utf-8"), key.material)
    token = f"{token_start}.{b64url(signature)}"
    return {"token": token, "alg": alg, "key": key.describe(), **carried}


def _require_claims(payload_text: str) -> None:
    value = jsontext.loads(payload_text, field="payload")
    if not isinstance(value, dict):
        raise DebuggerError(
            PAYLOAD_NOT_OBJECT,
            "The payload is JSON but not an object, so the token would not be a JWT: JWT "
            'libraries refuse it. Give an object of claims ({"sub": ...}), or send '
            '"jws_payload": true to sign it as the content of a plain JWS.',
            field="payload",
        )


def signing_key(ring: KeyRing, alg: str, kid: Any = None) -> Key:
    """The key in `ring` that can sign with `alg` (by `kid` in a key set), or a clear error."""
    keys = [key for key in ring.keys if kid is None or not ring.is_set or key.kid == kid]
    keys = keys or list(ring.keys)
    signers = [key for key in keys if key.can_sign]
    if not signers:
        raise DebuggerError(
            PRIVATE_KEY_REQUIRED,
            "A public key can only verify. To re-sign the token, paste the private key (or the "
            "secret, for HS algorithms).",
            field="key",
        )
    for key in signers:
        if key.unfit_reason(alg, "sign") is None:
            return key
    reason = signers[0].unfit_reason(alg, "sign")
    raise DebuggerError(KEY_TYPE_MISMATCH, f"Cannot sign: {reason}", field="key")
