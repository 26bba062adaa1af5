"""A short load test of the real server over loopback (the full one is `python -m bench.load`)."""

from __future__ import annotations

from bench.load import MEMORY_LIMIT_KIB, memory_growth, run_load

from .conftest import start_server, stop_server


def test_concurrent_clients_mixing_decode_verify_and_encode_see_no_errors(record_property):
    server = start_server()
    try:
        result = run_load(server.url, clients=16, seconds=3)
    finally:
        output = stop_server(server)
    print(f"short load test: {result.summary()}")
    record_property("p99_ms", round(result.percentile(0.99) * 1000, 1))
    assert result.errors == [], result.errors[:5]
    assert result.requests >= 100, result.summary()
    assert "Traceback" not in output


def test_memory_does_not_grow_across_many_large_requests():
    server = start_server()
    try:
        before, after = memory_growth(server.url, server.process.pid, 1000)
    finally:
        stop_server(server)
    print(f"memory: {before} KiB after warm-up, {after} KiB after 1000 more requests")
    assert after - before < MEMORY_LIMIT_KIB, (before, after)
