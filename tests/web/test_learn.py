"""The Learn page: every lesson with its step, linked from the main page."""

from __future__ import annotations

from debugger.teach.lessons import LESSONS


def test_learn_page_shows_every_lesson_in_order(client):
    page = client.get("/learn").get_data(as_text=True)
    positions = [page.index(f'id="lesson-{lesson.slug}"') for lesson in LESSONS]
    assert positions == sorted(positions)
    assert page.count('class="step"') == len(LESSONS)


def test_main_page_links_to_learn(client):
    assert 'href="/learn"' in client.get("/").get_data(as_text=True)


def test_learn_links_to_the_labs_only_when_they_are_on(client):
    from debugger.web.app import create_app

    assert "/labs/" not in client.get("/learn").get_data(as_text=True)
    with_labs = create_app({"TESTING": True, "LABS": True}).test_client()
    assert 'href="/labs/"' in with_labs.get("/learn").get_data(as_text=True)
