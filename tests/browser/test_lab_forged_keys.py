"""A learner solves the labs whose key must be found or forged with the main page's tools: the
RSA key recovered from two tokens for the lab without an exposed key, and the attack lab's jku
variant pointed at the lab's own attacker key set. Real server with --labs, real Chromium."""

from __future__ import annotations

import base64
import json
import re

import jwt
import pytest
from playwright.sync_api import expect

from debugger.jose.b64 import b64url

from ..conftest import open_panels

#: The recovery of a 2048-bit key takes up to a minute, more on a busy machine.
RECOVERY_MS = 150_000


def as_admin(token: str) -> str:
    """The token with role admin and its old signature: the learner's edit before forging."""
    header_segment, payload_segment, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_segment + "=="))
    edited = b64url(json.dumps({**payload, "role": "admin"}).encode())
    return f"{header_segment}.{edited}.{signature}"


def starting_tokens(lab_page, count: int) -> list[str]:
    """Press "Get the starting token" `count` times, keeping each new token."""
    box = lab_page.get_by_label("Starting token")
    tokens: list[str] = []
    for _ in range(count):
        lab_page.get_by_role("button", name="Get the starting token").click()
        expect(box).not_to_have_value("")
        if tokens:
            expect(box).not_to_have_value(tokens[-1])
        tokens.append(box.input_value())
    return tokens


def forge(main_page, token: str, variant_title: str):
    """Put `token` in the debugger, forge the attack variants, and return the one titled so."""
    main_page.get_by_label("Encoded token").fill(token)
    # The attack lab forges from the token the page has read: wait until it shows role admin.
    expect(main_page.get_by_label("Payload")).to_have_value(re.compile(r'"role": "admin"'))
    main_page.get_by_role("button", name="Forge attack variants").click()
    variants = main_page.get_by_role("list", name="Forged variants").get_by_role("listitem")
    chosen = variants.filter(has_text=variant_title)
    expect(chosen).to_have_count(1)
    return chosen


def send_to_lab(lab_page, name: str, forged: str) -> None:
    lab_page.get_by_label("Forged token").fill(forged)
    lab_page.get_by_role("button", name=f"Send to /labs/{name}/admin").click()
    expect(lab_page.locator("#lab-result")).to_contain_text("200: Welcome, administrator")
    expect(lab_page.locator("#after")).to_be_visible()


def test_learner_recovers_the_unpublished_key_and_solves_the_alg_confusion_lab(
    learner_context, labs_server
):
    name = "alg-confusion-no-key"
    lab_page = learner_context.new_page()
    lab_page.goto(f"{labs_server.url}labs/{name}/")
    first, second = starting_tokens(lab_page, 2)
    assert lab_page.request.get(f"{labs_server.url}labs/{name}/jwks.json").status == 404

    main_page = learner_context.new_page()
    main_page.goto(labs_server.url)
    open_panels(main_page)
    main_page.get_by_label("Encoded token").fill(first)
    main_page.get_by_label("Second token, signed by the same key").fill(second)
    main_page.get_by_role("button", name="Recover the public key").click()
    expect(main_page.locator("#recover-status")).to_contain_text("up to a minute")
    spki = main_page.get_by_label("Recovered PEM (BEGIN PUBLIC KEY)")
    expect(spki).to_be_visible(timeout=RECOVERY_MS)
    expect(main_page.locator("#recover-status")).to_contain_text("2048-bit RSA key (e = 65537)")
    pkcs1 = main_page.get_by_label("Recovered PEM (BEGIN RSA PUBLIC KEY)")
    assert pkcs1.input_value().startswith("-----BEGIN RSA PUBLIC KEY-----\n")
    recovered_pem = spki.input_value()
    assert recovered_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    main_page.get_by_role("button", name="Use as key").click()
    expect(main_page.get_by_label("Key or secret")).to_have_value(recovered_pem)
    expect(main_page.get_by_role("status")).to_contain_text("Signature verified")

    variant = forge(main_page, as_admin(first), "signed with the public key as secret")
    forged = variant.locator(".attack-token").text_content()

    send_to_lab(lab_page, name, forged)
    expect(lab_page.locator("#fixed-code")).to_contain_text('algorithms=["RS256"]')
    # The fixed verifier, PyJWT with the one algorithm, refuses the same token with that key.
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(forged, recovered_pem, algorithms=["RS256"])
    assert jwt.decode(first, recovered_pem, algorithms=["RS256"])["role"] == "user"


def test_learner_points_the_jku_variant_at_the_labs_key_set_and_solves_the_jku_lab(
    learner_context, labs_server
):
    name = "jku-injection"
    lab_page = learner_context.new_page()
    lab_page.goto(f"{labs_server.url}labs/{name}/")
    (token,) = starting_tokens(lab_page, 1)

    main_page = learner_context.new_page()
    main_page.goto(labs_server.url)
    open_panels(main_page)
    key_set_url = f"{labs_server.url}labs/jku-injection/attacker-jwks.json"
    main_page.get_by_label("jku URL for the forged key set").fill(key_set_url)
    variant = forge(main_page, as_admin(token), "jku pointing at an attacker's key set")
    forged = variant.locator(".attack-token").text_content()
    assert jwt.get_unverified_header(forged)["jku"] == key_set_url
    variant.locator("summary").click()
    attacker_jwks = variant.locator(".attack-jwks").text_content()

    lab_page.get_by_label("Your key set").fill(attacker_jwks)
    lab_page.get_by_role("button", name="Publish this key set").click()
    expect(lab_page.locator("#publish-result")).to_have_text("Published 1 key(s).")
    send_to_lab(lab_page, name, forged)
