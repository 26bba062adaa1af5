"""The attack scan against real APIs on 127.0.0.1: it names exactly the flaws each one has."""

from __future__ import annotations

import time

import jwt
import pytest

from debugger.analysis import scan
from debugger.net import probe

from ..target_apis import (
    accepts_alg_none,
    correct,
    make_api,
    no_verification,
    public_key_as_hmac_secret,
    serve,
)

EVERY_ATTACK = {
    "corrupted-signature",
    "alg-none",
    "alg-None",
    "alg-NONE",
    "alg-nOnE",
    "null-signature",
    "empty-secret",
    "key-confusion",
    "embedded-jwk",
    "jku-attacker",
    "psychic-signature",
    "kid-traversal",
}


@pytest.fixture(scope="module")
def rsa_keys(keypairs):
    return keypairs["RSA"]


def genuine(private_pem: str) -> str:
    claims = {"sub": "alice", "scope": "read", "exp": int(time.time()) + 3600}
    return jwt.encode(claims, private_pem, algorithm="RS256")


def run_scan(check, keys, key=None):
    now = time.time()
    with serve(make_api(check, keys.public_pem)) as base:
        spec = probe.ProbeSpec(url=f"{base}/resource")
        send = probe.sender(spec, probe.probe_limits(None, True), now)
        return scan.scan(
            genuine(keys.private_pem),
            send,
            key=key or keys.public_pem,
            jku_url=None,
            now=now,
        )


@pytest.mark.parametrize(
    ("check", "accepted"),
    (
        (correct, set()),
        (accepts_alg_none, {"alg-none", "alg-None", "alg-NONE", "alg-nOnE"}),
        (public_key_as_hmac_secret, {"key-confusion"}),
        (no_verification, EVERY_ATTACK),
    ),
    ids=["correct", "alg-none", "key-confusion", "no-verification"],
)
def test_the_scan_reports_exactly_the_variants_each_api_accepts(rsa_keys, check, accepted):
    report = run_scan(check, rsa_keys)
    assert report["baseline"]["status"] == 200
    assert report["judged"] is True
    assert {r["attack"] for r in report["results"]} == EVERY_ATTACK
    assert {r["attack"] for r in report["results"] if r["accepted"]} == accepted
    assert report["vulnerable"] is bool(accepted)
    assert report["signature_checked"] is ("corrupted-signature" not in accepted)


def test_an_api_that_checks_no_signature_is_named_first(rsa_keys):
    report = run_scan(no_verification, rsa_keys)
    assert "does not verify signatures at all" in report["summary"][0]
    assert "| corrupted-signature | 200 | **yes** |" in report["markdown"]


def test_the_expired_copy_is_sent_when_the_signing_key_is_given(rsa_keys):
    refused = run_scan(correct, rsa_keys, key=rsa_keys.private_pem)
    taken = run_scan(no_verification, rsa_keys, key=rsa_keys.private_pem)
    expired = [r for r in refused["results"] if r["attack"] == scan.EXPIRED_RESIGNED]
    assert expired and expired[0]["status"] == 401 and not expired[0]["accepted"]
    assert any(r["attack"] == scan.EXPIRED_RESIGNED and r["accepted"] for r in taken["results"])


def test_the_expired_copy_is_skipped_with_a_public_key(rsa_keys):
    report = run_scan(correct, rsa_keys)
    assert scan.EXPIRED_RESIGNED in {entry["id"] for entry in report["skipped"]}


def test_a_refused_genuine_token_judges_nothing(rsa_keys):
    now = time.time()
    with serve(make_api(correct, rsa_keys.public_pem)) as base:
        spec = probe.ProbeSpec(url=f"{base}/resource")
        expired = jwt.encode({"exp": int(now) - 10}, rsa_keys.private_pem, algorithm="RS256")
        send = probe.sender(spec, probe.probe_limits(None, True), now)
        report = scan.scan(expired, send, key=None, jku_url=None, now=now)
    assert report["judged"] is False
    assert not any(r["accepted"] for r in report["results"])
    assert "needs a token the API accepts" in report["summary"][0]


def test_one_attack_at_a_time_does_not_send_the_genuine_token_again(rsa_keys):
    sent: list[str] = []

    def send(token: str) -> scan.Exchange:
        sent.append(token)
        return {"status": 200, "elapsed_ms": 1.0}

    token = genuine(rsa_keys.private_pem)
    report = scan.scan(
        token, send, key=None, jku_url=None, now=time.time(), only=["alg-none"], baseline_status=200
    )
    assert len(sent) == 1 and token not in sent
    assert [r["attack"] for r in report["results"]] == ["alg-none"]


def test_the_jku_variant_names_the_users_url(rsa_keys):
    attempts, _ = scan.plan(
        genuine(rsa_keys.private_pem), None, jku_url="http://127.0.0.1:9/keys", now=time.time()
    )
    jku = next(a for a in attempts if a.attack == "jku-attacker")
    assert jwt.get_unverified_header(jku.token)["jku"] == "http://127.0.0.1:9/keys"


def test_the_scan_stops_at_its_deadline(monkeypatch, rsa_keys):
    calls: list[str] = []

    def send(token: str) -> scan.Exchange:
        calls.append(token)
        return {"status": 200, "elapsed_ms": 1.0}

    attempts, _ = scan.plan(genuine(rsa_keys.private_pem), None, jku_url=None, now=time.time())
    report = scan.run(attempts, send, token="t", deadline=time.monotonic() - 1)
    assert calls == ["t"]
    assert all(r["status"] is None and "Not sent" in r["reason"] for r in report["results"])
