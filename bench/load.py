"""Load test over loopback: many concurrent clients mixing decode, verify and encode.

    python -m bench.load                  # 50 clients for 30 s, then memory across 10,000 requests
    python -m bench.load --clients 8 --seconds 3 --memory-requests 1000

It starts `python -m debugger --no-browser --port 0` itself, sends traffic only to that loopback
address, stops after the given time and request counts, and prints the request count, the
errors, the latency percentiles and the server's memory before and after. It exits non-zero on
any error or when memory grows past the limit. The tests run a short version of it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .servers import start_debugger

SECRET = "a-load-test-secret-of-32-bytes!!"
#: Growth of the server's resident memory, after warming up, that counts as a leak.
MEMORY_LIMIT_KIB = 32 * 1024


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(payload: dict[str, object]) -> str:
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = f"{header}.{_b64url(json.dumps(payload).encode())}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def request_mix(filler: int = 0) -> list[tuple[str, bytes]]:
    """One decode, one verify and one encode; `filler` characters make each body that large."""
    claims = {"sub": "load", "exp": 4_000_000_000, "pad": "x" * filler}
    token = hs256(claims)
    bodies = (
        ("/api/decode", {"token": token}),
        ("/api/verify", {"token": token, "key": SECRET}),
        ("/api/encode", {"header": {"alg": "HS256"}, "payload": claims, "key": SECRET}),
    )
    return [(path, json.dumps(body).encode()) for path, body in bodies]


@dataclass
class LoadResult:
    """What a load run saw: every latency in seconds, and every failure."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, share: float) -> float:
        """The latency under which `share` of the successful requests finished, in seconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def summary(self) -> str:
        ms = 1000.0
        return (
            f"{self.requests} requests in {self.seconds:.1f} s "
            f"({self.requests / self.seconds:.0f}/s), {len(self.errors)} errors; latency "
            f"p50 {self.percentile(0.50) * ms:.1f} ms, p99 {self.percentile(0.99) * ms:.1f} ms, "
            f"max {max(self.latencies, default=0) * ms:.1f} ms"
        )


class _Client:
    """One keep-alive connection to the server, reopened when the server closes it."""

    def __init__(self, host: str, port: int, netloc: str) -> None:
        self.host, self.port, self.netloc = host, port, netloc
        self.connection: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Content-Type": "application/json", "Host": self.netloc}
        try:
            self.connection.request("POST", path, body, headers)
            response = self.connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, answer

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _loopback_address(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the load test only targets loopback addresses, not {host}")
    return host, parts.port or 80, parts.netloc


def run_load(
    url: str,
    *,
    clients: int,
    seconds: float,
    max_requests: int | None = None,
    mix: list[tuple[str, bytes]] | None = None,
) -> LoadResult:
    """`clients` threads post the request mix until `seconds` pass (or `max_requests` are sent)."""
    host, port, netloc = _loopback_address(url)
    bodies = mix or request_mix()
    result = LoadResult(seconds)
    lock = threading.Lock()
    sent = 0
    started = time.perf_counter()
    deadline = started + seconds

    def worker(offset: int) -> None:
        nonlocal sent
        client = _Client(host, port, netloc)
        index = offset
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if max_requests is not None and sent >= max_requests:
                        return
                    sent += 1
                path, body = bodies[index % len(bodies)]
                index += 1
                began = time.perf_counter()
                try:
                    status, answer = client.post(path, body)
                except (OSError, http.client.HTTPException) as err:
                    with lock:
                        result.errors.append(f"{path}: {type(err).__name__}")
                    continue
                elapsed = time.perf_counter() - began
                with lock:
                    if status == 200:
                        result.latencies.append(elapsed)
                    else:
                        result.errors.append(f"{path}: {status} {answer[:120]!r}")
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    result.seconds = time.perf_counter() - started
    return result


def rss_kib(pid: int) -> int:
    """A process's resident set size (VmRSS), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    if match is None:
        raise RuntimeError("VmRSS not found")
    return int(match.group(1))


def memory_growth(url: str, pid: int, requests: int, *, filler: int = 50_000) -> tuple[int, int]:
    """Resident memory (KiB) after a warm-up and after `requests` more large requests."""
    mix = request_mix(filler)
    run_load(url, clients=4, seconds=600, max_requests=max(requests // 10, 60), mix=mix)
    before = rss_kib(pid)
    result = run_load(url, clients=4, seconds=600, max_requests=requests, mix=mix)
    if result.errors:
        raise RuntimeError(f"errors during the memory run: {result.errors[:5]}")
    return before, rss_kib(pid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--memory-requests", type=int, default=10_000)
    args = parser.parse_args(argv)
    server = start_debugger()
    try:
        result = run_load(server.url, clients=args.clients, seconds=args.seconds)
        print(f"load: {args.clients} clients: {result.summary()}")
        for error in result.errors[:10]:
            print(f"  error: {error}")
        before, after = memory_growth(server.url, server.process.pid, args.memory_requests)
        growth = after - before
        print(
            f"memory: {before / 1024:.1f} MiB after warm-up, {after / 1024:.1f} MiB after "
            f"{args.memory_requests} more requests ({growth / 1024:+.1f} MiB; limit "
            f"{MEMORY_LIMIT_KIB / 1024:.0f} MiB)"
        )
    finally:
        server.stop()
    return 1 if result.errors or growth > MEMORY_LIMIT_KIB else 0


if __name__ == "__main__":
    sys.exit(main())
