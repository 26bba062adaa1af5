"""The page's public contract: accessible names that users and outside tests rely on.

Outside tests find the controls with plain `get_by_label("Payload")` and `get_by_role("status")`,
so each name must match exactly one element in every state of the page, whatever panels are open.
"""

from __future__ import annotations

import re

import jwt
from playwright.sync_api import expect

from ..conftest import SECRET

LABELS = ("Encoded token", "Header", "Payload", "Key or secret")


def _assert_each_contract_name_is_unique(page) -> None:
    for label in LABELS:
        assert page.get_by_label(label).count() == 1, label
    assert page.get_by_role("status").count() == 1


def test_contract_names_are_unique_when_the_page_is_empty(page):
    _assert_each_contract_name_is_unique(page)


def test_contract_names_are_unique_with_every_panel_open(page):
    token = jwt.encode({"sub": "a", "exp": 2_000_000_000}, SECRET, algorithm="HS256")
    page.get_by_label("Encoded token").fill(token)
    page.get_by_label("Key or secret").fill(SECRET)
    expect(page.get_by_role("status")).to_contain_text("Signature verified")
    for summary in page.locator("details > summary").all():
        if summary.is_visible():
            summary.click()
    _assert_each_contract_name_is_unique(page)
    assert '"sub": "a"' in page.get_by_label("Payload").input_value()


def test_contract_names_are_unique_with_the_attack_variants_listed(page, keypairs):
    # One variant's title says "embedded in the header": its button must not take a label with it.
    pair = keypairs["RSA"]
    claims = {"sub": "a", "exp": 2_000_000_000}
    page.get_by_label("Encoded token").fill(jwt.encode(claims, pair.private_pem, algorithm="RS256"))
    page.get_by_label("Key or secret").fill(pair.public_pem)
    expect(page.get_by_role("status")).to_contain_text("Signature verified")
    for summary in page.locator("details > summary").all():
        if summary.is_visible():
            summary.click()
    page.get_by_role("button", name="Forge attack variants").click()
    expect(page.get_by_role("button", name=re.compile(r"embedded in the header"))).to_have_count(1)
    _assert_each_contract_name_is_unique(page)
