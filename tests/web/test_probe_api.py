"""The probe, scan, extract and DPoP endpoints, against real APIs on 127.0.0.1."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from ..conftest import assert_canonical_error
from ..target_apis import correct, make_api, no_verification, serve


@pytest.fixture(scope="module")
def rsa_keys(keypairs):
    return keypairs["RSA"]


@pytest.fixture
def api(rsa_keys):
    with serve(make_api(correct, rsa_keys.public_pem)) as base:
        yield base


def token_for(keys, **claims):
    return jwt.encode(
        {"sub": "alice", "exp": int(time.time()) + 600, **claims},
        keys.private_pem,
        algorithm="RS256",
    )


def test_probe_sends_the_bearer_token_and_reads_the_answer(client, api, rsa_keys):
    response = client.post(
        "/api/probe", json={"url": f"{api}/resource", "token": token_for(rsa_keys)}
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == 200
    assert '"sub":"alice"' in body["body"].replace(" ", "")
    assert body["elapsed_ms"] > 0
    assert body["explanations"][0]["code"] == "token_accepted"


def test_probe_explains_an_expired_token(client, api, rsa_keys):
    expired = jwt.encode({"exp": int(time.time()) - 3600}, rsa_keys.private_pem, algorithm="RS256")
    body = client.post("/api/probe", json={"url": f"{api}/resource", "token": expired}).get_json()
    assert body["status"] == 401
    assert body["www_authenticate"][0]["params"]["error"] == "invalid_token"
    assert body["explanations"][0]["code"] == "token_expired"
    assert body["explanations"][0]["claim"] == "exp"


def test_probe_explains_a_missing_scope(client, api, rsa_keys):
    body = client.post(
        "/api/probe", json={"url": f"{api}/scoped", "token": token_for(rsa_keys, scope="read")}
    ).get_json()
    assert body["status"] == 403
    explanation = body["explanations"][0]
    assert explanation["code"] == "scope_missing"
    assert "Missing: write." in explanation["message"]


@pytest.mark.parametrize(
    ("placement", "name", "where"),
    (
        ("header", "X-Api-Token", ("headers", "X-Api-Token")),
        ("cookie", "session", ("cookies", "session")),
        ("query", "access_token", ("args", "access_token")),
    ),
)
def test_probe_places_the_token_where_asked(client, api, placement, name, where):
    body = client.post(
        "/api/probe",
        json={
            "url": f"{api}/echo?x=1",
            "token": "tok-123",
            "placement": placement,
            "name": name,
            "method": "post",
            "headers": {"X-Extra": "1"},
            "body": "hello",
        },
    ).get_json()
    echoed = json.loads(body["body"])
    assert echoed[where[0]][where[1]] == "tok-123"
    assert echoed["method"] == "POST"
    assert echoed["headers"]["X-Extra"] == "1"
    assert echoed["body"] == "hello"


def test_the_preview_masks_the_token_and_sends_nothing(client):
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    body = client.post(
        "/api/probe/preview",
        json={
            "url": "http://127.0.0.1:9/x",
            "token": token,
            "headers": {"X-Api-Key": "k-secret-1"},
        },
    ).get_json()
    sent = body["sent"]
    assert sent["method"] == "GET"
    text = str(sent)
    assert token not in text and "k-secret-1" not in text
    assert sent["headers"][0][0] == "Authorization"
    assert sent["headers"][0][1].startswith("Bearer eyJhbGci…")


def test_an_unreachable_url_is_an_answer_with_a_reason(client):
    body = client.post("/api/probe", json={"url": "http://127.0.0.1:1/x", "token": "t"})
    assert body.status_code == 200
    answer = body.get_json()
    assert answer["status"] is None
    assert answer["reason"]["code"] == "fetch_connection_refused"


def test_the_debuggers_own_port_is_refused(rsa_keys):
    from debugger.web.app import create_app

    app = create_app({"TESTING": True, "SERVER_PORT": 8123, "SERVER_HOST": "127.0.0.1"})
    with app.test_client() as own:
        answer = own.post(
            "/api/probe",
            json={"url": "http://127.0.0.1:8123/api/decode"},
            headers={"Host": "127.0.0.1:8123"},
        ).get_json()
    assert answer["status"] is None
    assert answer["reason"]["code"] == "fetch_own_address"


def test_only_the_first_64_kib_of_the_answer_are_read(client, api):
    answer = client.post("/api/probe", json={"url": f"{api}/big"}).get_json()
    assert len(answer["body"]) == 64 * 1024
    assert answer["body_truncated"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    (
        ({"url": "http://127.0.0.1:9/", "method": "GE T"}, "method"),
        ({"url": "http://127.0.0.1:9/", "headers": {"X-A": "a\r\nX-B: b"}}, "headers"),
        ({"url": "http://127.0.0.1:9/", "headers": {"Host": "evil"}}, "headers"),
        ({"url": "http://127.0.0.1:9/", "headers": {"X-A": 5}}, "headers"),
        ({"url": "http://127.0.0.1:9/", "placement": "body"}, "placement"),
    ),
)
def test_bad_probe_requests_say_what_is_wrong(client, body, field):
    error = assert_canonical_error(client.post("/api/probe", json=body), 400, "invalid_request")
    assert error["field"] == field


def test_probe_refuses_a_url_that_is_not_http(client):
    assert_canonical_error(
        client.post("/api/probe", json={"url": "file:///etc/passwd"}), 400, "fetch_bad_url"
    )


def test_a_scan_needs_confirmation_and_sends_nothing_without_it(client, rsa_keys):
    hits: list[str] = []
    app = make_api(correct, rsa_keys.public_pem)
    app.before_request(lambda: hits.append("hit"))
    with serve(app) as base:
        response = client.post(
            "/api/probe/attacks", json={"url": f"{base}/resource", "token": token_for(rsa_keys)}
        )
    assert_canonical_error(response, 400, "scan_not_confirmed")
    assert hits == []


def test_the_scan_endpoint_reports_an_api_that_verifies_nothing(client, rsa_keys):
    with serve(make_api(no_verification, rsa_keys.public_pem)) as base:
        body = client.post(
            "/api/probe/attacks",
            json={
                "url": f"{base}/resource",
                "token": token_for(rsa_keys),
                "key": rsa_keys.public_pem,
                "confirm": True,
            },
        ).get_json()
    assert body["signature_checked"] is False
    assert body["vulnerable"] is True
    assert all(result["accepted"] for result in body["results"])
    assert body["markdown"].startswith("# JWT attack scan of GET http://127.0.0.1:")


def test_a_page_of_another_origin_cannot_probe(client):
    response = client.post(
        "/api/probe",
        json={"url": "http://127.0.0.1:1/"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert_canonical_error(response, 403, "origin_not_allowed")


def test_extract_lists_tokens_with_where_they_were_found(client, rsa_keys):
    token = token_for(rsa_keys)
    text = f"curl -H 'Authorization: Bearer {token}' https://api.example/x"
    body = client.post("/api/extract", json={"text": text}).get_json()
    assert body["tokens"] == [
        {
            "token": token,
            "kind": "JWS",
            "serialization": "compact",
            "where": "Authorization header (line 1)",
            "places": 1,
            "alg": "RS256",
            "verdict": body["tokens"][0]["verdict"],
        }
    ]
    assert "not expired" in body["tokens"][0]["verdict"]


def test_extract_lists_a_jws_in_json_serialization(client, rsa_keys):
    protected, payload, signature = token_for(rsa_keys).split(".")
    written = json.dumps({"payload": payload, "protected": protected, "signature": signature})
    text = f"POST /x HTTP/1.1\nContent-Type: application/jose+json\n\n{written}\n"
    body = client.post("/api/extract", json={"text": text}).get_json()
    assert [(e["token"], e["kind"], e["serialization"], e["alg"]) for e in body["tokens"]] == [
        (written, "JWS", "flattened", "RS256")
    ]
    assert body["tokens"][0]["where"] == "text (line 4)"


@pytest.mark.parametrize("path", ["/api/probe", "/api/probe/preview", "/api/probe/attacks"])
def test_a_lone_surrogate_in_the_body_is_a_clear_400_not_a_crash(client, path):
    body = {"url": "http://127.0.0.1:1/", "token": "a.b.c", "body": "\ud800", "confirm": True}
    response = client.post(path, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_request"
