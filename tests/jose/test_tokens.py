"""tokens.parse: clean a pasted token, split it, and decode every part that can be decoded."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from debugger.jose.jsontext import compact
from debugger.jose.pasted import parse
from tests.conftest import SECRET


def b64url(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


HEADER_TEXT = '{"alg":"HS256","typ":"JWT"}'
PAYLOAD_TEXT = '{"sub":"1234567890","name":"Ada","iat":1516239022}'
HEADER = b64url(HEADER_TEXT)
PAYLOAD = b64url(PAYLOAD_TEXT)
# 0xfb 0xff encode to "-__7": the signature uses both base64url-only characters.
SIGNATURE_BYTES = b"\xfb\xff" * 16
SIGNATURE = b64url(SIGNATURE_BYTES)
TOKEN = f"{HEADER}.{PAYLOAD}.{SIGNATURE}"


def codes(parsed) -> list[str]:
    return [problem.code for problem in parsed.problems]


def problem(parsed, code: str):
    found = [p for p in parsed.problems if p.code == code]
    assert len(found) == 1, parsed.problems
    return found[0]


def test_parse_decodes_a_token_made_by_pyjwt():
    claims = {"sub": "42", "admin": True, "roles": ["a", "b"]}
    token = jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "k1"})
    parsed = parse(token)
    assert parsed.problems == ()
    assert parsed.notes == ()
    assert parsed.header == {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    assert parsed.payload == claims
    assert parsed.token == token
    assert parsed.segments == tuple(token.split("."))
    assert len(parsed.signature) == 32
    assert parsed.is_compact_jws
    assert parsed.signing_input() == token.rsplit(".", 1)[0].encode()


def test_parse_decodes_every_part_of_a_clean_token():
    parsed = parse(TOKEN)
    assert parsed.problems == ()
    assert parsed.header == json.loads(HEADER_TEXT)
    assert parsed.payload == json.loads(PAYLOAD_TEXT)
    assert parsed.payload_bytes == PAYLOAD_TEXT.encode()
    assert parsed.signature == SIGNATURE_BYTES
    assert parsed.error() is None


@pytest.mark.parametrize(
    ("pasted", "note_codes"),
    (
        (f"Bearer {TOKEN}", ["bearer_prefix_removed"]),
        (f"bearer   {TOKEN}", ["bearer_prefix_removed"]),
        (f"Authorization: Bearer {TOKEN}", ["bearer_prefix_removed"]),
        (f"authorization:bearer {TOKEN}", ["bearer_prefix_removed"]),
        (f'"{TOKEN}"', ["quotes_removed"]),
        (f"'{TOKEN}'", ["quotes_removed"]),
        (f"`{TOKEN}`", ["quotes_removed"]),
        (f'Bearer "{TOKEN}"', ["bearer_prefix_removed", "quotes_removed"]),
        (f"{HEADER}.{PAYLOAD[:10]}\n{PAYLOAD[10:]}.{SIGNATURE}", ["token_whitespace_removed"]),
        (f"{HEADER}.\n{PAYLOAD}.\r\n{SIGNATURE}", ["token_whitespace_removed"]),
        (
            f"{HEADER[:5]} {HEADER[5:]}.{PAYLOAD}.{SIGNATURE[:4]}\t{SIGNATURE[4:]}",
            ["token_whitespace_removed"],
        ),
        (f"  \n{TOKEN}\n  ", []),
    ),
)
def test_parse_cleans_pasted_text_and_notes_what_it_changed(pasted, note_codes):
    parsed = parse(pasted)
    assert [note.code for note in parsed.notes] == note_codes
    assert all(note.message for note in parsed.notes)
    assert parsed.token == TOKEN
    assert parsed.problems == ()
    assert parsed.header == json.loads(HEADER_TEXT)
    assert parsed.payload == json.loads(PAYLOAD_TEXT)


@pytest.mark.parametrize("pasted", (f'"{TOKEN}', f"{TOKEN}'", f"\"{TOKEN}'"))
def test_parse_keeps_quotes_that_do_not_match(pasted):
    parsed = parse(pasted)
    assert "quotes_removed" not in [note.code for note in parsed.notes]
    assert parsed.token == pasted
    positions = [p.position for p in parsed.problems if p.code == "bad_base64url"]
    assert positions
    assert all(parsed.token[position] in "\"'" for position in positions)


def test_parse_keeps_spaces_in_an_unencoded_b64_false_payload():
    header = b64url('{"alg":"HS256","b64":false,"crit":["b64"]}')
    payload = "costs $2  and two spaces"
    parsed = parse(f"{header}.{payload}.{SIGNATURE}")
    assert parsed.unencoded_payload
    assert parsed.segments[1] == payload
    assert parsed.payload_bytes == payload.encode()
    assert parsed.payload_text == payload
    assert "token_whitespace_removed" not in [note.code for note in parsed.notes]
    assert parsed.signing_input() == f"{header}.{payload}".encode()
    assert parsed.signature == SIGNATURE_BYTES


def test_parse_still_removes_line_breaks_outside_an_unencoded_payload():
    header = b64url('{"alg":"HS256","b64":false,"crit":["b64"]}')
    parsed = parse(f"{header[:8]}\n{header[8:]}.a b.{SIGNATURE}")
    assert parsed.segments == (header, "a b", SIGNATURE)
    assert [note.code for note in parsed.notes] == ["token_whitespace_removed"]


@pytest.mark.parametrize(
    ("pasted", "part", "bad"),
    (
        (f"{HEADER[:7]}*{HEADER[8:]}.{PAYLOAD}.{SIGNATURE}", "header", "*"),
        (f"{HEADER}.{PAYLOAD[:5]}!{PAYLOAD[6:]}.{SIGNATURE}", "payload", "!"),
        (f"{HEADER}.{PAYLOAD}.{SIGNATURE[:3]}%{SIGNATURE[4:]}", "signature", "%"),
        (f"{HEADER}.{PAYLOAD}.{SIGNATURE}\u00e9", "signature", "\u00e9"),
        (f"Bearer {HEADER}.{PAYLOAD}.{SIGNATURE[:9]}~{SIGNATURE[10:]}", "signature", "~"),
        (f"{HEADER[:6]}\n{HEADER[6:]}.{PAYLOAD}.{SIGNATURE[:2]}#{SIGNATURE[3:]}", "signature", "#"),
    ),
)
def test_parse_reports_position_of_bad_base64url_character(pasted, part, bad):
    parsed = parse(pasted)
    found = problem(parsed, "bad_base64url")
    assert found.part == part
    assert found.severity == "error"
    assert parsed.token[found.position] == bad
    assert found.to_dict()["position"] == found.position


def test_parse_reports_position_of_bad_character_after_an_unencoded_payload():
    header = b64url('{"alg":"HS256","b64":false,"crit":["b64"]}')
    parsed = parse(f"{header}.some text.{SIGNATURE[:3]}*{SIGNATURE[4:]}")
    found = problem(parsed, "bad_base64url")
    assert found.part == "signature"
    assert parsed.token[found.position] == "*"


def test_parse_decodes_the_other_parts_when_one_has_a_bad_character():
    parsed = parse(f"{HEADER}.{PAYLOAD[:5]}!{PAYLOAD[6:]}.{SIGNATURE}")
    assert parsed.header == json.loads(HEADER_TEXT)
    assert parsed.payload is None
    assert parsed.signature == SIGNATURE_BYTES
    assert codes(parsed) == ["bad_base64url"]
    assert not parsed.is_compact_jws


def test_parse_rejects_a_part_whose_length_no_base64url_text_has():
    parsed = parse(f"{HEADER}.{PAYLOAD}.A")
    found = problem(parsed, "bad_base64url")
    assert found.part == "signature"
    assert parsed.signature is None
    assert parsed.payload == json.loads(PAYLOAD_TEXT)


@pytest.mark.parametrize(
    ("pasted", "part"),
    (
        (f"{b64url(b'{}')}==.{PAYLOAD}.{SIGNATURE}", "header"),
        (f"{HEADER}.{PAYLOAD}=.{SIGNATURE}", "payload"),
        (f"{HEADER}.{PAYLOAD}.{SIGNATURE}=", "signature"),
    ),
)
def test_parse_warns_about_base64_padding_and_still_decodes(pasted, part):
    parsed = parse(pasted)
    found = problem(parsed, "base64_padding")
    assert (found.part, found.severity) == (part, "warning")
    assert parsed.error() is None
    assert parsed.payload is not None
    assert parsed.signature is not None


def test_parse_warns_about_standard_base64_and_reads_it_anyway():
    standard = base64.b64encode(SIGNATURE_BYTES).rstrip(b"=").decode()
    assert "+" in standard and "/" in standard
    parsed = parse(f"{HEADER}.{PAYLOAD}.{standard}")
    found = problem(parsed, "base64_not_url")
    assert (found.part, found.severity) == ("signature", "warning")
    assert parsed.token[found.position] in "+/"
    assert parsed.signature == SIGNATURE_BYTES


@pytest.mark.parametrize("signature", ("AB", "ABC", "AAAAAB"))
def test_parse_warns_about_trailing_bits_in_the_last_character(signature):
    parsed = parse(f"{HEADER}.{PAYLOAD}.{signature}")
    found = problem(parsed, "base64_trailing_bits")
    assert (found.part, found.severity) == ("signature", "warning")
    assert parsed.signature is not None


@pytest.mark.parametrize("signature", ("AA", "AAE", "AAAAAA"))
def test_parse_accepts_canonical_short_signatures_without_warning(signature):
    assert parse(f"{HEADER}.{PAYLOAD}.{signature}").problems == ()


def test_parse_reports_header_bytes_that_are_not_utf8():
    header = b64url(b'{"alg":"\xff"}')
    parsed = parse(f"{header}.{PAYLOAD}.{SIGNATURE}")
    found = problem(parsed, "not_utf8")
    assert (found.part, found.severity) == ("header", "error")
    assert parsed.header is None
    assert parsed.payload == json.loads(PAYLOAD_TEXT)
    assert parsed.signature == SIGNATURE_BYTES


def test_parse_reports_a_binary_payload_as_a_warning_and_keeps_its_bytes():
    payload = b64url(b"\xff\xfe\x00")
    parsed = parse(f"{HEADER}.{payload}.{SIGNATURE}")
    found = problem(parsed, "binary_payload")
    assert (found.part, found.severity) == ("payload", "warning")
    assert parsed.payload_bytes == b"\xff\xfe\x00"
    assert parsed.payload is None


def test_parse_reports_a_header_that_is_not_json_as_an_error():
    parsed = parse(f"{b64url('{alg: HS256}')}.{PAYLOAD}.{SIGNATURE}")
    found = problem(parsed, "not_json")
    assert (found.part, found.severity) == ("header", "error")
    assert parsed.header is None
    assert parsed.header_text == "{alg: HS256}"
    assert parsed.payload == json.loads(PAYLOAD_TEXT)
    assert parsed.signature == SIGNATURE_BYTES
    assert parsed.error() == found


def test_parse_shows_a_payload_that_is_not_json_as_text_with_a_warning():
    parsed = parse(f"{HEADER}.{b64url('hello, world')}.{SIGNATURE}")
    found = problem(parsed, "not_json")
    assert (found.part, found.severity) == ("payload", "warning")
    assert parsed.payload == "hello, world"
    assert parsed.payload_text == "hello, world"
    assert parsed.header == json.loads(HEADER_TEXT)
    assert parsed.error() is None
    assert parsed.is_compact_jws


@pytest.mark.parametrize("header_text", ("[1, 2]", '"HS256"', "42", "true"))
def test_parse_reports_a_header_that_is_json_but_not_an_object(header_text):
    parsed = parse(f"{b64url(header_text)}.{PAYLOAD}.{SIGNATURE}")
    found = problem(parsed, "not_object")
    assert (found.part, found.severity) == ("header", "error")
    assert parsed.header is None
    assert parsed.payload == json.loads(PAYLOAD_TEXT)


@pytest.mark.parametrize("payload_text", ("[1,2.0]", '"a string"', "12345678901234567890"))
def test_parse_warns_about_a_payload_that_is_json_but_not_an_object(payload_text):
    parsed = parse(f"{HEADER}.{b64url(payload_text)}.{SIGNATURE}")
    found = problem(parsed, "not_object")
    assert (found.part, found.severity) == ("payload", "warning")
    assert parsed.payload == payload_text
    assert compact(parsed.payload_text) == payload_text


def test_parse_warns_when_the_header_has_no_alg():
    header = b64url('{"typ":"JWT"}')
    parsed = parse(f"{header}.{PAYLOAD}.{SIGNATURE}")
    found = problem(parsed, "missing_alg")
    assert found.severity == "warning"
    assert parsed.header == {"typ": "JWT"}


@pytest.mark.parametrize(
    ("pasted", "count"),
    (
        (HEADER, 1),
        (f"{HEADER}.{PAYLOAD}", 2),
        (f"{HEADER}.{PAYLOAD}.{SIGNATURE}.{SIGNATURE}", 4),
    ),
)
def test_parse_reports_wrong_part_count_and_decodes_what_is_there(pasted, count):
    parsed = parse(pasted)
    found = problem(parsed, "wrong_part_count")
    assert (found.part, found.severity) == ("token", "error")
    assert len(parsed.segments) == count
    assert parsed.header == json.loads(HEADER_TEXT)
    if count > 1:
        assert parsed.payload == json.loads(PAYLOAD_TEXT)
    assert parsed.signature is None
    assert not parsed.is_compact_jws
    assert parsed.to_dict()["signature"] == ""


def test_parse_recognises_an_encrypted_token_and_still_decodes_its_header():
    header = {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "enc-1"}
    pasted = ".".join([b64url(json.dumps(header)), "ZW5j", "aXY", "Y2lwaGVy", "dGFn"])
    parsed = parse(pasted)
    found = problem(parsed, "jwe_token")
    assert (found.part, found.severity) == ("token", "error")
    assert "wrong_part_count" not in codes(parsed)
    assert parsed.header == header
    assert parsed.payload is None
    assert parsed.signature is None
    assert parsed.to_dict()["alg"] == "RSA-OAEP"


@pytest.mark.parametrize("pasted", ("", "   ", "\n\t", '""', "''", "Bearer ''"))
def test_parse_reports_an_empty_token(pasted):
    parsed = parse(pasted)
    assert codes(parsed) == ["empty_token"]
    assert parsed.token == ""
    assert parsed.header is None and parsed.payload is None and parsed.signature is None
    data = parsed.to_dict()
    assert data["parts"] == [
        {"name": "header", "encoded": ""},
        {"name": "payload", "encoded": ""},
        {"name": "signature", "encoded": ""},
    ]


def test_parse_warns_about_a_detached_payload_and_keeps_the_signature():
    parsed = parse(f"{HEADER}..{SIGNATURE}")
    found = problem(parsed, "detached_payload")
    assert (found.part, found.severity) == ("payload", "warning")
    assert parsed.payload is None
    assert parsed.header == json.loads(HEADER_TEXT)
    assert parsed.signature == SIGNATURE_BYTES
    assert parsed.signing_input(PAYLOAD) == f"{HEADER}.{PAYLOAD}".encode()


def test_parse_reports_an_empty_header_part():
    parsed = parse(f".{PAYLOAD}.{SIGNATURE}")
    assert problem(parsed, "empty_part").part == "header"
    assert parsed.payload == json.loads(PAYLOAD_TEXT)


def test_parse_reports_several_broken_parts_at_once():
    parsed = parse(f"{b64url('nope')}.{b64url('[1]')}.{SIGNATURE}=")
    assert [(p.part, p.code) for p in parsed.problems] == [
        ("header", "not_json"),
        ("payload", "not_object"),
        ("signature", "base64_padding"),
    ]
    assert parsed.signature == SIGNATURE_BYTES


def test_to_dict_has_the_documented_shape():
    data = parse(f"Bearer {TOKEN}=").to_dict()
    assert list(data) == [
        "token",
        "header",
        "payload",
        "signature",
        "header_text",
        "payload_text",
        "signature_bytes",
        "parts",
        "alg",
        "notes",
        "problems",
        "kind",
        "serialization",
    ]
    assert data["token"] == TOKEN + "="
    assert data["header"] == json.loads(HEADER_TEXT)
    assert data["payload"] == json.loads(PAYLOAD_TEXT)
    assert data["signature"] == SIGNATURE + "="
    assert json.loads(data["header_text"]) == json.loads(HEADER_TEXT)
    assert json.loads(data["payload_text"]) == json.loads(PAYLOAD_TEXT)
    assert data["signature_bytes"] == len(SIGNATURE_BYTES)
    assert data["parts"] == [
        {"name": "header", "encoded": HEADER},
        {"name": "payload", "encoded": PAYLOAD},
        {"name": "signature", "encoded": SIGNATURE + "="},
    ]
    assert data["alg"] == "HS256"
    assert data["notes"] == [
        {"code": "bearer_prefix_removed", "message": data["notes"][0]["message"]}
    ]
    assert data["problems"] == [
        {
            "part": "signature",
            "code": "base64_padding",
            "severity": "warning",
            "message": data["problems"][0]["message"],
        }
    ]
    json.dumps(data)


def test_to_dict_leaves_out_position_when_a_problem_has_none():
    problems = parse(f"{HEADER}.{PAYLOAD}").to_dict()["problems"]
    assert problems and "position" not in problems[0]


def test_payload_text_keeps_numbers_as_written():
    payload_text = '{"id":12345678901234567890,"ratio":3.0,"big":1E+2}'
    parsed = parse(f"{HEADER}.{b64url(payload_text)}.{SIGNATURE}")
    assert "12345678901234567890" in parsed.payload_text
    assert '"ratio": 3.0' in parsed.payload_text
    assert '"big": 1E+2' in parsed.payload_text
    assert parsed.payload["id"] == 12345678901234567890
    assert compact(parsed.payload_text) == payload_text


def test_header_text_is_the_pretty_printed_header_as_written():
    header_text = '{"alg":"HS256","x5t#S256":"\\u003c"}'
    parsed = parse(f"{b64url(header_text)}.{PAYLOAD}.{SIGNATURE}")
    assert parsed.header_text == '{\n  "alg": "HS256",\n  "x5t#S256": "\\u003c"\n}'
    assert parsed.header["x5t#S256"] == "<"


@pytest.mark.parametrize(
    "hostile",
    (
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ config }}",
        "&lt;b&gt;",
    ),
)
def test_parse_returns_hostile_claim_text_untouched(hostile):
    payload_text = json.dumps({"name": hostile})
    parsed = parse(f"{HEADER}.{b64url(payload_text)}.{SIGNATURE}")
    assert parsed.payload == {"name": hostile}
    assert json.loads(parsed.payload_text) == {"name": hostile}
    assert parsed.to_dict()["payload"]["name"] == hostile
    assert parsed.problems == ()


def test_parse_returns_a_hostile_header_value_untouched():
    header = {"alg": "HS256", "kid": "<script>alert(1)</script>"}
    parsed = parse(f"{b64url(json.dumps(header))}.{PAYLOAD}.{SIGNATURE}")
    assert parsed.header == header
    assert parsed.to_dict()["header"]["kid"] == "<script>alert(1)</script>"


def test_parse_reports_a_null_header_as_not_an_object():
    parsed = parse(f"{b64url(b'null')}.{PAYLOAD}.{SIGNATURE}")
    assert problem(parsed, "not_object").part == "header"
    assert parsed.error() is not None


def test_parse_removes_quotes_around_a_quoted_bearer_header_value():
    token = f"{HEADER}.{PAYLOAD}.{SIGNATURE}"
    parsed = parse(f'"Bearer {token}"')
    assert parsed.token == token
    assert {note.code for note in parsed.notes} == {"quotes_removed", "bearer_prefix_removed"}


def test_parse_of_a_bare_bearer_prefix_is_an_empty_token():
    assert problem(parse("Bearer "), "empty_token").part == "token"


def test_tokens_sharing_a_header_each_get_their_own_header_and_problems():
    # The first part is decoded once for tokens that share it; every parse still reports it all.
    padded = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "="
    first = parse(f"{padded}.{b64url(b'{}')}.c2ln")
    other_payload = b64url('{"a": 1}')
    second = parse(f"{padded}.{other_payload}.c2ln")
    assert first.header == second.header == {"alg": "HS256", "typ": "JWT"}
    first.header["alg"] = "none"
    assert second.header["alg"] == "HS256"
    assert parse(f"{padded}.e30.c2ln").header["alg"] == "HS256"
    for parsed in (first, second):
        assert [(p.part, p.code) for p in parsed.problems] == [("header", "base64_padding")]


def test_a_huge_header_is_decoded_but_not_kept():
    from debugger.jose.tokens import _read_header

    header = b64url(json.dumps({"alg": "HS256", "x5c": ["A" * 20_000]}).encode())
    before = _read_header.cache_info().currsize
    assert parse(f"{header}.e30.c2ln").header["x5c"] == ["A" * 20_000]
    assert _read_header.cache_info().currsize == before


@pytest.mark.parametrize(
    ("token", "kind"),
    (
        (TOKEN, "JWS"),
        (
            "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXYtaXYtaXYtaQ.Y2lwaGVy.dGFnLXRhZy10YWctdGFn",
            "JWE",
        ),
    ),
)
def test_to_dict_says_whether_the_token_is_signed_or_encrypted(token, kind):
    data = parse(token).to_dict()
    assert (data["kind"], data["serialization"]) == (kind, "compact")
