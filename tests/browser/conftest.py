"""Fixtures of the learning pages: a server with the labs on, and a learner's browser window."""

from __future__ import annotations

import pytest

from ..conftest import start_server, stop_server


@pytest.fixture(scope="module")
def labs_server():
    """The real server started with --labs (one per test module: its labs start unsolved)."""
    running = start_server("--labs")
    yield running
    output = stop_server(running)
    assert "Traceback" not in output, output


@pytest.fixture
def learner_context(browser):
    """A browser window of its own, 1280×900: a JavaScript error on any of its pages fails the
    test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    context.on("weberror", lambda err: errors.append(str(err.error)))
    yield context
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


@pytest.fixture
def learner(learner_context):
    """One page in the learner's window."""
    return learner_context.new_page()
