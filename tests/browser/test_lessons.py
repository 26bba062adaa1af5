"""A learner does every lesson's step in the debugger itself: the lesson bar checks it, and the
Learn page shows the lesson done. Progress holds lesson names only, never a token or a key."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from debugger.teach.demo import DEMO_SECRET
from debugger.teach.lessons import (
    BILLING_TOKEN,
    ENCRYPTED_TOKEN,
    EXPIRED_TOKEN,
    ISSUER_KEY_SET,
    JWE_SECRET,
    LESSONS,
    ROTATED_KEY_SET,
    ROTATED_OUT_TOKEN,
    SAMPLE_TOKEN,
)

from .test_ux import serious_violations

PROGRESS_KEY = "jwt-debugger-learn-done"
STEP_DONE = "✓ Step done"
#: Nothing of these may ever reach the browser's storage.
SECRETS = (
    SAMPLE_TOKEN,
    EXPIRED_TOKEN,
    BILLING_TOKEN,
    ROTATED_OUT_TOKEN,
    ENCRYPTED_TOKEN,
    DEMO_SECRET,
    JWE_SECRET,
    "eyJ",
    "BEGIN",
    '"kty"',
)


def open_lesson(page, server, slug):
    page.goto(f"{server.url}?lesson={slug}")
    bar = page.locator("#lesson-bar")
    expect(bar).to_be_visible()
    return bar


def goal(page, check):
    return page.locator(f"#lesson-goals li[data-check='{check}']")


def expect_met(page, *checks):
    for check in checks:
        expect(goal(page, check)).to_have_class("met")


def stored(page) -> dict[str, str]:
    return json.loads(page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))"))


def expect_step_done(page, slug):
    expect(page.locator("#lesson-progress")).to_contain_text(STEP_DONE)
    storage = stored(page)
    assert json.loads(storage[PROGRESS_KEY]) == [slug]
    for name, value in storage.items():
        for secret in SECRETS:
            assert secret not in name and secret not in value, (name, secret)


def verdict(page):
    return page.locator("#verdict")


def edit_claims(page, claims):
    page.get_by_label("Payload").fill(json.dumps(claims, indent=2))


def open_fold(page, title):
    fold = page.locator("details.fold").filter(has=page.get_by_role("heading", name=title))
    fold.locator("> summary").click()
    expect(fold).to_have_attribute("data-loaded", "")


def test_three_parts_learner_decodes_the_middle_part_by_hand(learner, server):
    bar = open_lesson(learner, server, "three-parts")
    bar.get_by_role("button", name="Load the sample token").click()
    expect(learner.get_by_label("Header")).to_have_value('{\n  "alg": "HS256",\n  "typ": "JWT"\n}')
    expect_met(learner, "sample-decoded")
    middle = SAMPLE_TOKEN.split(".")[1]
    learner.get_by_label("A part of the token to decode by hand").fill(middle[:-3])
    expect(bar.locator(".hand-steps")).to_contain_text("not")
    learner.get_by_label("A part of the token to decode by hand").fill(middle)
    expect(bar.locator(".hand-steps")).to_contain_text('"sub":"alice"')
    learner.get_by_label("The value of its sub claim").fill("bob")
    learner.get_by_label("The algorithm its first part names").fill("HS256")
    expect_met(learner, "part-decoded", "alg-named")
    expect(goal(learner, "sub-named")).not_to_have_class("met")
    expect(learner.locator("#lesson-progress")).to_have_text("3 of 4 goals done.")
    learner.get_by_label("The value of its sub claim").fill("alice")
    expect_step_done(learner, "three-parts")


def test_signature_learner_tampers_then_resigns_as_admin(learner, server):
    bar = open_lesson(learner, server, "signature")
    load = bar.get_by_role("button", name="Load the sample token and its secret")
    load.click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    header, payload, signature = SAMPLE_TOKEN.split(".")
    learner.get_by_label("Encoded token").fill(f"{header}.{payload[:-1]}Q.{signature}")
    expect(verdict(learner)).to_contain_text("Invalid signature")
    expect_met(learner, "sample-verified", "tampered")
    expect(goal(learner, "resigned-admin")).not_to_have_class("met")
    load.click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    edit_claims(learner, {"sub": "alice", "role": "admin", "iat": 1700000000})
    expect(learner.get_by_label("Encoded token")).not_to_have_value(SAMPLE_TOKEN)
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect_step_done(learner, "signature")


def test_key_types_learner_generates_each_kind_and_verifies_with_a_public_key(learner, server):
    open_lesson(learner, server, "key-types")
    open_fold(learner, "Key tools")
    for alg, check in (
        ("HS256", "generated-hmac"),
        ("ES256", "generated-ec"),
        ("RS256", "generated-rsa"),
        ("EdDSA", "generated-eddsa"),
    ):
        learner.locator("#gen-alg").select_option(alg)
        learner.get_by_role("button", name="Generate key").click()
        expect(learner.locator("#gen-kid")).to_contain_text(f"{alg} key generated")
        expect_met(learner, check)
    learner.get_by_role("button", name="Sign the token with this key").click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect(goal(learner, "verified-with-public")).not_to_have_class("met")
    learner.get_by_role("button", name="Use its public part").click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect_met(learner, "verified-with-public")
    edit_claims(learner, {"sub": "mallory"})
    expect(learner.locator("#resign-status")).to_contain_text("public key can only verify")
    expect_step_done(learner, "key-types")


def test_times_learner_makes_a_token_that_expires_in_five_minutes(learner, server):
    bar = open_lesson(learner, server, "times")
    expect(bar.locator(".lesson-clock")).to_contain_text(str(int(time.time()))[:6])
    bar.get_by_role("button", name="Load the sample token and its secret").click()
    expect(verdict(learner)).to_contain_text("Expired")
    expect_met(learner, "expired-seen")
    now = int(time.time())
    edit_claims(learner, {"sub": "alice", "iat": now, "exp": now + 3600})
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect(goal(learner, "expires-in-five")).not_to_have_class("met")
    edit_claims(learner, {"sub": "alice", "iat": now, "exp": now + 300})
    expect_step_done(learner, "times")


def test_audience_learner_sees_a_token_for_another_api_refused(learner, server):
    bar = open_lesson(learner, server, "audience-issuer")
    bar.get_by_role("button", name="Load the sample token and its secret").click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    open_fold(learner, "Explain")
    learner.get_by_label("Expected audience").fill("https://api.example")
    expect(verdict(learner)).to_contain_text("claim check failed: aud")
    expect_met(learner, "billing-verified", "audience-refused")
    learner.get_by_label("Expected issuer").fill("https://issuer.example")
    expect_step_done(learner, "audience-issuer")


def test_jwks_learner_rotates_the_key_set_and_the_old_token_fails(learner, server):
    bar = open_lesson(learner, server, "jwks-kid")
    bar.get_by_role("button", name="Load the token and the issuer's key set").click()
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect(learner.get_by_label("Key or secret")).to_have_value(ISSUER_KEY_SET)
    expect_met(learner, "set-verified")
    bar.get_by_role("button", name="Rotate: put the new key set in the key box").click()
    expect(learner.get_by_label("Key or secret")).to_have_value(ROTATED_KEY_SET)
    expect(verdict(learner)).to_contain_text("kid not in the set")
    expect_step_done(learner, "jwks-kid")


def test_jwe_learner_reads_the_header_but_needs_the_key_for_the_claims(learner, server):
    bar = open_lesson(learner, server, "jwe-jws")
    bar.get_by_role("button", name="Load the encrypted token").click()
    expect(learner.locator("#jwe-roles")).to_contain_text("the shared secret key")
    expect_met(learner, "header-readable")
    expect(goal(learner, "decrypted")).not_to_have_class("met")
    bar.get_by_role("button", name="Put its key in the key box").click()
    expect(verdict(learner)).to_contain_text("Decrypted")
    expect(learner.locator(".jwe-plaintext")).to_contain_text("alice@example.com")
    expect_step_done(learner, "jwe-jws")


def test_tutorial_mistakes_learner_adds_the_missing_exp_and_reads_the_right_code(learner, server):
    bar = open_lesson(learner, server, "tutorial-mistakes")
    bar.get_by_role("button", name="Load the tutorial's token and its secret").click()
    expect(learner.locator("#time")).to_contain_text("exp")
    expect_met(learner, "no-exp-seen")
    now = int(time.time())
    edit_claims(learner, {"sub": "alice", "role": "reader", "iat": now, "exp": now + 3600})
    expect(verdict(learner)).to_contain_text("Signature verified")
    expect_met(learner, "exp-added")
    open_fold(learner, "Explain")
    learner.locator("#code-panel > summary").click()
    expect(learner.locator("#code-python")).to_contain_text("algorithms=['HS256']")
    expect(learner.locator("#code-flask")).to_contain_text("@jwt_required()")
    expect_step_done(learner, "tutorial-mistakes")


def test_a_step_done_in_the_debugger_shows_on_the_learn_page_and_resets(learner, server):
    learner.goto(server.url + "learn")
    total = len(LESSONS)
    expect(learner.locator("#progress")).to_have_text(f"0 of {total} lessons done.")
    learner.get_by_role("link", name="Do this step in the debugger (JWE versus JWS)").click()
    bar = learner.locator("#lesson-bar")
    expect(bar).to_contain_text("Lesson: JWE versus JWS")
    assert learner.url == f"{server.url}?lesson=jwe-jws"
    bar.get_by_role("button", name="Load the encrypted token").click()
    bar.get_by_role("button", name="Put its key in the key box").click()
    expect_step_done(learner, "jwe-jws")
    expect(
        bar.get_by_role("link", name="Next lesson: Mistakes copied from tutorials")
    ).to_be_visible()
    bar.get_by_role("link", name="Back to the lessons").click()
    expect(learner.locator("#progress")).to_have_text(f"1 of {total} lessons done.")
    expect(learner.locator("#lesson-jwe-jws .done-mark")).to_be_visible()
    expect(learner.locator("#lesson-signature .done-mark")).to_be_hidden()
    learner.get_by_role("button", name="Reset progress").click()
    expect(learner.locator("#progress")).to_have_text(f"0 of {total} lessons done.")
    assert json.loads(stored(learner)[PROGRESS_KEY]) == []


def test_the_page_without_a_lesson_loads_no_lesson_code(learner, server):
    requested: list[str] = []
    learner.on("request", lambda request: requested.append(request.url))
    learner.goto(server.url + "?lesson=no-such-lesson")
    expect(learner.locator("#verdict")).to_have_text("Paste a token to decode it.")
    assert learner.locator("#lesson-bar").count() == 0
    assert not [url for url in requested if "/static/lesson" in url]


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_serious_violation_in_the_lesson_bar(browser, server, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server.url}?lesson=three-parts")
    page.get_by_role("button", name="Load the sample token").click()
    page.get_by_label("The value of its sub claim").fill("alice")
    page.get_by_label("A part of the token to decode by hand").fill(SAMPLE_TOKEN.split(".")[1])
    expect(goal(page, "sub-named")).to_have_class("met")
    page.wait_for_timeout(300)
    assert serious_violations(page) == []
    page.goto(server.url + "learn")
    assert serious_violations(page) == []
    context.close()
