"""Property-based testing of the API from its OpenAPI document: no 5xx, every answer documented.

Request bodies are drawn from the request schemas of the document (so a new field is fuzzed as
soon as it is documented), with hostile values: lone surrogates, NUL bytes, markup, huge numbers,
tokens built from random JSON and broken in random ways, and keys of every form, half-broken.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debugger.jose.conversions import CONVERSIONS
from debugger.web.app import create_app

from .apischema import DOCUMENT, assert_documented_answer, request_validator, schema_problems
from .conftest import pem_pair

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALGS = ("HS256", "HS512", "RS256", "PS384", "ES256", "ES512", "EdDSA", "none", "NONE", "HS1")
SECRET = "a-fuzzing-secret-of-thirty-two-b"


@pytest.fixture(scope="module")
def api():
    return create_app({"TESTING": True}).test_client()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pem(private: Any) -> tuple[str, str]:
    pair = pem_pair(private)
    return pair.private_pem, pair.public_pem


_RSA_PRIVATE, _RSA_PUBLIC = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
_EC_PRIVATE, _EC_PUBLIC = _pem(ec.generate_private_key(ec.SECP256R1()))

# Text with everything a hostile claim or key can hold.
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
hostile_text = st.one_of(
    st.text(st.one_of(st.characters(), surrogates), max_size=40),
    st.sampled_from(
        [
            "",
            "\x00",
            "\ud800",
            "a\udfffb",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "\u202egnp.exe",
            "9" * 5000,
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
            "ssh-rsa AAAA",
            "{",
            '{"keys": []}',
            "Bearer ",
        ]
    ),
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**1000),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, hostile_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def tokens(draw: st.DrawFn) -> str:
    """A compact token from random JSON parts, then broken in one random way or not at all."""
    header = draw(
        st.one_of(
            st.fixed_dictionaries(
                {"alg": st.sampled_from(ALGS)},
                optional={
                    "kid": hostile_text,
                    "typ": hostile_text,
                    "b64": st.booleans(),
                    "crit": st.lists(hostile_text, max_size=2),
                },
            ),
            json_values,
        )
    )
    payload = draw(st.one_of(st.dictionaries(hostile_text, json_values, max_size=5), json_values))
    parts = [
        _b64url(json.dumps(header).encode()),
        _b64url(json.dumps(payload).encode()),
        _b64url(draw(st.binary(max_size=80))),
    ]
    breakage = draw(st.sampled_from(["none", "text", "parts", "empty", "replace"]))
    if breakage == "text":
        parts[draw(st.integers(0, 2))] += draw(hostile_text)
    elif breakage == "parts":
        parts = parts * draw(st.integers(0, 4)) + parts[: draw(st.integers(0, 2))]
    elif breakage == "empty":
        parts[draw(st.integers(0, 2))] = ""
    elif breakage == "replace":
        parts[draw(st.integers(0, 2))] = draw(hostile_text)
    return draw(st.sampled_from(["", "Bearer ", '"'])) + ".".join(parts)


jwk_fields = {
    name: st.one_of(hostile_text, json_values, st.binary(max_size=70).map(_b64url))
    for name in ("n", "e", "d", "p", "q", "x", "y", "k", "kid", "alg", "use", "key_ops")
}
jwks = st.fixed_dictionaries(
    {"kty": st.one_of(st.sampled_from(["RSA", "EC", "OKP", "oct"]), hostile_text)},
    optional={"crv": st.sampled_from(["P-256", "P-521", "Ed25519", "X25519", "P-0"]), **jwk_fields},
)
keys = st.one_of(
    st.sampled_from([SECRET, _RSA_PRIVATE, _RSA_PUBLIC, _EC_PRIVATE, _EC_PUBLIC]),
    hostile_text,
    jwks.map(json.dumps),
    st.lists(jwks, max_size=3).map(lambda entries: json.dumps({"keys": entries})),
    st.sampled_from([_RSA_PUBLIC, _EC_PRIVATE]).map(lambda pem: pem[:-40] + pem[-20:]),
)
LOCAL_URL_LIST = [
    "http://127.0.0.1:9/jwks.json",
    "http://[::1]:9/",
    "https://127.0.0.1:1/.well-known/jwks.json",
    "http://localhost:9",
    "file:///etc/passwd",
    "ftp://127.0.0.1/keys",
    "javascript:alert(1)",
    "http://",
    "http://127.0.0.1:99999/",
]
LOCAL_URLS = st.sampled_from(LOCAL_URL_LIST)
URL_FIELDS = ("url", "issuer")
#: Fields whose values are drawn from the domain strategies rather than from their type alone.
FIELD_VALUES = {
    "token": st.one_of(tokens(), hostile_text),
    "key": keys,
    "header": st.dictionaries(hostile_text, json_values, max_size=3).map(
        lambda header: {"alg": "HS256", **header}
    ),
    "payload": st.dictionaries(hostile_text, json_values, max_size=5),
    "header_json": st.one_of(st.sampled_from(ALGS).map(lambda a: f'{{"alg":"{a}"}}'), hostile_text),
    "payload_json": st.one_of(json_values.map(json.dumps), hostile_text),
    "detached_payload": hostile_text,
    "payload_raw": hostile_text,
    "keys": st.lists(keys, min_size=1, max_size=3),
    "alg": st.one_of(st.sampled_from(ALGS + ("ES256K", "Ed448", "PS512")), hostile_text),
    # No 3072- or 4096-bit RSA: generating one takes seconds.
    "size": st.one_of(st.sampled_from([2048, 256, 264, 521, 0, -8, 2**64]), st.integers()),
    # Documented values only: any other text is a wrong field, which "wrong_field" bodies cover.
    "to": st.sampled_from(CONVERSIONS),
    # Only addresses that never leave this machine: closed loopback ports and bad URLs.
    "url": st.one_of(LOCAL_URLS, hostile_text.filter(lambda text: ":" not in text)),
    "issuer": st.one_of(LOCAL_URLS, hostile_text.filter(lambda text: ":" not in text)),
    # A claim check: one audience or a list of them.
    "audience": st.one_of(hostile_text, st.lists(hostile_text, max_size=3)),
}


def from_schema(schema: dict[str, Any], name: str | None = None) -> st.SearchStrategy[Any]:
    """Values of a request schema of the document, with hostile values for known fields."""
    if "$ref" in schema:
        return from_schema(_resolve(schema["$ref"]), name)
    if name in FIELD_VALUES:
        return FIELD_VALUES[name]
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return hostile_text
    if kind == "integer":
        return st.integers(min_value=-(2**70), max_value=2**70)
    if kind == "number":
        return numbers
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), max_size=4)
    if kind == "object" and "properties" in schema:
        return _objects(schema)
    if kind == "object":
        return st.dictionaries(hostile_text, json_values, max_size=4)
    return json_values


@st.composite
def _objects(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    """An object of the schema: `anyOf`/`oneOf` lists of `required` pick which fields appear."""
    required = set(schema.get("required", []))
    excluded: set[str] = set()
    for part in (schema, *schema.get("allOf", [])):
        for keyword in ("anyOf", "oneOf"):
            alternatives = [set(alt["required"]) for alt in part.get(keyword, [])]
            if alternatives:
                picked = draw(st.sampled_from(alternatives))
                required |= picked
                if keyword == "oneOf":
                    excluded |= set().union(*alternatives) - picked
    properties = {key: value for key, value in schema["properties"].items() if key not in excluded}
    return draw(
        st.fixed_dictionaries(
            {key: from_schema(value, key) for key, value in properties.items() if key in required},
            optional={
                key: from_schema(value, key)
                for key, value in properties.items()
                if key not in required
            },
        )
    )


def _resolve(ref: str) -> dict[str, Any]:
    node: Any = DOCUMENT
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _request_schema(path: str) -> dict[str, Any]:
    return DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


KEY_FIELDS = ("key", "public_key")
POST_PATHS = sorted(path for path, item in DOCUMENT["paths"].items() if "post" in item)


@st.composite
def bodies(draw: st.DrawFn, path: str) -> Any:
    """A request body for `path`: as documented, with one field of the wrong type, or anything."""
    documented = draw(from_schema(_request_schema(path)))
    mode = draw(st.sampled_from(["documented", "documented", "wrong_field", "anything"]))
    if mode == "wrong_field" and documented:
        documented[draw(st.sampled_from(sorted(documented)))] = draw(json_values)
    elif mode == "anything":
        documented = draw(json_values)
    return _local_only(documented)


def _local_only(body: Any) -> Any:
    """No drawn URL may name another machine: the key-set fetch would really try to reach it."""
    if isinstance(body, dict):
        for name in URL_FIELDS:
            value = body.get(name)
            if isinstance(value, str) and ":" in value and value not in LOCAL_URL_LIST:
                body[name] = LOCAL_URL_LIST[0]
    return body


def _post(api, path: str, data: str | bytes, content_type: str = "application/json"):
    return api.post(path, data=data, content_type=content_type)


@pytest.mark.parametrize("path", POST_PATHS)
def test_the_schema_strategies_draw_documented_requests(path):
    check = request_validator(path)

    @FUZZ
    @given(from_schema(_request_schema(path)))
    def drawn_body_is_documented(body):
        assert not schema_problems(check, body)

    drawn_body_is_documented()


@pytest.mark.parametrize("path", POST_PATHS)
def test_any_body_gets_a_documented_answer_and_never_a_5xx(api, path):
    @FUZZ
    @given(bodies(path))
    def answer_is_documented(body):
        # ensure_ascii keeps lone surrogates as \ud800 escapes: valid JSON text, hostile value.
        response = _post(api, path, json.dumps(body))
        answer = assert_documented_answer(path, "post", response)
        if response.status_code >= 400 and isinstance(body, dict):
            # An error never echoes a whole key or secret back.
            for name in KEY_FIELDS:
                value = body.get(name)
                if isinstance(value, str) and len(value.strip()) >= 16:
                    assert value.strip() not in answer["error"]["message"], name

    answer_is_documented()


@pytest.mark.parametrize("path", POST_PATHS)
def test_raw_bytes_get_a_documented_4xx(api, path):
    @FUZZ
    @given(
        st.one_of(
            st.binary(max_size=200),
            json_values.map(lambda value: json.dumps(value).encode()[:-1]),
            st.integers(1, 50_000).map(lambda depth: b"[" * depth + b"]" * depth),
        )
    )
    def answer_is_documented(data):
        response = _post(api, path, data)
        body = assert_documented_answer(path, "post", response)
        assert response.status_code == 200 or body["error"]["code"] == "invalid_request"

    answer_is_documented()


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_body_not_sent_as_json_is_refused_with_415(api, path):
    @FUZZ
    @given(
        st.one_of(
            st.sampled_from(
                [
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "",
                ]
            ),
            st.from_regex(r"[a-z]{1,8}/[a-z+.-]{1,12}", fullmatch=True),
        ).filter(lambda kind: kind.split(";")[0] != "application/json"),
        st.binary(max_size=100),
    )
    def refused(content_type, data):
        response = _post(api, path, data, content_type)
        body = assert_documented_answer(path, "post", response)
        assert response.status_code == 415, body
        assert body["error"]["code"] == "unsupported_media_type"

    refused()
