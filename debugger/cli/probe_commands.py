"""`probe`, `scan` and `extract`: send a token to an API, send it forged tokens, find tokens in
text, on the same core as `/api/probe`, `/api/probe/attacks` and `/api/extract`.

The API's answers (status line, headers, body, challenges) and every found token's context are
hostile text: they are printed through `safe` and `safe_block`.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from ..errors import INVALID_REQUEST, SCAN_NOT_CONFIRMED, DebuggerError
from .commands import Outcome
from .inputs import STDIN, Inputs, read_file
from .probe_parser import SCAN_NOTICE
from .terminal import Style, safe, safe_block

if TYPE_CHECKING:  # the core is imported when a command runs, to keep start-up fast
    from ..analysis.extract import Extracted
    from ..analysis.scan import ScanAnswer
    from ..net.http import FetchLimits
    from ..net.probe import Preview, ProbeAnswer, ProbeSpec

#: Exit code of a scan whose genuine token was not accepted: nothing could be judged.
EXIT_NOT_JUDGED = 2


def probe_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """Send the request once; exit 0 for a 2xx answer, 1 otherwise."""
    from ..net.probe import send_probe

    spec = _spec(args, inputs, token=_optional(inputs, args.token, "--token"))
    answer = send_probe(spec, _limits(), time.time())
    status = answer["status"]
    ok = status is not None and 200 <= status < 300
    return Outcome(dict(answer), lambda style: render_probe(answer, style), 0 if ok else 1)


def scan_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """The attack scan, after `--yes`; exit 1 when the API accepted a forged token."""
    from ..analysis.scan import scan
    from ..net.probe import preview, sender

    if not args.yes:
        raise DebuggerError(
            SCAN_NOT_CONFIRMED,
            "An attack scan sends forged tokens to the API: add --yes to confirm that you are "
            f"allowed to test it. {SCAN_NOTICE}",
            field="--yes",
        )
    token = inputs.text(args.token, "--token")
    spec = _spec(args, inputs, token=token)
    now = time.time()
    sent = preview(spec, now)["sent"]  # a request that cannot be made fails before any is sent
    answer = scan(
        token,
        sender(spec, _limits(), now),
        key=_optional(inputs, args.key, "--key"),
        jku_url=args.jku_url,
        now=now,
        label=(sent["method"], sent["url"]),
    )
    code = 1 if answer["vulnerable"] else 0 if answer["judged"] else EXIT_NOT_JUDGED
    if args.markdown:
        return Outcome(dict(answer), lambda style: answer["markdown"], code)
    return Outcome(dict(answer), lambda style: render_scan(answer, style), code)


def extract_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """The tokens in the file or standard input; exit 0 when any is found, 1 when none."""
    from ..analysis.extract import extract

    if args.file is None and inputs.stdin_is_terminal():
        raise DebuggerError(
            INVALID_REQUEST,
            "Give a file to search, or pipe the text in (or pass - to read standard input).",
            field="FILE",
        )
    if args.file is None or args.file == STDIN:
        text = inputs.read_stdin("FILE")
    else:
        text = read_file(args.file, "FILE")
    answer = extract(text, time.time())
    code = 0 if answer["tokens"] else 1
    return Outcome(dict(answer), lambda style: render_extract(answer, style), code)


def _limits() -> FetchLimits:
    from ..net.probe import probe_limits

    # The command line serves no one else: this machine's own networks may be probed.
    return probe_limits(None, True)


def _optional(inputs: Inputs, value: str | None, what: str) -> str | None:
    return None if value is None else inputs.text(value, what)


def _spec(args: argparse.Namespace, inputs: Inputs, *, token: str | None) -> ProbeSpec:
    from ..net.probe import ProbeSpec

    return ProbeSpec(
        url=args.url,
        method=args.method,
        token=token,
        placement=args.placement,
        name=args.name,
        headers=_headers(args.header or [], inputs),
        body=_optional(inputs, args.body, "--body"),
        dpop_key=_optional(inputs, getattr(args, "dpop_key", None), "--dpop-key"),
    )


def _headers(items: list[str], inputs: Inputs) -> dict[str, str]:
    """`--header 'Name: value'` options as a mapping; a value may be @FILE or env:NAME."""
    headers: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise DebuggerError(
                INVALID_REQUEST,
                f"--header takes 'Name: value' (for example --header 'X-Api-Key: env:API_KEY'), "
                f"not {item!r}.",
                field="--header",
            )
        headers[name.strip()] = inputs.text(value.strip(), "--header")
    return headers


def _preview_lines(sent: Preview) -> list[str]:
    lines = [f"  {safe(sent['method'])} {safe(sent['url'])}"]
    lines += [f"  {safe(name)}: {safe(value)}" for name, value in sent["headers"]]
    if sent["body"] is not None:
        lines.append("")
        lines += [f"  {line}" for line in safe_block(sent["body"]).splitlines()]
    return lines


def render_probe(answer: ProbeAnswer, style: Style) -> str:
    """The request as sent, the answer's status, headers and body, and what it means."""
    lines = [style.title("Request (secrets masked)"), *_preview_lines(answer["sent"])]
    status = answer["status"]
    if status is None:
        reason = answer.get("reason")
        code = f" [{safe(reason['code'])}]" if reason else ""
        lines.append(style.title("No answer", "red") + code)
        if reason:
            lines.append(f"  {safe(reason['message'])}")
        return "\n".join(lines) + "\n"
    ok = 200 <= status < 300
    elapsed = answer["elapsed_ms"]
    took = "" if elapsed is None else f" ({elapsed:.0f} ms)"
    line = f"HTTP {status} {safe(answer['status_text'])}".rstrip()
    lines.append(style.title("Answer: ") + style(line, "bold", "green" if ok else "red") + took)
    lines += [f"  {safe(name)}: {safe(value)}" for name, value in answer["header_list"]]
    if answer["explanations"]:
        lines.append(style.title("What it means"))
        for explanation in answer["explanations"]:
            claim = f" (claim {safe(explanation['claim'])})" if "claim" in explanation else ""
            code = style(safe(explanation["code"]), "yellow")
            lines.append(f"  {code}{claim}: {safe(explanation['message'])}")
    cut = " (first 64 KiB)" if answer["body_truncated"] else ""
    lines.append(style.title("Body") + cut + (": empty" if not answer["body"] else ""))
    if answer["body"]:
        lines.append(safe_block(answer["body"]).rstrip("\n"))
    return "\n".join(lines) + "\n"


def render_scan(answer: ScanAnswer, style: Style) -> str:
    """The summary, the genuine token's status, each attack's result, and what was not sent."""
    lines = [style.title("Attack scan"), *(f"  {safe(line)}" for line in answer["summary"])]
    baseline = answer["baseline"]
    lines.append(f"Genuine token: {_status(baseline['status'])}")
    if "reason" in baseline:
        lines.append(f"  {safe(baseline['reason'])}")
    lines.append(style.title("Forged tokens"))
    for result in answer["results"]:
        word = style.verdict(not result["accepted"], "refused", "ACCEPTED", len("ACCEPTED"))
        status = _status(result["status"])
        lines.append(f"  {word} {safe(result['attack'])} ({status}): {safe(result['title'])}")
        if "reason" in result:
            lines.append(f"           {safe(result['reason'])}")
    if answer["skipped"]:
        lines.append(style.title("Not sent"))
        lines += [f"  {safe(e['id'])}: {safe(e['reason'])}" for e in answer["skipped"]]
    return "\n".join(lines) + "\n"


def _status(status: int | None) -> str:
    return "no answer" if status is None else f"HTTP {status}"


def render_extract(answer: Extracted, style: Style) -> str:
    """Each token found: kind, where, how many places, the quick verdict and the token."""
    if not answer["tokens"]:
        return "No token found.\n"
    lines: list[str] = []
    for number, found in enumerate(answer["tokens"], start=1):
        places = "" if found["places"] == 1 else f", {found['places']} places"
        where = safe(found["where"])
        kind = safe(found["kind"])
        if found["serialization"] != "compact":
            kind += f" ({safe(found['serialization'])} JSON serialization)"
        lines.append(style.title(f"{number}. {kind}") + f" in {where}{places}")
        lines.append(f"   {safe(found['verdict'])}")
        # A JSON serialization is shown as written, over as many lines as it was.
        lines.extend(f"   {line}" for line in safe_block(found["token"]).splitlines())
    if answer["truncated"]:
        lines.append(f"Only the first {len(answer['tokens'])} tokens are listed.")
    return "\n".join(lines) + "\n"
