"""The page around one answer: the result first, panels that never show stale results, and every
panel readable on a phone; on a laptop and a phone screen, in both themes."""

from __future__ import annotations

import base64
import time

import jwt
import pytest
from playwright.sync_api import expect

from ..conftest import SECRET, open_panels
from .test_findings import hs256
from .test_ux import serious_violations

SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
JWE = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.YQ.Yg.Yw.ZA"


@pytest.fixture(
    params=[(s, t) for s in SCREENS for t in ("light", "dark")], ids=lambda p: "-".join(p)
)
def screen(request, browser, server):
    name, scheme = request.param
    context = browser.new_context(viewport=SCREENS[name], color_scheme=scheme)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.goto(server.url)
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def live(**claims) -> dict:
    now = int(time.time())
    return {"sub": "ada", "aud": "api://orders", "iat": now - 60, "exp": now + 3600, **claims}


def paste(page, token: str, key: str | None = None) -> None:
    page.get_by_label("Encoded token", exact=True).fill(token)
    if key is not None:
        page.get_by_label("Key or secret", exact=True).fill(key)


def status(page):
    return page.get_by_role("status")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


def test_user_sees_token_result_and_key_without_scrolling(screen):
    paste(screen, jwt.encode(live(), SECRET), SECRET)
    expect(status(screen)).to_contain_text("Signature verified")
    token_box = screen.get_by_label("Encoded token", exact=True)
    assert in_view(screen, token_box) and in_view(screen, status(screen))
    if screen.viewport_size["width"] > 800:
        assert in_view(screen, screen.get_by_label("Key or secret", exact=True))
    else:  # on a phone the result comes directly after the token box
        assert status(screen).bounding_box()["y"] > token_box.bounding_box()["y"]
        key_y = screen.get_by_label("Key or secret", exact=True).bounding_box()["y"]
        assert status(screen).bounding_box()["y"] < key_y
    assert serious_violations(screen) == []


def test_new_token_takes_the_wordlist_result_away(screen):
    paste(screen, hs256(live(), b"your-256-bit-secret"))
    expect(status(screen)).to_contain_text("no key")  # the answer is in: panels stay as they are
    open_panels(screen)
    screen.get_by_label("Wordlist file").set_input_files(
        {"name": "w.txt", "mimeType": "text/plain", "buffer": b"a\nyour-256-bit-secret\n"}
    )
    screen.get_by_role("button", name="Search the wordlist").click()
    found = screen.locator("#wordlist-status")
    expect(found).to_contain_text("your-256-bit-secret", timeout=20_000)
    expect(screen.get_by_role("button", name="Verify with the secret found")).to_be_visible()

    paste(screen, jwt.encode(live(sub="someone-else"), SECRET))

    expect(screen.locator("#wordlist-status")).to_have_text("")
    expect(screen.get_by_role("button", name="Verify with the secret found")).to_be_hidden()
    screen.get_by_role("button", name="Clear").click()
    expect(status(screen)).to_have_text("Paste a token to decode it.")
    assert serious_violations(screen) == []


@pytest.mark.parametrize("pasted", ("not-a-token", JWE), ids=("garbage", "jwe"))
def test_unreadable_payload_gets_no_time_or_findings_verdict(screen, pasted):
    paste(screen, pasted)
    expect(status(screen)).to_contain_text("token")
    time_box = screen.locator("#time")
    expect(time_box).to_contain_text("could not be read")
    expect(time_box).not_to_contain_text("No expiry")
    expect(screen.locator("#findings-summary")).not_to_contain_text("No findings")
    expect(status(screen)).not_to_contain_text("Invalid signature")
    assert serious_violations(screen) == []


def test_result_names_a_failed_audience_and_a_base64_secret(screen):
    paste(screen, jwt.encode(live(), SECRET), SECRET)
    screen.locator("#explain-fold > summary").click()
    expect(screen.locator("#claims-rows tr").first).to_be_attached()  # the panel's module is loaded
    screen.get_by_label("Expected audience").fill("api://billing")
    expect(status(screen)).to_contain_text("claim check failed: aud")
    screen.get_by_label("Expected audience").fill("")

    raw = b"\x00\x01binary secret\xfe\xff" * 2
    paste(screen, jwt.encode(live(), raw), base64.b64encode(raw).decode())
    expect(status(screen)).to_contain_text("Invalid signature")
    expect(status(screen)).to_contain_text("base64")
    assert serious_violations(screen) == []


def test_every_text_cell_is_at_least_120_px_wide_on_a_360_px_phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.url)
    paste(page, jwt.encode(live(), SECRET), SECRET)
    open_panels(page)
    page.evaluate("() => { for (const d of document.querySelectorAll('details')) d.open = true; }")
    expect(page.locator("#claims-rows tr").first).to_be_visible()
    expect(page.locator("#walkthrough dl")).to_be_visible(timeout=10_000)
    narrow = page.evaluate(
        """() => [...document.querySelectorAll('tbody td, tbody th, dd, dt')]
          .filter((node) => node.offsetParent !== null && node.textContent.trim())
          .map((node) => [node.tagName + ' ' + node.textContent.slice(0, 30),
                          node.getBoundingClientRect().width])
          .filter(([, width]) => width < 120)"""
    )
    assert serious_violations(page) == []
    context.close()
    assert narrow == [], narrow


def test_a_keystroke_rewrites_only_the_text_it_changes(page):
    # Typing a secret changes one number in a finding and in the key line: the page writes the new
    # text into the nodes it has, so the browser lays out and repaints those lines alone.
    paste(page, jwt.encode(live(), SECRET), "sixteen-byte-key")
    finding = page.locator("#findings li")
    expect(finding).to_contain_text("The secret is 16 bytes")
    page.evaluate(
        "() => { window.kept = [document.querySelector('#findings li'),"
        " document.querySelector('#verdict').firstChild, document.querySelector('#time p')]; }"
    )
    page.get_by_label("Key or secret", exact=True).press("End")
    page.keyboard.type("!")
    expect(finding).to_contain_text("The secret is 17 bytes")
    expect(page.locator("#key-info")).to_contain_text("HMAC secret of 17 bytes")
    kept = page.evaluate(
        "() => [window.kept[0] === document.querySelector('#findings li'),"
        " window.kept[1] === document.querySelector('#verdict').firstChild,"
        " window.kept[2] === document.querySelector('#time p')]"
    )
    assert kept == [True, True, True]
    expect(status(page)).to_contain_text("Invalid signature")


def test_each_box_typed_into_is_the_only_field_of_its_form(page):
    # On each keystroke the browser's autofill reads again every field of the form the box is in
    # (and a box outside any form is in one with every other such field of the page).
    boxes = {
        "Encoded token": "token",
        "Key or secret": "key",
        "Header": "header",
        "Payload": "payload",
    }
    for label, box in boxes.items():
        fields = page.get_by_label(label, exact=True).evaluate(
            "box => box.form ? [...box.form.elements].map((field) => field.id) : null"
        )
        assert fields == [box], label


def test_no_two_elements_share_an_id(page):
    # An id said twice makes a label, a link or a script find the wrong element.
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map((node) => node.id)")
    assert ids and sorted({i for i in ids if ids.count(i) > 1}) == []


def test_the_key_line_shows_while_a_key_is_described_and_takes_no_room_without_one(page):
    key_line = page.locator("#key-info")
    paste(page, jwt.encode(live(), SECRET), "")
    expect(key_line).to_be_hidden()
    paste(page, jwt.encode(live(), SECRET), SECRET)
    expect(key_line).to_be_visible()
    expect(key_line).to_contain_text("HMAC secret")
    paste(page, jwt.encode(live(), SECRET), "")
    expect(key_line).to_be_hidden()
    assert key_line.evaluate("line => getComputedStyle(line).display") == "none"


def test_the_verdict_says_when_the_server_is_gone_or_answers_something_else(page):
    token = jwt.encode(live(), SECRET)
    page.route("**/api/verify", lambda route: route.abort())
    paste(page, token, SECRET)
    expect(status(page)).to_contain_text("The debugger's local server is not answering")
    page.unroute("**/api/verify")
    page.route(
        "**/api/verify",
        lambda route: route.fulfill(
            status=502, content_type="text/html", body="<h1>Bad gateway</h1>"
        ),
    )
    page.get_by_label("Key or secret", exact=True).fill(SECRET + "!")
    expect(status(page)).to_contain_text("The server answered 502.")
    page.unroute("**/api/verify")
    page.get_by_label("Key or secret", exact=True).fill(SECRET)
    expect(status(page)).to_contain_text("Signature verified")
