"""Benchmark: a full wordlist against one HS256 token, against the 0.1 s budget.

Uses the public list of real-world JWT secrets at ../shared/data/jwt-secrets/jwt.secrets.list
(relative to the repository root) when it is there, and otherwise a generated list of the same
size. Prints the median of several runs of each step.

    python bench/weak_secrets.py [--runs 9] [--wordlist FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from debugger.analysis.weak_secrets import find_secret, read_wordlist  # noqa: E402

PUBLIC_LIST = ROOT.parent / "shared" / "data" / "jwt-secrets" / "jwt.secrets.list"
BUDGET = 0.1
LIST_SIZE = 103_979
SIGNING_INPUT = (
    b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    b"eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
)


def median_time(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_search(signature: bytes, words: list[bytes]) -> bytes | None:
    for word in words:
        if hmac.compare_digest(hmac.new(word, SIGNING_INPUT, hashlib.sha256).digest(), signature):
            return word
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--wordlist", type=Path, default=PUBLIC_LIST)
    args = parser.parse_args()
    if args.wordlist.is_file():
        source = os.path.relpath(args.wordlist, ROOT)
        words = read_wordlist(args.wordlist)
        read = median_time(lambda: read_wordlist(args.wordlist), args.runs)
    else:
        source = f"generated ({args.wordlist} not found)"
        words = [os.urandom(12).hex().encode() for _ in range(LIST_SIZE)]
        read = float("nan")
    # The worst case: the secret is the last entry, so every entry is tried.
    secret = words[-1]
    signature = hmac.digest(secret, SIGNING_INPUT, "sha256")
    assert find_secret(SIGNING_INPUT, signature, "HS256", words) == secret
    absent = hmac.digest(b"not in any list: " + os.urandom(16), SIGNING_INPUT, "sha256")

    def search(target: bytes) -> Callable[[], object]:
        return lambda: find_secret(SIGNING_INPUT, target, "HS256", words)

    found_last = median_time(search(signature), args.runs)
    not_found = median_time(search(absent), args.runs)
    naive = median_time(lambda: naive_search(absent, words), max(3, args.runs // 3))

    print(f"wordlist: {source}: {len(words):,} secrets; median of {args.runs} runs")
    print(f"  read and split the file          {read * 1000:7.1f} ms")
    print(f"  search, secret is the last entry {found_last * 1000:7.1f} ms")
    print(f"  search, secret not in the list   {not_found * 1000:7.1f} ms")
    print(f"  for comparison: hmac.new loop    {naive * 1000:7.1f} ms")
    worst = max(found_last, not_found)
    verdict = "within" if worst < BUDGET else "OVER"
    print(f"budget {BUDGET * 1000:.0f} ms per search: {verdict} ({worst * 1000:.1f} ms)")
    return 0 if worst < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
