"""Explanations: what each claim and header parameter means, and the explain endpoint."""

from __future__ import annotations

import re

import jwt
import pytest

from debugger.jose.pasted import parse
from debugger.teach.glossary import CLAIMS, HEADER, describe, lookup

from ..conftest import SECRET, assert_canonical_error

NOW = 1_800_000_000
REGISTERED = {"iss": "4.1.1", "sub": "4.1.2", "aud": "4.1.3", "exp": "4.1.4", "nbf": "4.1.5"}
REGISTERED |= {"iat": "4.1.6", "jti": "4.1.7"}
HEADER_SECTIONS = {
    "alg": ("7515", "4.1.1"),
    "jku": ("7515", "4.1.2"),
    "jwk": ("7515", "4.1.3"),
    "kid": ("7515", "4.1.4"),
    "x5u": ("7515", "4.1.5"),
    "x5c": ("7515", "4.1.6"),
    "x5t": ("7515", "4.1.7"),
    "typ": ("7515", "4.1.9"),
    "cty": ("7515", "4.1.10"),
    "crit": ("7515", "4.1.11"),
    "b64": ("7797", "3"),
}
OIDC = ("auth_time", "nonce", "acr", "amr", "azp", "at_hash", "name", "email", "email_verified")


@pytest.mark.parametrize(("name", "section"), sorted(REGISTERED.items()))
def test_registered_claims_link_to_their_rfc_7519_section(name, section):
    entry = lookup(name)
    assert entry is not None and entry["description"]
    assert entry["url"] == f"https://www.rfc-editor.org/rfc/rfc7519#section-{section}"
    assert entry["source"] == f"RFC 7519 section {section}"


@pytest.mark.parametrize(("name", "where"), sorted(HEADER_SECTIONS.items()))
def test_header_parameters_link_to_their_rfc_section(name, where):
    entry = lookup(name, "header")
    assert entry is not None and entry["description"]
    assert entry["url"] == f"https://www.rfc-editor.org/rfc/rfc{where[0]}#section-{where[1]}"


@pytest.mark.parametrize("name", OIDC)
def test_common_openid_connect_claims_are_described(name):
    entry = lookup(name)
    assert entry is not None and entry["description"]
    assert entry["url"].startswith("https://openid.net/specs/openid-connect-core-1_0.html#")


def test_every_entry_has_a_title_a_sentence_and_a_secure_link():
    for entry in (*CLAIMS.values(), *HEADER.values()):
        assert entry.title and entry.description.endswith(".")
        assert re.fullmatch(r"https://[a-z.-]+/\S+#\S+", entry.url), entry.url


def test_describe_lists_rows_in_token_order_with_times_in_words():
    claims = {"zeta": 1, "sub": "a", "exp": NOW + 180, "iat": NOW - 3600, "auth_time": NOW - 60}
    token = jwt.encode(claims, SECRET, headers={"kid": "k1"})
    rows = describe(parse(token), now=NOW)
    assert [row["name"] for row in rows["header"]] == ["alg", "kid", "typ"]
    assert [row["name"] for row in rows["payload"]] == list(claims)
    by_name = {row["name"]: row for row in rows["payload"]}
    assert by_name["zeta"]["known"] is False and by_name["zeta"]["title"] == "Private claim"
    assert by_name["sub"]["known"] is True and "time" not in by_name["sub"]
    assert by_name["exp"]["time"] == {
        "value": NOW + 180,
        "utc": "2027-01-15 08:03:00 UTC",
        "relative": "in 3 minutes",
        "milliseconds": False,
    }
    assert by_name["iat"]["time"]["relative"] == "1 hour ago"
    assert by_name["auth_time"]["time"]["relative"] == "1 minute ago"


def test_describe_flags_milliseconds_and_ignores_non_numbers():
    token = jwt.encode({"exp": NOW * 1000, "nbf": "tomorrow"}, SECRET)
    rows = {row["name"]: row for row in describe(parse(token), now=NOW)["payload"]}
    assert rows["exp"]["time"]["milliseconds"] is True
    assert rows["nbf"]["time"] is None


def test_a_broken_token_has_no_rows():
    assert describe(parse("not a token"), now=NOW) == {"header": [], "payload": []}


def test_decode_and_verify_answers_carry_explanations_hints_and_claims(client):
    token = jwt.encode({"sub": "a", "aud": "api://orders"}, SECRET)
    for path, extra in (("/api/decode", {}), ("/api/verify", {"key": SECRET})):
        body = {"token": token, "audience": ["api://billing"], "required_claims": ["jti"], **extra}
        answer = client.post(path, json=body).get_json()
        assert [row["name"] for row in answer["explain"]["payload"]] == ["sub", "aud"]
        assert answer["hints"] == []
        assert [(c["claim"], c["code"]) for c in answer["claims"]] == [
            ("aud", "aud_mismatch"),
            ("jti", "missing_claim"),
        ]


def test_verify_checks_issuer_and_subject_beside_leeway(client):
    token = jwt.encode({"iss": "https://issuer.example/", "sub": "alice", "exp": NOW - 30}, SECRET)
    body = {
        "token": token,
        "key": SECRET,
        "issuer": "https://issuer.example/",
        "subject": "bob",
        "leeway": 60,
        "now": NOW,
    }
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["signature_valid"] is True and answer["time"]["status"] == "valid"
    assert [(c["claim"], c["ok"], c["code"]) for c in answer["claims"]] == [
        ("iss", True, None),
        ("sub", False, "sub_mismatch"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    (
        ("audience", 42),
        ("audience", ["ok", 1]),
        ("issuer", ["a"]),
        ("subject", 7),
        ("required_claims", "exp"),
        ("required_claims", [None]),
    ),
)
def test_claim_check_fields_of_the_wrong_type_are_refused(client, field, value):
    for path in ("/api/verify", "/api/explain"):
        response = client.post(path, json={"token": "a.b.c", "key": SECRET, field: value})
        assert assert_canonical_error(response, 400, "invalid_request")["field"] == field


def test_explain_endpoint_returns_the_walkthrough_and_the_code(client):
    token = jwt.encode({"sub": "a"}, SECRET)
    answer = client.post("/api/explain", json={"token": token, "key": SECRET}).get_json()
    assert answer["walkthrough"]["available"] is True
    assert answer["walkthrough"]["comparison"]["equal"] is True
    assert answer["code"]["algorithms"] == ["HS256"]
    assert {"python", "flask", "curl", "mistakes"} <= set(answer["code"])


def test_explain_puts_a_detached_payload_given_apart_into_the_code(client):
    token = jwt.api_jws.encode(b"detached content", SECRET, is_payload_detached=True)
    body = {"token": token, "key": SECRET, "detached_payload": "detached content"}
    answer = client.post("/api/explain", json=body).get_json()
    assert answer["walkthrough"]["valid"] is True
    assert "content = b'detached content'" in answer["code"]["python"]
    assert "detached_payload=content" in answer["code"]["python"]


def test_explain_without_a_key_still_gives_code_and_says_why_there_is_no_walkthrough(client):
    token = jwt.encode({"sub": "a"}, SECRET * 2, algorithm="HS384")
    answer = client.post("/api/explain", json={"token": token}).get_json()
    assert answer["walkthrough"]["available"] is False and answer["walkthrough"]["message"]
    assert answer["code"]["algorithms"] == ["HS384"]


def test_explain_reports_a_key_it_cannot_read(client):
    response = client.post(
        "/api/explain", json={"token": "a.b.c", "key": "zz", "secret_encoding": "hex"}
    )
    assert_canonical_error(response, 400, "bad_key")


def test_hostile_claim_names_and_values_are_returned_as_data(client):
    token = jwt.encode({"<img src=x onerror=alert(1)>": "</td><script>x</script>"}, SECRET)
    answer = client.post("/api/decode", json={"token": token}).get_json()
    row = answer["explain"]["payload"][0]
    assert row["name"] == "<img src=x onerror=alert(1)>" and row["known"] is False
