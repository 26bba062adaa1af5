"""The page: one template; all the work is done through the JSON API."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import __version__
from ..analysis import invisible

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> str:
    return render_template(
        "index.html", version=__version__, invisible_characters=invisible.page_table()
    )
