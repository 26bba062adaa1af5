"""The Learn page: every lesson with its step and a link to do it in the debugger; the main page
shows a lesson's bar for ?lesson=<name> and ignores any other value."""

from __future__ import annotations

import pytest

from debugger.teach.lessons import LESSONS


def test_learn_page_shows_every_lesson_in_order(client):
    page = client.get("/learn").get_data(as_text=True)
    positions = [page.index(f'id="lesson-{lesson.slug}"') for lesson in LESSONS]
    assert positions == sorted(positions)
    assert page.count('class="step"') == len(LESSONS)


def test_each_lesson_links_to_its_step_in_the_debugger(client):
    page = client.get("/learn").get_data(as_text=True)
    for lesson in LESSONS:
        assert f'href="/?lesson={lesson.slug}"' in page


def test_main_page_links_to_learn(client):
    assert 'href="/learn"' in client.get("/").get_data(as_text=True)


def test_learn_links_to_the_labs_only_when_they_are_on(client):
    from debugger.web.app import create_app

    assert "/labs/" not in client.get("/learn").get_data(as_text=True)
    with_labs = create_app({"TESTING": True, "LABS": True}).test_client()
    assert 'href="/labs/"' in with_labs.get("/learn").get_data(as_text=True)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_a_lesson_in_the_query_shows_its_bar_and_goals(client, lesson):
    page = client.get(f"/?lesson={lesson.slug}").get_data(as_text=True)
    assert f'data-slug="{lesson.slug}"' in page
    assert "/static/lesson.js" in page and "/static/lesson.css" in page
    for goal in lesson.task.goals:
        assert f'data-check="{goal.check}"' in page
    assert f'href="/learn#lesson-{lesson.slug}"' in page
    assert page.count('role="status"') == 1


def test_the_bar_links_to_the_next_lesson_until_the_last(client):
    first = client.get(f"/?lesson={LESSONS[0].slug}").get_data(as_text=True)
    assert f'href="/?lesson={LESSONS[1].slug}"' in first
    last = client.get(f"/?lesson={LESSONS[-1].slug}").get_data(as_text=True)
    assert "Next lesson" not in last


@pytest.mark.parametrize(
    "value", ("unknown", "", "<script>alert(1)</script>", "../learn", "THREE-PARTS", "x" * 5000)
)
def test_an_unknown_lesson_leaves_the_page_as_it_is(client, value):
    plain = client.get("/").get_data(as_text=True)
    response = client.get("/", query_string={"lesson": value})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == plain


def test_the_page_without_a_lesson_carries_no_lesson_code(client):
    page = client.get("/").get_data(as_text=True)
    assert "lesson.js" not in page and "lesson-bar" not in page
