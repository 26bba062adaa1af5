"""The lessons: in the order the course promises, each task checkable by the page, and every
sample real: the tokens verify (or fail) with the lesson's keys the way its goals expect."""

from __future__ import annotations

import re

import pytest

from debugger.analysis.jwe_report import decrypt_report
from debugger.analysis.report import verify_report
from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature
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
    lesson_named,
    next_lesson,
)
from tests.conftest import ROOT

NOW = 1_800_000_000.0


def test_lessons_come_in_the_promised_order():
    assert [lesson.slug for lesson in LESSONS] == [
        "three-parts",
        "signature",
        "key-types",
        "times",
        "audience-issuer",
        "jwks-kid",
        "jwe-jws",
        "tutorial-mistakes",
    ]


def test_every_goal_has_a_check_on_the_page():
    """Each goal names its check in static/lesson.js, and the page has no check for no goal."""
    script = (ROOT / "static" / "lesson.js").read_text()
    table = script[
        script.index("const CHECKS = {") : script.index("\n};", script.index("const CHECKS"))
    ]
    on_page = set(re.findall(r'^  "?([a-z-]+)"?: \[', table, re.MULTILINE))
    goals = [goal.check for lesson in LESSONS for goal in lesson.task.goals]
    assert len(goals) == len(set(goals))
    assert set(goals) == on_page


def test_every_lesson_has_a_task_with_goals():
    for lesson in LESSONS:
        assert lesson.task.instructions and lesson.task.goals, lesson.slug
        for sample in lesson.task.samples:
            assert sample.token is not None or sample.key is not None, lesson.slug


@pytest.mark.parametrize(
    ("token", "key", "result"),
    (
        (SAMPLE_TOKEN, DEMO_SECRET, "verified"),
        (EXPIRED_TOKEN, DEMO_SECRET, "expired"),
        (BILLING_TOKEN, DEMO_SECRET, "verified"),
        (ROTATED_OUT_TOKEN, ISSUER_KEY_SET, "verified"),
        (ROTATED_OUT_TOKEN, ROTATED_KEY_SET, "kid_not_found"),
    ),
)
def test_each_sample_gives_the_result_its_lesson_expects(token, key, result):
    assert verify_report(token, key, now=NOW)["result"]["code"] == result


def test_the_sample_token_is_signed_with_the_demo_secret_and_never_expires():
    parsed = parse(SAMPLE_TOKEN)
    assert check_signature(parsed, read_key(DEMO_SECRET), algorithms=["HS256"]).valid
    assert parsed.payload == {"sub": "alice", "role": "reader", "iat": 1_700_000_000}


def test_the_billing_token_is_meant_for_another_api():
    payload = parse(BILLING_TOKEN).payload
    assert payload["aud"] == "https://billing.example"
    assert payload["iss"] == "https://issuer.example"


def test_the_rotation_retires_the_tokens_kid():
    kid = parse(ROTATED_OUT_TOKEN).header["kid"]
    assert kid in ISSUER_KEY_SET
    assert kid not in ROTATED_KEY_SET


def test_the_encrypted_token_opens_only_with_the_lesson_key():
    opened = decrypt_report(ENCRYPTED_TOKEN, JWE_SECRET, now=NOW)
    assert opened["payload"] == {"sub": "alice", "email": "alice@example.com"}
    closed = decrypt_report(ENCRYPTED_TOKEN, "", now=NOW)
    assert not closed["decrypted"]
    assert (closed["alg"], closed["enc"], closed["payload"]) == ("dir", "A256GCM", None)


def test_lessons_are_found_by_name_only():
    assert lesson_named("signature") is LESSONS[1]
    for other in (None, "", "SIGNATURE", "../learn", "<script>"):
        assert lesson_named(other) is None
    assert next_lesson(LESSONS[0]) is LESSONS[1]
    assert next_lesson(LESSONS[-1]) is None


def test_the_tutorial_mistakes_lesson_names_each_mistake_wrong_and_right():
    lesson = LESSONS[-1]
    text = " ".join(lesson.paragraphs)
    for mistake in ("import pyjwt", "create_signing_key", "exp", "@jwt_required()", "algorithms"):
        assert mistake in text
    assert "import pyjwt" in lesson.wrong_example and "import jwt" in lesson.example
    assert "@jwt_required  #" in lesson.wrong_example and "@jwt_required()" in lesson.example
    assert "algorithms=" not in lesson.wrong_example and "algorithms=" in lesson.example
    assert (
        "create_signing_key" in lesson.wrong_example and "create_signing_key" not in lesson.example
    )
    assert "exp =" in lesson.wrong_example and '"exp":' in lesson.example
