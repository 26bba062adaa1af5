"""Verdicts that other software disagrees with unless they are exactly right."""

from __future__ import annotations

import pytest

from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature
from debugger.teach.walkthrough import walkthrough

from .interop import (
    CLAIMS,
    ecdsa_der,
    pss_max_salt,
    rs256,
    rsa_leading_zero_dropped,
    segment,
    signed,
)


def verdict(token: str, key: str, **options):
    return check_signature(parse(token), read_key(key), **options)


@pytest.mark.parametrize("alg", ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"))
def test_an_empty_payload_part_is_an_empty_payload_and_verifies(keypairs, alg):
    token = signed(keypairs["RSA"].private, alg, "")
    assert token.split(".")[1] == ""
    result = verdict(token, keypairs["RSA"].public_pem)
    assert result.valid, result.reason_message


def test_an_empty_payload_that_does_not_verify_asks_for_detached_content(keypairs):
    token = rs256(keypairs["RSA"].private, {"alg": "RS256"}, "c2lnbmVkIGNvbnRlbnQ")
    header, _, signature = token.split(".")
    result = verdict(f"{header}..{signature}", keypairs["RSA"].public_pem)
    assert result.reason_code == "detached_payload_required"
    assert verdict(
        f"{header}..{signature}", keypairs["RSA"].public_pem, detached_payload="signed content"
    ).valid


def test_b64_false_without_crit_does_not_verify(keypairs):
    token = rs256(keypairs["RSA"].private, {"alg": "RS256", "b64": False}, "hello")
    result = verdict(token, keypairs["RSA"].public_pem)
    assert (result.valid, result.reason_code) == (False, "b64_not_critical")
    listed = rs256(
        keypairs["RSA"].private, {"alg": "RS256", "b64": False, "crit": ["b64"]}, "hello"
    )
    assert verdict(listed, keypairs["RSA"].public_pem).valid


@pytest.mark.parametrize("kid", (123, ["a"], {"k": 1}, None, True))
def test_a_kid_that_is_not_a_string_does_not_verify(keypairs, kid):
    token = rs256(keypairs["RSA"].private, {"alg": "RS256", "kid": kid}, segment(CLAIMS))
    result = verdict(token, keypairs["RSA"].public_pem)
    assert (result.valid, result.reason_code) == (False, "kid_not_string")


def test_pss_with_the_maximum_salt_is_reported_as_such(keypairs):
    token = pss_max_salt(keypairs["RSA"].private)
    result = verdict(token, keypairs["RSA"].public_pem)
    assert (result.valid, result.reason_code) == (False, "pss_salt_length")
    assert "222-byte salt" in (result.reason_message or "")
    steps = walkthrough(parse(token), result)
    assert steps["available"] and not steps["valid"]
    assert steps["recovered"]["padding_ok"] is False
    assert steps["comparison"]["equal"] is False


def test_rsa_signature_one_byte_short_says_so(keypairs):
    token = rsa_leading_zero_dropped(keypairs["RSA"].private)
    result = verdict(token, keypairs["RSA"].public_pem)
    assert (result.valid, result.reason_code) == (False, "signature_length")
    assert "255 bytes" in (result.reason_message or "")
    assert "leading zero" in (result.reason_message or "")


def test_ecdsa_der_signature_says_so(keypairs):
    token = ecdsa_der(keypairs["P-256"].private)
    result = verdict(token, keypairs["P-256"].public_pem)
    assert (result.valid, result.reason_code) == (False, "ecdsa_der_signature")
    assert "verifies once converted" in (result.reason_message or "")


def test_a_plain_mismatch_stays_a_mismatch(keypairs):
    token = signed(keypairs["RSA"].private, "PS256", segment(CLAIMS))
    other = signed(keypairs["RSA"].private, "PS256", segment({"sub": "x"}))
    forged = ".".join(token.split(".")[:2] + other.split(".")[2:])
    assert verdict(forged, keypairs["RSA"].public_pem).reason_code == "signature_mismatch"
