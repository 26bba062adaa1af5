"""The core library is usable without Flask: importing it imports nothing web-related."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

CORE = (
    "debugger",
    "debugger.jose.algorithms",
    "debugger.errors",
    "debugger.jose.jsontext",
    "debugger.jose.keys",
    "debugger.analysis.report",
    "debugger.jose.sign",
    "debugger.jose.times",
    "debugger.jose.tokens",
    "debugger.jose.verify",
    "debugger.cli.parser",
    "debugger.cli.inputs",
    "debugger.cli.commands",
    "debugger.cli.terminal",
    "debugger.web.guard",
    "debugger.web.openapi",
    "debugger.jose.claims",
    "debugger.teach.codegen",
    "debugger.teach.demo",
    "debugger.teach.ecmath",
    "debugger.teach.explain",
    "debugger.teach.glossary",
    "debugger.analysis.hints",
    "debugger.teach.walkthrough",
    "debugger.analysis.finding_catalog",
    "debugger.analysis.findings",
    "debugger.analysis.weak_secrets",
    "debugger.analysis.attacks",
    "debugger.analysis.invisible",
)


def test_core_modules_do_not_import_flask_or_werkzeug():
    code = (
        f"import importlib, sys\nfor name in {CORE!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
