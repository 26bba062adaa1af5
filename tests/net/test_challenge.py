"""WWW-Authenticate challenges read (RFC 9110 section 11.6.1) and explained (RFC 6750, 9449)."""

from __future__ import annotations

import base64
import json

import pytest

from debugger.codes import (
    DPOP_NONCE_REQUIRED,
    FORBIDDEN,
    NO_CHALLENGE,
    REDIRECTED,
    REQUEST_MALFORMED,
    SCHEME_MISMATCH,
    SCOPE_MISSING,
    TOKEN_ACCEPTED,
    TOKEN_EXPIRED,
    TOKEN_NOT_SEEN,
    TOKEN_NOT_YET_VALID,
    TOKEN_REJECTED,
)
from debugger.net.challenge import explain, parse_challenges

NOW = 1_700_000_000


def unsigned(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.c2ln"


@pytest.mark.parametrize(
    ("values", "expected"),
    (
        (
            ['Bearer realm="example", error="invalid_token", error_description="expired"'],
            [
                {
                    "scheme": "Bearer",
                    "params": {
                        "realm": "example",
                        "error": "invalid_token",
                        "error_description": "expired",
                    },
                }
            ],
        ),
        (
            ['Bearer error="insufficient_scope", scope="read write"'],
            [
                {
                    "scheme": "Bearer",
                    "params": {"error": "insufficient_scope", "scope": "read write"},
                }
            ],
        ),
        (
            ['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'],
            [
                {
                    "scheme": "Newauth",
                    "params": {"realm": "apps", "type": "1", "title": 'Login to "apps"'},
                },
                {"scheme": "Basic", "params": {"realm": "simple"}},
            ],
        ),
        (
            ["Basic YWxhZGRpbjpvcGVuc2VzYW1l==, Bearer"],
            [
                {"scheme": "Basic", "params": {}, "token68": "YWxhZGRpbjpvcGVuc2VzYW1l=="},
                {"scheme": "Bearer", "params": {}},
            ],
        ),
        (
            ['Bearer realm="a"', 'DPoP algs="ES256 PS256", error="use_dpop_nonce"'],
            [
                {"scheme": "Bearer", "params": {"realm": "a"}},
                {"scheme": "DPoP", "params": {"algs": "ES256 PS256", "error": "use_dpop_nonce"}},
            ],
        ),
        (
            ["BEARER ERROR=invalid_request"],
            [{"scheme": "BEARER", "params": {"error": "invalid_request"}}],
        ),
        (["Negotiate"], [{"scheme": "Negotiate", "params": {}}]),
        (["", ", ,"], []),
        (
            ['Bearer error="unterminated'],
            [{"scheme": "Bearer", "params": {"error": "unterminated"}}],
        ),
    ),
)
def test_challenges_are_read_with_their_parameters(values, expected):
    assert parse_challenges(values) == expected


def test_a_flood_of_challenges_is_cut_short():
    assert len(parse_challenges(["Basic, " * 5000])) == 20


def codes_for(status, header, claims, scheme="Bearer"):
    token = unsigned(claims) if claims is not None else None
    found = explain(status, parse_challenges([header] if header else []), token, scheme, NOW)
    return [entry["code"] for entry in found], found


@pytest.mark.parametrize(
    ("status", "header", "claims", "code"),
    (
        (200, None, {}, TOKEN_ACCEPTED),
        (302, None, {}, REDIRECTED),
        (401, 'Bearer error="invalid_token"', {"exp": NOW - 90}, TOKEN_EXPIRED),
        (401, 'Bearer error="invalid_token"', {"nbf": NOW + 600}, TOKEN_NOT_YET_VALID),
        (401, 'Bearer error="invalid_token"', {"exp": NOW + 600, "iss": "x"}, TOKEN_REJECTED),
        (403, 'Bearer error="insufficient_scope", scope="write"', {"scope": "read"}, SCOPE_MISSING),
        (400, 'Bearer error="invalid_request"', {}, REQUEST_MALFORMED),
        (401, 'Bearer realm="api"', {}, TOKEN_NOT_SEEN),
        (401, 'Basic realm="api"', {}, SCHEME_MISMATCH),
        (401, 'DPoP error="use_dpop_nonce"', {}, DPOP_NONCE_REQUIRED),
        (401, None, {"exp": NOW + 600}, NO_CHALLENGE),
        (403, None, {}, FORBIDDEN),
    ),
)
def test_each_answer_is_explained(status, header, claims, code):
    scheme = "DPoP" if header and header.startswith("DPoP") else "Bearer"
    codes, _ = codes_for(status, header, claims, scheme)
    assert codes[0] == code


def test_an_expired_token_points_at_exp():
    _, found = codes_for(401, 'Bearer error="invalid_token"', {"exp": NOW - 7200})
    assert found[0]["claim"] == "exp"
    assert "2 hours" in found[0]["message"]


def test_insufficient_scope_lists_the_scopes_held_and_missing():
    _, found = codes_for(
        403, 'Bearer error="insufficient_scope", scope="read write admin"', {"scp": ["read"]}
    )
    assert found[0]["code"] == SCOPE_MISSING
    message = found[0]["message"]
    assert "The token has: read." in message
    assert "Missing: write admin." in message


def test_a_401_without_challenge_still_points_at_an_expired_token():
    codes, _ = codes_for(401, None, {"exp": NOW - 5})
    assert codes == [NO_CHALLENGE, TOKEN_EXPIRED]


def test_a_challenge_without_error_is_no_news_when_no_token_was_sent():
    found = explain(401, parse_challenges(['Bearer realm="api"']), None, None, NOW)
    assert found == []
