"""The JSON API: read the request, call the core, return a dict."""

from __future__ import annotations

import base64
import sys
import time
from typing import Any

from flask import Blueprint, current_app, request

from ..analysis import attacks, jwe_report, keyinfo, report, weak_secrets
from ..errors import INVALID_REQUEST, DebuggerError
from ..jose import certs, conversions, jwe_encrypt, keygen, sign
from ..jose.claims import ClaimChecks
from ..net import jwks
from ..teach import explain
from .app import served

bp = Blueprint("api", __name__, url_prefix="/api")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DebuggerError(
            INVALID_REQUEST, "The request body must be a JSON object, sent as application/json."
        )
    return body


Kinds = type | tuple[type, ...]
_TYPE_NAMES = {str: "string", int: "number", float: "number", list: "list", dict: "object"}


def _field(body: dict[str, Any], name: str, kind: Kinds, default: Any = None) -> Any:
    """An optional field of the given type; absent or null gives `default`."""
    value = body.get(name)
    if value is None:
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(dict.fromkeys(_TYPE_NAMES.get(k, k.__name__) for k in kinds))
        raise DebuggerError(INVALID_REQUEST, f'"{name}" must be a {names}.', field=name)
    return value


def _required(body: dict[str, Any], name: str, kind: type = str) -> Any:
    if body.get(name) is None:
        raise DebuggerError(INVALID_REQUEST, f'The request needs "{name}".', field=name)
    return _field(body, name, kind)


def _algorithms(body: dict[str, Any]) -> list[str] | None:
    algorithms: list[str] | None = _field(body, "algorithms", list)
    if algorithms is not None and not all(isinstance(a, str) for a in algorithms):
        raise DebuggerError(INVALID_REQUEST, '"algorithms" must be a list of strings.')
    return algorithms


def _clock(body: dict[str, Any]) -> dict[str, float]:
    now = _field(body, "now", (int, float))
    leeway = _field(body, "leeway", (int, float), 0)
    for name, value in (("now", now), ("leeway", leeway)):
        # Refuses NaN, infinities and integers beyond any float (10**400), which overflow later.
        if value is not None and not abs(value) <= sys.float_info.max:
            raise DebuggerError(INVALID_REQUEST, f'"{name}" must be a finite number.', field=name)
    return {"now": time.time() if now is None else now, "leeway": leeway}


def _strings(body: dict[str, Any], name: str) -> list[str] | None:
    values: list[Any] | None = _field(body, name, list)
    if values is not None and not all(isinstance(v, str) for v in values):
        raise DebuggerError(INVALID_REQUEST, f'"{name}" must be a list of strings.', field=name)
    return values


def _checks(body: dict[str, Any]) -> ClaimChecks:
    """The claim checks asked for: audience (string or list), issuer, subject, required_claims."""
    audience = _field(body, "audience", (str, list))
    if isinstance(audience, list):
        audience = _strings(body, "audience")
    return ClaimChecks(
        audience=audience,
        issuer=_field(body, "issuer", str),
        subject=_field(body, "subject", str),
        required=tuple(_strings(body, "required_claims") or ()),
    )


@bp.post("/decode")
def decode() -> dict[str, Any]:
    body = _body()
    return report.decode_report(_required(body, "token"), checks=_checks(body), **_clock(body))


@bp.post("/verify")
def verify() -> dict[str, Any]:
    body = _body()
    token = _required(body, "token")
    try:
        return _verify(body, token)
    except DebuggerError as err:
        # The page asks for this, so that a keystroke in the key box costs one request, not two.
        if err.status != 400 or _field(body, "report_key_error", bool) is not True:
            raise
        return report.key_error_report(token, err, checks=_checks(body), **_clock(body))


def _verify(body: dict[str, Any], token: str) -> dict[str, Any]:
    embedded = _field(body, "use_embedded_key", str)
    result = report.verify_report(
        token,
        certs.embedded_key_text(token, embedded) if embedded else _required(body, "key"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        algorithms=_algorithms(body),
        detached_payload=_field(body, "detached_payload", str),
        checks=_checks(body),
        **_clock(body),
    )
    if embedded:
        result["notes"].append(certs.embedded_key_note(embedded))
    return result


@bp.post("/explain")
def explain_signature() -> dict[str, Any]:
    body = _body()
    return explain.explain_report(
        _required(body, "token"),
        _field(body, "key", str),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        algorithms=_algorithms(body),
        detached_payload=_field(body, "detached_payload", str),
        checks=_checks(body),
        leeway=_clock(body)["leeway"],
        url=_field(body, "url", str),
    )


@bp.post("/encode")
def encode() -> dict[str, Any]:
    body = _body()
    header = body.get("header_json", body.get("header"))
    raw = _field(body, "payload_raw", str)
    payload = raw if raw is not None else body.get("payload_json", body.get("payload"))
    for name, value in (("header", header), ("payload", payload)):
        if value is None:
            raise DebuggerError(INVALID_REQUEST, f'The request needs "{name}".', field=name)
    return sign.encode(
        header,
        payload,
        _required(body, "key"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        detached=_field(body, "detached", bool, False),
        payload_raw=raw is not None,
    )


@bp.post("/keys/inspect")
def keys_inspect() -> dict[str, Any]:
    body = _body()
    return keyinfo.inspect_key(
        _required(body, "key"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        now=_clock(body)["now"],
    )


@bp.post("/keys/generate")
def keys_generate() -> dict[str, Any]:
    body = _body()
    return keygen.generate_key(
        _required(body, "alg"), _field(body, "size", int), _field(body, "curve", str)
    )


@bp.post("/keys/convert")
def keys_convert() -> dict[str, Any]:
    body = _body()
    keys = _field(body, "keys", list)
    if keys is None:
        keys = [_required(body, "key")]
    if not keys or not all(isinstance(key, str) for key in keys):
        raise DebuggerError(INVALID_REQUEST, '"keys" must be a list of key texts.', field="keys")
    return conversions.convert(
        keys,
        _required(body, "to"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
    )


@bp.post("/jwks/fetch")
def jwks_fetch() -> dict[str, Any]:
    body = _body()
    # Listening beyond loopback, the debugger must not be anyone's way into private networks.
    limits = jwks.FetchLimits(
        own_port=current_app.config.get("SERVER_PORT"),
        allow_private_networks=served().loopback_only,
    )
    return jwks.fetch_jwks(
        url=_field(body, "url", str), issuer=_field(body, "issuer", str), limits=limits
    )


@bp.post("/attacks")
def forge_attacks() -> dict[str, Any]:
    body = _body()
    return attacks.forge_variants(_required(body, "token"), _field(body, "public_key", str))


@bp.post("/secret-search")
def secret_search() -> dict[str, Any]:
    body = _body()
    return weak_secrets.search_report(
        _required(body, "token"),
        _base64(_required(body, "wordlist_base64"), "wordlist_base64"),
        work_budget=weak_secrets.SEARCH_WORK_BUDGET,
        deadline=time.monotonic() + weak_secrets.SEARCH_SECONDS,
    )


def _base64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as err:
        raise DebuggerError(INVALID_REQUEST, f'"{name}" is not valid base64.', field=name) from err


@bp.post("/decrypt")
def decrypt() -> jwe_report.DecryptReport:
    body = _body()
    return jwe_report.decrypt_report(
        _required(body, "token"),
        _required(body, "key"),
        inner_key=_field(body, "inner_key", str),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        checks=_checks(body),
        **_clock(body),
    )


@bp.post("/encrypt")
def encrypt() -> jwe_encrypt.Encrypted:
    body = _body()
    sign_request = _field(body, "sign", dict)
    sign_key = None if sign_request is None else _required(sign_request, "key")
    return jwe_encrypt.encrypt_token(
        _required(body, "header", dict),
        _required(body, "key"),
        payload=_field(body, "payload", dict),
        plaintext=_field(body, "plaintext", str),
        sign_header=None if sign_request is None else _required(sign_request, "header", dict),
        sign_key=sign_key,
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
    )
