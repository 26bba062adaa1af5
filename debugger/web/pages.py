"""The page: one template, and the bodies of its folded panels that load when first opened;
all the work is done through the JSON API."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import __version__
from ..analysis import invisible
from ..analysis.hints import CLOCK_SKEW_SECONDS
from ..analysis.weak_secrets import SEARCH_WORK_BUDGET, SECRET_COST_BYTES
from ..codes import SEVERITIES
from ..teach.lessons import lesson_named, next_lesson

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> str:
    # ?lesson=<slug> shows that lesson's task above the debugger; any other value is ignored.
    lesson = lesson_named(request.args.get("lesson"))
    return render_template(
        "index.html",
        version=__version__,
        search_work_budget=SEARCH_WORK_BUDGET,
        secret_cost_bytes=SECRET_COST_BYTES,
        invisible_characters=invisible.page_table(),
        severities=SEVERITIES,
        clock_skew_seconds=CLOCK_SKEW_SECONDS,
        lesson=lesson,
        next_lesson=next_lesson(lesson) if lesson else None,
    )


@bp.get("/panels/keys")
def keys_panel() -> str:
    # The body of the "Key tools" panel, an HTML fragment: the page fetches it when the panel
    # first opens, so a first visit does not download the markup of tools it may never use.
    return render_template("panels/keys.html")
