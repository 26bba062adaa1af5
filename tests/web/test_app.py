"""The application shell: the page, security headers and the one error shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debugger.web.app import MAX_BODY_BYTES, MAX_HEADER_BYTES

from ..conftest import ROOT, assert_canonical_error


def test_page_has_the_labelled_controls(client):
    with client.get("/") as response:
        html = response.get_data(as_text=True)
    assert response.status_code == 200
    for label in ("Encoded token", "Header", "Payload", "Key or secret"):
        assert re.search(rf"<label[^>]*>{label}</label>", html), label
    assert 'role="status"' in html


def test_page_and_assets_load_nothing_from_other_hosts(client):
    texts = [client.get("/").get_data(as_text=True)]
    texts += [p.read_text() for p in (ROOT / "static").iterdir() if p.is_file()]
    for text in texts:
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text)
        assert 'fetch("http' not in text and "@import" not in text


@pytest.mark.parametrize("path", ("/static/app.js", "/static/style.css"))
def test_static_assets_are_served(client, path):
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.data == (ROOT / path.lstrip("/")).read_bytes()


def test_every_response_carries_the_security_headers(client):
    with client.get("/") as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in headers
    assert "Access-Control-Allow-Origin" not in headers


def test_api_responses_are_not_cached(client):
    response = client.post("/api/decode", json={"token": "a.b.c"})
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_api_path_is_a_json_404(client):
    assert_canonical_error(client.get("/api/nothing"), 404, "not_found")


def test_wrong_method_is_a_json_405(client):
    assert_canonical_error(client.get("/api/verify"), 405, "method_not_allowed")


def test_oversized_body_is_a_json_413(client):
    body = '{"token": "' + "a" * MAX_BODY_BYTES + '"}'
    response = client.post("/api/decode", data=body, content_type="application/json")
    assert_canonical_error(response, 413, "too_large")


def test_the_413_is_sent_without_a_length_so_that_it_ends_the_connection(client):
    body = '{"token": "' + "a" * MAX_BODY_BYTES + '"}'
    response = client.post("/api/decode", data=body, content_type="application/json")
    assert response.status_code == 413 and "Content-Length" not in response.headers
    assert response.get_json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("path", ("/demo/protected", "/api/openapi.json"))
def test_a_header_over_the_limit_is_a_json_431(client, path):
    bearer = "Bearer " + "a" * MAX_HEADER_BYTES
    response = client.get(path, headers={"Authorization": bearer})
    assert_canonical_error(response, 431, "headers_too_large")


def test_a_header_under_the_limit_reaches_the_demo_api(client):
    bearer = "Bearer " + "a" * (MAX_HEADER_BYTES // 2)
    response = client.get("/demo/protected", headers={"Authorization": bearer})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_unexpected_failure_is_a_json_500_without_details(app):
    @app.post("/api/boom")
    def boom():
        raise RuntimeError("secret-token-text")

    response = app.test_client().post("/api/boom", json={})
    error = assert_canonical_error(response, 500, "internal_error")
    assert "secret-token-text" not in error["message"]


def test_error_codes_are_documented_in_the_readme():
    from debugger.errors import ERROR_CODES

    readme = (Path(ROOT) / "README.md").read_text()
    for code in ERROR_CODES:
        assert f"`{code}`" in readme, code


def test_page_gets_the_invisible_characters_from_the_core(client):
    import html
    import json

    from debugger.analysis import invisible

    with client.get("/") as response:
        page = response.get_data(as_text=True)
    match = re.search(r"data-invisible-characters='([^']*)'", page)
    assert match, "the page carries no data-invisible-characters attribute"
    assert json.loads(html.unescape(match.group(1))) == invisible.page_table()


def test_page_gets_the_severities_and_the_demo_secret_from_the_core(client):
    import html
    import json

    from debugger.codes import SEVERITIES
    from debugger.teach.demo import DEMO_SECRET

    with client.get("/") as response:
        page = response.get_data(as_text=True)
    severities = re.search(r"data-severities='([^']*)'", page)
    secret = re.search(r'data-demo-secret="([^"]*)"', page)
    assert severities and secret, "the page lacks data-severities or data-demo-secret"
    assert json.loads(html.unescape(severities.group(1))) == list(SEVERITIES)
    assert html.unescape(secret.group(1)) == DEMO_SECRET


def test_the_scripts_repeat_neither_the_severities_nor_the_demo_secret():
    from debugger.teach.demo import DEMO_SECRET

    for script in sorted((Path(ROOT) / "static").glob("*.js")):
        text = script.read_text()
        assert DEMO_SECRET not in text, script.name
        assert '"critical", "high"' not in text, script.name
