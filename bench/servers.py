"""Start the servers under test on free loopback ports, talk to them, and stop them."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 20.0


@dataclass
class Running:
    """A server process and where it listens."""

    process: subprocess.Popen[str]
    host: str
    port: int
    #: Seconds from starting the process to its first successful page load.
    startup: float

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def rss_kib(self) -> int:
        """The process's resident set size (VmRSS), in KiB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("VmRSS not found")

    def stop(self) -> str:
        """Stop the process and return what it printed."""
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out or ""


def start(command: list[str], *, first_path: str = "/") -> Running:
    """Run `command` (which prints its URL), then GET `first_path` until it answers 200."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    printed = []
    while time.perf_counter() - started < STARTUP_TIMEOUT:
        line = process.stdout.readline()
        if not line:
            break
        printed.append(line)
        match = re.search(r"http://([0-9.]+):(\d+)/", line)
        if match:
            host, port = match.group(1), int(match.group(2))
            _wait_for_page(host, port, first_path, started)
            return Running(process, host, port, time.perf_counter() - started)
    process.kill()
    rest, _ = process.communicate()
    raise RuntimeError("the server did not start:\n" + "".join(printed) + (rest or ""))


def _wait_for_page(host: str, port: int, path: str, started: float) -> None:
    while time.perf_counter() - started < STARTUP_TIMEOUT:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError(f"no successful answer from {host}:{port}{path}")


def start_debugger() -> Running:
    """`python -m debugger --no-browser --port 0`, as a user starts it."""
    return start([sys.executable, "-m", "debugger", "--no-browser", "--port", "0"])


def start_bare() -> Running:
    """The baseline: a bare Flask route that only calls `jwt.decode`."""
    return start([sys.executable, "-m", "bench.baseline"], first_path="/ready")


class Client:
    """One keep-alive HTTP/1.1 connection, as a browser tab keeps one."""

    def __init__(self, server: Running) -> None:
        self.server = server
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=30)

    def post(self, path: str, body: Any) -> tuple[int, bytes]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request("POST", path, data)

    def request(self, method: str, path: str, data: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if data is not None else {}
        try:
            self.connection.request(method, path, data, headers)
            response = self.connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            # The server may close a connection (after a refused oversized body): reconnect once.
            self.connection.close()
            self.connection.request(method, path, data, headers)
            response = self.connection.getresponse()
            answer = response.read()
        if response.will_close:
            self.connection.close()
        return response.status, answer

    def timed_post(self, path: str, body: Any) -> tuple[float, int, bytes]:
        """Seconds for one request: the body is encoded before the clock starts."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        started = time.perf_counter()
        status, answer = self.request("POST", path, data)
        return time.perf_counter() - started, status, answer

    def close(self) -> None:
        self.connection.close()
