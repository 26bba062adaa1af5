"""A measured figure, its budget, and the table that shows them side by side."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    """The most (or, with `at_least`, the least) a figure may be; `of` names the statistic.

    `basis` says where a limit taken from another figure of the same run comes from
    ("1.25× lean page"); the table shows it beside the limit.
    """

    limit: float
    of: str = "median"
    at_least: bool = False
    basis: str = ""

    def met_by(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit


@dataclass
class Figure:
    """One row of the table: the samples of several runs, in `unit`, against zero or more budgets.

    `spread` is "p95" for many samples of one operation (latencies) and "range" (min–max) for a
    few repeated whole measurements. A figure without samples was not measured; `note` says why.
    """

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    budgets: tuple[Budget, ...] = ()
    spread: str = "range"
    note: str = ""
    error: str = ""

    @property
    def measured(self) -> bool:
        return bool(self.samples) and not self.error

    def stat(self, of: str) -> float:
        """ "median", "p95", "min" or "max" of the samples."""
        if of == "median":
            return statistics.median(self.samples)
        if of == "p95":
            return percentile(self.samples, 95)
        if of == "min":
            return min(self.samples)
        if of == "max":
            return max(self.samples)
        raise ValueError(of)

    @property
    def passed(self) -> bool | None:
        """True or False against the budgets; None when there is no budget or no measurement."""
        if not self.budgets or not self.measured:
            return None
        return all(budget.met_by(self.stat(budget.of)) for budget in self.budgets)

    def result(self) -> str:
        if self.error:
            return "ERROR"
        if not self.measured:
            return "not measured"
        return {True: "pass", False: "FAIL", None: "reported"}[self.passed]

    def row(self) -> tuple[str, str, str, str, str]:
        """Figure, median, spread, budget, result: the cells of the table."""
        if not self.measured:
            reason = self.error or self.note
            return self.name, "–", "–", self.budget_text(), f"{self.result()}: {reason}"
        if self.spread == "p95":
            spread = f"p95 {fmt(self.stat('p95'), self.unit)}"
        elif len(self.samples) == 1:
            spread = "1 run"
        else:
            spread = f"{fmt(self.stat('min'), self.unit)}–{fmt(self.stat('max'), self.unit)}"
        spread += f" (n={len(self.samples)})"
        result = self.result() + (f": {self.note}" if self.note else "")
        return self.name, fmt(self.stat("median"), self.unit), spread, self.budget_text(), result

    def budget_text(self) -> str:
        if not self.budgets:
            return "–"
        parts = []
        for budget in self.budgets:
            sign = "≥" if budget.at_least else "≤"
            prefix = "" if budget.of == "median" and len(self.budgets) == 1 else f"{budget.of} "
            limit = fmt(budget.limit, self.unit)
            if budget.basis:
                limit = f"{budget.basis} ({limit})"
            parts.append(f"{prefix}{sign} {limit}")
        return ", ".join(parts)


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least `pct`% at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def fmt(value: float, unit: str) -> str:
    """A value with its unit, with as many digits as its size deserves."""
    if unit == "bytes":
        return f"{value / 1000:.1f} kB" if value >= 1000 else f"{value:.0f} B"
    if unit in ("count", "req/s", "runs"):
        return f"{value:,.0f} {unit}" if unit != "count" else f"{value:,.0f}"
    if unit == "×":
        return f"{value:.2f}×"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}"


def table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table (it reads as plain text too)."""
    header = ("Figure", "Median", "Spread", "Budget", "Result")
    rows = [header, *(figure.row() for figure in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(header), rule, *(line(row) for row in rows[1:])])


def guarded(names: Sequence[tuple[str, str]], measure: Callable[[], list[Figure]]) -> list[Figure]:
    """Run `measure`; if it raises, the figures it would have made (name, unit) show the error."""
    try:
        return measure()
    except Exception as err:  # a broken measurement is a row of the table, not a crash
        error = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:160]
        return [Figure(name, unit, error=error) for name, unit in names]
