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


# ---- JWS and JWE in JSON serialization (RFC 7515 and RFC 7516, section 7.2) ---------------------

JWS_API = jwt.api_jws.PyJWS()


def json_jws(payload: bytes, kids: tuple[str, ...]) -> dict:
    """A JWS in general JSON serialization, one HS256 signature per kid, made with PyJWT."""
    signatures = []
    body = ""
    for kid in kids:
        compact = JWS_API.encode(payload, "s" * 32, algorithm="HS256", headers={"kid": kid})
        protected, body, signature = compact.split(".")
        signatures.append({"protected": protected, "signature": signature})
    return {"payload": body, "signatures": signatures}


GENERAL = json_jws(b'{"sub":"general","exp":1}', ("k1", "k2"))
FLATTENED = {
    "payload": GENERAL["payload"],
    **GENERAL["signatures"][0],
    "header": {"kid": "unprotected"},
}
JWE_JSON = {
    "protected": JWE.split(".")[0],
    "unprotected": {"jku": "https://example/jwks"},
    "encrypted_key": "",
    "iv": JWE.split(".")[2],
    "ciphertext": JWE.split(".")[3],
    "tag": JWE.split(".")[4],
}


def test_a_flattened_jws_in_a_curl_body_is_found_as_written():
    written = json.dumps(FLATTENED)
    text = f"curl https://api.example/x \\\n  -d '{written}'"

    found = extract(text, NOW)["tokens"]

    assert [(e["token"], e["kind"], e["serialization"], e["where"]) for e in found] == [
        (written, "JWS", "flattened", "text (line 2)")
    ]
    assert found[0]["alg"] == "HS256"


def test_a_general_jws_over_several_lines_is_found_in_order_with_compact_tokens():
    written = json.dumps(GENERAL, indent=2)
    text = f"first {A}\nHTTP/1.1 200 OK\n\n{written}\nthen {B}\n"

    found = extract(text, NOW)["tokens"]

    assert [(e["token"], e["serialization"], e["where"]) for e in found] == [
        (A, "compact", "text (line 1)"),
        (written, "general", "text (line 4)"),
        (B, "compact", f"text (line {4 + written.count(chr(10)) + 1})"),
    ]
    assert "expired (exp 1)" in found[1]["verdict"]


def test_a_jwe_in_json_serialization_is_found_as_a_jwe():
    written = json.dumps(JWE_JSON)

    found = extract(f"token: {written}", NOW)["tokens"]

    assert [(e["token"], e["kind"], e["serialization"]) for e in found] == [
        (written, "JWE", "flattened")
    ]
    assert found[0]["verdict"].startswith("encrypted (dir, A128GCM)")


def test_a_pasted_json_serialization_is_itself_the_token():
    written = json.dumps(GENERAL, indent=2)

    found = extract(f"\n{written}\n", NOW)["tokens"]

    assert [(e["token"], e["where"]) for e in found] == [(written, "the JSON text")]


def test_json_serializations_inside_a_json_document_name_their_place():
    document = {
        "request": {"body": FLATTENED},
        "response": {"content": {"text": json.dumps(JWE_JSON)}},
        "again": FLATTENED,
    }

    found = extract(json.dumps(document), NOW)["tokens"]

    assert [(e["token"], e["where"], e["places"]) for e in found] == [
        (json.dumps(FLATTENED), "the object at request.body", 2),
        (json.dumps(JWE_JSON), "text in response.content.text", 1),
    ]


@pytest.mark.parametrize(
    "value",
    (
        {"payload": "eyJ9"},
        {"signature": "abc", "protected": "eyJ9"},
        {"signatures": []},
        {"ciphertext": "abc"},
        {"protected": "eyJ9", "iv": "abc"},
    ),
    ids=["payload-only", "no-payload", "signatures-only", "ciphertext-only", "no-ciphertext"],
)
def test_objects_that_are_not_serializations_are_not_tokens(value):
    assert extract(f"body: {json.dumps(value)}", NOW)["tokens"] == []
    assert extract(json.dumps({"body": value}), NOW)["tokens"] == []


def test_hostile_braces_cost_little_and_what_came_before_is_found():
    written = json.dumps(FLATTENED)
    # Each "{" here would make a JSON parser read on to the end of the text.
    hostile = '{"signature": [' + "1," * 500 + "\n"
    text = f"{written}\n" + hostile * 1000

    started = time.perf_counter()
    found = extract(text, NOW)["tokens"]

    assert time.perf_counter() - started < 3
    assert [e["token"] for e in found] == [written]
