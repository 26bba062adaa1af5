"""The JSON API through Flask's test client: shapes, verdicts and errors."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from ..apischema import assert_documented_answer
from ..conftest import SECRET, assert_canonical_error

NOW = 1_800_000_000


def _token(**claims) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_decode_returns_header_payload_signature_and_time(client):
    token = _token(sub="a", exp=NOW + 3540)
    body = client.post("/api/decode", json={"token": token, "now": NOW}).get_json()
    assert body["header"] == {"alg": "HS256", "typ": "JWT"}
    assert body["payload"] == {"sub": "a", "exp": NOW + 3540}
    assert body["signature"] == token.split(".")[2]
    assert body["time"]["status"] == "valid"
    assert body["time"]["exp"]["text"].startswith("Expires in 59 minutes")


def test_decode_describes_a_broken_part_and_still_shows_the_others(client):
    header, payload, signature = _token(sub="a").split(".")
    body = client.post("/api/decode", json={"token": f"{header}.{payload}!.{signature}"}).get_json()
    assert body["header"] == {"alg": "HS256", "typ": "JWT"}
    assert body["payload"] is None
    problem = body["problems"][0]
    assert (problem["part"], problem["code"]) == ("payload", "bad_base64url")
    assert problem["position"] == len(header) + 1 + len(payload)


def test_decode_keeps_numbers_as_written(client):
    from debugger.jose.sign import encode

    token = encode({"alg": "HS256"}, '{"n":12345678901234567890,"f":3.0}', SECRET)["token"]
    body = client.post("/api/decode", json={"token": token}).get_json()
    assert "12345678901234567890" in body["payload_text"]
    assert "3.0" in body["payload_text"]


@pytest.mark.parametrize("body", ({"token": 5}, {"token": None}, {}, [], "x"))
def test_decode_refuses_a_body_without_a_string_token(client, body):
    assert_canonical_error(client.post("/api/decode", json=body), 400, "invalid_request")


def test_decode_refuses_a_body_that_is_not_sent_as_json(client):
    response = client.post("/api/decode", data="token=x", content_type="text/plain")
    assert_canonical_error(response, 415, "unsupported_media_type")


def test_decode_refuses_a_json_body_that_does_not_parse(client):
    response = client.post("/api/decode", data="token=x", content_type="application/json")
    assert_canonical_error(response, 400, "invalid_request")


def test_verify_reports_a_valid_signature_and_the_key_used(client):
    body = client.post("/api/verify", json={"token": _token(sub="a"), "key": SECRET}).get_json()
    assert body["signature_valid"] is True
    assert body["alg"] == "HS256"
    assert "reason" not in body
    assert body["key"]["type"] == "oct"
    assert body["key"]["kid"] is None


def test_verify_reports_why_a_signature_is_invalid(client):
    body = client.post("/api/verify", json={"token": _token(sub="a"), "key": "other"}).get_json()
    assert body["signature_valid"] is False
    assert body["reason"]["code"] == "signature_mismatch"
    assert body["reason"]["message"]


@pytest.mark.parametrize(
    ("encoding", "key"),
    (
        ("base64", "YS1zZWNyZXQtb2YtdGhpcnR5LXR3by1ieXRlcy0wMDA="),
        ("base64url", "YS1zZWNyZXQtb2YtdGhpcnR5LXR3by1ieXRlcy0wMDA"),
        ("hex", SECRET.encode().hex()),
        ("utf-8", SECRET),
    ),
)
def test_verify_reads_the_secret_in_the_encoding_given(client, encoding, key):
    body = {"token": _token(), "key": key, "secret_encoding": encoding}
    assert client.post("/api/verify", json=body).get_json()["signature_valid"] is True


@pytest.mark.parametrize(
    ("claims", "status"),
    (
        ({"exp": NOW - 180}, "expired"),
        ({"exp": NOW + 60, "nbf": NOW + 30}, "not_yet_valid"),
        ({}, "no_exp"),
        ({"exp": NOW + 60}, "valid"),
        ({"exp": "soon"}, "invalid"),
    ),
)
def test_verify_reports_the_time_status(client, claims, status):
    body = {"token": _token(**claims), "key": SECRET, "now": NOW}
    assert client.post("/api/verify", json=body).get_json()["time"]["status"] == status


def test_verify_leeway_accepts_a_recently_expired_token(client):
    body = {"token": _token(exp=NOW - 30), "key": SECRET, "now": NOW, "leeway": 60}
    assert client.post("/api/verify", json=body).get_json()["time"]["status"] == "valid"


def test_verify_honours_the_allowed_algorithms(client):
    body = {"token": _token(), "key": SECRET, "algorithms": ["RS256"]}
    result = client.post("/api/verify", json=body).get_json()
    assert result["reason"]["code"] == "alg_not_allowed"


def test_verify_accepts_a_detached_payload(client):
    header, _, signature = _token(sub="a").split(".")
    body = {"token": f"{header}..{signature}", "key": SECRET, "detached_payload": '{"sub":"a"}'}
    assert client.post("/api/verify", json=body).get_json()["signature_valid"] is True


@pytest.mark.parametrize(
    "key",
    (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----",
        '{"kty": "RSA"}',
        '{"kty": "XYZ", "k": "abc"}',
        '{"not": "a key"}',
        "{not json",
    ),
)
def test_verify_refuses_a_key_it_cannot_understand(client, key):
    error = assert_canonical_error(
        client.post("/api/verify", json={"token": _token(), "key": key}), 400, "bad_key"
    )
    assert error["field"] == "key"


def test_verify_refuses_an_unknown_secret_encoding(client):
    body = {"token": _token(), "key": SECRET, "secret_encoding": "rot13"}
    assert_canonical_error(client.post("/api/verify", json=body), 400, "invalid_request")


def test_verify_reports_an_unusable_key_beside_the_decoded_token_when_asked(client):
    token = _token(sub="a", exp=NOW + 60)
    body = {"token": token, "key": '{"kty": "XYZ"}', "now": NOW, "report_key_error": True}
    response = client.post("/api/verify", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["payload"] == {"sub": "a", "exp": NOW + 60}
    assert answer["time"]["status"] == "valid"
    assert answer["signature_valid"] is False
    assert answer["reason"]["code"] == "bad_key"
    assert (answer["key_error"]["code"], answer["key_error"]["field"]) == ("bad_key", "key")
    assert answer["key"] is None and answer["key_set"] is None


def test_verify_reports_a_bad_secret_encoding_as_a_key_error_when_asked(client):
    body = {"token": _token(), "key": SECRET, "secret_encoding": "rot13", "report_key_error": True}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["key_error"]["code"] == "invalid_request"
    assert answer["signature_valid"] is False


@pytest.mark.parametrize("flag", (False, None))
def test_verify_without_report_key_error_keeps_the_400(client, flag):
    body = {"token": _token(), "key": '{"kty": "XYZ"}', "report_key_error": flag}
    assert_canonical_error(client.post("/api/verify", json=body), 400, "bad_key")


def test_verify_report_key_error_must_be_a_boolean(client):
    body = {"token": _token(), "key": '{"kty": "XYZ"}', "report_key_error": "yes"}
    error = assert_canonical_error(client.post("/api/verify", json=body), 400, "invalid_request")
    assert error["field"] == "report_key_error"


@pytest.mark.parametrize(
    ("path", "fields"),
    (
        ("/api/decode", {}),
        ("/api/verify", {"key": SECRET}),
        ("/api/verify", {"key": '{"kty": "XYZ"}', "report_key_error": True}),
    ),
)
def test_a_compact_answer_leaves_out_the_parts_and_nothing_else(client, path, fields):
    body = {"token": _token(sub="a"), "now": NOW, **fields}
    full = client.post(path, json=body).get_json()
    response = client.post(path, json={**body, "compact_answer": True})
    assert_documented_answer(path, "post", response)
    compact = response.get_json()
    assert [part["encoded"] for part in full["parts"]] == body["token"].split(".")
    assert compact == {name: value for name, value in full.items() if name != "parts"}


def test_compact_answer_must_be_a_boolean(client):
    body = {"token": _token(), "compact_answer": "yes"}
    error = assert_canonical_error(client.post("/api/decode", json=body), 400, "invalid_request")
    assert error["field"] == "compact_answer"


def test_verify_with_a_good_key_ignores_report_key_error(client):
    body = {"token": _token(sub="a"), "key": SECRET, "report_key_error": True}
    answer = client.post("/api/verify", json=body).get_json()
    assert answer["signature_valid"] is True
    assert "key_error" not in answer


@pytest.mark.parametrize(
    "body",
    (
        {"token": "x.y.z"},
        {"key": SECRET},
        {"token": "x", "key": 1},
        {"token": "x", "key": "k", "leeway": "1"},
        {"token": "x", "key": "k", "now": True},
        {"token": "x", "key": "k", "algorithms": "HS256"},
        {"token": "x", "key": "k", "algorithms": [1]},
    ),
)
def test_verify_refuses_malformed_requests(client, body):
    assert_canonical_error(client.post("/api/verify", json=body), 400, "invalid_request")


def test_encode_signs_objects_and_the_token_verifies(client):
    body = {"header": {"alg": "HS256", "typ": "JWT"}, "payload": {"sub": "a"}, "key": SECRET}
    token = client.post("/api/encode", json=body).get_json()["token"]
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == {"sub": "a"}


def test_encode_signs_json_text_exactly(client):
    body = {"header_json": '{"alg":"HS256"}', "payload_json": '{"f": 3.0}', "key": SECRET}
    token = client.post("/api/encode", json=body).get_json()["token"]
    decoded = client.post("/api/decode", json={"token": token}).get_json()
    assert decoded["payload_text"] == '{\n  "f": 3.0\n}'


def test_encode_reports_invalid_json_with_the_field(client):
    body = {"header_json": '{"alg":"HS256"}', "payload_json": '{"f": }', "key": SECRET}
    error = assert_canonical_error(client.post("/api/encode", json=body), 400, "invalid_json")
    assert error["field"] == "payload"


def test_encode_with_a_public_key_says_a_private_key_is_needed(client, keypairs):
    body = {"header": {"alg": "RS256"}, "payload": {}, "key": keypairs["RSA"].public_pem}
    assert_canonical_error(client.post("/api/encode", json=body), 400, "private_key_required")


def test_encode_needs_header_and_payload(client):
    assert_canonical_error(
        client.post("/api/encode", json={"payload": {}, "key": SECRET}), 400, "invalid_request"
    )


@pytest.mark.parametrize("field", ("now", "leeway"))
@pytest.mark.parametrize("value", ("Infinity", "-Infinity", "NaN", "1e400"))
def test_decode_refuses_a_clock_that_is_not_a_finite_number(client, field, value):
    body = f'{{"token": "a.b.c", "{field}": {value}}}'
    response = client.post("/api/decode", data=body, content_type="application/json")
    assert_canonical_error(response, 400, "invalid_request")


def test_decode_and_verify_report_invisible_characters_in_claims(client):
    token = jwt.encode({"sub": "\u202enimda\u202c", "exp": 4_000_000_000}, SECRET)
    for url, extra in (("/api/decode", {}), ("/api/verify", {"key": SECRET})):
        answer = client.post(url, json={"token": token, **extra}).get_json()
        found = {item["id"]: item for item in answer["findings"]}
        assert found["invisible-characters"]["severity"] == "medium", url
        detail = found["invisible-characters"]["detail"]
        assert '"sub" contains U+202E RIGHT-TO-LEFT OVERRIDE' in detail
        assert "U+202C" in detail and "\u202e" not in detail
        assert answer["payload"]["sub"] == "\u202enimda\u202c"  # the claim itself is untouched


def _big_token(secret: bytes, size: int) -> str:
    """An HS256 token whose signing input is about `size` bytes."""
    return jwt.encode({"sub": "a", "pad": "x" * size}, secret, algorithm="HS256")


def _wordlist_base64(words: list[bytes]) -> str:
    return base64.b64encode(b"\n".join(words) + b"\n").decode()


def test_secret_search_refuses_an_over_budget_request_at_once(client):
    from debugger.analysis.weak_secrets import max_secrets

    token = _big_token(b"not-in-the-list-not-in-the-list-0", 900_000)
    allowed = max_secrets(len(token.rpartition(".")[0]))
    words = [f"guess-{n}".encode() for n in range(4 * allowed)]
    started = time.monotonic()

    response = client.post(
        "/api/secret-search", json={"token": token, "wordlist_base64": _wordlist_base64(words)}
    )

    assert time.monotonic() - started < 1.0
    error = assert_canonical_error(response, 400, "search_over_budget")
    assert f"{allowed:,}" in error["message"]


def test_secret_search_just_under_budget_is_answered_and_can_be_followed_to_the_end(client):
    from debugger.analysis.weak_secrets import max_secrets

    token = _big_token(b"the-very-last-line-of-the-wordlist", 100_000)
    allowed = max_secrets(len(token.rpartition(".")[0]))
    words = [f"guess-{n}".encode() for n in range(allowed - 1)] + [
        b"the-very-last-line-of-the-wordlist"
    ]
    data = base64.b64encode(b"\n".join(words)).decode()
    tried = 0
    # A loaded machine may hit the per-request time limit: the rest of the chunk goes again.
    for _ in range(20):
        body = {"token": token, "wordlist_base64": data}
        response = client.post("/api/secret-search", json=body)
        assert response.status_code == 200, response.get_json()
        answer = response.get_json()
        if answer["complete"]:
            break
        tried += answer["tried"]
        data = base64.b64encode(base64.b64decode(data)[answer["searched_bytes"] :]).decode()
    assert answer["found"] is True
    assert tried + answer["line"] == allowed


def test_secret_search_stops_at_its_time_limit_and_says_where_to_go_on(client, monkeypatch):
    monkeypatch.setattr("debugger.analysis.weak_secrets.SEARCH_SECONDS", 0.0)
    words = [f"guess-{n}".encode() for n in range(2000)]
    token = _big_token(b"not-in-the-list-not-in-the-list-0", 100_000)
    body = {"token": token, "wordlist_base64": _wordlist_base64(words)}

    answer = client.post("/api/secret-search", json=body).get_json()

    assert answer["complete"] is False and answer["found"] is False
    assert 0 < answer["tried"] < len(words)
    assert answer["searched_bytes"] == len(b"".join(w + b"\n" for w in words[: answer["tried"]]))


@pytest.mark.parametrize("payload", (5, [], "x", None, 1.5))
def test_encode_refuses_a_payload_that_is_not_an_object(client, payload):
    text = {"header": {"alg": "HS256"}, "payload_json": json.dumps(payload), "key": SECRET}
    assert_canonical_error(client.post("/api/encode", json=text), 400, "payload_not_object")
    if not isinstance(payload, str | None):
        body = {"header": {"alg": "HS256"}, "payload": payload, "key": SECRET}
        assert_canonical_error(client.post("/api/encode", json=body), 400, "payload_not_object")


@pytest.mark.parametrize("payload", (5, [], "x"))
def test_encode_signs_a_jws_payload_when_asked_and_says_it_is_not_a_jwt(client, payload):
    body = {
        "header": {"alg": "HS256"},
        "payload_json": json.dumps(payload),
        "key": SECRET,
        "jws_payload": True,
    }
    answer = client.post("/api/encode", json=body).get_json()
    assert answer["token"].count(".") == 2
    assert [item["id"] for item in answer["findings"]] == ["not-a-jwt"]
    claims = {"header": {"alg": "HS256"}, "payload": {"sub": "a"}, "key": SECRET}
    assert client.post("/api/encode", json=claims).get_json()["findings"] == []


def _encrypted_pem(keypair, passphrase: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    return keypair.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    ).decode()


def test_an_encrypted_private_key_is_read_with_its_passphrase(client, keypairs):
    pem = _encrypted_pem(keypairs["P-256"], b"correct horse")
    body = {"header": {"alg": "ES256"}, "payload": {"sub": "a"}, "key": pem}
    error = assert_canonical_error(client.post("/api/encode", json=body), 400, "bad_key")
    assert "openssl pkey" in error["message"]
    answer = client.post("/api/encode", json={**body, "passphrase": "correct horse"}).get_json()
    verified = client.post(
        "/api/verify",
        json={"token": answer["token"], "key": pem, "passphrase": "correct horse"},
    ).get_json()
    assert verified["signature_valid"] is True
    inspected = client.post("/api/keys/inspect", json={"key": pem, "passphrase": "correct horse"})
    assert inspected.get_json()["private"] is True
    wrong = client.post("/api/encode", json={**body, "passphrase": "wrong"})
    assert_canonical_error(wrong, 400, "bad_key")


def _general_jws(*secrets: str) -> str:
    """A general JWS JSON serialization with one HS256 signature per secret."""
    entries = []
    payload = ""
    for index, secret in enumerate(secrets):
        header, payload, signature = jwt.encode(
            {"sub": "a"}, secret, algorithm="HS256", headers={"kid": str(index)}
        ).split(".")
        entries.append({"protected": header, "signature": signature})
    return json.dumps({"payload": payload, "signatures": entries})


@pytest.mark.parametrize("path", ("/api/decode", "/api/verify"))
def test_json_serialization_answers_match_the_documented_schema(client, path):
    token = _general_jws("a-wrong-secret-of-thirty-two-byt", SECRET)
    response = client.post(path, json={"token": token, "key": SECRET})
    body = assert_documented_answer(path, "post", response)
    assert body["serialization"] == "general"
    assert [s["kid"] for s in body["signatures"]] == ["0", "1"]
    if path == "/api/verify":
        assert body["signature_valid"] is True
        assert [s["verified"] for s in body["signatures"]] == [False, True]


def test_a_json_serialization_answer_speaks_of_the_signature_it_does_not_show(client):
    # The first signature verifies and is shown; the second was made with a well-known secret.
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        token = _general_jws(SECRET, "secret")
    body = client.post("/api/verify", json={"token": token, "key": SECRET}).get_json()
    assert body["signature_valid"] is True
    assert body["header"]["kid"] == "0"
    weak = [item for item in body["findings"] if item["id"] == "weak-secret"]
    assert len(weak) == 1
    assert weak[0]["detail"].startswith("In signatures[1]: ")


def _rs256_pair(key) -> tuple[str, str]:
    return (
        jwt.encode({"sub": "a", "n": 1}, key, algorithm="RS256"),
        jwt.encode({"sub": "a", "n": 2}, key, algorithm="RS256"),
    )


def test_recover_key_answers_the_public_key_that_signed_both_tokens(client):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=3, key_size=2048)  # quick: e = 3
    first, second = _rs256_pair(key)
    response = client.post("/api/recover-key", json={"token": first, "second_token": second})
    answer = assert_documented_answer("/api/recover-key", "post", response)
    spki = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert answer["public_pem"] == spki.decode()
    assert (answer["bits"], answer["exponent"], answer["jwk"]["kty"]) == (2048, 3, "RSA")


def test_recover_key_runs_one_recovery_at_a_time(client):
    from cryptography.hazmat.primitives.asymmetric import rsa

    from debugger.web.api import RECOVERY_SLOT

    first, second = _rs256_pair(rsa.generate_private_key(public_exponent=3, key_size=2048))
    body = {"token": first, "second_token": second}
    with RECOVERY_SLOT:  # as while another recovery runs
        busy = client.post("/api/recover-key", json=body)
    assert_canonical_error(busy, 429, "recovery_busy")
    assert client.post("/api/recover-key", json=body).status_code == 200  # the slot is free again


@pytest.mark.parametrize(
    ("body", "code"),
    (
        ({"token": "a.b.c"}, "invalid_request"),
        ({"token": "a.b.c", "second_token": "d.e.f"}, "not_rsa_token"),
        ({"token": _token(n=1), "second_token": _token(n=2)}, "not_rsa_token"),
    ),
)
def test_recover_key_refuses_what_no_key_can_come_from(client, body, code):
    response = client.post("/api/recover-key", json=body)
    assert_documented_answer("/api/recover-key", "post", response)
    assert_canonical_error(response, 400, code)


def test_attacks_point_the_jku_variant_at_the_url_given(client):
    url = "http://127.0.0.1:5000/labs/jku-injection/attacker-jwks.json"
    response = client.post("/api/attacks", json={"token": _token(sub="a"), "jku_url": url})
    answer = assert_documented_answer("/api/attacks", "post", response)
    jku = next(v for v in answer["variants"] if v["id"] == "jku-attacker")
    assert jku["header"]["jku"] == url
    assert url in jku["explanation"]
