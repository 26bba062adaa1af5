"""A learner walks a lesson on /learn and uses a lab page, in the real server (the labs are
solved in test_labs.py)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from debugger.teach.lessons import LESSONS

from ..conftest import start_server, stop_server


@pytest.fixture(scope="module")
def labs_server():
    running = start_server("--labs")
    yield running
    stop_server(running)


@pytest.fixture
def learner(browser, labs_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_learner_answers_a_lesson_step_and_progress_survives_a_reload(learner, labs_server):
    learner.goto(labs_server.url + "learn")
    total = len(LESSONS)
    expect(learner.locator("#progress")).to_have_text(f"0 of {total} lessons done.")
    lesson = learner.locator("#lesson-three-parts")
    lesson.get_by_label("Your answer").fill("bob")
    lesson.get_by_role("button", name="Check").click()
    expect(lesson.locator(".feedback")).to_have_text("Not quite: try again.")
    lesson.get_by_label("Your answer").fill(" Alice ")
    lesson.get_by_role("button", name="Check").click()
    expect(lesson.locator(".feedback")).to_have_text("Right.")
    signature = learner.locator("#lesson-signature")
    signature.get_by_label("The payload was not changed since the key holder signed it.").check()
    signature.get_by_role("button", name="Check").click()
    expect(learner.locator("#progress")).to_have_text(f"2 of {total} lessons done.")
    learner.reload()
    expect(learner.locator("#progress")).to_have_text(f"2 of {total} lessons done.")
    stored = learner.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
    assert json.loads(json.loads(stored)["jwt-debugger-learn-done"]) == ["three-parts", "signature"]
    learner.get_by_role("button", name="Reset progress").click()
    expect(learner.locator("#progress")).to_have_text(f"0 of {total} lessons done.")


def test_learner_publishes_a_key_set_for_the_jku_lab(learner, labs_server):
    learner.goto(labs_server.url + "labs/jku-injection/")
    key_set = {"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "mine"}]}
    learner.get_by_label("Your key set").fill(json.dumps(key_set))
    learner.get_by_role("button", name="Publish this key set").click()
    expect(learner.locator("#publish-result")).to_have_text("Published 1 key(s).")
    served = learner.request.get(labs_server.url + "labs/jku-injection/attacker-jwks.json")
    assert served.json() == key_set
    learner.get_by_label("Your key set").fill("not json")
    learner.get_by_role("button", name="Publish this key set").click()
    expect(learner.locator("#publish-result")).to_contain_text("JWK Set")
