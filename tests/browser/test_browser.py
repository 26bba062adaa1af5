"""The page as a user meets it: the real server, Debian's Chromium, accessible names only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect

from ..conftest import ALG_KEYS, SECRET

VERIFIED = "Signature verified"
INVALID = "Invalid signature"


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWS writes every part."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def hs256_token(payload_text: str, header_text: str = '{"alg":"HS256","typ":"JWT"}') -> str:
    """A token signed with SECRET whose parts hold exactly the JSON text given."""
    signing_input = f"{b64url(header_text.encode())}.{b64url(payload_text.encode())}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def payload_text_of(token: str) -> str:
    return b64url_decode(token.split(".")[1]).decode("utf-8")


def paste(page, token: str, key: str | None = None) -> None:
    """Paste a token (and a key) the way a user does: each box gets an input event."""
    page.get_by_label("Encoded token").fill(token)
    if key is not None:
        page.get_by_label("Key or secret").fill(key)


def editor_json(page, name: str):
    return json.loads(page.get_by_label(name).input_value())


def test_user_pastes_token_and_sees_header_and_payload_decoded(page):
    token = jwt.encode({"sub": "ada", "name": "Ada Lovelace", "admin": True}, SECRET)

    paste(page, token)

    expect(page.get_by_label("Payload")).to_have_value(re.compile(r'"name": "Ada Lovelace"'))
    expect(page.get_by_label("Header")).to_have_value(re.compile(r'"alg": "HS256"'))
    assert editor_json(page, "Header") == {"alg": "HS256", "typ": "JWT"}
    assert editor_json(page, "Payload") == {"sub": "ada", "name": "Ada Lovelace", "admin": True}
    expect(page.get_by_role("status")).to_contain_text("key or secret")


def test_user_types_token_tail_and_decoding_follows_each_keystroke(page):
    token = jwt.encode({"sub": "typed"}, SECRET)
    head, tail = token[:-6], token[-6:]
    paste(page, head, SECRET)
    # A signature cut short cannot be read: the result says so, not "Invalid signature".
    expect(page.get_by_role("status")).to_contain_text("Malformed token")

    page.get_by_label("Encoded token").press_sequentially(tail)

    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    assert editor_json(page, "Payload") == {"sub": "typed"}


def test_user_types_secret_and_verdict_follows_each_keystroke(page):
    paste(page, jwt.encode({"sub": "ada"}, SECRET))
    key_box = page.get_by_label("Key or secret")

    key_box.press_sequentially(SECRET[:-1])
    expect(page.get_by_role("status")).to_contain_text(INVALID)
    key_box.press_sequentially(SECRET[-1])

    expect(page.get_by_role("status")).to_contain_text(VERIFIED)


def test_user_checks_secret_and_sees_verdict_change_with_it(page):
    paste(page, jwt.encode({"sub": "ada"}, SECRET), SECRET)
    verdict = page.get_by_role("status")
    expect(verdict).to_contain_text(VERIFIED)

    page.get_by_label("Key or secret").fill(SECRET[:-1] + "1")
    expect(verdict).to_contain_text(INVALID)
    expect(verdict).not_to_contain_text(VERIFIED)

    page.get_by_label("Key or secret").fill("")
    expect(verdict).to_contain_text(re.compile(r"key or secret", re.IGNORECASE))
    expect(verdict).not_to_contain_text(INVALID)


@pytest.mark.parametrize("alg", ("RS256", "ES256", "EdDSA"))
def test_user_verifies_asymmetric_token_with_public_pem(page, keypairs, alg):
    pair = keypairs[ALG_KEYS[alg]]
    token = jwt.encode({"sub": "ada"}, pair.private_pem, algorithm=alg)

    paste(page, token, pair.public_pem)

    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    expect(page.get_by_role("status")).to_contain_text(alg)


def test_user_verifies_with_public_pem_of_another_key_and_sees_invalid(page, keypairs):
    token = jwt.encode({"sub": "ada"}, keypairs["P-256"].private_pem, algorithm="ES256")
    other = _other_p256_public_pem()

    paste(page, token, other)

    expect(page.get_by_role("status")).to_contain_text(INVALID)


def _other_p256_public_pem() -> str:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def test_user_sees_expired_token_with_its_utc_date(page):
    exp = 1_700_000_000
    utc = datetime.fromtimestamp(exp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

    paste(page, jwt.encode({"sub": "ada", "exp": exp}, SECRET))

    # The result repeats the time verdict: the time box is the one with the date.
    expired_text = re.compile(r"Expired .+ ago \(" + re.escape(utc) + r"\)")
    expired = page.locator("#time").get_by_text(expired_text)
    expect(expired).to_be_visible()
    assert utc == "2023-11-14 22:13:20 UTC"


def test_user_sees_when_a_live_token_expires(page):
    paste(page, jwt.encode({"sub": "ada", "exp": int(time.time()) + 3600}, SECRET))

    expect(page.get_by_text(re.compile(r"Expires in (59 minutes|1 hour)"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Expired"))).to_have_count(0)


def test_user_sees_token_that_is_not_valid_yet(page):
    now = int(time.time())
    nbf = now + 86400
    utc = datetime.fromtimestamp(nbf, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

    paste(page, jwt.encode({"sub": "ada", "nbf": nbf, "exp": now + 2 * 86400}, SECRET))

    expect(page.locator("#time").get_by_text(f"Not valid before {utc}")).to_be_visible()


def test_user_edits_payload_and_token_is_resigned(page):
    token = jwt.encode({"sub": "ada", "role": "reader"}, SECRET)
    paste(page, token, SECRET)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    token_box = page.get_by_label("Encoded token")

    page.get_by_label("Payload").fill('{\n  "sub": "ada",\n  "role": "admin"\n}')

    expect(token_box).not_to_have_value(token)
    new_token = token_box.input_value()
    assert jwt.decode(new_token, SECRET, algorithms=["HS256"]) == {"sub": "ada", "role": "admin"}
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    assert editor_json(page, "Header") == {"alg": "HS256", "typ": "JWT"}


def test_user_edits_payload_with_rsa_private_key_and_token_is_resigned(page, keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode({"sub": "ada"}, pair.private_pem, algorithm="RS256")
    paste(page, token, pair.private_pem)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    token_box = page.get_by_label("Encoded token")

    page.get_by_label("Payload").fill('{"sub": "grace"}')

    expect(token_box).not_to_have_value(token)
    claims = jwt.decode(token_box.input_value(), pair.public_pem, algorithms=["RS256"])
    assert claims == {"sub": "grace"}
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)


def test_user_sees_numbers_as_written_and_resigning_keeps_them(page):
    token = hs256_token('{"id":12345678901234567890,"ratio":3.0,"sub":"ada"}')
    paste(page, token, SECRET)
    payload = page.get_by_label("Payload")
    expect(payload).to_have_value(re.compile(r'"id": 12345678901234567890,'))
    expect(payload).to_have_value(re.compile(r'"ratio": 3\.0,'))

    payload.fill(payload.input_value().replace('"ada"', '"grace"'))

    token_box = page.get_by_label("Encoded token")
    expect(token_box).not_to_have_value(token)
    written = payload_text_of(token_box.input_value())
    assert "12345678901234567890" in written
    assert '"ratio":3.0' in written
    assert '"sub":"grace"' in written
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)


def test_user_types_invalid_json_and_token_keeps_last_good_value(page):
    token = jwt.encode({"sub": "ada"}, SECRET)
    paste(page, token, SECRET)
    payload = page.get_by_label("Payload")
    expect(payload).to_have_value(re.compile('"ada"'))
    token_box = page.get_by_label("Encoded token")

    payload.fill('{"sub": "grace",')

    error = page.locator("#payload-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("not valid JSON")
    expect(payload).to_have_accessible_description(re.compile("not valid JSON"))
    expect(token_box).to_have_value(token)

    payload.fill('{"sub": "grace"}')
    expect(error).to_be_hidden()
    expect(token_box).not_to_have_value(token)
    assert jwt.decode(token_box.input_value(), SECRET, algorithms=["HS256"]) == {"sub": "grace"}


def test_user_with_only_public_key_is_told_a_private_key_is_needed(page, keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode({"sub": "ada"}, pair.private_pem, algorithm="RS256")
    paste(page, token, pair.public_pem)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    payload = page.get_by_label("Payload")

    payload.fill('{"sub": "mallory"}')

    expect(page.get_by_text(re.compile("private key"))).to_be_visible()
    expect(payload).to_have_accessible_description(re.compile("private key"))
    expect(page.get_by_label("Encoded token")).to_have_value(token)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)


HOSTILE = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "javascript:alert(1)")


def test_user_sees_hostile_claims_as_plain_text(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    header = json.dumps({"alg": "HS256", "kid": HOSTILE[0]})
    payload = json.dumps({"img": HOSTILE[0], "script": HOSTILE[1], "url": HOSTILE[2]})
    token = hs256_token(payload, header)

    paste(page, token, SECRET)

    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    for text in HOSTILE:
        expect(page.get_by_label("Payload")).to_have_value(re.compile(re.escape(text)))
    expect(page.get_by_label("Header")).to_have_value(re.compile(re.escape(HOSTILE[0])))
    assert page.locator("img").count() == 0
    assert page.locator("body script").count() == 0
    assert dialogs == []


def test_user_sees_each_token_part_in_its_own_colour(page):
    paste(page, jwt.encode({"sub": "ada"}, SECRET))
    backdrop = page.locator("#token-backdrop")
    expect(backdrop.locator(".t-signature")).to_have_count(1)

    colours = [
        backdrop.locator(f".t-{part}").evaluate("span => getComputedStyle(span).color")
        for part in ("header", "payload", "signature")
    ]

    assert len(set(colours)) == 3, colours
    text = page.get_by_label("Encoded token").evaluate("box => getComputedStyle(box).color")
    assert text == "rgba(0, 0, 0, 0)", "the textarea's own text must not hide the colours"


def test_user_sees_broken_payload_described_with_its_position(page):
    header, payload, signature = jwt.encode({"sub": "ada"}, SECRET).split(".")
    broken = payload[:5] + "!" + payload[6:]

    paste(page, f"{header}.{broken}.{signature}")

    problems = page.get_by_role("list", name="Problems with the token")
    expect(problems).to_contain_text("'!'")
    expect(problems).to_contain_text("character 6 of the payload")
    assert editor_json(page, "Header") == {"alg": "HS256", "typ": "JWT"}


def test_user_session_makes_no_request_beyond_the_local_server(page, server, keypairs):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    pair = keypairs["RSA"]
    token = jwt.encode({"sub": "ada"}, pair.private_pem, algorithm="RS256")

    paste(page, token, pair.public_pem)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    page.get_by_label("Key or secret").fill(pair.private_pem)
    page.get_by_label("Payload").fill('{"sub": "grace"}')
    expect(page.get_by_label("Encoded token")).not_to_have_value(token)
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)
    page.get_by_role("button", name="Try an example").click()
    expect(page.get_by_label("Payload")).to_have_value(re.compile("Ada Lovelace"))
    expect(page.get_by_role("status")).to_contain_text(VERIFIED)

    assert any("/api/encode" in url for url in requested), requested
    assert all(url.startswith(server.url) for url in requested), requested


def test_user_edits_payload_then_pastes_secret_and_token_is_resigned(page):
    token = jwt.encode({"sub": "ada", "role": "reader"}, SECRET)
    page.get_by_label("Encoded token").fill(token)
    payload = page.get_by_label("Payload")
    expect(payload).to_have_value(re.compile("reader"))
    payload.fill('{"sub": "ada", "role": "admin"}')
    expect(page.get_by_text("Paste a key or secret below to re-sign")).to_be_visible()

    page.get_by_label("Key or secret").fill(SECRET)

    expect(payload).to_have_value(re.compile("admin"))
    expect(page.get_by_label("Encoded token")).not_to_have_value(token)


def test_user_edits_payload_with_public_key_then_pastes_private_key(page, keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode({"sub": "ada"}, pair.private_pem, algorithm="RS256")
    page.get_by_label("Encoded token").fill(token)
    page.get_by_label("Key or secret").fill(pair.public_pem)
    expect(page.get_by_role("status")).to_contain_text("Signature verified")
    payload = page.get_by_label("Payload")
    payload.fill('{"sub": "mallory"}')
    expect(page.get_by_text(re.compile("private key"))).to_be_visible()

    page.get_by_label("Key or secret").fill(pair.private_pem)

    expect(payload).to_have_value(re.compile("mallory"))
    expect(page.get_by_label("Encoded token")).not_to_have_value(token)


def test_user_pastes_new_token_and_old_json_error_goes_away(page):
    page.get_by_label("Encoded token").fill(jwt.encode({"sub": "ada"}, SECRET))
    expect(page.get_by_label("Payload")).to_have_value(re.compile("ada"))
    page.get_by_label("Payload").fill('{"sub": ')
    expect(page.locator("#payload-error")).to_be_visible()

    page.get_by_label("Encoded token").fill(jwt.encode({"sub": "new"}, SECRET))

    expect(page.get_by_label("Payload")).to_have_value(re.compile("new"))
    expect(page.locator("#payload-error")).to_be_hidden()


def test_user_clears_page_and_resign_advice_goes_away(page):
    page.get_by_label("Encoded token").fill(jwt.encode({"sub": "ada"}, SECRET))
    expect(page.get_by_label("Payload")).to_have_value(re.compile("ada"))
    page.get_by_label("Payload").fill('{"sub": "grace"}')
    advice = page.get_by_text("Paste a key or secret below to re-sign")
    expect(advice).to_be_visible()

    page.get_by_role("button", name="Clear").click()

    expect(page.get_by_role("status")).to_have_text("Paste a token to decode it.")
    expect(advice).to_be_hidden()


def test_user_types_a_key_and_each_keystroke_sends_one_request(page, keypairs):
    pair = keypairs["RSA"]
    paste(page, jwt.encode({"sub": "ada"}, pair.private_pem, algorithm="RS256"))
    expect(page.locator("#payload")).to_have_value(re.compile('"sub": "ada"'))
    key_box = page.get_by_label("Key or secret")
    key_box.fill(pair.public_pem[:40])  # an unfinished PEM: a key the debugger cannot use yet
    expect(page.locator("#key-error")).not_to_be_empty()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    typed = pair.public_pem[40:46]
    key_box.press_sequentially(typed, delay=60)

    expect(key_box).to_have_value(pair.public_pem[:46])
    expect(page.locator("#key-error")).not_to_be_empty()
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bbad\b"))
    page.wait_for_timeout(300)  # any late request would show up here
    api_calls = [url for url in requested if "/api/" in url]
    assert len(api_calls) == len(typed), api_calls
    assert all(url.endswith("/api/verify") for url in api_calls), api_calls


def test_user_pastes_a_token_with_a_1_mib_payload_and_sees_it_decoded(page):
    token = hs256_token(json.dumps({"sub": "big", "data": "x" * (1024 * 1024)}))

    page.get_by_label("Encoded token").fill(token)

    expect(page.locator("#payload")).to_have_value(re.compile('"sub": "big"'), timeout=20_000)
    assert len(page.locator("#payload").input_value()) > 1024 * 1024
    expect(page.locator("#verdict")).not_to_have_class(re.compile(r"\bbad\b"))


def test_user_pastes_a_token_over_the_size_limit_and_is_told_without_a_request(page):
    from debugger.web.app import MAX_BODY_BYTES

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.get_by_label("Encoded token").fill("x" * (MAX_BODY_BYTES + 1))

    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bbad\b"), timeout=20_000)
    expect(page.locator("#verdict")).to_contain_text(f"{MAX_BODY_BYTES + 1:,}")
    assert not [url for url in requested if "/api/" in url], requested
