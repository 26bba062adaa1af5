"""Encrypted tokens on the page: the five parts, decryption, the inner token and the walkthrough."""

from __future__ import annotations

import json

import jwt
import pytest
from joserfc import jwe
from joserfc.jwk import RSAKey
from playwright.sync_api import expect

from debugger.codes import JWE_WRONG_KEY

from .test_contract import LABELS
from .test_ux import serious_violations

CLAIMS = {"sub": "alice", "exp": 2_000_000_000, "note": "<b>not html</b>"}
HEADER = {"alg": "RSA-OAEP-256", "enc": "A256GCM"}


@pytest.fixture(scope="module")
def recipient() -> RSAKey:
    return RSAKey.generate_key(2048)


def pem(key: RSAKey) -> str:
    return key.as_pem(private=True).decode()


def encrypted(key: RSAKey, plaintext: str, header: dict | None = None) -> str:
    registry = jwe.JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])
    return jwe.encrypt_compact(header or HEADER, plaintext.encode(), key, registry=registry)


def paste(page, token: str, key: str) -> None:
    page.get_by_label("Encoded token").fill(token)
    page.get_by_label("Key or secret").fill(key)


def test_jwe_is_decrypted_and_its_claims_shown(page, recipient):
    paste(page, encrypted(recipient, json.dumps(CLAIMS)), pem(recipient))

    status = page.get_by_role("status")
    expect(status).to_contain_text("Decrypted")
    expect(status).to_contain_text("RSA-OAEP-256 / A256GCM")
    plaintext = page.get_by_label("Decrypted plaintext")
    expect(plaintext).to_contain_text('"sub": "alice"')
    expect(plaintext).to_contain_text("<b>not html</b>")  # shown as text, not markup
    assert page.locator("#jwe-panel b").count() == 0
    expect(page.locator("#jwe-panel .time-line")).to_contain_text("2033")
    legend = page.locator(".jwe-legend")
    expect(legend).to_be_visible()
    for name in ("protected header", "encrypted key", "IV", "ciphertext", "tag"):
        expect(legend).to_contain_text(name)
    assert page.locator("#token-backdrop .t-jwe-tag").count() == 1
    expect(page.locator("#jwe-roles")).to_contain_text("recipient's RSA private key")
    expect(page.get_by_label("Verification key")).to_be_hidden()


def test_wrong_key_shows_the_reason_and_the_walkthrough_shows_no_cek(page, recipient):
    paste(page, encrypted(recipient, json.dumps(CLAIMS)), pem(RSAKey.generate_key(2048)))

    status = page.get_by_role("status")
    expect(status).to_contain_text("Not decrypted")
    expect(status).to_contain_text(JWE_WRONG_KEY)
    page.get_by_text("How this token is decrypted").click()
    walk = page.locator(".jwe-walkthrough")
    expect(walk).to_contain_text("CEK: not obtained")
    expect(walk).to_contain_text("Tag check: mismatch")


def test_walkthrough_shows_the_tag_match(page, recipient):
    paste(page, encrypted(recipient, "hello"), pem(recipient))
    expect(page.get_by_role("status")).to_contain_text("Decrypted")
    page.get_by_text("How this token is decrypted").click()
    walk = page.locator(".jwe-walkthrough")
    expect(walk).to_contain_text("CEK: 32 bytes (key decryption)")
    expect(walk).to_contain_text("Tag check: match")
    expect(page.get_by_label("Decrypted plaintext")).to_have_text("hello")


def test_nested_token_is_verified_with_the_verification_key(page, recipient, keypairs):
    signer = keypairs["P-256"]
    inner = jwt.encode(CLAIMS, signer.private_pem, algorithm="ES256")
    token = encrypted(recipient, inner, {**HEADER, "cty": "JWT"})
    paste(page, token, pem(recipient))
    expect(page.get_by_role("status")).to_contain_text("Decrypted")
    inner_verdict = page.locator("#jwe-inner-verdict")
    expect(inner_verdict).to_contain_text("paste the issuer's key")

    page.get_by_label("Verification key").fill(signer.public_pem)

    expect(inner_verdict).to_contain_text("Signature verified")
    expect(page.get_by_label("Decrypted plaintext")).to_contain_text('"sub": "alice"')
    for label in LABELS:
        assert page.get_by_label(label, exact=True).count() == 1, label
    assert page.get_by_role("status").count() == 1
    assert page.get_by_label("Verification key", exact=True).count() == 1

    page.get_by_label("Verification key").fill(keypairs["P-384"].public_pem)
    expect(inner_verdict).to_contain_text("Invalid signature")


def test_back_to_a_signed_token_hides_the_jwe_panel(page, recipient):
    paste(page, encrypted(recipient, "hello"), pem(recipient))
    expect(page.get_by_role("status")).to_contain_text("Decrypted")
    page.get_by_label("Encoded token").fill(jwt.encode({"sub": "a"}, "s" * 32, algorithm="HS256"))
    page.get_by_label("Key or secret").fill("s" * 32)
    expect(page.get_by_role("status")).to_contain_text("Signature verified")
    expect(page.locator("#jwe-panel")).to_be_hidden()
    expect(page.locator(".jwe-legend")).to_be_hidden()


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_serious_violation_in_the_jwe_state(browser, server, recipient, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(server.url)
    signer_token = jwt.encode(CLAIMS, "s" * 32, algorithm="HS256")
    paste(page, encrypted(recipient, signer_token, {**HEADER, "cty": "JWT"}), pem(recipient))
    page.get_by_label("Verification key").fill("s" * 32)
    expect(page.locator("#jwe-inner-verdict")).to_contain_text("Signature verified")
    page.get_by_text("How this token is decrypted").click()

    violations = serious_violations(page)

    assert violations == [], "\n".join(violations)
    context.close()
