"""The benchmark suite keeps working: its smoke run prints every figure, and its statistics are
right. The real figures are never asserted here: machines are noisy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import page as bench_page
from bench import samples
from bench.figures import Budget, Figure, percentile, table
from bench.servers import start_bare

from .conftest import ROOT

#: Every figure the full run reports, by name (a prefix where the name carries a count).
FIGURES = (
    "Start-up to first page load",
    "API /api/verify HS256",
    "API /api/verify RS256",
    "API /api/verify ES256",
    "API /api/verify EdDSA",
    "API bare Flask jwt.decode HS256",
    "API /api/verify HS256 ÷ bare route (per run)",
    "API throughput, 8 concurrent clients, verify HS256",
    "API decode, 1 MiB payload",
    "API over-limit body refused (too_large)",
    "Keystroke → verdict, token box, HS256",
    "Keystroke → verdict, key box, HS256",
    "Keystroke → verdict, token box, RS256",
    "Keystroke → verdict, key box, RS256",
    "Keystroke → verdict, lean page and bare route (reference)",
    "Keystroke → verdict, client-only page, WebCrypto HMAC (reference)",
    "Burst typing: runs that end on a stale verdict",
    "Big input: 1 MiB claim set → payload editor shows it (timed in the page)",
    "Big input: paste, decode, render 1 MiB payload",
    "Big input over the limit: message shown",
    "Key set of 500 JWKs pasted into the key box → verdict",
    "Page weight: HTML + CSS + JS",
    "Requests to other hosts",
    "Warm page load (loadEventEnd)",
    "Server RSS after",
    "RSS growth from request",
    "Key generation RSA 2048",
    "Key generation RSA 4096",
    "Weak-secret search, public list, one HS256 token",
    "CLI: python -c 'import jwt' (baseline)",
    "CLI decode TOKEN",
)
#: Figures that need an input from outside the repository or another benchmark module.
OPTIONAL = ("Weak-secret search", "CLI")
#: Figures that must be measured even in the smoke run, wherever it runs.
ALWAYS_MEASURED = tuple(name for name in FIGURES if not name.startswith(OPTIONAL))


def _rows(output: str) -> dict[str, list[str]]:
    rows = {}
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[cells[0]] = cells
    return rows


def _row(rows: dict[str, list[str]], name: str) -> list[str]:
    if name in rows:
        return rows[name]
    matches = [cells for figure, cells in rows.items() if figure.startswith(name)]
    assert len(matches) == 1, f"{name!r} is not one row of the table: {sorted(rows)}"
    return matches[0]


@pytest.fixture(scope="module")
def smoke_run() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_smoke_run_exits_zero_and_prints_the_table(smoke_run):
    assert smoke_run.returncode == 0, smoke_run.stdout + smoke_run.stderr
    rows = _rows(smoke_run.stdout)
    assert rows["Figure"] == ["Figure", "Median", "Spread", "Budget", "Result"]


@pytest.mark.parametrize("name", ALWAYS_MEASURED)
def test_smoke_run_measures_each_figure(smoke_run, name):
    figure, median, spread, budget, result = _row(_rows(smoke_run.stdout), name)
    assert result.split(":")[0] in ("pass", "FAIL", "reported"), (figure, result)
    assert median[0].isdigit(), (figure, median)
    assert "n=" in spread or spread == "1 run", (figure, spread)


@pytest.mark.parametrize("name", [name for name in FIGURES if name.startswith(OPTIONAL)])
def test_smoke_run_reports_the_optional_figures_or_says_why_not(smoke_run, name):
    result = _row(_rows(smoke_run.stdout), name)[4]
    assert result.split(":")[0] in ("pass", "FAIL", "reported", "not measured"), result


def test_smoke_run_shows_every_budget_of_the_issue(smoke_run):
    rows = _rows(smoke_run.stdout)
    for box in ("token", "key"):
        budget = _row(rows, f"Keystroke → verdict, {box} box, HS256")[3]
        assert budget.startswith("median ≤ 1.25× lean ("), budget
        assert ", p95 ≤ 1.25× lean (" in budget, budget
    assert _row(rows, "Big input: 1 MiB claim set")[3] == "≤ 300 ms"
    assert _row(rows, "Key set of 500 JWKs")[3] == "≤ 300 ms"
    assert _row(rows, "API /api/verify EdDSA")[3] == "≤ 2.00 ms"
    assert _row(rows, "API /api/verify HS256 ÷ bare")[3] == "≤ 1.20×"
    assert _row(rows, "Start-up")[3] == "≤ 0.50 s"
    assert _row(rows, "Page weight")[3] == "≤ 100.0 kB"
    assert _row(rows, "Warm page load")[3] == "≤ 100 ms"
    assert _row(rows, "Big input: paste")[3] == "≤ 300 ms"
    assert _row(rows, "Server RSS after")[3] == "≤ 80.0 MB"


def test_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 95) == 95.0
    assert percentile(samples, 50) == 50.0
    assert percentile([3.0, 1.0, 2.0], 95) == 3.0


def test_figure_passes_only_when_every_budget_is_met():
    budgets = (Budget(8.0), Budget(16.0, of="p95"))
    quick = Figure("f", "ms", [5.0] * 19 + [15.0], budgets, spread="p95")
    slow_tail = Figure("f", "ms", [5.0] * 18 + [20.0, 20.0], budgets, spread="p95")
    assert quick.passed is True
    assert slow_tail.passed is False
    assert slow_tail.result() == "FAIL"
    assert Figure("f", "ms", [1.0]).result() == "reported"


def test_figure_without_samples_says_why():
    figure = Figure("Weak-secret search", "ms", note="no list here")
    assert figure.passed is None
    assert figure.row()[4] == "not measured: no list here"
    broken = Figure("x", "ms", error="RuntimeError: boom")
    assert broken.row()[4] == "ERROR: RuntimeError: boom"


def test_table_has_a_header_a_rule_and_one_line_per_figure():
    lines = table([Figure("a", "ms", [1.0, 2.0, 3.0], (Budget(2.5),))]).splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("| ---")
    assert [cell.strip() for cell in lines[2].strip("|").split("|")] == [
        "a",
        "2.00 ms",
        "1.00 ms–3.00 ms (n=3)",
        "≤ 2.50 ms",
        "pass",
    ]


def test_keystroke_budget_is_taken_from_the_lean_page_of_the_same_run():
    lean = Figure(bench_page.LEAN, "ms", [8.0] * 18 + [12.0] * 2, spread="p95")
    within = bench_page.against_lean("k", [10.0] * 18 + [15.0] * 2, lean)
    slow_median = bench_page.against_lean("k", [10.5] * 18 + [15.0] * 2, lean)
    slow_tail = bench_page.against_lean("k", [10.0] * 18 + [16.0, 16.0], lean)
    assert [budget.limit for budget in within.budgets] == [10.0, 15.0]
    assert within.passed is True
    assert slow_median.passed is False
    assert slow_tail.passed is False
    assert within.budget_text() == "median ≤ 1.25× lean (10.0 ms), p95 ≤ 1.25× lean (15.0 ms)"
    assert within.note == "1.25× the lean page, p95 1.25×"


def test_key_set_sample_holds_the_signing_key_last_among_distinct_keys(client):
    token, text = samples.key_set(samples.KEY_SET_SIZE, seed=3)
    keys = json.loads(text)["keys"]
    assert len(keys) == 500
    assert len({key["kid"] for key in keys}) == 500
    assert len({key["n"] for key in keys}) == 500
    assert keys[-1]["kid"] == "signing-3"
    answer = client.post("/api/verify", json={"token": token, "key": text}).get_json()
    assert answer["result"]["code"] == "verified", answer["result"]
    assert answer["key_set"]["size"] == 500
    assert answer["key_set"]["used"] == 499
    assert samples.key_set(samples.KEY_SET_SIZE, seed=4)[1] != text


def _timed_page(browser, url):
    context = browser.new_context()
    context.add_init_script(bench_page.TIMER_SCRIPT)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.goto(url)
    return context, opened, errors


def test_in_page_timer_measures_until_the_payload_editor_shows_the_claims(browser, server):
    context, opened, errors = _timed_page(browser, server.url)
    try:
        token = samples.big_token(200_000)
        elapsed = opened.evaluate(
            "([t]) => window.__bench.pasteUntilShown('token', t, 'payload', 200000, 10000)",
            [token],
        )
        assert isinstance(elapsed, float | int) and 0 < elapsed < 10_000
        assert len(opened.input_value("#payload")) >= 200_000
        with pytest.raises(Exception, match="did not show"):
            opened.evaluate(
                "() => window.__bench.pasteUntilShown('token', 'a.b.c', 'payload', 10, 300)"
            )
    finally:
        context.close()
    assert not errors, errors


def test_client_only_reference_page_verifies_hs256_in_the_browser(browser):
    bare = start_bare()
    try:
        context, opened, errors = _timed_page(browser, bare.url + "client-page")
        try:
            sample = samples.signed("HS256")
            opened.fill("#token", sample.token)
            opened.fill("#key", sample.key + "x")
            opened.wait_for_function("window.__bench.rendered.length >= 2")
            assert opened.text_content("#verdict") == "Invalid signature"
            opened.fill("#key", sample.key)
            opened.wait_for_function("window.__bench.rendered.length >= 3")
            assert opened.text_content("#verdict") == "Signature verified"
        finally:
            context.close()
    finally:
        bare.stop()
    assert not errors, errors
