"""A learner does a lesson's step from /learn and uses a lab page, in the real server (the labs
are solved in test_labs.py)."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from debugger.teach.lessons import LESSONS, SAMPLE_TOKEN


def test_learner_does_a_lesson_step_in_the_debugger_and_progress_survives_a_reload(
    learner, labs_server
):
    learner.goto(labs_server.url + "learn")
    total = len(LESSONS)
    expect(learner.locator("#progress")).to_have_text(f"0 of {total} lessons done.")
    learner.get_by_role(
        "link", name="Do this step in the debugger (The three parts of a JWT)"
    ).click()
    bar = learner.locator("#lesson-bar")
    bar.get_by_role("button", name="Load the sample token").click()
    learner.get_by_label("A part of the token to decode by hand").fill(SAMPLE_TOKEN.split(".")[1])
    learner.get_by_label("The value of its sub claim").fill(" alice ")
    learner.get_by_label("The algorithm its first part names").fill("HS256")
    expect(learner.locator("#lesson-progress")).to_contain_text("Step done")
    bar.get_by_role("link", name="Back to the lessons").click()
    expect(learner.locator("#progress")).to_have_text(f"1 of {total} lessons done.")
    learner.reload()
    expect(learner.locator("#progress")).to_have_text(f"1 of {total} lessons done.")
    stored = learner.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
    assert json.loads(json.loads(stored)["jwt-debugger-learn-done"]) == ["three-parts"]
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
