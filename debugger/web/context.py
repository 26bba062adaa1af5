"""What a view needs from the running application: where it listens, and the request's JSON."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from ..errors import INVALID_REQUEST, DebuggerError
from .guard import Served

#: The key of `app.extensions` that holds where the application listens (a `Served`).
SERVED_KEY = "debugger.served"

#: A request's JSON body: open JSON, read through a declaration (`fields.read`).
RequestBody = dict[str, Any]


def served() -> Served:
    """Where the current application listens: its names, its port, and whether only on loopback."""
    value: Served = current_app.extensions[SERVED_KEY]
    return value


def json_body() -> RequestBody:
    """The request's body, which must be a JSON object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DebuggerError(
            INVALID_REQUEST, "The request body must be a JSON object, sent as application/json."
        )
    return body
