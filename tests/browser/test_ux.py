"""The page's comfort features, as a user meets them: keyboard, themes, share links, copying,
examples, small screens and accessibility (axe-core), against the real server and Chromium."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from urllib.parse import quote

import jwt
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..conftest import ROOT, SECRET, open_panels, start_server, stop_server

VERIFIED = "Signature verified"
INVALID = "Invalid signature"
THEME_KEY = "jwt-debugger-theme"
#: axe-core impacts that fail a check; "moderate" and "minor" findings are reported, not fatal.
FATAL_IMPACTS = ("serious", "critical")
axe = Axe()


def fresh_token(**claims) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "ada", "name": "Ada Lovelace", "exp": now + 3600, **claims}, SECRET)


def field(page, label: str):
    """A field by its exact label: "Payload" is the payload, not a panel about payloads."""
    return page.get_by_label(label, exact=True)


def verdict(page):
    return page.locator("#verdict")


def paste(page, token: str, key: str | None = None) -> None:
    field(page, "Encoded token").fill(token)
    if key is not None:
        field(page, "Key or secret").fill(key)


def allow_clipboard(page, server) -> None:
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/")
    )


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def focus_is_visible(page) -> bool:
    """The focused element draws an outline (the page's :focus-visible style) of some width."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def tab_to(page, target: str, *, limit: int = 60, backwards: bool = False) -> list[str]:
    """Press Tab until the element with id `target` has the focus; return the ids passed."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        current = focused_id(page)
        passed.append(current)
        if page.evaluate("document.activeElement !== document.body"):  # past the last control
            assert focus_is_visible(page), f"no visible focus on #{current}"
        if current == target:
            return passed
    raise AssertionError(f"#{target} not reached with Tab; passed {passed}")


def leave_fields(page) -> None:
    """Take the focus out of any field, as clicking on the page's background does."""
    page.evaluate("document.activeElement && document.activeElement.blur()")


def theme(page) -> str:
    return page.evaluate("document.documentElement.dataset.theme")


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


# ---- Keyboard -------------------------------------------------------------------------------


def test_keyboard_only_user_pastes_verifies_resigns_and_copies(page, server):
    allow_clipboard(page, server)
    token = fresh_token(role="reader")

    passed = tab_to(page, "token")
    page.keyboard.insert_text(token)  # what a paste does
    expect(field(page, "Payload")).to_have_value(re.compile('"role": "reader"'))
    passed += tab_to(page, "key")
    page.keyboard.insert_text(SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)

    passed += tab_to(page, "edit-resign")  # the key box sits beside the token, before the parts
    page.keyboard.press("Enter")
    assert focused_id(page) == "payload"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text('{"sub": "ada", "role": "admin"}')
    token_box = field(page, "Encoded token")
    expect(token_box).not_to_have_value(token)
    expect(verdict(page)).to_contain_text(VERIFIED)
    resigned = token_box.input_value()
    assert jwt.decode(resigned, SECRET, algorithms=["HS256"]) == {"sub": "ada", "role": "admin"}

    passed += tab_to(page, "copy-payload", backwards=True)
    page.keyboard.press("c")  # the shortcut copies the token
    assert clipboard(page) == resigned

    # The tab order follows the page: examples, the token, its key, then the decoded parts.
    order = ["example", "token", "key", "header"]
    first_seen = [passed.index(name) for name in order if name in passed]
    assert len(first_seen) == len(order), passed
    assert "theme-toggle" in passed[: passed.index("token")]


def test_every_control_reached_with_tab_shows_a_visible_focus(page):
    paste(page, fresh_token(), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)
    page.locator("#theme-toggle").focus()  # the first control on the page
    seen = {"theme-toggle"}
    for _ in range(150):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName")
        if tag == "BODY":
            break
        seen.add(focused_id(page))
        assert focus_is_visible(page), f"no visible focus on {tag}#{focused_id(page)}"
    assert {"theme-toggle", "shortcuts-button", "copy-token", "share", "token"} <= seen, seen


def test_help_overlay_opens_with_question_mark_and_lists_the_shortcuts(page):
    opener = page.get_by_role("button", name="Try an example")
    opener.focus()

    page.keyboard.press("?")

    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    keys = help_dialog.locator("kbd").all_inner_texts()
    assert {"?", "/", "p", "k", "c", "s", "e", "t"} <= set(keys), keys
    expect(help_dialog).to_contain_text("Edit & re-sign")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    assert focused_id(page) == "example", "the focus goes back where it was"

    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog).to_be_visible()
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_dialog).to_be_hidden()


def test_readme_lists_the_same_shortcuts_as_the_help_overlay(page):
    readme = (ROOT / "README.md").read_text()
    table = readme.split("| Key | Action |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`([^`]+)`", table))
    leave_fields(page)
    page.keyboard.press("?")

    listed = set(page.get_by_role("dialog").locator("kbd").all_inner_texts())

    assert documented == listed


def test_shortcuts_do_nothing_while_typing_in_a_text_field(page):
    before = theme(page)
    field(page, "Encoded token").focus()

    page.keyboard.type("t?/e")

    expect(field(page, "Encoded token")).to_have_value("t?/e")
    assert theme(page) == before
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(field(page, "Key or secret")).to_have_value("")


def test_shortcuts_move_to_the_fields_and_switch_the_theme(page):
    for key, target in (("/", "token"), ("h", "header"), ("p", "payload"), ("k", "key")):
        leave_fields(page)
        page.keyboard.press(key)
        assert focused_id(page) == target, key
    expect(field(page, "Key or secret")).to_have_value("")  # "k" was not typed in it

    before = theme(page)
    leave_fields(page)
    page.keyboard.press("t")
    assert theme(page) != before
    page.keyboard.press("e")
    expect(verdict(page)).to_contain_text(VERIFIED)


def test_edit_and_resign_button_leads_to_the_payload(page):
    button = page.get_by_role("button", name="Edit & re-sign")
    button.click()
    assert focused_id(page) == "token", "without a token it asks for one first"

    paste(page, fresh_token(), SECRET)
    expect(field(page, "Payload")).to_have_value(re.compile("Ada Lovelace"))
    button.click()

    assert focused_id(page) == "payload"
    expect(button).to_have_accessible_description(re.compile("signed again"))


# ---- Themes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "expected", "body"),
    (("light", "light", "rgb(255, 255, 255)"), ("dark", "dark", "rgb(13, 17, 23)")),
)
def test_page_follows_the_system_colour_scheme(browser, server, scheme, expected, body):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(server.url)

    assert theme(page) == expected
    assert background(page) == body
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", str(expected == "dark").lower())
    context.close()


def test_theme_toggle_is_remembered_and_nothing_else_is_stored(page):
    assert theme(page) == "light"
    toggle = page.get_by_role("button", name="Dark theme")

    toggle.click()
    assert theme(page) == "dark"
    assert background(page) == "rgb(13, 17, 23)"
    expect(toggle).to_have_attribute("aria-pressed", "true")
    paste(page, fresh_token(), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)
    field(page, "Payload").fill('{"sub": "grace"}')
    expect(field(page, "Encoded token")).to_have_value(re.compile(r"^eyJ"))

    stored = page.evaluate("({...localStorage})")
    assert stored == {THEME_KEY: "dark"}
    assert page.evaluate("sessionStorage.length") == 0
    assert page.context.cookies() == []

    page.reload()
    assert theme(page) == "dark"
    expect(field(page, "Encoded token")).to_have_value("")
    expect(field(page, "Key or secret")).to_have_value("")

    # Choosing the system's own theme again means "follow the system": nothing stays stored.
    page.get_by_role("button", name="Dark theme").click()
    assert theme(page) == "light"
    assert page.evaluate("localStorage.length") == 0


def test_theme_follows_a_system_change_until_the_user_chooses(page):
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")

    page.get_by_role("button", name="Dark theme").click()
    page.emulate_media(color_scheme="dark")
    page.emulate_media(color_scheme="light")

    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_each_token_part_has_the_colour_of_its_panel(browser, server, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(server.url)
    paste(page, fresh_token(), SECRET)
    expect(page.locator("#token-backdrop .t-signature")).to_have_count(1)

    for part in ("header", "payload"):
        painted = page.locator(f"#token-backdrop .t-{part}").evaluate(
            "span => getComputedStyle(span).color"
        )
        panel = page.locator(f".part-{part}").evaluate(
            "box => getComputedStyle(box).borderLeftColor"
        )
        label = page.locator(f".part-{part} .field-label").evaluate(
            "label => getComputedStyle(label).color"
        )
        assert painted == panel == label, (part, painted, panel, label)
    signature = page.locator("#token-backdrop .t-signature").evaluate(
        "span => getComputedStyle(span).color"
    )
    assert signature == page.locator(".part-signature").evaluate(
        "box => getComputedStyle(box).borderLeftColor"
    )
    context.close()


# ---- Share links and fragments --------------------------------------------------------------


@pytest.fixture
def verbose_server() -> Iterator:
    running = start_server("--verbose")
    yield running
    stop_server(running)


def test_share_link_round_trip_never_puts_the_token_in_a_request_url(browser, verbose_server):
    server = verbose_server
    token = fresh_token(role="auditor")
    sender = browser.new_context()
    page = sender.new_page()
    page.goto(server.url)
    allow_clipboard(page, server)
    paste(page, token, SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)

    page.get_by_role("button", name="Copy share link").click()

    link = clipboard(page)
    assert link == f"{server.url}#token={token}"
    assert SECRET not in link
    expect(page.locator("#link-note")).to_contain_text("never the key")
    sender.close()

    receiver = browser.new_context()
    opened = receiver.new_page()
    requests = []
    opened.on("request", lambda request: requests.append(request))
    opened.goto(link)
    expect(field(opened, "Payload")).to_have_value(re.compile('"role": "auditor"'))
    expect(field(opened, "Encoded token")).to_have_value(token)
    expect(field(opened, "Key or secret")).to_have_value("")
    assert opened.url == server.url, "the fragment is taken off the address bar"
    receiver.close()

    log = stop_server(server)
    parts = token.split(".")
    for request in requests:
        assert not any(part in request.url for part in parts), request.url
    bodies = [r.post_data or "" for r in requests if r.method == "POST"]
    assert any(token in body for body in bodies), "the token travels in a POST body"
    assert "POST /api/decode" in log, log
    assert not any(part in log for part in parts), log


def test_share_link_carries_the_cleaned_token(page, server):
    allow_clipboard(page, server)
    token = fresh_token()
    paste(page, f'"Bearer {token}"')
    expect(field(page, "Payload")).to_have_value(re.compile("Ada Lovelace"))

    page.get_by_role("button", name="Copy share link").click()

    assert clipboard(page) == f"{server.url}#token={token}"


def test_share_without_a_token_says_what_to_do(page, server):
    allow_clipboard(page, server)
    page.evaluate("navigator.clipboard.writeText('unchanged')")

    page.get_by_role("button", name="Copy share link").click()

    expect(page.locator("#link-note")).to_contain_text("Paste a token first")
    assert clipboard(page) == "unchanged"


@pytest.mark.parametrize("name", ("token", "id_token", "access_token"))
def test_page_loads_a_token_from_the_fragment(browser, server, name):
    context = browser.new_context()
    page = context.new_page()
    token = fresh_token(nonce="n-0S6")

    page.goto(f"{server.url}#{name}={quote(token)}&token_type=Bearer&state=xyz")

    expect(field(page, "Encoded token")).to_have_value(token)
    expect(field(page, "Payload")).to_have_value(re.compile('"nonce": "n-0S6"'))
    expect(page.locator("#link-note")).to_contain_text(f"Loaded the {name} from the link")
    assert page.url == server.url
    context.close()


def test_oidc_redirect_shows_the_id_token_and_offers_the_access_token(browser, server):
    context = browser.new_context()
    page = context.new_page()
    id_token = fresh_token(aud="client-1")
    access_token = fresh_token(scope="read write")

    page.goto(f"{server.url}#access_token={access_token}&id_token={id_token}&state=abc")

    expect(field(page, "Encoded token")).to_have_value(id_token)
    page.get_by_role("button", name="Show the access_token").click()
    expect(field(page, "Encoded token")).to_have_value(access_token)
    expect(field(page, "Payload")).to_have_value(re.compile('"scope": "read write"'))
    context.close()


def test_oauth_error_redirect_is_shown_as_text(browser, server):
    context = browser.new_context()
    page = context.new_page()

    page.goto(f"{server.url}#error=access_denied&error_description=%3Cb%3Edenied%3C%2Fb%3E")

    note = page.locator("#link-note")
    expect(note).to_contain_text("access_denied")
    expect(note).to_contain_text("<b>denied</b>")
    assert note.locator("b").count() == 0
    expect(field(page, "Encoded token")).to_have_value("")
    context.close()


def test_new_fragment_on_an_open_page_loads_its_token(page, server):
    token = fresh_token(sub="later")

    page.evaluate("hash => { location.hash = hash; }", f"#token={token}")

    expect(field(page, "Encoded token")).to_have_value(token)
    expect(page).to_have_url(server.url)


def test_other_fragments_are_left_alone(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}#keys-panel")

    expect(field(page, "Encoded token")).to_have_value("")
    assert page.url.endswith("#keys-panel")
    context.close()


# ---- Copy buttons and examples --------------------------------------------------------------


def test_copy_buttons_copy_the_token_header_and_payload(page, server):
    allow_clipboard(page, server)
    token = fresh_token()
    paste(page, token)
    expect(field(page, "Payload")).to_have_value(re.compile("Ada Lovelace"))

    page.get_by_role("button", name="Copy token").click()
    assert clipboard(page) == token
    expect(page.locator("#announcer")).to_have_text("Token copied.")
    page.get_by_role("button", name="Copy header").click()
    assert json.loads(clipboard(page)) == {"alg": "HS256", "typ": "JWT"}
    page.get_by_role("button", name="Copy payload").click()
    assert json.loads(clipboard(page))["name"] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("alg", "key_marker"),
    (
        ("HS256", "demo-secret"),
        ("RS256", "PRIVATE KEY"),
        ("ES256", "PRIVATE KEY"),
        ("EdDSA", "PRIVATE KEY"),
    ),
)
def test_user_tries_an_example_of_each_family_and_can_resign_it(page, alg, key_marker):
    field(page, "Example algorithm").select_option(alg)

    page.get_by_role("button", name="Try an example").click()

    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(verdict(page)).to_contain_text(alg)
    assert json.loads(field(page, "Header").input_value())["alg"] == alg
    expect(field(page, "Key or secret")).to_have_value(re.compile(key_marker))
    expect(page.locator("#example-note")).to_contain_text("demo")
    token_box = field(page, "Encoded token")
    before = token_box.input_value()

    field(page, "Payload").fill('{"sub": "grace"}')

    expect(token_box).not_to_have_value(before)
    expect(verdict(page)).to_contain_text(VERIFIED)


def test_demo_key_pairs_shipped_with_the_page_belong_together(page):
    """Each demo public key verifies a token signed with its private key."""
    pairs = page.evaluate(
        """async () => {
          const { SAMPLES } = await import("/static/samples.js");
          return Object.entries(SAMPLES).filter(([, s]) => s.publicKey)
            .map(([alg, s]) => [alg, s.key, s.publicKey]);
        }"""
    )
    assert [alg for alg, _, _ in pairs] == ["RS256", "ES256", "EdDSA"]
    for alg, private_pem, public_pem in pairs:
        token = jwt.encode({"sub": "demo"}, private_pem, algorithm=alg)
        assert jwt.decode(token, public_pem, algorithms=[alg]) == {"sub": "demo"}


# ---- Layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", (360, 1920))
def test_long_claims_wrap_without_a_horizontal_scrollbar(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server.url)
    long_value = "x" * 600
    paste(page, fresh_token(note=long_value, url="https://example.com/" + "a/" * 200), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)
    page.wait_for_timeout(300)  # feature panels render from the same answer

    scroll_width = page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width <= width, f"the page is {scroll_width}px wide at {width}px"
    context.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_typing_does_not_move_the_field_being_typed_in(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server.url)
    token = fresh_token()
    token_box = field(page, "Encoded token")
    start = token_box.bounding_box()

    token_box.press_sequentially(token[:12])
    token_box.press_sequentially(token[12:20])
    assert token_box.bounding_box() == start
    token_box.fill(token)
    field(page, "Key or secret").fill(SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)

    payload = field(page, "Payload")
    payload.focus()
    page.keyboard.press("ControlOrMeta+End")
    where = payload.bounding_box()
    for text in (" ", "\n", "}", "{"):
        payload.press_sequentially(text)
        page.wait_for_timeout(150)
        assert payload.bounding_box() == where, f"the payload moved after typing {text!r}"
    context.close()


# ---- Accessibility --------------------------------------------------------------------------


def _empty(page):
    expect(verdict(page)).to_contain_text("Paste a token")


def _decoded(page):
    paste(page, fresh_token())
    expect(field(page, "Payload")).to_have_value(re.compile("Ada Lovelace"))


def _verified(page):
    paste(page, fresh_token(), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)


def _invalid_signature(page):
    paste(page, fresh_token(), SECRET[:-1] + "!")
    expect(verdict(page)).to_contain_text(INVALID)


def _malformed_and_expired(page):
    header, payload, signature = jwt.encode({"sub": "ada", "exp": 1_700_000_000}, SECRET).split(".")
    paste(page, f"{header}.{payload}.{signature[:-3]}!!")
    expect(page.get_by_role("list", name="Problems with the token")).not_to_be_empty()


def _findings(page):
    paste(page, jwt.encode({"sub": "ada"}, SECRET), SECRET)  # no exp: a finding
    open_panels(page)  # findings below high are folded
    expect(page.get_by_role("list", name="Security findings").locator("li").first).to_be_visible()


def _edit_waiting_for_key(page):
    _decoded(page)
    field(page, "Payload").fill('{"sub": ')
    expect(page.locator("#payload-error")).to_be_visible()


def _key_generated(page):
    open_panels(page)  # the key tools are folded
    page.locator("#gen-alg").select_option("ES256")
    page.get_by_role("button", name="Generate key").click()
    expect(page.locator("#gen-output")).to_be_visible()


def _help_open(page):
    leave_fields(page)
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()


def _link_loaded(page):
    page.evaluate("hash => { location.hash = hash; }", f"#id_token={fresh_token()}&access_token=x")
    expect(page.get_by_role("button", name="Show the access_token")).to_be_visible()


STATES = {
    "empty": _empty,
    "decoded": _decoded,
    "verified": _verified,
    "invalid signature": _invalid_signature,
    "malformed and expired": _malformed_and_expired,
    "with findings": _findings,
    "edit waiting": _edit_waiting_for_key,
    "key panel with a generated key": _key_generated,
    "help overlay": _help_open,
    "loaded from a link": _link_loaded,
}


def serious_violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FATAL_IMPACTS
    ]


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("state", tuple(STATES))
def test_axe_finds_no_serious_violation(browser, server, state, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(server.url)
    STATES[state](page)
    page.wait_for_timeout(300)  # let every panel finish rendering the same answer

    violations = serious_violations(page)

    assert theme(page) == scheme
    assert violations == [], "\n".join(violations)
    assert errors == []
    context.close()


def test_axe_finds_no_serious_violation_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(server.url)
    _verified(page)

    assert serious_violations(page) == []
    context.close()


def test_axe_check_is_able_to_fail(page):
    """The check above catches real problems: an unlabelled field and unreadable text."""
    page.evaluate(
        """() => {
          const box = document.createElement("textarea");
          const faint = document.createElement("p");
          faint.textContent = "faint text";
          faint.style.color = "#bbbbbb"; // 1.9:1 on white
          document.querySelector("main").append(box, faint);
        }"""
    )

    found = " ".join(serious_violations(page))

    assert "label" in found
    assert "color-contrast" in found


def test_verdicts_are_announced_with_words_and_icons_not_colour_alone(page):
    live = page.locator("#verdict")
    expect(live).to_have_attribute("role", "status")
    paste(page, fresh_token(), SECRET)
    expect(live).to_have_text(re.compile(r"^✓ Signature verified"))
    expect(page.locator("#time")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#time")).to_contain_text("✓ Expires in")

    field(page, "Key or secret").fill(SECRET + "x")

    expect(live).to_have_text(re.compile(r"^✗ Invalid signature"))
