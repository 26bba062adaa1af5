"""Figures measured in this process or in short-lived children: start-up, key generation, the
weak-secret search and the command line."""

from __future__ import annotations

import hmac
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

from .figures import Budget, Figure
from .servers import start_debugger

MS = 1000.0


@dataclass(frozen=True)
class Counts:
    startups: int
    rsa_2048: int
    rsa_4096: int
    searches: int


FULL = Counts(startups=7, rsa_2048=5, rsa_4096=3, searches=7)
QUICK = Counts(startups=1, rsa_2048=1, rsa_4096=1, searches=1)


def startup(counts: Counts, first: float | None = None) -> Figure:
    """From starting `python -m debugger --no-browser` to the first successful page load."""
    times = [] if first is None else [first]
    while len(times) < counts.startups:
        server = start_debugger()
        times.append(server.startup)
        server.stop()
    return Figure("Start-up to first page load", "s", times, (Budget(0.5),))


def key_generation(counts: Counts) -> list[Figure]:
    """RSA key generation through the debugger's own `generate_key`, as the page asks for it."""
    try:
        from debugger.jose.keygen import generate_key
    except ImportError:
        note = "the debugger has no key generation"
        return [Figure(f"Key generation RSA {bits}", "s", note=note) for bits in (2048, 4096)]
    figures = []
    for bits, runs in ((2048, counts.rsa_2048), (4096, counts.rsa_4096)):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            generate_key("RS256", bits)
            times.append(time.perf_counter() - started)
        figures.append(Figure(f"Key generation RSA {bits}", "s", times))
    return figures


def weak_secret_search(counts: Counts) -> Figure:
    """The public list of 103,979 secrets against one HS256 token whose secret is in none: every
    entry is tried. The list is read beside the repository, never copied into it."""
    name = "Weak-secret search, public list, one HS256 token"
    try:
        from debugger.analysis.weak_secrets import find_secret, read_wordlist

        from . import weak_secrets as script
    except ImportError as err:
        return Figure(name, "ms", note=f"not available ({err.name})")
    if not script.PUBLIC_LIST.is_file():
        return Figure(name, "ms", note="the public list is not beside the repository")
    words = read_wordlist(script.PUBLIC_LIST)
    signing_input: bytes = script.SIGNING_INPUT
    absent = hmac.digest(b"in no list: " + os.urandom(16), signing_input, "sha256")
    times = []
    for _ in range(counts.searches):
        started = time.perf_counter()
        found: Any = find_secret(signing_input, absent, "HS256", words)
        times.append((time.perf_counter() - started) * MS)
        if found is not None:
            raise RuntimeError("a random secret was found in the list")
    budget = getattr(script, "BUDGET", 0.1) * MS
    return Figure(name, "ms", times, (Budget(budget),), note=f"{len(words):,} secrets")


def cli_decode(counts: Counts) -> list[Figure]:
    """`python -m debugger decode TOKEN` wall time, beside Python importing PyJWT, through the
    command line's own benchmark (bench/cli_startup.py): the two take turns."""
    try:
        from . import cli_startup as cli
    except ImportError as err:
        return [Figure("CLI decode TOKEN", "ms", note=f"not available ({err.name})")]
    token = cli.encode(
        {"alg": "HS256", "typ": "JWT"},
        {"sub": "1234567890", "name": "Ada", "iat": 1_700_000_000, "exp": 1_700_003_600},
        cli.SECRET,
    )["token"]
    python = sys.executable
    baseline, decode = cli.wall_times(
        [[python, "-c", "import jwt"], [python, "-m", "debugger", "decode", token]],
        counts.startups,
    )
    return [
        Figure("CLI: python -c 'import jwt' (baseline)", "ms", baseline),
        Figure("CLI decode TOKEN", "ms", decode, (Budget(cli.BUDGET_MS),)),
    ]
