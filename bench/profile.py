"""Profile the server's side of a keystroke: where /api/verify and /api/decode spend their time.

    python -m bench.profile [--alg HS256] [--path verify] [--requests 2000] [--sort tottime]

The requests go through the whole Flask application (request parsing, the security checks, the
view, the JSON answer) in this process, under cProfile, without a socket in between.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import samples  # noqa: E402
from debugger.web.app import create_app  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--alg", default="HS256", choices=("HS256", "RS256", "ES256", "EdDSA"))
    parser.add_argument("--path", default="verify", choices=("verify", "decode"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--limit", type=int, default=30, help="rows to print")
    args = parser.parse_args(argv)
    sample = samples.signed(args.alg)
    body = (
        {"token": sample.token}
        if args.path == "decode"
        else {"token": sample.token, "key": sample.key}
    )
    client = create_app().test_client()
    url = f"/api/{args.path}"
    for _ in range(50):
        client.post(url, json=body)
    started = time.perf_counter()
    for _ in range(args.requests):
        client.post(url, json=body)
    plain = (time.perf_counter() - started) / args.requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        response = client.post(url, json=body)
    profiler.disable()
    if response.status_code != 200:
        print(f"{url} answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
        return 1
    print(f"{url} {args.alg}: {plain * 1e6:.0f} µs per request in-process, without profiling")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.limit)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
