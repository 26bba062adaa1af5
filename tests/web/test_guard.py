"""Who may talk to the debugger: Host (DNS rebinding), Origin (cross-site), Content-Type (forms).

Each defence is tested through the application as a browser would meet it, and through the real
server where the test client could hide a difference.
"""

from __future__ import annotations

import http.client
import json
import socket

import pytest

from debugger.errors import DebuggerError
from debugger.web import guard as security
from debugger.web.app import MAX_BODY_BYTES, create_app

from ..conftest import assert_canonical_error, start_server, stop_server

PORT = 8765
DECODE = {"token": "a.b.c"}


@pytest.fixture
def served_client():
    """The application as the real server builds it: it knows its address and port."""
    app = create_app({"TESTING": True, "SERVER_HOST": "127.0.0.1", "SERVER_PORT": PORT})
    return app.test_client()


def _post(client, host: str, *, origin: str | None = None, **kwargs):
    headers = {"Host": host}
    if origin is not None:
        headers["Origin"] = origin
    kwargs.setdefault("json", DECODE)
    return client.post("/api/decode", headers=headers, **kwargs)


# --- Host: DNS rebinding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    (f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}", f"LOCALHOST:{PORT}"),
)
def test_requests_addressed_to_the_served_address_are_answered(served_client, host):
    with served_client.get("/", headers={"Host": host}) as response:
        assert response.status_code == 200
    assert _post(served_client, host).status_code == 200


@pytest.mark.parametrize(
    "host",
    (
        f"evil.example:{PORT}",  # a rebound name on the right port
        "evil.example",
        f"127.0.0.1:{PORT + 1}",  # the right name on another port
        "localhost",  # port 80
        f"localhost.:{PORT}",
        f"127.0.0.1.evil.example:{PORT}",
        f"localhost:{PORT}@evil.example",
        f"[::1:{PORT}",
        "",
    ),
)
def test_requests_addressed_to_any_other_host_are_refused(served_client, host):
    for response in (served_client.get("/", headers={"Host": host}), _post(served_client, host)):
        assert_canonical_error(response, 403, "host_not_allowed")


@pytest.mark.parametrize("path", ("/", "/static/app.js", "/api/openapi.json", "/api/nothing"))
def test_a_rebound_host_gets_nothing_from_any_path(served_client, path):
    with served_client.get(path, headers={"Host": f"evil.example:{PORT}"}) as response:
        assert_canonical_error(response, 403, "host_not_allowed")
        assert "Encoded token" not in response.get_data(as_text=True)


def test_an_app_not_told_its_port_still_refuses_rebound_names(client):
    with client.get("/", headers={"Host": "localhost:5000"}) as response:
        assert response.status_code == 200
    assert_canonical_error(
        client.get("/", headers={"Host": "evil.example"}), 403, "host_not_allowed"
    )


# --- Origin: cross-site requests --------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    (f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}", f"http://[::1]:{PORT}"),
)
def test_a_post_from_the_debuggers_own_page_is_answered(served_client, origin):
    assert _post(served_client, f"127.0.0.1:{PORT}", origin=origin).status_code == 200


@pytest.mark.parametrize(
    "origin",
    (
        "http://evil.example",
        f"http://evil.example:{PORT}",
        "null",  # sandboxed frames and file:// pages
        f"https://localhost:{PORT}",
        "http://localhost:3000",  # another local development server
        f"http://localhost:{PORT}/path",
        "",
    ),
)
def test_a_post_from_any_other_origin_is_refused(served_client, origin):
    response = _post(served_client, f"localhost:{PORT}", origin=origin)
    assert_canonical_error(response, 403, "origin_not_allowed")


@pytest.mark.parametrize("path", ("/api/verify", "/api/encode", "/api/keys/generate"))
def test_every_post_endpoint_checks_the_origin(served_client, path):
    response = served_client.post(
        path, json={}, headers={"Host": f"localhost:{PORT}", "Origin": "http://evil.example"}
    )
    assert_canonical_error(response, 403, "origin_not_allowed")


@pytest.fixture
def wide_client():
    """The application listening on every address, as with --host 0.0.0.0."""
    app = create_app({"TESTING": True, "SERVER_HOST": "0.0.0.0", "SERVER_PORT": PORT})
    return app.test_client()


@pytest.mark.parametrize(
    "host", (f"192.168.1.5:{PORT}", f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}")
)
def test_listening_beyond_loopback_the_origin_must_be_the_address_requested(wide_client, host):
    assert _post(wide_client, host, origin=f"http://{host}").status_code == 200
    assert _post(wide_client, host, origin=f"http://{host.upper()}").status_code == 200


@pytest.mark.parametrize(
    "origin",
    (
        f"http://10.1.2.3:{PORT}",  # another machine on the network, serving the same port
        f"http://192.168.1.6:{PORT}",
        f"http://127.0.0.1:{PORT}",  # this machine, but not the address the page was sent to
        f"http://localhost:{PORT}",
        f"http://192.168.1.5:{PORT + 1}",
        f"https://192.168.1.5:{PORT}",
        "http://192.168.1.5",
    ),
)
def test_listening_beyond_loopback_any_other_origin_is_refused(wide_client, origin):
    response = _post(wide_client, f"192.168.1.5:{PORT}", origin=origin)
    assert_canonical_error(response, 403, "origin_not_allowed")


def test_listening_on_a_named_address_the_origin_must_be_the_address_requested():
    app = create_app({"TESTING": True, "SERVER_HOST": "debugger.lan", "SERVER_PORT": PORT})
    client = app.test_client()
    host = f"debugger.lan:{PORT}"
    assert _post(client, host, origin=f"http://{host}").status_code == 200
    response = _post(client, host, origin=f"http://localhost:{PORT}")
    assert_canonical_error(response, 403, "origin_not_allowed")


def test_a_post_marked_cross_site_without_an_origin_is_refused(served_client):
    response = served_client.post(
        "/api/decode",
        json=DECODE,
        headers={"Host": f"localhost:{PORT}", "Sec-Fetch-Site": "cross-site"},
    )
    assert_canonical_error(response, 403, "origin_not_allowed")


def test_scripts_without_an_origin_can_use_the_api(served_client):
    assert _post(served_client, f"localhost:{PORT}").status_code == 200


def test_the_origin_must_be_on_the_same_port_when_the_app_does_not_know_its_own(client):
    ok = client.post("/api/decode", json=DECODE, headers={"Origin": "http://localhost"})
    assert ok.status_code == 200
    refused = client.post("/api/decode", json=DECODE, headers={"Origin": "http://localhost:3000"})
    assert_canonical_error(refused, 403, "origin_not_allowed")


def test_a_foreign_origin_may_still_load_the_page(served_client):
    headers = {"Host": f"localhost:{PORT}", "Origin": "http://evil.example"}
    with served_client.get("/", headers=headers) as response:
        assert response.status_code == 200


def test_no_answer_carries_cors_headers_or_cookies(served_client):
    headers = {
        "Host": f"localhost:{PORT}",
        "Origin": "http://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    responses = [
        served_client.options("/api/decode", headers=headers),
        served_client.post("/api/decode", json=DECODE, headers=headers),
        _post(served_client, f"localhost:{PORT}"),
    ]
    with served_client.get("/", headers={"Host": f"localhost:{PORT}"}) as page:
        responses.append(page)
    for response in responses:
        assert not [name for name in response.headers.keys() if name.lower().startswith("access-")]
        assert "Set-Cookie" not in response.headers


# --- Content-Type: form posts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "data"),
    (
        ("application/x-www-form-urlencoded", "token=a.b.c"),
        ("multipart/form-data; boundary=x", "--x\r\n\r\na.b.c\r\n--x--"),
        ("text/plain", json.dumps(DECODE)),
        (None, json.dumps(DECODE)),
    ),
)
def test_a_form_post_from_the_same_origin_is_refused_with_415(served_client, content_type, data):
    headers = {"Host": f"localhost:{PORT}", "Origin": f"http://localhost:{PORT}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = served_client.post("/api/decode", data=data, headers=headers)
    assert_canonical_error(response, 415, "unsupported_media_type")


def test_json_with_a_charset_is_accepted(client):
    response = client.post(
        "/api/decode", data=json.dumps(DECODE), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 200


def test_a_json_body_that_is_not_an_object_is_still_invalid_request(client):
    assert_canonical_error(client.post("/api/decode", json=[DECODE]), 400, "invalid_request")


# --- Headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    (
        ("get", "/", {}),
        ("post", "/api/decode", {"json": DECODE}),
        ("post", "/api/decode", {"data": "x", "content_type": "text/plain"}),
        ("get", "/api/nothing", {}),
        ("get", "/", {"headers": {"Host": "evil.example"}}),
    ),
)
def test_every_answer_carries_the_security_headers(client, method, path, kwargs):
    with getattr(client, method)(path, **kwargs) as response:
        headers = response.headers
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    if path.startswith("/api/"):
        assert headers["Cache-Control"] == "no-store"


# --- The rules themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    (
        ("localhost:8765", ("localhost", 8765)),
        ("LocalHost", ("localhost", 80)),
        ("[::1]:8765", ("::1", 8765)),
        ("[::1]", ("::1", 80)),
        ("127.0.0.1:", ("127.0.0.1", 80)),
        ("::1", None),
        ("[::1]x", None),
        ("localhost:99999999", None),
        ("localhost:http", None),
        (":8765", None),
    ),
)
def test_split_host(host, expected):
    assert security.split_host(host) == expected


def test_a_server_on_a_wildcard_address_answers_its_ip_addresses_but_no_names():
    served = security.Served.at("0.0.0.0", PORT)
    assert served.allows("192.168.1.20", PORT)
    assert served.allows("localhost", PORT)
    assert served.allows(socket.gethostname().lower(), PORT)
    assert not served.allows("evil.example", PORT)
    assert not served.allows("192.168.1.20", PORT + 1)


@pytest.mark.parametrize(
    ("host", "loopback_only"),
    (
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.5", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        (None, False),
        ("192.168.1.5", False),
        ("debugger.lan", False),
    ),
)
def test_a_server_knows_whether_it_listens_beyond_loopback(host, loopback_only):
    assert security.Served.at(host, PORT).loopback_only is loopback_only
    assert security.LOOPBACK_ANY_PORT.loopback_only is True


def test_a_server_on_a_named_host_answers_that_name():
    served = security.Served.at("debugger.lan", PORT)
    assert served.allows("debugger.lan", PORT)
    assert served.allows("127.0.0.1", PORT)
    assert not served.allows("192.168.1.20", PORT)


def test_a_request_without_a_host_is_refused():
    with pytest.raises(DebuggerError) as refused:
        security.check_host(None, security.Served.at("127.0.0.1", 8765))
    assert refused.value.code == "host_not_allowed" and refused.value.status == 403


def test_the_refusal_names_the_addresses_to_use():
    with pytest.raises(DebuggerError) as refused:
        security.check_host("evil.example", security.Served.at("127.0.0.1", PORT))
    assert refused.value.status == 403
    assert f"localhost:{PORT}" in refused.value.message


# --- Through the real server ------------------------------------------------------------------


def _raw_request(url: str, method: str, path: str, headers: dict[str, str], body: bytes = b""):
    host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def real_server():
    running = start_server()
    yield running
    stop_server(running)


def test_the_real_server_refuses_a_rebound_host_and_a_foreign_origin(real_server):
    own = real_server.url.split("//")[1].rstrip("/")
    port = int(own.rsplit(":", 1)[1])
    body = json.dumps(DECODE).encode()
    json_type = {"Content-Type": "application/json"}
    cases = (
        ({"Host": own}, 200, None),
        ({"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}, 200, None),
        ({"Host": f"evil.example:{port}"}, 403, "host_not_allowed"),
        ({"Host": f"127.0.0.1:{port + 1}"}, 403, "host_not_allowed"),
        ({"Host": own, "Origin": "http://evil.example"}, 403, "origin_not_allowed"),
    )
    for headers, status, code in cases:
        got, content_type, data = _raw_request(
            real_server.url, "POST", "/api/decode", {**headers, **json_type}, body
        )
        assert got == status, (headers, data)
        assert content_type.startswith("application/json")
        if code is not None:
            assert json.loads(data)["error"]["code"] == code


def test_the_real_server_refuses_a_form_post_with_415(real_server):
    own = real_server.url.split("//")[1].rstrip("/")
    headers = {
        "Host": own,
        "Origin": f"http://{own}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, _, data = _raw_request(real_server.url, "POST", "/api/verify", headers, b"token=x")
    assert status == 415
    assert json.loads(data)["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("size", (MAX_BODY_BYTES + 1, 3 * MAX_BODY_BYTES))
def test_the_real_server_answers_an_oversized_body_with_a_json_413(real_server, size):
    own = real_server.url.split("//")[1].rstrip("/")
    body = b'{"token": "' + b"a" * size + b'"}'
    headers = {"Host": own, "Content-Type": "application/json"}
    status, content_type, data = _raw_request(real_server.url, "POST", "/api/decode", headers, body)
    assert status == 413
    assert content_type.startswith("application/json")
    assert json.loads(data)["error"]["code"] == "too_large"
