"""Terminal output: hostile text escaped, colour only where wanted, answers rendered readably."""

from __future__ import annotations

import io

import pytest

from debugger.analysis.report import decode_report, verify_report
from debugger.cli.terminal import (
    Style,
    colour_wanted,
    render_decode,
    render_findings,
    render_keygen,
    render_verify,
    safe,
    safe_block,
    severity_rank,
)
from debugger.jose.sign import encode

from ..conftest import SECRET

NOW = 1_800_000_000


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("text", "shown"),
    (
        ("\x1b[2J", "\\x1b[2J"),
        ("bell\x07", "bell\\x07"),
        ("csi\x9b31m", "csi\\x9b31m"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("a\u200bb\u2066c", "a\\u200bb\\u2066c"),
        ("line\nbreak\ttab\rreturn", "line\\x0abreak\\x09tab\\x0dreturn"),
        ("\ud800lone", "\\ud800lone"),
        ("Zoë 🔑 日本", "Zoë 🔑 日本"),
    ),
)
def test_safe_escapes_control_bidi_and_invisible_characters(text, shown):
    assert safe(text) == shown


def test_safe_block_keeps_line_breaks_and_tabs_but_escapes_the_rest():
    assert safe_block('{\n\t"a": "\x1b]0;x\x07"\n}') == '{\n\t"a": "\\x1b]0;x\\x07"\n}'


@pytest.mark.parametrize(
    ("tty", "environ", "wanted"),
    (
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        (True, {"TERM": "dumb"}, False),
    ),
)
def test_colour_only_on_a_terminal_without_no_color(tty, environ, wanted):
    assert colour_wanted(_Stream(tty), environ) is wanted


def test_style_adds_nothing_when_disabled_and_pads_verdicts_after_the_colour():
    assert Style(False)("text", "red") == "text"
    assert Style(True)("text", "red") == "\x1b[31mtext\x1b[0m"
    assert Style(False).verdict(True, "ok", "FAIL", 7) == "ok     "
    assert Style(True).verdict(False, "ok", "FAIL", 7) == "\x1b[1;31mFAIL\x1b[0m   "


def test_severity_rank_orders_most_severe_first():
    ranks = [severity_rank(s) for s in ("critical", "high", "medium", "low", "info", "?")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 6


def test_render_decode_shows_every_part_and_escapes_claims():
    token = encode({"alg": "HS256"}, {"sub": "a\u202eb", "exp": NOW + 60}, SECRET)["token"]
    text = render_decode(decode_report(token, now=NOW), Style(False))
    assert "Header (alg HS256)" in text and '"sub": "a\\u202eb"' in text
    assert "Expires in 1 minute" in text and "\u202e" not in text


def test_render_decode_lists_problems_of_a_broken_token():
    text = render_decode(decode_report("abc.d!f.ghi", now=NOW), Style(False))
    assert "Problems" in text and "bad_base64url" in text


def test_render_verify_starts_with_the_verdict_and_lists_failures():
    token = encode({"alg": "HS256"}, {"exp": NOW - 5}, SECRET)["token"]
    report = verify_report(token, SECRET, now=NOW)
    first, *rest = render_verify(report, Style(False), ["expired"]).splitlines()
    assert first.startswith("Signature  valid")
    assert any(line.startswith("Result     INVALID expired") for line in rest)


def test_render_findings_sorts_by_severity_and_says_when_there_are_none():
    findings = [
        {"id": "b", "severity": "low", "title": "Low", "detail": "d"},
        {"id": "a", "severity": "critical", "title": "Critical", "detail": "d"},
    ]
    lines = render_findings(findings, Style(False))
    assert lines[1].split()[:2] == ["CRITICAL", "a:"]
    assert render_findings([], Style(False)) == ["Findings: none"]


def test_render_keygen_prints_pem_blocks_or_jwk_json():
    pair = {
        "alg": "ES256",
        "kid": "k",
        "private_pem": "-----BEGIN PRIVATE KEY-----\n",
        "public_pem": "-----BEGIN PUBLIC KEY-----\n",
        "private_jwk": {"kty": "EC", "d": "x"},
        "public_jwk": {"kty": "EC"},
    }
    assert "BEGIN PRIVATE KEY" in render_keygen(pair, "pem", Style(False))
    assert '"d": "x"' in render_keygen(pair, "jwk", Style(False))
    secret = {"alg": "HS256", "kid": "k", "secret": "c2VjcmV0", "jwk": {"kty": "oct"}}
    assert render_keygen(secret, "pem", Style(False)).endswith("c2VjcmV0\n")
