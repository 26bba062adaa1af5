"""Keep-alive connections: several requests on one connection, and a clean close whenever the
stream cannot be trusted to stand at the next request line."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from debugger.keepalive import KeepAliveRequestHandler


def _echo_app(environ, start_response):
    """Answers with the method, path and body it was sent; /boom fails, /stream has no length."""
    path = environ["PATH_INFO"]
    if path == "/boom":
        raise RuntimeError("the application failed")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    if environ.get("wsgi.input_terminated"):
        body = environ["wsgi.input"].read()
    answer = json.dumps(
        {"method": environ["REQUEST_METHOD"], "path": path, "body": body.decode()}
    ).encode()
    if path == "/not-modified":
        start_response("304 Not Modified", [])
        return [b""]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "application/json")])
        return iter([answer[:5], answer[5:]])
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))]
    )
    return [answer]


class _Handler(KeepAliveRequestHandler):
    max_body = 1000

    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture
def address() -> Iterator[tuple[str, int]]:
    server = make_server("127.0.0.1", 0, _echo_app, threaded=True, request_handler=_Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.port
    server.shutdown()
    server.server_close()


@pytest.fixture
def connection(address) -> Iterator[http.client.HTTPConnection]:
    opened = http.client.HTTPConnection(*address, timeout=5)
    yield opened
    opened.close()


def _ask(connection, method, path, body=None, headers=None):
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_several_requests_share_one_connection(connection):
    answers = []
    for number in range(3):
        response, body = _ask(connection, "POST", f"/{number}", json.dumps({"n": number}))
        assert response.status == 200 and not response.will_close
        answers.append(json.loads(body))
        if number == 0:
            first_socket = connection.sock
        assert connection.sock is first_socket
    assert [a["body"] for a in answers] == [json.dumps({"n": n}) for n in range(3)]


def test_an_unread_body_never_becomes_the_next_request(connection):
    # The application reads nothing of a GET body; the handler still consumes it.
    response, _ = _ask(connection, "GET", "/first", "GET /smuggled HTTP/1.1\r\n\r\n")
    assert response.status == 200
    response, body = _ask(connection, "GET", "/second")
    assert json.loads(body)["path"] == "/second"


def test_a_body_over_the_limit_is_left_to_werkzeug_which_closes(connection):
    response, body = _ask(connection, "POST", "/big", "x" * 1001)
    assert response.status == 200 and response.will_close
    assert len(json.loads(body)["body"]) == 1001


def test_a_chunked_body_is_read_and_the_connection_closed(connection):
    connection.request("POST", "/chunked", body=iter([b"ab", b"cd"]), encode_chunked=True)
    response = connection.getresponse()
    assert json.loads(response.read())["body"] == "abcd"
    assert response.will_close


def test_an_answer_without_a_length_gets_one_and_keeps_the_connection(connection):
    response, body = _ask(connection, "GET", "/stream")
    assert response.getheader("Content-Length") == str(len(body))
    assert json.loads(body)["path"] == "/stream" and not response.will_close
    response, body = _ask(connection, "GET", "/after")
    assert json.loads(body)["path"] == "/after"


def test_head_keeps_the_length_and_sends_no_body(connection):
    response, body = _ask(connection, "HEAD", "/head")
    assert body == b"" and int(response.getheader("Content-Length")) > 0
    response, body = _ask(connection, "GET", "/after-head")
    assert json.loads(body)["path"] == "/after-head"


def test_not_modified_has_no_body_and_the_connection_stays(connection):
    response, body = _ask(connection, "GET", "/not-modified")
    assert response.status == 304 and body == b"" and not response.will_close
    response, body = _ask(connection, "GET", "/after")
    assert json.loads(body)["path"] == "/after"


def test_a_failing_application_gives_a_500_and_closes(connection):
    response, body = _ask(connection, "GET", "/boom")
    assert response.status == 500 and response.will_close
    assert b"the application failed" not in body


def test_http_1_0_and_connection_close_are_honoured(address, connection):
    with socket.create_connection(address, timeout=5) as raw:
        raw.sendall(b"GET /old HTTP/1.0\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := raw.recv(4096):  # the server closes: recv returns b""
            received += chunk
    assert received.startswith(b"HTTP/1.1 200") or received.startswith(b"HTTP/1.0 200")
    response, _ = _ask(connection, "GET", "/bye", headers={"Connection": "close"})
    assert response.status == 200 and response.will_close


def test_the_debugger_keeps_the_connection_between_keystrokes(server):
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        _debugger_keeps_the_connection(connection)
    finally:
        connection.close()


def _debugger_keeps_the_connection(connection):
    headers = {"Content-Type": "application/json"}
    response, _ = _ask(connection, "GET", "/")
    first_socket = connection.sock
    for token in ("e", "ey", "eyJ"):
        body = json.dumps({"token": token})
        response, body = _ask(connection, "POST", "/api/decode", body, headers)
        assert response.status == 200 and not response.will_close
        assert json.loads(body)["token"] == token
    assert connection.sock is first_socket
    response, body = _ask(connection, "POST", "/api/decode", b"x" * (3 * 1024 * 1024), headers)
    assert response.status == 413 and response.will_close
    assert json.loads(body)["error"]["code"] == "too_large"
