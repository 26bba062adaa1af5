"""The real server, started as `python -m debugger`, spoken to over raw sockets on 127.0.0.1:
keep-alive, malformed requests, oversized ones, requests without a Host, slow clients and
start-up time."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from debugger.web.app import MAX_BODY_BYTES, MAX_HEADER_BYTES

from ..conftest import ROOT, Server, start_server, stop_server

#: Process start to first answered request, in seconds. The budget (README) is 0.5 s; the
#: bound leaves room for a machine busy with other work and still catches a server that
#: imports or prepares something slow before it listens.
STARTUP_BOUND = 2.0


@pytest.fixture(scope="module")
def running() -> Iterator[Server]:
    server = start_server()
    yield server
    stop_server(server)


def _address(server: Server) -> tuple[str, int]:
    host, port = server.url.split("//")[1].rstrip("/").rsplit(":", 1)
    return host, int(port)


def _host(server: Server) -> bytes:
    return server.url.split("//")[1].rstrip("/").encode()


class _Answers:
    """The answers on one raw connection, read in order through one buffered stream (a new
    `HTTPResponse` per answer would each buffer, and lose, the start of the next)."""

    def __init__(self, sock: socket.socket) -> None:
        self._stream = sock.makefile("rb")

    def makefile(self, *args: object) -> _Answers:
        return self

    def readline(self, limit: int = -1) -> bytes:
        return self._stream.readline(limit)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def readinto(self, buffer: bytearray) -> int:
        return self._stream.readinto(buffer)

    def close(self) -> None:
        pass  # the next answer is read from the same stream

    def next(self, method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
        response = http.client.HTTPResponse(self, method=method)  # type: ignore[arg-type]
        response.begin()
        return response, response.read()


def _answer(sock: socket.socket, method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
    """Read the one answer expected on a raw connection."""
    return _Answers(sock).next(method)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the server closes its side within `seconds` (recv returns b"")."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _send(server: Server, data: bytes) -> tuple[http.client.HTTPResponse, bytes]:
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(data)
        return _answer(sock)


# --- Keep-alive ------------------------------------------------------------------------------


def test_several_requests_share_one_connection(running):
    host, port = _address(running)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Content-Type": "application/json"}
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        first_socket = connection.sock
        for token in ("e", "ey", "eyJ"):
            connection.request("POST", "/api/decode", json.dumps({"token": token}), headers)
            response = connection.getresponse()
            body = json.loads(response.read())
            assert response.status == 200 and not response.will_close
            assert body["token"] == token
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_an_unread_body_never_becomes_the_next_request(running):
    own = _host(running)
    smuggled = b"GET /api/smuggled HTTP/1.1\r\nHost: " + own + b"\r\n\r\n"
    first = b"GET /api/openapi.json HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n" % (
        own,
        len(smuggled),
    )
    second = b"GET /api/openapi.json HTTP/1.1\r\nHost: " + own + b"\r\n\r\n"
    with socket.create_connection(_address(running), timeout=10) as sock:
        sock.sendall(first + smuggled + second)
        answers = _Answers(sock)
        statuses = [answers.next()[0].status for _ in range(2)]
    assert statuses == [200, 200]


def test_a_chunked_body_is_read_whole(running):
    host, port = _address(running)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        body = iter([b'{"tok', b'en": "eyJ"}'])
        headers = {"Content-Type": "application/json"}
        connection.request("POST", "/api/decode", body, headers, encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["token"] == "eyJ"
    finally:
        connection.close()


def test_head_keeps_the_length_and_sends_no_body(running):
    own = _host(running)
    with socket.create_connection(_address(running), timeout=10) as sock:
        answers = _Answers(sock)
        sock.sendall(b"HEAD / HTTP/1.1\r\nHost: " + own + b"\r\n\r\n")
        response, body = answers.next("HEAD")
        assert body == b"" and int(response.getheader("Content-Length")) > 0
        sock.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: " + own + b"\r\n\r\n")
        assert answers.next()[0].status == 200


def test_http_1_0_and_connection_close_are_honoured(running):
    own = _host(running)
    for request in (
        b"GET / HTTP/1.0\r\nHost: " + own + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: " + own + b"\r\nConnection: close\r\n\r\n",
    ):
        with socket.create_connection(_address(running), timeout=10) as sock:
            sock.sendall(request)
            response, _ = _answer(sock)
            assert response.status == 200
            assert _closed_within(sock, 2)


def test_the_server_does_not_say_what_it_is(running):
    response, _ = _send(running, b"GET / HTTP/1.1\r\nHost: " + _host(running) + b"\r\n\r\n")
    assert response.getheader("Server") is None


# --- Requests the server refuses ---------------------------------------------------------------


def _malformed(own: bytes) -> tuple[bytes, ...]:
    return (
        # A superscript digit: str.isdigit() is true, int() fails.
        b"POST /api/decode HTTP/1.1\r\nHost: " + own + "\r\nContent-Length: ³\r\n\r\n".encode(),
        # A request target that urlsplit cannot split.
        b"GET http://[x/ HTTP/1.1\r\nHost: " + own + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: " + own + b"\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: " + own + b"\r\nNo colon here\r\n\r\n",
    )


@pytest.mark.parametrize("verbose", (False, True))
def test_a_malformed_request_gets_a_400_and_no_traceback(verbose):
    server = start_server(*(["--verbose"] if verbose else []))
    try:
        statuses = [_send(server, request)[0].status for request in _malformed(_host(server))]
    finally:
        output = stop_server(server)
    assert statuses == [400] * len(statuses)
    assert "Traceback" not in output and "Error" not in output, output
    if not verbose:
        assert output.strip() in ("", "Stopped."), output


@pytest.mark.parametrize(
    "request_line", (b"GET / HTTP/1.1", b"GET / HTTP/1.0", b"POST /api/decode HTTP/1.1")
)
def test_a_request_without_a_host_is_refused(running, request_line):
    body = b'{"token": "eyJ"}'
    response, data = _send(
        running,
        request_line
        + b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body,
    )
    assert response.status == 403
    assert json.loads(data)["error"]["code"] == "host_not_allowed"


@pytest.mark.parametrize("size", (MAX_BODY_BYTES + 1, 3 * MAX_BODY_BYTES))
def test_an_oversized_body_gets_a_json_413_and_the_connection_is_closed(running, size):
    body = b'{"token": "' + b"a" * size + b'"}'
    head = b"POST /api/decode HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" % (
        _host(running)
    )
    with socket.create_connection(_address(running), timeout=10) as sock:
        sock.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        response, data = _answer(sock)
        assert response.status == 413
        assert json.loads(data)["error"]["code"] == "too_large"
        assert _closed_within(sock, 2)


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(running):
    with socket.create_connection(_address(running), timeout=10) as sock:
        sock.sendall(
            b"POST /api/decode HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (_host(running), 100 * MAX_BODY_BYTES)
        )
        response, _ = _answer(sock)
        assert response.status == 413
        assert _closed_within(sock, 2)


@pytest.mark.parametrize("path", (b"/demo/protected", b"/api/openapi.json"))
def test_a_header_over_the_limit_gets_a_json_431(running, path):
    bearer = b"Authorization: Bearer " + b"a" * (MAX_HEADER_BYTES + 1)
    response, data = _send(
        running,
        b"GET " + path + b" HTTP/1.1\r\nHost: " + _host(running) + b"\r\n" + bearer + b"\r\n\r\n",
    )
    assert response.status == 431
    assert response.getheader("Content-Type") == "application/json"
    error = json.loads(data)["error"]
    assert error["code"] == "headers_too_large" and error["message"]


# --- Load and start-up ------------------------------------------------------------------------


def test_a_request_is_answered_while_200_slow_clients_trickle_bytes(running):
    """Each slow client sends one byte of its request line a second and never finishes."""
    address = _address(running)
    slow = []
    try:
        for _ in range(200):
            sock = socket.create_connection(address, timeout=5)
            sock.sendall(b"G")
            slow.append(sock)
        host, port = address
        for second in range(3):
            for sock in slow:
                sock.sendall(b"ET /"[second : second + 1])
            started = time.monotonic()
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", "/api/openapi.json")
            status = connection.getresponse().status
            connection.close()
            assert status == 200 and time.monotonic() - started < 1.0
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    finally:
        for sock in slow:
            sock.close()


def test_the_server_answers_its_first_request_quickly():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "debugger", "--no-browser", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server("", process)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
        elapsed = time.perf_counter() - started
        connection.close()
    finally:
        stop_server(server)
    assert elapsed < STARTUP_BOUND, f"{elapsed:.2f} s from start to the first answer"
