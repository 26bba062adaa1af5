"""Folded panels: a first visit loads the first screen; a panel's body and code, when it opens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

KEY_TOOLS = ("/panels/keys", "/static/keys.js", "/static/recover.js")


@pytest.fixture
def visit(browser, server) -> Iterator[tuple]:
    """A first visit to the page and the paths it requested; JavaScript errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(server.url)
    page.wait_for_load_state("networkidle")
    yield page, requested
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def loaded_key_tools(requested: list[str]) -> list[str]:
    return [path for path in requested if path in KEY_TOOLS]


def generate_hmac_key(page) -> None:
    page.locator("#gen-alg").select_option("HS256")
    page.get_by_role("button", name="Generate key").click()
    expect(page.locator("#gen-output")).to_be_visible()
    expect(page.locator("#gen-private-jwk")).to_have_value(re.compile(r'"kty":\s*"oct"'))


def test_first_visit_loads_neither_the_key_tools_markup_nor_their_code(visit):
    page, requested = visit

    assert loaded_key_tools(requested) == [], requested
    expect(page.locator("#gen-alg")).to_have_count(0)


def test_opening_the_key_tools_loads_them_and_the_generator_works(visit):
    page, requested = visit
    fold = page.locator("#keys-fold")

    fold.locator("> summary").click()

    expect(fold).to_have_attribute("data-loaded", "")
    assert sorted(loaded_key_tools(requested)) == sorted(KEY_TOOLS), requested
    generate_hmac_key(page)


def test_g_shortcut_on_a_fresh_page_opens_the_key_generator_and_focuses_it(visit):
    page, _ = visit

    page.keyboard.press("g")

    expect(page.locator("#gen-alg")).to_be_focused()
    expect(page.locator("#keys-fold")).to_have_attribute("open", "")
    generate_hmac_key(page)


def test_opening_the_detached_panel_first_puts_the_key_tools_in_place(visit):
    page, requested = visit

    page.locator("#detached-fold > summary").click()

    expect(page.locator("#detached-fold")).to_have_attribute("data-loaded", "")
    expect(page.locator("#keys-fold #gen-alg")).to_have_count(1)
    page.locator("#keys-fold > summary").click()
    generate_hmac_key(page)
    assert len([path for path in requested if path.startswith("/panels/keys")]) == 1, requested


def test_key_tools_that_cannot_load_say_so_and_load_when_opened_again(visit):
    page, _ = visit
    fold = page.locator("#keys-fold")
    page.route("**/panels/keys", lambda route: route.abort())

    fold.locator("> summary").click()

    expect(fold).to_contain_text("could not be loaded")
    expect(fold).not_to_have_attribute("data-loaded", "")
    page.unroute("**/panels/keys")
    fold.locator("> summary").click()  # closed
    fold.locator("> summary").click()  # and opened again
    expect(fold).to_have_attribute("data-loaded", "")
    expect(fold).not_to_contain_text("could not be loaded")
    generate_hmac_key(page)
