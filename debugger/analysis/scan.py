"""The attack scan: send the attack lab's forged tokens to an API and see which it accepts.

The genuine token goes first (the baseline), then a copy with a corrupted signature, then each
variant of the attack lab, one at a time, each once. A variant is accepted when the API answers it
with the same 2xx status as the genuine token. Sending is not done here: the caller gives a
`send` function (the probe of `net`), so this module decides what to send and what the answers
mean, and never touches the network itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from ..errors import DebuggerError
from ..jose import sign
from ..jose.b64 import b64url
from ..jose.pasted import parse
from .attacks import Skipped, forge_variants

#: The attack of a copy whose signature is changed: an API that accepts it checks no signature.
CORRUPTED_SIGNATURE = "corrupted-signature"
#: The attack of a copy that expired an hour ago, re-signed with the user's own key.
EXPIRED_RESIGNED = "expired-resigned"
#: The whole scan may take this long; what is left when it is over is not sent.
SCAN_SECONDS = 90.0


@dataclass(frozen=True)
class Attempt:
    """One token to send: the attack it stands for and what it is."""

    attack: str
    title: str
    token: str


class Exchange(TypedDict):
    """What one request got back: a status (None when nothing came back) and the time taken."""

    status: int | None
    elapsed_ms: float | None
    reason: NotRequired[str]


class AttackResult(TypedDict):
    """One attack sent, and whether the API took it for the genuine token."""

    attack: str
    title: str
    status: int | None
    accepted: bool
    elapsed_ms: float | None
    reason: NotRequired[str]


class ScanReport(TypedDict):
    """The scan: the baseline, whether signatures are checked at all, each attack's result."""

    baseline: Exchange
    judged: bool
    signature_checked: bool
    results: list[AttackResult]
    skipped: list[Skipped]
    vulnerable: bool
    summary: list[str]


class ScanAnswer(ScanReport):
    """The scan's report, with the same as Markdown."""

    markdown: str


def plan(
    token: str, key: str | None, *, jku_url: str | None, now: float
) -> tuple[list[Attempt], list[Skipped]]:
    """The tokens to send after the baseline, in order, and the attacks that cannot be made."""
    forged = forge_variants(token, key, jku_url=jku_url)
    skipped = list(forged["skipped"])
    attempts: list[Attempt] = []
    corrupted = corrupt_signature(token)
    if corrupted is None:
        skipped.append({"id": CORRUPTED_SIGNATURE, "reason": "The token has no signature."})
    else:
        attempts.append(Attempt(CORRUPTED_SIGNATURE, "Signature changed", corrupted))
    attempts += [Attempt(v["id"], v["title"], v["token"]) for v in forged["variants"]]
    expired = _expired_copy(token, key, now)
    if isinstance(expired, str):
        skipped.append({"id": EXPIRED_RESIGNED, "reason": expired})
    else:
        attempts.append(expired)
    return attempts, skipped


def scan(
    token: str,
    send: Callable[[str], Exchange],
    *,
    key: str | None,
    jku_url: str | None,
    now: float,
    only: list[str] | None = None,
    baseline_status: int | None = None,
    label: tuple[str, str] = ("GET", ""),
) -> ScanAnswer:
    """The whole scan, or the attacks in `only`; with `baseline_status` the genuine token is not
    sent again (the page sends one attack per request, so that its stop button stops). `label`
    is the method and (masked) URL the Markdown names."""
    attempts, skipped = plan(token, key, jku_url=jku_url, now=now)
    if only is not None:
        attempts = [attempt for attempt in attempts if attempt.attack in only]
        skipped = [entry for entry in skipped if entry["id"] in only]
    baseline: Exchange | None = None
    if baseline_status is not None:
        baseline = {"status": baseline_status, "elapsed_ms": None}
    deadline = time.monotonic() + SCAN_SECONDS
    found = run(attempts, send, token=token, baseline=baseline, skipped=skipped, deadline=deadline)
    return {**found, "markdown": markdown(found, method=label[0], url=label[1])}


def corrupt_signature(token: str) -> str | None:
    """The token with the first byte of its signature flipped; None without a signature."""
    parsed = parse(token)
    if len(parsed.segments) != 3 or not parsed.signature:
        return None
    changed = bytes([parsed.signature[0] ^ 0xFF]) + parsed.signature[1:]
    return f"{parsed.segments[0]}.{parsed.segments[1]}.{b64url(changed)}"


def _expired_copy(token: str, key: str | None, now: float) -> Attempt | str:
    if not key or not key.strip():
        return "Paste the signing key (the secret or private key) in the key box to send this."
    parsed = parse(token)
    if not isinstance(parsed.payload, dict) or parsed.header is None:
        return "The token's payload is not a JSON object of claims."
    payload: dict[str, Any] = {**parsed.payload, "exp": int(now) - 3600}
    if isinstance(payload.get("iat"), int | float):
        payload["iat"] = int(now) - 7200
    if isinstance(payload.get("nbf"), int | float):
        payload["nbf"] = int(now) - 7200
    try:
        signed = sign.encode(parsed.header, payload, key)
    except DebuggerError as err:
        return f"The key cannot re-sign the token: {err.message}"
    return Attempt(
        EXPIRED_RESIGNED, "Expired an hour ago, re-signed with your key", signed["token"]
    )


def accepted(status: int | None, baseline_status: int | None) -> bool:
    """True when the API answered as it did to the genuine token, and that was a success."""
    return (
        status is not None
        and baseline_status is not None
        and 200 <= baseline_status < 300
        and status == baseline_status
    )


def run(
    attempts: list[Attempt],
    send: Callable[[str], Exchange],
    *,
    token: str,
    baseline: Exchange | None = None,
    skipped: list[Skipped] | None = None,
    deadline: float | None = None,
) -> ScanReport:
    """Send the baseline (unless given) and each attempt once, in order, until the deadline."""
    if baseline is None:
        baseline = send(token)
    results: list[AttackResult] = []
    for attempt in attempts:
        if deadline is not None and time.monotonic() >= deadline:
            exchange: Exchange = {
                "status": None,
                "elapsed_ms": None,
                "reason": f"Not sent: the scan's {SCAN_SECONDS:g} seconds were over.",
            }
        else:
            exchange = send(attempt.token)
        results.append(_result(attempt, exchange, baseline["status"]))
    return report(baseline, results, skipped or [])


def _result(attempt: Attempt, exchange: Exchange, baseline_status: int | None) -> AttackResult:
    result: AttackResult = {
        "attack": attempt.attack,
        "title": attempt.title,
        "status": exchange["status"],
        "accepted": accepted(exchange["status"], baseline_status),
        "elapsed_ms": exchange["elapsed_ms"],
    }
    if "reason" in exchange:
        result["reason"] = exchange["reason"]
    return result


def report(baseline: Exchange, results: list[AttackResult], skipped: list[Skipped]) -> ScanReport:
    """The scan's report from its answers, with a summary whose first line is the worst news."""
    status = baseline["status"]
    judged = status is not None and 200 <= status < 300
    corrupted = next((r for r in results if r["attack"] == CORRUPTED_SIGNATURE), None)
    signature_checked = not (corrupted is not None and corrupted["accepted"])
    taken = [r["attack"] for r in results if r["accepted"]]
    summary: list[str] = []
    if not judged:
        shown = "no answer" if status is None else f"HTTP {status}"
        summary.append(
            f"The genuine token got {shown}: the scan needs a token the API accepts, so no "
            "variant could be judged. Probe the API first and fix the request."
        )
    elif not signature_checked:
        summary.append(
            "The API accepted a token whose signature was changed: it does not verify "
            "signatures at all. Anyone can make tokens it accepts."
        )
    others = [attack for attack in taken if attack != CORRUPTED_SIGNATURE]
    if others:
        summary.append("The API accepted these forged tokens: " + ", ".join(others) + ".")
    elif judged and signature_checked:
        summary.append("The API refused every forged token that was sent.")
    return {
        "baseline": baseline,
        "judged": judged,
        "signature_checked": signature_checked,
        "results": results,
        "skipped": skipped,
        "vulnerable": bool(taken),
        "summary": summary,
    }


def markdown(scan: ScanReport, *, method: str, url: str) -> str:
    """The report as Markdown, for a ticket or a pull request."""
    lines = [f"# JWT attack scan of {method} {url}", ""]
    lines += [f"- {line}" for line in scan["summary"]]
    baseline = scan["baseline"]
    lines += ["", f"Genuine token: {_status_text(baseline['status'])}", ""]
    lines += ["| Attack | Status | Accepted |", "| --- | --- | --- |"]
    for result in scan["results"]:
        verdict = "**yes**" if result["accepted"] else "no"
        lines.append(f"| {result['attack']} | {_status_text(result['status'])} | {verdict} |")
    if scan["skipped"]:
        lines += ["", "Not sent:", ""]
        lines += [f"- {entry['id']}: {entry['reason']}" for entry in scan["skipped"]]
    return "\n".join(lines) + "\n"


def _status_text(status: int | None) -> str:
    return "no answer" if status is None else str(status)
