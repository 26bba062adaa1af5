"""The Explain and demo API panels as a user meets them: the real server and Debian's Chromium."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time

import jwt
import pytest
from playwright.sync_api import expect

from debugger.teach.demo import DEMO_SECRET

from ..conftest import SECRET, open_panels

LONG_SECRET = SECRET * 2


@pytest.fixture(autouse=True)
def _panels_open(page):
    """The secondary panels are folded by default: these tests read and use them open."""
    open_panels(page)


def paste(page, token: str, key: str | None = None) -> None:
    page.get_by_label("Encoded token").fill(token)
    if key is not None:
        page.get_by_label("Key or secret").fill(key)


def fresh_claims(**extra) -> dict:
    now = int(time.time())
    return {
        "sub": "1234567890",
        "iss": "https://issuer.example/",
        "iat": now,
        "exp": now + 600,
        **extra,
    }


def api_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "/api/" in request.url else None)
    return seen


def test_user_focuses_and_hovers_claim_names_to_read_what_they_mean(page):
    token = jwt.encode(fresh_claims(), LONG_SECRET, headers={"kid": "k1"})
    paste(page, token)
    table = page.get_by_role("table", name="What each field means")
    exp = table.get_by_role("button", name="exp", exact=True)
    tip = page.get_by_role("tooltip", name="Expiration time")  # not shown before
    expect(exp).to_be_visible()
    expect(page.locator(".ex-tip").filter(has_text="Expiration time")).to_be_hidden()
    exp.focus()
    expect(page.locator(".ex-tip").filter(has_text="Expiration time")).to_be_visible()
    assert tip.count() == 1
    table.get_by_role("button", name="kid", exact=True).hover()
    expect(page.locator(".ex-tip").filter(has_text="Key ID")).to_be_visible()
    row = table.locator("tr", has=page.get_by_role("button", name="exp", exact=True))
    exp_value = jwt.decode(token, options={"verify_signature": False})["exp"]
    local = page.evaluate(f"new Date({exp_value} * 1000).toLocaleString()")
    expect(row).to_contain_text(
        "UTC: " + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(exp_value))
    )
    expect(row).to_contain_text(f"Local: {local}")
    expect(row).to_contain_text(re.compile(r"Relative: in (9 minutes|10 minutes)"))
    link = row.get_by_role("link", name="RFC 7519 section 4.1.4")
    expect(link).to_have_attribute("href", "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4")
    expect(table.locator("tr[data-name=iss]")).to_contain_text("Issuer")


def test_user_sets_the_expected_audience_and_issuer_and_sees_each_check(page):
    paste(page, jwt.encode(fresh_claims(aud="api://orders"), LONG_SECRET), LONG_SECRET)
    checks = page.get_by_role("list", name="Claim checks")
    page.get_by_label("Expected audience").fill("api://billing")
    expect(checks.locator("li[data-claim='aud']")).to_contain_text("✗ failed: aud")
    expect(checks.locator("li[data-claim='aud']")).to_contain_text("api://billing")
    expect(checks.locator("li[data-claim='aud']")).to_contain_text("api://orders")
    page.get_by_label("Expected audience").fill("api://billing, api://orders")
    expect(checks.locator("li[data-claim='aud']")).to_contain_text("✓ passed: aud")
    page.get_by_label("Expected issuer").fill("https://issuer.example")
    expect(checks.locator("li[data-claim='iss']")).to_contain_text("✗ failed: iss")
    page.get_by_label("Required claims").fill("jti")
    expect(checks.locator("li[data-claim='jti']")).to_contain_text("✗ failed: jti")


def test_user_pastes_a_base64_secret_as_text_and_is_told_to_decode_it(page):
    raw = os.urandom(32)
    paste(page, jwt.encode(fresh_claims(), raw), base64.b64encode(raw).decode())
    expect(page.get_by_role("status").filter(has_text="Invalid signature")).to_be_visible()
    hint = page.get_by_role("list", name="Likely mistakes").locator("li[data-code='secret_base64']")
    expect(hint).to_contain_text("base64")
    page.get_by_label("Secret encoding").select_option("base64")
    expect(page.get_by_role("status").filter(has_text="Signature verified")).to_be_visible()
    expect(hint).to_have_count(0)


def test_user_pastes_a_bearer_header_and_a_secret_with_a_newline(page):
    token = jwt.encode(fresh_claims(), LONG_SECRET)
    paste(page, f"Bearer {token}", LONG_SECRET + "\n")
    hints = page.get_by_role("list", name="Likely mistakes")
    expect(hints.locator("li[data-code='bearer_prefix_removed']")).to_be_visible()
    expect(hints.locator("li[data-code='secret_whitespace']")).to_contain_text("newline")


def test_typing_sends_one_request_per_keystroke_and_the_walkthrough_only_when_opened(page):
    token = jwt.encode(fresh_claims(), LONG_SECRET)
    paste(page, token, LONG_SECRET)
    expect(page.get_by_role("status").filter(has_text="Signature verified")).to_be_visible()
    seen = api_requests(page)
    box = page.get_by_label("Encoded token")
    box.focus()
    box.press("End")
    box.press_sequentially("abc", delay=150)
    page.wait_for_timeout(900)
    assert len(seen) == 3 and not [url for url in seen if "/api/explain" in url], seen
    page.get_by_text("How this signature is checked").click()
    expect(page.locator("#walkthrough")).to_contain_text("HMAC")
    assert len([url for url in seen if "/api/explain" in url]) == 1, seen


def test_user_opens_the_walkthrough_and_sees_where_the_mac_differs(page):
    token = jwt.encode(fresh_claims(), LONG_SECRET)
    wrong = "a-wrong-secret-that-is-long-enough-for-hs256-000000000000000000"
    paste(page, token, wrong)
    page.get_by_text("How this signature is checked").click()
    walkthrough = page.locator("#walkthrough")
    signing_input, _, signature = token.rpartition(".")
    mac = hmac.new(wrong.encode(), signing_input.encode(), hashlib.sha256).digest()
    given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    first = next(i for i, (a, b) in enumerate(zip(mac, given, strict=True)) if a != b)
    expect(walkthrough).to_contain_text(signing_input)
    expect(walkthrough).to_contain_text(f"{len(signing_input)} bytes")
    expect(walkthrough).to_contain_text(mac.hex())
    expect(walkthrough).to_contain_text(f"first at byte {first}")
    marks = walkthrough.locator("mark")
    expect(marks).to_have_count(2)
    expect(marks.first).to_have_text(mac[first : first + 1].hex())
    expect(marks.last).to_have_text(given[first : first + 1].hex())
    # Fixing the key updates the open panel.
    page.get_by_label("Key or secret").fill(LONG_SECRET)
    expect(walkthrough).to_contain_text("Equal: the HMAC matches")
    expect(walkthrough.locator("mark")).to_have_count(0)


def test_user_copies_the_python_code_and_it_verifies_the_token(browser, server, tmp_path):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    page = context.new_page()
    try:
        page.goto(server.url)
        claims = fresh_claims(aud="api://orders")
        token = jwt.encode(claims, LONG_SECRET)
        paste(page, token, LONG_SECRET)
        open_panels(page)  # the Explain panel is folded
        page.get_by_text("Code: PyJWT, Flask and curl").click()
        python_block = page.locator("#code-python")
        expect(python_block).to_contain_text("import jwt")
        expect(page.locator("#code-flask")).to_contain_text("@jwt_required()")
        expect(page.locator("#code-curl")).to_contain_text("Authorization: Bearer")
        expect(page.get_by_role("list", name="Common mistakes in tutorials")).to_contain_text(
            "datetime.utcnow()"
        )
        page.get_by_role("button", name="Copy Python (PyJWT)").click()
        expect(page.get_by_text("Copied.")).to_be_visible()
        code = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    script = tmp_path / "copied.py"
    script.write_text(code)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Verified. Claims:")
    assert json.loads(result.stdout.split("\n", 1)[1].split("\nNew token:")[0]) == claims


def test_user_sends_the_token_to_the_demo_api_and_sees_the_exchange(page):
    expect(page.locator("#demo-key")).to_have_text(DEMO_SECRET)
    paste(page, jwt.encode(fresh_claims(), LONG_SECRET))
    page.get_by_role("button", name="Send the token to the demo API").click()
    response = page.locator("#demo-response")
    expect(response).to_contain_text("HTTP/1.1 401")
    expect(response).to_contain_text('"reason": "signature_mismatch"')
    expect(response).to_contain_text("WWW-Authenticate: Bearer")
    expect(page.locator("#demo-request")).to_contain_text("Authorization: Bearer ")
    # Signing the same claims with the demo key makes the API accept the token.
    page.get_by_role("button", name="Sign these claims with the demo key").click()
    expect(page.get_by_role("status").filter(has_text="Signature verified")).to_be_visible()
    page.get_by_role("button", name="Send the token to the demo API").click()
    expect(response).to_contain_text("HTTP/1.1 200")
    expect(response).to_contain_text('"sub": "1234567890"')
    token = page.get_by_label("Encoded token").input_value()
    expect(page.locator("#demo-request")).to_contain_text(f"Authorization: Bearer {token}")


def test_hostile_claims_are_shown_as_text_in_the_table(page):
    claims = {
        "<img src=x onerror=alert(1)>": "<script>alert(2)</script>",
        "exp": int(time.time()) + 60,
    }
    paste(page, jwt.encode(claims, LONG_SECRET))
    table = page.get_by_role("table", name="What each field means")
    expect(table).to_contain_text("<script>alert(2)</script>")
    expect(table.get_by_role("button", name="<img src=x onerror=alert(1)>")).to_be_visible()
    assert page.locator("#claims-rows img, #claims-rows script").count() == 0


def test_a_long_claim_value_is_cut_in_the_table_and_whole_in_the_payload(page):
    blob = "A" * 5000 + "the end"
    paste(page, jwt.encode(fresh_claims(blob=blob), LONG_SECRET))
    row = page.get_by_role("table", name="What each field means").locator("tr[data-name=blob]")
    expect(row).to_contain_text("A" * 300 + "… (5,007 characters in all)")
    assert "the end" not in row.inner_text()
    expect(page.get_by_label("Payload")).to_have_value(re.compile("A{5000}the end"))
