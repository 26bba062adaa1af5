"""Encrypt: claims, text, or a token signed first (a nested JWT) -> compact JWE, via joserfc."""

from __future__ import annotations

from typing import Any, TypedDict

from joserfc.errors import InvalidKeyLengthError, InvalidKeyTypeError, JoseError
from joserfc.jwe import FlattenedJSONEncryption, JWERegistry, encrypt_compact, encrypt_json

from ..errors import (
    BAD_KEY,
    INVALID_JSON,
    INVALID_REQUEST,
    KEY_TYPE_MISMATCH,
    UNSUPPORTED_ALG,
    DebuggerError,
)
from . import jsontext
from .jwe import PART_LIMITS, PART_NAMES, refuse_p2c, registry_for
from .jwe_algorithms import ALGS, ENCS, PBES2_ALGS, ZIP_DEFLATE
from .jwe_keys import (
    EncryptionKey,
    EncryptionKeyInfo,
    quiet_library_warnings,
    read_encryption_keys,
)
from .sign import encode as sign_encode
from .sign import json_text, utf8_text

#: How an encrypted token can be written: five dot-separated parts, or the flattened JSON
#: serialization (RFC 7516 section 7.2.2).
SERIALIZATIONS = ("compact", "flattened")
#: The content type of a nested token (RFC 7519 section 5.2).
NESTED_CTY = "JWT"


class Encrypted(TypedDict):
    """The encrypt answer: the token, its protected header, and the key it was made for."""

    token: str
    header: dict[str, Any]
    alg: str
    enc: str
    key: EncryptionKeyInfo
    inner_token: str | None


def encrypt_token(
    header: Any,
    key_text: str,
    *,
    payload: Any = None,
    plaintext: str | None = None,
    sign_header: Any = None,
    sign_key: str | None = None,
    secret_encoding: str = "utf-8",
    serialization: str = "compact",
) -> Encrypted:
    """Encrypt `payload` (JSON), `plaintext` (text) or, with `sign_key`, the JWS of `payload`
    signed under `sign_header` (then `cty` is "JWT") to the key under `header`'s alg and enc.

    `serialization` "flattened" gives the flattened JSON serialization (RFC 7516 section 7.2.2)
    as the token's text, every header parameter protected.
    """
    protected = _protected_header(header)
    inner: str | None = None
    if sign_key is not None:
        if plaintext is not None:
            raise DebuggerError(
                INVALID_REQUEST, "Sign-then-encrypt signs claims: send payload, not plaintext."
            )
        signed = sign_encode(
            sign_header if sign_header is not None else {"alg": "HS256", "typ": "JWT"},
            payload if payload is not None else {},
            sign_key,
            secret_encoding=secret_encoding,
        )
        inner = str(signed["token"])
        protected.setdefault("cty", NESTED_CTY)
        content = inner.encode("ascii")
    else:
        content = _content(payload, plaintext)
    key = _encryption_key(protected, key_text, secret_encoding)
    if key.kid is not None and "kid" not in protected:
        protected["kid"] = key.kid
    if serialization not in SERIALIZATIONS:
        raise DebuggerError(
            INVALID_REQUEST,
            f"Unknown serialization {serialization!r}. Use one of: {', '.join(SERIALIZATIONS)}.",
            field="serialization",
        )
    token = _encrypt(protected, content, key, flattened=serialization == "flattened")
    return {
        "token": token,
        "header": protected,
        "alg": protected["alg"],
        "enc": protected["enc"],
        "key": key.describe(),
        "inner_token": inner,
    }


def _flattened(
    header: dict[str, Any], content: bytes, key: EncryptionKey, registry: JWERegistry
) -> dict[str, Any]:
    """The flattened JSON serialization with every parameter in the protected header but those
    the algorithm adds (an ECDH `epk`), which go to the unprotected `header`."""
    message = FlattenedJSONEncryption(dict(header), content)
    message.add_recipient({}, key.jose_key)
    # joserfc copies the key's kid into the recipient's header; it is already protected.
    own = message.recipients[0].header
    if own is not None and "kid" in header:
        own.pop("kid", None)
    value = dict(encrypt_json(message, None, registry=registry))
    if not value.get("header"):
        value.pop("header", None)
    return value


def _protected_header(header: Any) -> dict[str, Any]:
    value = jsontext.loads(json_text(header, "header"), field="header")
    if not isinstance(value, dict):
        raise DebuggerError(INVALID_JSON, "The header must be a JSON object.", field="header")
    alg, enc = value.get("alg"), value.get("enc")
    if alg not in ALGS:
        raise DebuggerError(
            UNSUPPORTED_ALG,
            f"Unknown JWE alg {alg!r}. Use one of: {', '.join(ALGS)}.",
            field="header",
        )
    if enc not in ENCS:
        raise DebuggerError(
            UNSUPPORTED_ALG, f"Unknown enc {enc!r}. Use one of: {', '.join(ENCS)}.", field="header"
        )
    if "zip" in value and value["zip"] != ZIP_DEFLATE:
        raise DebuggerError(INVALID_JSON, 'The only zip is "DEF" (DEFLATE).', field="header")
    if alg in PBES2_ALGS and "p2c" in value:
        refuse_p2c(value["p2c"], alg)
    return value


def _content(payload: Any, plaintext: str | None) -> bytes:
    if plaintext is not None and payload is not None:
        raise DebuggerError(INVALID_REQUEST, "Send payload (JSON) or plaintext (text), not both.")
    if plaintext is not None:
        return utf8_text(plaintext, "plaintext").encode("utf-8")
    if payload is None:
        raise DebuggerError(
            INVALID_REQUEST, 'The request needs "payload" (claims) or "plaintext".', field="payload"
        )
    return json_text(payload, "payload").encode("utf-8")


def _encryption_key(header: dict[str, Any], key_text: str, secret_encoding: str) -> EncryptionKey:
    ring = read_encryption_keys(key_text, secret_encoding)
    keys = ring.by_kid(header.get("kid"))
    if not keys:
        raise DebuggerError(
            BAD_KEY, f"The JWK Set has no key with kid {header.get('kid')!r}.", field="key"
        )
    problems = [key.problem(header["alg"], header["enc"], decrypting=False) for key in keys]
    for key, problem in zip(keys, problems, strict=True):
        if problem is None:
            return key
    message = next(problem for problem in problems if problem is not None)[1]
    raise DebuggerError(KEY_TYPE_MISMATCH, f"Cannot encrypt: {message}", field="key")


def _encrypt(
    header: dict[str, Any], content: bytes, key: EncryptionKey, *, flattened: bool = False
) -> str:
    registry = registry_for(header["alg"], header["enc"])
    try:
        with quiet_library_warnings():
            if flattened:
                value = _flattened(header, content, key, registry)
                segments = [str(value.get(name, "")) for name in PART_NAMES]
                token = jsontext.dumps(value)
            else:
                token = encrypt_compact(header, content, key.jose_key, registry=registry)
                segments = token.split(".")
    except (InvalidKeyLengthError, InvalidKeyTypeError) as err:
        raise DebuggerError(KEY_TYPE_MISMATCH, f"Cannot encrypt: {err}", field="key") from err
    except (JoseError, ValueError, TypeError) as err:
        raise DebuggerError(INVALID_REQUEST, f"Cannot encrypt: {err}", field="header") from err
    for name, segment in zip(PART_NAMES, segments, strict=True):
        if len(segment) > PART_LIMITS[name]:
            raise DebuggerError(
                INVALID_REQUEST,
                f"The {name} would be {len(segment):,} characters; a JWE recipient reads at most "
                f"{PART_LIMITS[name]:,}. Send less content, or compress it (zip DEF).",
            )
    return token
