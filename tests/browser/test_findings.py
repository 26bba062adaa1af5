"""The findings panel, the wordlist search and the attack lab, as a user meets them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import time

import jwt
import pytest
from playwright.sync_api import expect

from ..conftest import SECRET, open_panels

FINDINGS = "Security findings"


@pytest.fixture(autouse=True)
def _panels_open(page):
    """The secondary panels are folded by default: these tests read and use them open."""
    open_panels(page)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hs256(payload: dict, secret: bytes, header: dict | None = None) -> str:
    """A token whose MAC is computed with `secret`, even one PyJWT refuses (empty, a PEM)."""
    header_text = json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode()
    signing_input = f"{b64url(header_text)}.{b64url(json.dumps(payload).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def paste(page, token: str, key: str | None = None) -> None:
    page.get_by_label("Encoded token").fill(token)
    if key is not None:
        page.get_by_label("Key or secret").fill(key)


def findings(page):
    return page.get_by_role("list", name=FINDINGS).get_by_role("listitem")


def live_claims() -> dict:
    now = int(time.time())
    return {"sub": "ada", "iat": now - 60, "exp": now + 3600}


def test_user_pastes_token_with_tutorial_secret_and_sees_critical_finding_first(page):
    paste(page, hs256({"sub": "ada"}, b"your-256-bit-secret"))

    items = findings(page)
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("critical")
    expect(items.first).to_contain_text("Well-known weak secret")
    expect(items.first).to_contain_text("your-256-bit-secret")
    expect(items.first).to_contain_text("Generate a random secret")
    expect(items.nth(1)).to_contain_text("No expiry (exp)")
    expect(page.get_by_text("2 findings, the most severe critical.")).to_be_visible()


def test_user_pastes_a_clean_token_and_sees_no_findings(page):
    paste(page, jwt.encode(live_claims(), SECRET), SECRET)

    expect(page.get_by_role("status").first).to_contain_text("Signature verified")
    expect(page.get_by_text("No findings: nothing dangerous was found")).to_be_visible()
    expect(findings(page)).to_have_count(0)


def test_user_adds_the_public_key_and_sees_the_key_confusion_finding(page, keypairs):
    public_pem = keypairs["RSA"].public_pem
    paste(page, hs256(live_claims(), public_pem.encode()))
    expect(findings(page)).to_have_count(0)

    page.get_by_label("Key or secret").fill(public_pem)

    expect(findings(page).first).to_contain_text("Key confusion")
    expect(findings(page).first).to_contain_text("critical")


def test_hostile_claim_text_in_findings_is_shown_as_text(page):
    kid = '"><img src=x id=injected>'
    paste(page, hs256(live_claims(), SECRET.encode(), {"alg": "HS256", "kid": kid}))

    expect(findings(page).first).to_contain_text("<img src=x id=injected>")
    expect(page.locator("#injected")).to_have_count(0)


def wordlist_file(words: list[bytes]) -> dict:
    return {"name": "secrets.txt", "mimeType": "text/plain", "buffer": b"\r\n".join(words)}


def test_user_searches_a_wordlist_file_and_verifies_with_the_secret_found(page):
    words = [b""] + [os.urandom(9).hex().encode() for _ in range(60_000)]
    secret = b"found-at-the-very-end-of-the-list"
    token = hs256(live_claims(), secret)
    paste(page, token)
    page.get_by_label("Wordlist file").set_input_files(wordlist_file([*words, secret, b""]))

    page.get_by_role("button", name="Search the wordlist").click()

    status = page.locator("#wordlist-status")
    expect(status).to_contain_text("Found", timeout=20_000)
    expect(status).to_contain_text("'found-at-the-very-end-of-the-list'")
    expect(status).to_contain_text("line 60,002")
    expect(page.get_by_label("Wordlist search progress")).to_have_attribute("value", "1")
    page.get_by_role("button", name="Verify with the secret found").click()
    expect(page.get_by_label("Key or secret")).to_have_value(secret.decode())
    expect(page.get_by_role("status").first).to_contain_text("Signature verified")


def test_user_searches_a_wordlist_without_the_secret_and_is_told_so(page):
    paste(page, jwt.encode(live_claims(), SECRET))
    words = [os.urandom(6).hex().encode() for _ in range(500)]
    page.get_by_label("Wordlist file").set_input_files(wordlist_file(words))

    page.get_by_role("button", name="Search the wordlist").click()

    expect(page.locator("#wordlist-status")).to_contain_text("Not found: none of the 500")


def test_user_cancels_a_wordlist_search(page):
    held = []
    page.route("**/api/secret-search", lambda route: held.append(route))
    paste(page, jwt.encode(live_claims(), SECRET))
    page.get_by_label("Wordlist file").set_input_files(wordlist_file([b"a", b"b"]))
    with page.expect_request("**/api/secret-search"):
        page.get_by_role("button", name="Search the wordlist").click()
    cancel = page.get_by_role("button", name="Cancel the search")
    expect(cancel).to_be_enabled()

    cancel.click()

    expect(page.locator("#wordlist-status")).to_contain_text("Cancelled")
    expect(cancel).to_be_disabled()
    expect(page.get_by_role("button", name="Search the wordlist")).to_be_enabled()
    assert len(held) == 1


def large_token(secret: bytes) -> str:
    """A token whose signed part is about 300 KB: one request may try about 2,600 secrets."""
    return hs256({**live_claims(), "pad": "x" * 225_000}, secret)


def searched_lines(request) -> int:
    return len(base64.b64decode(request.post_data_json["wordlist_base64"]).splitlines())


def test_user_searches_a_long_wordlist_for_a_large_token_in_requests_the_server_accepts(page):
    from debugger.analysis.weak_secrets import max_secrets

    secret = b"the-last-line-of-a-long-list"
    token = large_token(secret)
    allowed = max_secrets(len(token.rpartition(".")[0]))
    words = [b"guess-%d" % n for n in range(allowed + 500)]
    sent = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/api/secret-search") else None)
    paste(page, token)
    expect(findings(page).first).to_be_visible()
    page.get_by_label("Wordlist file").set_input_files(wordlist_file([*words, secret]))

    page.get_by_role("button", name="Search the wordlist").click()

    status = page.locator("#wordlist-status")
    expect(status).to_contain_text("Found", timeout=20_000)
    expect(status).to_contain_text(f"line {len(words) + 1:,}")
    assert len(sent) >= 2
    assert all(searched_lines(request) <= allowed for request in sent)


def test_user_cancels_a_search_while_a_chunk_is_in_flight_and_no_chunk_follows(page):
    token = large_token(b"not-in-the-list-not-in-the-list-0")
    words = [b"guess-%d" % n for n in range(10_000)]
    sent, held = [], []

    def hold_after_the_first(route):
        sent.append(route.request)
        if len(sent) == 1:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/secret-search", hold_after_the_first)
    paste(page, token)
    expect(findings(page).first).to_be_visible()
    page.get_by_label("Wordlist file").set_input_files(wordlist_file(words))
    page.get_by_role("button", name="Search the wordlist").click()
    expect(page.locator("#wordlist-status")).to_contain_text("Searching", timeout=20_000)
    for _ in range(100):  # the second chunk goes out once the first answer is read
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    status = page.locator("#wordlist-status")
    tried = re.search(r"Searching: ([\d,]+) secrets tried", status.text_content())
    assert tried, status.text_content()

    with page.expect_event("requestfailed", lambda r: r.url.endswith("/api/secret-search")):
        page.get_by_role("button", name="Cancel the search").click()

    expect(status).to_have_text(f"Cancelled after {tried.group(1)} secrets.")
    assert 0 < int(tried.group(1).replace(",", "")) <= searched_lines(sent[0])
    page.wait_for_timeout(500)
    assert len(sent) == 2


def test_user_searches_a_wordlist_for_an_rs256_token_and_gets_a_clear_error(page, keypairs):
    pair = keypairs["RSA"]
    paste(page, jwt.encode(live_claims(), pair.private_pem, algorithm="RS256"))
    page.get_by_label("Wordlist file").set_input_files(wordlist_file([b"secret"]))

    page.get_by_role("button", name="Search the wordlist").click()

    expect(page.locator("#wordlist-status")).to_contain_text("HS256, HS384 or HS512")


def test_user_forges_attack_variants_and_loads_one_to_see_it_rejected(page, keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(live_claims(), pair.private_pem, algorithm="RS256")
    paste(page, token, pair.public_pem)
    expect(page.get_by_role("status").first).to_contain_text("Signature verified")

    page.get_by_role("button", name="Forge attack variants").click()

    variants = page.get_by_role("list", name="Forged variants").get_by_role("listitem")
    expect(variants).to_have_count(11)
    expect(page.locator("#attacks-status")).to_contain_text("11 forged variants")
    expect(variants.filter(has_text="psychic signature")).to_contain_text("CVE-2022-21449")
    name = 'Load "alg "nOnE", no signature" into the debugger'
    page.get_by_role("button", name=name, exact=True).click()

    token_box = page.get_by_label("Encoded token")
    expect(token_box).not_to_have_value(token)
    assert (
        json.loads(base64.urlsafe_b64decode(token_box.input_value().split(".")[0] + "=="))["alg"]
        == "nOnE"
    )
    expect(page.get_by_role("status").first).to_contain_text("Invalid signature")
    expect(findings(page).first).to_contain_text("Unsigned token (alg none)")


def test_user_loads_the_key_confusion_variant_and_the_debugger_flags_it(page, keypairs):
    pair = keypairs["RSA"]
    paste(page, jwt.encode(live_claims(), pair.private_pem, algorithm="RS256"), pair.public_pem)
    page.get_by_role("button", name="Forge attack variants").click()

    name = re.compile(r"Load \"HS256 signed with the public key as secret\"")
    page.get_by_role("button", name=name).click()

    expect(page.get_by_role("status").first).to_contain_text("Invalid signature")
    expect(findings(page).first).to_contain_text("Key confusion")
