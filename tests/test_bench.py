"""The benchmark suite keeps working: its smoke run prints every figure, and its statistics are
right. The real figures are never asserted here: machines are noisy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.figures import Budget, Figure, percentile, table

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
    "Burst typing: runs that end on a stale verdict",
    "Big input: paste, decode, render 1 MiB payload",
    "Big input over the limit: message shown",
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
    assert _row(rows, "Keystroke → verdict, token box, HS256")[3] == (
        "median ≤ 8.00 ms, p95 ≤ 16.0 ms"
    )
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
