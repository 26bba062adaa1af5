"""Benchmark: wall time of `python -m debugger decode TOKEN`, against the 150 ms budget.

Starting Python and importing PyJWT are measured in the same run, so the cost of the debugger's
own work stays visible. Prints the median and the range of several runs of each.

    python bench/cli_startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from debugger.jose.sign import encode  # noqa: E402

BUDGET_MS = 150.0
SECRET = "a-benchmark-secret-of-32-bytes!!"


def environment(cache: str) -> dict[str, str]:
    """The environment of an installed program: bytecode cached (in `cache`, not in the
    checkout), as pip leaves it, even where PYTHONDONTWRITEBYTECODE is set."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def wall_times(commands: list[list[str]], runs: int) -> list[list[float]]:
    """Milliseconds each run of each command takes. The commands take turns, so a busy moment
    of the machine slows all of them alike; one warm-up run each comes first."""
    samples: list[list[float]] = [[] for _ in commands]
    with tempfile.TemporaryDirectory() as cache:
        env = environment(cache)
        for round_number in range(runs + 1):
            for command, times in zip(commands, samples, strict=True):
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True, env=env)
                if round_number:
                    times.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    args = parser.parse_args()
    token = encode(
        {"alg": "HS256", "typ": "JWT"},
        {"sub": "1234567890", "name": "Ada", "iat": 1_700_000_000, "exp": 1_700_003_600},
        SECRET,
    )["token"]
    python = sys.executable
    rows = [
        ("python -c pass", [python, "-c", "pass"], None),
        ("python -c 'import jwt'", [python, "-c", "import jwt"], None),
        ("decode TOKEN", [python, "-m", "debugger", "decode", token], BUDGET_MS),
        ("decode TOKEN --json", [python, "-m", "debugger", "decode", token, "--json"], BUDGET_MS),
    ]
    print(f"{'command':<26} {'median':>9} {'min-max':>15}   budget")
    all_samples = wall_times([command for _, command, _ in rows], args.runs)
    for (name, _, budget), samples in zip(rows, all_samples, strict=True):
        median = statistics.median(samples)
        spread = f"{min(samples):.0f}-{max(samples):.0f} ms"
        verdict = ""
        if budget is not None:
            verdict = f"{budget:.0f} ms  {'pass' if median <= budget else 'FAIL'}"
        print(f"{name:<26} {median:>6.1f} ms {spread:>15}   {verdict}")
    print(f"({args.runs} runs each, taking turns, after one warm-up run; bytecode cached)")


if __name__ == "__main__":
    main()
