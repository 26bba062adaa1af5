"""The sample protected API served beside the page: `GET /demo/protected` with a Bearer token."""

from __future__ import annotations

import time

from flask import Blueprint, request

from ..teach import demo

bp = Blueprint("demo", __name__, url_prefix="/demo")


@bp.get("/protected")
def protected() -> tuple[demo.Granted | demo.Refusal, int, dict[str, str]]:
    answer = demo.protected(request.headers.get("Authorization"), now=time.time())
    return answer.body, answer.status, {"Cache-Control": "no-store", **answer.headers}


@bp.app_context_processor
def demo_settings() -> dict[str, str]:
    """The demo key and algorithm, shown on the page beside the button that calls the API."""
    return {"demo_secret": demo.DEMO_SECRET, "demo_algorithm": demo.DEMO_ALGORITHM}
