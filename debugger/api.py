"""The JSON API: read the request, call the core, return a dict."""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Blueprint, request

from . import report, sign
from .errors import INVALID_REQUEST, DebuggerError

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
        if value is not None and not math.isfinite(value):
            raise DebuggerError(INVALID_REQUEST, f'"{name}" must be a finite number.', field=name)
    return {"now": time.time() if now is None else now, "leeway": leeway}


@bp.post("/decode")
def decode() -> dict[str, Any]:
    body = _body()
    return report.decode_report(_required(body, "token"), **_clock(body))


@bp.post("/verify")
def verify() -> dict[str, Any]:
    body = _body()
    return report.verify_report(
        _required(body, "token"),
        _required(body, "key"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
        algorithms=_algorithms(body),
        detached_payload=_field(body, "detached_payload", str),
        **_clock(body),
    )


@bp.post("/encode")
def encode() -> dict[str, Any]:
    body = _body()
    header = body.get("header_json", body.get("header"))
    payload = body.get("payload_json", body.get("payload"))
    for name, value in (("header", header), ("payload", payload)):
        if value is None:
            raise DebuggerError(INVALID_REQUEST, f'The request needs "{name}".', field=name)
    return sign.encode(
        header,
        payload,
        _required(body, "key"),
        secret_encoding=_field(body, "secret_encoding", str, "utf-8"),
    )
