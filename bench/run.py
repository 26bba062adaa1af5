"""Run every benchmark and print one table: each figure's median and spread, its budget, and
whether it is met.

    python -m bench            # the full run, a few minutes
    python -m bench --quick    # tiny counts: checks that every benchmark still works

It starts its own servers on free loopback ports (the debugger, as `python -m debugger
--no-browser --port 0`, and a bare Flask baseline) and stops them. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` as well as `python -m bench`
    sys.path.insert(0, str(ROOT))

from bench import api, local, page  # noqa: E402
from bench.figures import Figure, guarded, table  # noqa: E402
from bench.servers import start_debugger  # noqa: E402

SECTIONS = ("startup", "api", "page", "memory", "keygen", "secrets", "cli")


def _progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def _body_limit() -> int:
    from debugger.web.app import MAX_BODY_BYTES

    return MAX_BODY_BYTES


def run(sections: tuple[str, ...], quick: bool) -> list[Figure]:
    api_counts = api.QUICK if quick else api.FULL
    page_counts = page.QUICK if quick else page.FULL
    local_counts = local.QUICK if quick else local.FULL
    limit = _body_limit()
    figures: list[Figure] = []

    def section(name: str, rows: list[tuple[str, str]], measure: Callable[[], list[Figure]]):
        if name in sections:
            _progress(name)
            figures.extend(guarded(rows, measure))

    needs_server = {"startup", "api", "page"} & set(sections)
    server = start_debugger() if needs_server else None
    try:
        if server is not None:
            section(
                "startup",
                [("Start-up to first page load", "s")],
                lambda: [local.startup(local_counts, first=server.startup)],
            )
            section(
                "api",
                [(f"API /api/verify {alg}", "ms") for alg in api.LATENCY_ALGS]
                + [
                    ("API bare Flask jwt.decode HS256", "ms"),
                    ("API /api/verify HS256 ÷ bare route (per run)", "×"),
                ],
                lambda: api.latency(server, api_counts),
            )
            section(
                "api",
                [("API throughput, 8 concurrent clients, verify HS256", "req/s")],
                lambda: [api.throughput(server, api_counts)],
            )
            section(
                "api",
                [
                    ("API decode, 1 MiB payload", "ms"),
                    ("API over-limit body refused (too_large)", "ms"),
                ],
                lambda: api.big_input(server, api_counts, limit),
            )
            section("page", [("Browser", "ms")], lambda: page.measure(server, page_counts, limit))
    finally:
        if server is not None:
            server.stop()
    section(
        "memory",
        [
            (f"Server RSS after {api_counts.memory_total:,} mixed requests", "MB"),
            ("RSS growth over the second half", "MB"),
        ],
        lambda: api.memory(api_counts),
    )
    section(
        "keygen",
        [("Key generation RSA 2048", "s"), ("Key generation RSA 4096", "s")],
        lambda: local.key_generation(local_counts),
    )
    section(
        "secrets",
        [("Weak-secret search, public list, one HS256 token", "ms")],
        lambda: [local.weak_secret_search(local_counts)],
    )
    section(
        "cli",
        [("CLI: python -c 'import jwt' (baseline)", "ms"), ("CLI decode TOKEN", "ms")],
        lambda: local.cli_decode(local_counts),
    )
    return figures


def describe_machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.system()}, "
        f"{os.cpu_count()} CPUs, load average at the start {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure every performance budget of the debugger and print one table.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke test")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a budget is not met (not just on errors)"
    )
    args = parser.parse_args(argv)
    sections = tuple(args.only or SECTIONS)
    started = time.perf_counter()
    machine = describe_machine()
    figures = run(sections, args.quick)
    mode = "quick (smoke) run" if args.quick else "full run"
    elapsed = time.perf_counter() - started
    end_load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"JWT debugger benchmark, {mode}: {machine} (at the end {end_load}); {elapsed:.0f} s")
    print()
    print(table(figures))
    errors = [figure for figure in figures if figure.error]
    failed = [figure for figure in figures if figure.passed is False]
    print()
    print(
        f"{len(figures)} figures: {sum(f.passed is True for f in figures)} pass, {len(failed)} "
        f"fail, {len(errors)} errors, {sum(f.passed is None and not f.error for f in figures)} "
        "reported or not measured"
    )
    if errors:
        return 1
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
