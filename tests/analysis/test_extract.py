"""Tokens found in whatever the user pastes, with where each was found."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from debugger.analysis.extract import MAX_TOKENS, extract

NOW = time.time()
A = jwt.encode({"sub": "a", "exp": int(NOW) + 60}, "s" * 32, algorithm="HS256")
B = jwt.encode({"sub": "b", "exp": int(NOW) - 60}, "s" * 32, algorithm="HS256")
JWE = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXYtaXYtaXYtaXY.Y2lwaGVy.dGFnLXRhZy10YWctdGFn"


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        (
            f"curl -H 'Authorization: Bearer {A}' https://api.example/x",
            [(A, "Authorization header (line 1)")],
        ),
        (f'curl https://x -H "X-Api-Token: {A}"', [(A, "X-Api-Token header (line 1)")]),
        (
            f"GET /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {A}\r\n"
            f"Cookie: t=1; session={B}\r\n",
            [(A, "Authorization header (line 3)"), (B, "cookie session (line 4)")],
        ),
        (f"HTTP/1.1 200 OK\nSet-Cookie: id_token={B}; Path=/", [(B, "cookie id_token (line 2)")]),
        (f"2024-01-01 INFO login token={A} ip=10.0.0.1", [(A, "token (line 1)")]),
        (
            f'API=https://x\nACCESS_TOKEN={A}\nexport REFRESH_TOKEN="{B}"',
            [(A, "variable ACCESS_TOKEN (line 2)"), (B, "variable REFRESH_TOKEN (line 3)")],
        ),
        (
            f"https://app/cb#access_token={A}&token_type=Bearer",
            [(A, "fragment parameter access_token (line 1)")],
        ),
        (f"https://app/cb?code=1&id_token={B}", [(B, "query parameter id_token (line 1)")]),
        (f"My token is {A}.", [(A, "text (line 1)")]),
        (f"X-Id-Token: {JWE}", [(JWE, "X-Id-Token header (line 1)")]),
    ),
    ids=[
        "curl",
        "curl-header",
        "request",
        "response",
        "log",
        "env",
        "fragment",
        "query",
        "sentence",
        "jwe",
    ],
)
def test_tokens_are_found_with_where(text, expected):
    found = extract(text, NOW)["tokens"]
    assert [(entry["token"], entry["where"]) for entry in found] == expected


def test_a_har_file_names_the_header_and_the_entry():
    har = {
        "log": {
            "entries": [
                {
                    "request": {
                        "headers": [{"name": "Authorization", "value": f"Bearer {A}"}],
                        "queryString": [{"name": "id_token", "value": B}],
                    },
                    "response": {"content": {"text": json.dumps({"access_token": A})}},
                }
            ]
        }
    }
    found = extract(json.dumps(har), NOW)["tokens"]
    assert [(entry["token"], entry["where"]) for entry in found] == [
        (A, "Authorization (log.entries[0].request.headers[0])"),
        (B, "id_token (log.entries[0].request.queryString[0])"),
    ]
    assert found[0]["places"] == 2


def test_verdicts_and_kinds():
    found = extract(f"{A}\n{B}\n{JWE}", NOW)["tokens"]
    assert [entry["kind"] for entry in found] == ["JWS", "JWS", "JWE"]
    assert "not expired" in found[0]["verdict"]
    assert "expired" in found[1]["verdict"] and "not" not in found[1]["verdict"]
    assert found[2]["verdict"].startswith("encrypted")


def test_look_alikes_are_not_tokens():
    assert extract("eyJhbGciOi.not-json.x and eyJ.a.b and a.b.c", NOW)["tokens"] == []


def test_the_list_is_bounded():
    many = "\n".join(
        jwt.encode({"n": n}, "s" * 32, algorithm="HS256") for n in range(MAX_TOKENS + 5)
    )
    result = extract(many, NOW)
    assert len(result["tokens"]) == MAX_TOKENS and result["truncated"] is True
