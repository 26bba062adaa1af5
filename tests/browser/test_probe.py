"""The user sends a token to their API from the page, scans it, and finds tokens in a paste."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import expect

from ..target_apis import make_api, no_verification, serve


@pytest.fixture
def weak_api(keypairs):
    with serve(make_api(no_verification, keypairs["RSA"].public_pem)) as base:
        yield base


def test_user_sees_what_will_be_sent_then_probes_and_scans_the_api(
    page, weak_api, keypairs, tmp_path
):
    token = jwt.encode(
        {"sub": "alice", "exp": int(time.time()) + 3600},
        keypairs["RSA"].private_pem,
        algorithm="RS256",
    )
    page.fill("#token", token)
    page.fill("#key", keypairs["RSA"].public_pem)
    page.locator("#probe-fold > summary").click()  # the panel's module loads when it opens
    page.locator("#probe-fold[data-loaded]").wait_for()
    page.fill("#probe-url", f"{weak_api}/resource")
    preview = page.locator("#probe-preview")
    preview.get_by_text("Authorization: Bearer").wait_for()
    shown = preview.text_content()
    assert shown.startswith(f"GET {weak_api}/resource")
    assert token not in shown and "characters)" in shown
    assert page.locator("#probe-answer").text_content() == ""

    page.click("#probe-send")
    expect(page.locator("#probe-status")).to_have_text(re.compile(r"^(HTTP|No answer)"))
    assert page.locator("#probe-status").text_content().startswith("HTTP 200"), page.locator(
        "#probe-status"
    ).text_content()
    assert "accepted the token" in page.locator("#probe-explanations").text_content()

    assert page.locator("#scan-start").is_disabled()
    assert "allowed to test" in page.locator("#scan-notice").text_content()
    page.check("#scan-confirm")
    page.locator("#scan-start:not([disabled])").wait_for()
    page.click("#scan-start")
    page.get_by_text("Scan finished.").wait_for(timeout=60_000)
    summary = page.locator("#scan-summary li").first.text_content()
    assert "does not verify signatures at all" in summary
    rows = page.locator("#scan-results tbody tr")
    assert rows.count() >= 12
    assert page.locator("#scan-results tr.accepted").count() == rows.count()
    # docs/scan-report.png is this screenshot.
    page.locator("#probe-panel").screenshot(path=str(tmp_path / "scan-report.png"))

    with page.expect_download() as download:
        page.click("#scan-markdown")
    text = Path(download.value.path()).read_text()
    assert "| corrupted-signature | 200 | **yes** |" in text


def test_user_finds_a_token_in_a_curl_command_and_loads_it(page):
    token = jwt.encode({"sub": "bob"}, "s" * 32, algorithm="HS256")
    page.locator("#probe-fold > summary").click()
    page.locator("#probe-fold[data-loaded]").wait_for()
    page.fill("#extract-text", f"curl -H 'Authorization: Bearer {token}' https://api.example/")
    page.click("#extract-run")
    item = page.locator("#extract-list li").first
    item.get_by_text("Authorization header").wait_for()
    item.get_by_role("button", name="Load").click()
    expect(page.locator("#token")).to_have_value(token)


def test_user_finds_a_jws_in_json_serialization_in_a_request_body_and_loads_it(page):
    protected, payload, signature = jwt.encode({"sub": "bob"}, "s" * 32).split(".")
    written = json.dumps({"payload": payload, "protected": protected, "signature": signature})
    page.locator("#probe-fold > summary").click()
    page.locator("#probe-fold[data-loaded]").wait_for()
    page.fill("#extract-text", f"POST /x HTTP/1.1\n\n{written}\n")
    page.click("#extract-run")
    item = page.locator("#extract-list li").first
    expect(item).to_contain_text("JWS (flattened JSON serialization) in text (line 3)")
    item.get_by_role("button", name="Load").click()
    expect(page.locator("#token")).to_have_value(written)
    expect(page.locator("#payload")).to_have_value(re.compile('"sub": "bob"'))
