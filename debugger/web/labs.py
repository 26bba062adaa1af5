"""The hands-on labs under /labs/: deliberately insecure APIs, served only with `--labs`.

They answer only when the application was created with LABS=True, and only to requests from
and addressed to loopback. The issuer's keys are made once per process; the solved labs and
the attacker's key set are kept in memory only.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import replace
from typing import Any, TypedDict
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, render_template, request

from ..analysis.weak_secrets import BUILTIN_SECRETS
from ..errors import BAD_REQUEST, HOST_NOT_ALLOWED, TOO_LARGE, DebuggerError
from ..net.addresses import is_loopback_host
from ..teach import labs
from ..teach.lab_verifiers import LabKeys, LabRefused
from .guard import split_host

bp = Blueprint("labs", __name__, url_prefix="/labs")
_STATE = "debugger.labs"
_NO_STORE = {"Cache-Control": "no-store"}
#: The largest attacker key set kept, in bytes of JSON.
MAX_KEY_SET_BYTES = 64 * 1024
_MAKING = threading.Lock()
Headers = dict[str, str]


class LabToken(TypedDict):
    """What /labs/<name>/token answers: the lab's genuine low-privilege token."""

    token: str
    warning: str


class LabAdminAnswer(labs.AdminAnswer):
    warning: str


class LabAdminPage(LabAdminAnswer, total=False):
    """What /labs/<name>/admin answers; once solved, the two verifiers and the lesson too."""

    vulnerable_code: str
    fixed_code: str
    lesson: str


class LabSolution(TypedDict):
    solution: str
    hints: list[str]


class LabState:
    """One process's labs: the issuer's keys, the labs solved, the attacker's key set."""

    def __init__(self) -> None:
        weak = secrets.choice([s for s in BUILTIN_SECRETS if len(s) >= 6])
        self.keys: LabKeys = labs.make_keys(weak, fetch_key_set=self.fetch_key_set)
        self.solved: set[str] = set()
        self.attacker_key_set: dict[str, Any] = {"keys": []}
        self.lock = threading.Lock()

    def fetch_key_set(self, url: str) -> dict[str, Any]:
        """The lab's "fetch": only this server's own key sets, and nothing leaves the machine."""
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not is_loopback_host(parts.hostname or ""):
            raise LabRefused("this lab fetches key sets only from loopback (127.0.0.1) URLs")
        if parts.path == "/labs/jku-injection/jwks.json":
            return labs.public_key_set(self.keys)
        if parts.path == "/labs/jku-injection/attacker-jwks.json":
            with self.lock:
                return dict(self.attacker_key_set)
        raise LabRefused("no key set at that URL on this machine")


def _state() -> LabState:
    with _MAKING:
        state: LabState | None = current_app.extensions.get(_STATE)
        if state is None:
            state = current_app.extensions[_STATE] = LabState()
    return state


@bp.before_request
def _only_with_labs_on_loopback() -> None:
    if not current_app.config.get("LABS"):
        abort(404)
    host = split_host(request.host) if "HTTP_HOST" in request.environ else None
    remote = request.remote_addr or ""
    if host is None or not is_loopback_host(host[0]) or not is_loopback_host(remote):
        raise DebuggerError(
            HOST_NOT_ALLOWED,
            "The labs answer only on this machine: open them at http://127.0.0.1:<port>/labs/.",
            status=403,
        )


def _lab(name: str) -> labs.Lab:
    lab = labs.BY_NAME.get(name)
    if lab is None:
        abort(404)
    return lab


@bp.get("/")
def index() -> str:
    return render_template(
        "lab.html", labs=labs.LABS, lab=None, solved=_state().solved, warning=labs.WARNING
    )


@bp.get("/<name>/")
def page(name: str) -> str:
    lab = _lab(name)
    solved = name in _state().solved
    return render_template("lab.html", labs=labs.LABS, lab=lab, solved=solved, warning=labs.WARNING)


@bp.get("/<name>/token")
def token(name: str) -> tuple[LabToken, int, Headers]:
    lab = _lab(name)
    state = _state()
    keys = state.keys
    if name == "jku-injection":
        keys = _with_own_jwks_url(keys)
    body: LabToken = {"token": labs.issue(lab, keys, now=time.time()), "warning": labs.WARNING}
    return body, 200, _NO_STORE


def _with_own_jwks_url(keys: LabKeys) -> LabKeys:
    return replace(keys, jwks_url=f"{request.host_url}labs/jku-injection/jwks.json")


@bp.get("/<name>/admin")
def admin(name: str) -> tuple[LabAdminPage, int, Headers]:
    lab = _lab(name)
    state = _state()
    status, answer = labs.admin(lab, state.keys, request.headers.get("Authorization"))
    if answer["solved"]:
        with state.lock:
            state.solved.add(name)
    body: LabAdminPage = {
        "granted": answer["granted"],
        "solved": answer["solved"],
        "message": answer["message"],
        "claims": answer["claims"],
        "fixed_refusal": answer["fixed_refusal"],
        "warning": labs.WARNING,
    }
    if answer["solved"]:
        body["vulnerable_code"] = lab.vulnerable_source()
        body["fixed_code"] = lab.fixed_source()
        body["lesson"] = lab.lesson
    return body, status, _NO_STORE


@bp.get("/<name>/solution")
def solution(name: str) -> tuple[LabSolution, int, Headers]:
    lab = _lab(name)
    return {"solution": lab.solution, "hints": list(lab.hints)}, 200, _NO_STORE


@bp.get("/<name>/jwks.json")
def jwks(name: str) -> tuple[dict[str, list[dict[str, Any]]], int, Headers]:
    if not _lab(name).publishes_key_set:
        abort(404)
    return labs.public_key_set(_state().keys), 200, _NO_STORE


@bp.route("/jku-injection/attacker-jwks.json", methods=["GET", "POST"])
def attacker_jwks() -> tuple[dict[str, Any], int, Headers]:
    state = _state()
    if request.method == "POST":
        if (request.content_length or 0) > MAX_KEY_SET_BYTES:
            raise DebuggerError(TOO_LARGE, "The key set is over 64 KiB.", status=413)
        key_set = request.get_json(silent=True)
        if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
            raise DebuggerError(BAD_REQUEST, 'Send a JWK Set as JSON: {"keys": [...]}.')
        with state.lock:
            state.attacker_key_set = {"keys": key_set["keys"]}
    with state.lock:
        return dict(state.attacker_key_set), 200, _NO_STORE
