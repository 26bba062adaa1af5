"""The OAuth troubleshooter in a real browser against a real OpenID Provider: sign in with the
code flow and PKCE, come back to the debugger with checked tokens, refresh them, and approve a
device on the provider's own page. Requests to any host but 127.0.0.1 are refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture
def oauth_page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The provider's development pages import a web font: nothing may leave this machine.
    context.route(OFF_MACHINE, lambda route: route.abort())
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.goto(server.url + "oauth")
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _describe_client(page, issuer, client_id="public-app", scope="openid"):
    page.fill("#oauth-issuer", issuer)
    page.fill("#oauth-client-id", client_id)
    page.select_option("#oauth-auth-method", "none")
    page.fill("#oauth-scope", scope)


def _log_in_and_consent(page):
    page.fill("input[name=login]", "alice")
    page.fill("input[name=password]", "any password works in development")
    page.click("button:has-text('Sign-in')")
    page.click("button:has-text('Continue')")


def test_user_signs_in_with_the_code_flow_and_gets_checked_tokens(
    oauth_page, oidc_provider, server
):
    page = oauth_page
    expect(page.locator("#oauth-redirect-uri")).to_have_text(
        re.compile(r"^http://127\.0\.0\.1:\d+/oauth/callback$")
    )
    _describe_client(page, oidc_provider.issuer)
    page.click("#oauth-discover")
    expect(page.locator("#oauth-metadata")).to_contain_text(oidc_provider.issuer + "/token")
    page.click("#oauth-sign-in")
    # The authorization request is shown before the browser goes there.
    expect(page.locator("#oauth-preview")).to_contain_text("code_challenge_method=S256")
    page.click("#oauth-send")
    _log_in_and_consent(page)
    page.wait_for_url(re.compile(r"/oauth$"), timeout=15000)
    id_token = page.locator("[data-token=id_token]")
    expect(id_token).to_be_visible(timeout=15000)
    checks = id_token.locator(".oauth-checks li")
    expect(checks.first).to_be_visible()
    assert id_token.locator("li[data-passed=false]").count() == 0, checks.all_text_contents()
    for code in ("token_signature", "token_issuer", "token_audience", "token_nonce"):
        expect(id_token.locator(f"li[data-code={code}]")).to_have_attribute("data-passed", "true")
    assert "#result=" not in page.url and "code=" not in page.url

    # UserInfo with the access token: shown first, then sent.
    page.click("[data-token=access_token] button:has-text('UserInfo')")
    expect(page.locator("#oauth-preview")).to_contain_text("Authorization: Bearer ********(")
    page.click("#oauth-send")
    expect(page.locator("#oauth-response")).to_contain_text('"sub": "alice"')

    # Refresh with the refresh token the sign-in returned.
    expect(page.locator("#oauth-refresh-token")).not_to_have_value("")
    page.click("#oauth-refresh")
    expect(page.locator("#oauth-preview")).to_contain_text("grant_type=refresh_token")
    expect(page.locator("#oauth-preview")).to_contain_text("refresh_token=********(")
    page.click("#oauth-send")
    expect(page.locator("#oauth-status")).to_have_text("The provider answered HTTP 200.")
    expect(page.locator("[data-token=id_token] li[data-code=token_signature]")).to_have_attribute(
        "data-passed", "true"
    )

    # One click loads the ID token into the debugger.
    token = page.locator("[data-token=id_token] textarea").input_value()
    page.click("[data-token=id_token] a:has-text('Open in the debugger')")
    expect(page.locator("#token")).to_have_value(token)


def test_user_approves_a_device_on_the_provider_page(oauth_page, oidc_provider):
    page = oauth_page
    _describe_client(page, oidc_provider.issuer, scope="openid offline_access")
    page.click("#oauth-device")
    expect(page.locator("#oauth-preview")).to_contain_text("/device/auth")
    page.click("#oauth-send")
    expect(page.locator("#oauth-user-code")).not_to_have_text("")
    verification = page.locator("#oauth-verification").get_attribute("href")
    device_page = page.context.new_page()
    device_page.goto(verification)
    device_page.click("button:has-text('Continue')")
    _log_in_and_consent(device_page)
    expect(device_page.locator("body")).to_contain_text("Sign-in Success", timeout=15000)
    access = page.locator("[data-token=access_token]")
    expect(access).to_be_visible(timeout=20000)
    expect(page.locator("#oauth-device-box")).to_be_hidden()
