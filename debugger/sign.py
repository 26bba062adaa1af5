"""Sign: header JSON + payload JSON + key -> compact token, keeping the JSON as written."""

from __future__ import annotations

import base64
from typing import Any

from . import jsontext
from .algorithms import ALGORITHMS, is_unsecured
from .errors import (
    INVALID_JSON,
    KEY_TYPE_MISMATCH,
    PRIVATE_KEY_REQUIRED,
    UNSUPPORTED_ALG,
    DebuggerError,
)
from .keys import Key, KeyRing, read_key


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWS writes every part."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_text(value: Any, field: str) -> str:
    """Compact JSON text for a part given either as parsed JSON or as JSON text."""
    if isinstance(value, str):
        jsontext.loads(value, field=field)
        return jsontext.compact(value)
    return jsontext.dumps(value)


def encode(
    header: Any, payload: Any, key_text: str, *, secret_encoding: str = "utf-8"
) -> dict[str, Any]:
    """Sign `payload` under `header` with the key or secret; the algorithm is the header's alg.

    `header` and `payload` are parsed JSON or JSON text; text is signed exactly as written
    (white space between tokens removed), so numbers such as `3.0` keep their form.
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
    payload_text = json_text(payload, "payload")
    if header_value.get("b64") is False:
        if "." in payload_text:
            raise DebuggerError(
                INVALID_JSON,
                "With b64 false the payload is carried as is, so it cannot contain '.'.",
                field="payload",
            )
        payload_segment = payload_text
    else:
        payload_segment = b64url(payload_text.encode("utf-8"))
    signing_input = f"{b64url(header_text.encode('utf-8'))}.{payload_segment}"
    if is_unsecured(alg):
        return {"token": signing_input + ".", "alg": alg, "key": None}
    spec = ALGORITHMS.get(alg)
    if spec is None:
        raise DebuggerError(
            UNSUPPORTED_ALG,
            f"Unknown algorithm {alg!r}. Use one of: {', '.join(ALGORITHMS)}.",
            field="header",
        )
    key = signing_key(read_key(key_text, secret_encoding), alg, header_value.get("kid"))
    signature = spec.implementation.sign(signing_input.encode("ascii"), key.material)
    return {"token": f"{signing_input}.{b64url(signature)}", "alg": alg, "key": key.describe()}


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
