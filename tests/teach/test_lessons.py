"""The lessons: in the order the course promises, each step answerable, the sample token real."""

from __future__ import annotations

import datetime

from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature
from debugger.teach.demo import DEMO_SECRET
from debugger.teach.lessons import LESSONS, SAMPLE_TOKEN


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


def test_every_step_has_exactly_one_kind_of_answer():
    for lesson in LESSONS:
        step = lesson.step
        assert bool(step.choices) != bool(step.accepted), lesson.slug
        if step.choices:
            assert 0 <= step.answer < len(step.choices)
        assert all(answer == answer.strip().lower() for answer in step.accepted)


def test_the_sample_token_is_signed_with_the_demo_secret_and_answers_lesson_one():
    parsed = parse(SAMPLE_TOKEN)
    verdict = check_signature(parsed, read_key(DEMO_SECRET), algorithms=["HS256"])
    assert verdict.valid
    assert parsed.payload["sub"] in LESSONS[0].step.accepted


def test_the_times_answer_is_the_year_of_the_timestamp():
    year = datetime.datetime.fromtimestamp(1_700_000_000, datetime.UTC).year
    assert str(year) in LESSONS[3].step.accepted


def test_the_tutorial_mistakes_lesson_names_each_mistake():
    text = " ".join(LESSONS[-1].paragraphs)
    for mistake in ("import pyjwt", "create_signing_key", "exp", "@jwt_required()", "algorithms"):
        assert mistake in text
