"""The JSON API over loopback: latency per algorithm against a bare Flask route, throughput with
8 concurrent clients, memory under a long mixed load, and inputs at and above the body limit."""

from __future__ import annotations

import json
import statistics
import threading
import time
from dataclasses import dataclass

from . import samples
from .figures import Budget, Figure
from .servers import Client, Running, start_bare, start_debugger

MS = 1000.0
LATENCY_ALGS = ("HS256", "RS256", "ES256", "EdDSA")
RS256_PRIVATE = "RS256, RSA private key as the key"


@dataclass(frozen=True)
class Counts:
    runs: int
    requests: int  # per run, for latency
    warmup: int
    throughput_per_client: int
    memory_total: int
    big_runs: int


FULL = Counts(
    runs=5, requests=200, warmup=50, throughput_per_client=250, memory_total=10_000, big_runs=5
)
QUICK = Counts(runs=2, requests=5, warmup=2, throughput_per_client=3, memory_total=200, big_runs=1)


def _verify_body(alg: str) -> bytes:
    sample = samples.signed(alg)
    return json.dumps({"token": sample.token, "key": sample.key}).encode()


def _verify_bodies(alg: str, count: int, key: str | None = None) -> list[bytes]:
    """`count` verify requests, each with another token: no answer can come from a cache."""
    return [
        json.dumps({"token": sample.token, "key": key or sample.key}).encode()
        for sample in samples.signed_many(alg, count)
    ]


def _run(client: Client, path: str, body: bytes | list[bytes], count: int) -> list[float]:
    bodies = body if isinstance(body, list) else [body]
    times = []
    for index in range(count):
        elapsed, status, answer = client.timed_post(path, bodies[index % len(bodies)])
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {answer[:200]!r}")
        times.append(elapsed * MS)
    return times


def latency(server: Running, counts: Counts) -> list[Figure]:
    """/api/verify per algorithm, and HS256 beside the bare route, interleaved run by run."""
    bare = start_bare()
    try:
        ours, theirs = Client(server), Client(bare)
        bodies = {alg: _verify_bodies(alg, counts.requests) for alg in LATENCY_ALGS}
        # The key box holds the private key (as when editing claims): reading it is the cost.
        bodies[RS256_PRIVATE] = _verify_bodies(
            "RS256", counts.requests, samples.private_pem("RS256")
        )
        for alg in bodies:
            _run(ours, "/api/verify", bodies[alg], counts.warmup)
        _run(theirs, "/verify", bodies["HS256"], counts.warmup)
        per_alg: dict[str, list[float]] = {alg: [] for alg in bodies}
        bare_times: list[float] = []
        ratios: list[float] = []
        for _ in range(counts.runs):
            # Alternate the two servers so that a busy moment of the machine hits both alike.
            run_bare = _run(theirs, "/verify", bodies["HS256"], counts.requests)
            run_ours = _run(ours, "/api/verify", bodies["HS256"], counts.requests)
            bare_times += run_bare
            per_alg["HS256"] += run_ours
            ratios.append(statistics.median(run_ours) / statistics.median(run_bare))
            for alg in list(bodies)[1:]:
                per_alg[alg] += _run(ours, "/api/verify", bodies[alg], counts.requests)
        ours.close()
        theirs.close()
    finally:
        bare.stop()
    two_ms = (Budget(2.0),)
    figures = [
        Figure(f"API /api/verify {alg}", "ms", per_alg[alg], two_ms, spread="p95")
        for alg in per_alg
    ]
    figures.append(Figure("API bare Flask jwt.decode HS256", "ms", bare_times, spread="p95"))
    figures.append(
        Figure(
            "API /api/verify HS256 ÷ bare route (per run)",
            "×",
            ratios,
            (Budget(1.2),),
            note="",
        )
    )
    return figures


def throughput(server: Running, counts: Counts, clients: int = 8) -> Figure:
    """Requests per second with `clients` concurrent keep-alive clients verifying HS256."""
    body = _verify_body("HS256")
    rates = [
        _throughput_run(server, body, clients, counts.throughput_per_client)
        for _ in range(max(1, counts.runs // 2 + 1))
    ]
    return Figure(f"API throughput, {clients} concurrent clients, verify HS256", "req/s", rates)


def _throughput_run(server: Running, body: bytes, clients: int, per_client: int) -> float:
    failures: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def client_loop() -> None:
        client = Client(server)
        barrier.wait()
        try:
            _run(client, "/api/verify", body, per_client)
        except Exception as err:  # reported below: the run is then worthless
            failures.append(repr(err))
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(failures[0])
    return clients * per_client / elapsed


def memory(counts: Counts) -> list[Figure]:
    """RSS of a fresh server after `memory_total` mixed requests, and its growth over the second
    half (sampled every tenth of the way)."""
    server = start_debugger()
    try:
        client = Client(server)
        mix = [
            (m, p, None if b is None else json.dumps(b).encode())
            for m, p, b in samples.request_mix()
        ]
        step = counts.memory_total // 10
        rss: list[int] = []
        for index in range(counts.memory_total):
            method, path, body = mix[index % len(mix)]
            client.request(method, path, body)
            if (index + 1) % step == 0:
                rss.append(server.rss_kib())
        client.close()
    finally:
        server.stop()
    mib = [value / 1024 for value in rss]
    half = mib[len(mib) // 2 - 1 :]  # from the 5,000th request on
    growth = [value - half[0] for value in half[1:]]
    total = counts.memory_total
    return [
        Figure(f"Server RSS after {total:,} mixed requests", "MB", [mib[-1]], (Budget(80),)),
        Figure(
            f"RSS growth from request {total // 2:,} to {total:,}",
            "MB",
            [growth[-1]],
            (Budget(1.0),),
            note=f"samples {', '.join(f'{g:+.2f}' for g in growth)} MB",
        ),
    ]


def big_input(server: Running, counts: Counts, limit: int) -> list[Figure]:
    """/api/decode of a token with a 1 MiB payload, and how fast an over-limit body is refused."""
    client = Client(server)
    token = samples.big_token(samples.MIB)
    body = json.dumps({"token": token}).encode()
    times = []
    for _ in range(counts.big_runs):
        elapsed, status, answer = client.timed_post("/api/decode", body)
        if status != 200:
            raise RuntimeError(f"the 1 MiB payload was refused: {status} {answer[:200]!r}")
        times.append(elapsed * MS)
    over = json.dumps({"token": "a" * (limit + 1)}).encode()
    refusals = []
    for _ in range(counts.big_runs):
        elapsed, status, answer = client.timed_post("/api/decode", over)
        code = json.loads(answer).get("error", {}).get("code")
        if status != 413 or code != "too_large":
            raise RuntimeError(f"an over-limit body gave {status} {code}")
        refusals.append(elapsed * MS)
    client.close()
    return [
        Figure("API decode, 1 MiB payload", "ms", times),
        Figure(
            "API over-limit body refused (too_large)",
            "ms",
            refusals,
            (Budget(100),),
        ),
    ]
