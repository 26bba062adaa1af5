"""The core library is usable without Flask: importing it imports nothing web-related."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

CORE = (
    "debugger",
    "debugger.algorithms",
    "debugger.errors",
    "debugger.jsontext",
    "debugger.invisible",
    "debugger.keys",
    "debugger.report",
    "debugger.sign",
    "debugger.times",
    "debugger.tokens",
    "debugger.verify",
    "debugger.cli",
    "debugger.cliinput",
    "debugger.commands",
    "debugger.terminal",
    "debugger.security",
    "debugger.openapi",
    "debugger.claims",
    "debugger.codegen",
    "debugger.demo",
    "debugger.ecmath",
    "debugger.explain",
    "debugger.glossary",
    "debugger.hints",
    "debugger.walkthrough",
    "debugger.finding_catalog",
    "debugger.findings",
    "debugger.weak_secrets",
    "debugger.attacks",
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
