"""The Learn page: the lessons in order, each with a step the page checks."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..teach.lessons import LESSONS

bp = Blueprint("learn", __name__)


@bp.get("/learn")
def learn() -> str:
    return render_template("learn.html", lessons=LESSONS)
