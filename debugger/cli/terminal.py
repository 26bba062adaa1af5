"""Readable terminal output of the API's answers: plain text, coloured on a terminal.

Every claim value is hostile text: control characters (an escape sequence could rewrite the
terminal), bidirectional overrides and invisible characters are shown as `\\x1b` or `\\u202e`.
Colour is never the only signal: every coloured word also says what it means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..analysis import invisible
from ..codes import SEVERITIES
from ..jose import jsontext

_CODES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
_SEVERITY_STYLE = {
    "critical": ("bold", "red"),
    "high": ("red",),
    "medium": ("yellow",),
    "low": ("cyan",),
    "info": ("dim",),
}
# C0 and C1 controls, DEL, invisible and bidirectional formatting characters, line and
# paragraph separators, the byte order mark and lone surrogates; on one line, tab and line feed too.
_UNSAFE_LINE = re.compile(f"[\t\n{invisible.CHARACTER_CLASS}]")
_UNSAFE_BLOCK = invisible.PATTERN
_WORD = len("INVALID")
_ENTRY_STATUS = {
    "matched": "verified the signature",
    "other_kid": "has another kid",
    "no_match": "does not match",
    "not_tried": "not tried",
    "unfit": "does not fit",
    "candidate": "fits",
    "usable": "usable",
    "unusable": "unusable",
}


def colour_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM=dumb."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: Any) -> str:
    """One line of hostile text, with every control or invisible character escaped."""
    return _UNSAFE_LINE.sub(_escape, str(text))


def safe_block(text: Any) -> str:
    """Several lines of hostile text: line breaks and tabs kept, other controls escaped."""
    return _UNSAFE_BLOCK.sub(_escape, str(text))


class Style:
    """Adds ANSI colour to text when `enabled`; returns it unchanged otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[name] for name in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def title(self, text: str, *styles: str) -> str:
        """A section title."""
        return self(text, "bold", *styles)

    def verdict(self, ok: bool, yes: str, no: str, width: int = 0) -> str:
        """A word that says pass or fail, green or red, padded to `width` after the colour."""
        word = yes if ok else no
        padding = " " * max(0, width - len(word))
        return (self(word, "bold", "green") if ok else self(word, "bold", "red")) + padding


def severity_rank(severity: str) -> int:
    """0 for critical up to 4 for info; unknown severities rank below info."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def render_decode(report: Mapping[str, Any], style: Style, *, hints: bool = True) -> str:
    """The decode answer as text: notes, header, payload, signature, problems, times, hints
    and findings."""
    lines: list[str] = []
    _notes(report, style, lines)
    _parts(report, style, lines)
    _json_signatures(report, style, lines)
    _problems(report, style, lines)
    _times(report.get("time"), style, lines)
    if hints and report.get("hints"):
        lines.append("")
        lines.append(style.title("Hints"))
        for hint in report["hints"]:
            lines.append(
                f"  {style(safe(hint.get('code')), 'yellow')}: {safe(hint.get('message'))}"
            )
    if "findings" in report:
        lines.append("")
        lines.extend(render_findings(report["findings"], style))
    return "\n".join(lines).strip("\n") + "\n"


def render_verify(report: Mapping[str, Any], style: Style, failures: list[str]) -> str:
    """The verify answer as text: the verdict first, then everything `render_decode` shows."""
    lines = [_signature_line(report, style), *_json_signature_verdicts(report, style)]
    time = report.get("time") or {}
    status = time.get("status")
    time_ok = status not in ("expired", "not_yet_valid", "invalid")
    time_word = style.verdict(time_ok, "ok", "FAIL", _WORD)
    lines.append(f"{'Time':<10} {time_word} {safe(time.get('message'))}")
    for check in report.get("claims") or []:
        word = style.verdict(bool(check.get("ok")), "ok", "FAIL", _WORD)
        claim = safe(check.get("claim"))
        lines.append(f"{'Claim':<10} {word} {claim}: {safe(check.get('message'))}")
    _key_lines(report, lines)
    for hint in report.get("hints") or []:
        code = style(safe(hint.get("code")), "yellow")
        lines.append(f"{'Hint':<10} {'':<{_WORD}} {code}: {safe(hint.get('message'))}")
    result = style.verdict(not failures, "VALID", "INVALID", _WORD)
    why = f" {', '.join(failures)}" if failures else ""
    lines.append(f"{'Result':<10} {result}{why}".rstrip())
    summary = report.get("result") or {}
    if summary.get("message"):
        lines.append(f"{'':<10} {'':<{_WORD}} {safe(summary['message'])}")
    if summary.get("next_step"):
        lines.append(f"{'Next':<10} {'':<{_WORD}} {safe(summary['next_step'])}")
    return "\n".join(lines) + "\n\n" + render_decode(report, style, hints=False)


def _key_lines(report: Mapping[str, Any], lines: list[str]) -> None:
    """The key's warnings, and how each entry of a key set fared."""
    for warning in (report.get("key") or {}).get("warnings") or []:
        lines.append(f"{'Key':<10} {'':<{_WORD}} {safe(warning.get('message'))}")
    key_set = report.get("key_set") or {}
    for number, entry in enumerate(key_set.get("entries") or [], start=1):
        kid = f" (kid {safe(entry['kid'])})" if entry.get("kid") else ""
        reason = f": {safe(entry['reason'])}" if entry.get("reason") else ""
        label = "Key set" if number == 1 else ""
        status = _ENTRY_STATUS.get(str(entry.get("status")), safe(entry.get("status")))
        lines.append(f"{label:<10} {'':<{_WORD}} key {number}{kid} {status}{reason}")


def _signature_line(report: Mapping[str, Any], style: Style) -> str:
    key = report.get("key") or {}
    if report.get("signature_valid"):
        used = f" with {safe(key.get('description'))}" if key else ""
        kid = f", kid {safe(key['kid'])}" if key.get("kid") else ""
        detail = f"{safe(report.get('alg'))}{used}{kid}"
        return f"{'Signature':<10} {style.verdict(True, 'valid', '', _WORD)} {detail}"
    reason = report.get("reason") or {}
    code = safe(reason.get("code"))
    word = style.verdict(False, "", "INVALID", _WORD)
    return f"{'Signature':<10} {word} [{code}] {safe(reason.get('message'))}"


def _signature_label(signature: Mapping[str, Any]) -> str:
    kid = f", kid {safe(signature['kid'])}" if signature.get("kid") is not None else ""
    return f"signature {signature.get('index', 0) + 1} ({safe(signature.get('alg'))}{kid})"


def _json_signature_verdicts(report: Mapping[str, Any], style: Style) -> list[str]:
    """One line per signature of a JWS in JSON serialization: whether it holds, and if not why."""
    lines = []
    for signature in report.get("signatures") or []:
        label = _signature_label(signature)
        if signature.get("verified"):
            lines.append(f"{'':<10} {style.verdict(True, 'valid', '', _WORD)} {label}")
            continue
        reason = signature.get("reason") or {}
        word = style.verdict(False, "", "INVALID", _WORD)
        detail = f"[{safe(reason.get('code'))}] {safe(reason.get('message'))}"
        lines.append(f"{'':<10} {word} {label}: {detail}")
    return lines


def _json_signatures(report: Mapping[str, Any], style: Style, lines: list[str]) -> None:
    """The signatures of a JWS in JSON serialization, with their protected and other header."""
    if "signatures" not in report:
        return
    lines.append("")
    lines.append(style.title(f"Signatures ({safe(report.get('serialization'))} JSON)", "cyan"))
    for signature in report["signatures"]:
        lines.append(f"  {_signature_label(signature)}")
        for name, title in (("protected", "protected"), ("header", "unprotected")):
            if signature.get(name) is not None:
                lines.append(f"    {title}: {safe(jsontext.dumps(signature[name]))}")


def _notes(report: Mapping[str, Any], style: Style, lines: list[str]) -> None:
    for note in report.get("notes") or []:
        lines.append(f"{style('Note', 'dim')}: {safe(note.get('message'))}")
    if lines:
        lines.append("")


def _parts(report: Mapping[str, Any], style: Style, lines: list[str]) -> None:
    alg = report.get("alg")
    header_title = style.title("Header", "red") + (f" (alg {safe(alg)})" if alg else "")
    lines.append(header_title)
    lines.append(_part_text(report.get("header_text"), report.get("header")))
    lines.append("")
    lines.append(style.title("Payload", "magenta"))
    lines.append(_part_text(report.get("payload_text"), report.get("payload")))
    lines.append("")
    lines.append(style.title("Signature", "cyan"))
    signature = report.get("signature") or ""
    size = report.get("signature_bytes")
    if not signature:
        lines.append("(empty)")
    else:
        lines.append(safe(signature) + (f"  ({size} bytes)" if size is not None else ""))


def _part_text(text: Any, value: Any) -> str:
    if isinstance(text, str):
        return safe_block(text)
    if value is not None:
        return safe_block(value)
    return "(not decoded)"


def _problems(report: Mapping[str, Any], style: Style, lines: list[str]) -> None:
    problems = report.get("problems") or []
    if not problems:
        return
    lines.append("")
    lines.append(style.title("Problems"))
    for problem in problems:
        severity = str(problem.get("severity", "error"))
        word = style(f"{severity:<7}", "red" if severity == "error" else "yellow")
        where = safe(problem.get("part"))
        lines.append(f"  {word} {where:<9} {safe(problem.get('code'))}: {safe(problem['message'])}")


def _times(time: Mapping[str, Any] | None, style: Style, lines: list[str]) -> None:
    if not time:
        return
    lines.append("")
    now = f" (now {safe(time.get('now_utc'))})" if time.get("now_utc") else ""
    lines.append(style.title("Times") + now)
    for name in ("exp", "nbf", "iat"):
        info = time.get(name)
        if info:
            lines.append(f"  {name:<4} {safe(info.get('text'))}")
    status = str(time.get("status"))
    ok = status in ("valid", "no_exp")
    colour = "green" if status == "valid" else "yellow" if ok else "red"
    message = time.get("message")
    shown = {(time.get(name) or {}).get("text") for name in ("exp", "nbf", "iat")}
    said = f": {safe(message)}" if message and message not in shown else ""
    lines.append(f"  {style(status, 'bold', colour)}{said}")
    for problem in time.get("problems") or []:
        lines.append(f"  {style('problem', 'yellow')} {safe(problem.get('message'))}")


def render_findings(findings: Sequence[Mapping[str, Any]], style: Style) -> list[str]:
    """Findings, most severe first, each as `SEVERITY id: title` and its detail, indented."""
    if not findings:
        return [style.title("Findings") + ": none"]
    lines = [style.title("Findings")]
    for finding in sorted(findings, key=lambda f: severity_rank(str(f.get("severity")))):
        severity = str(finding.get("severity"))
        word = style(f"{severity.upper():<8}", *_SEVERITY_STYLE.get(severity, ()))
        lines.append(f"  {word} {safe(finding.get('id'))}: {safe(finding.get('title'))}")
        if finding.get("detail"):
            lines.append(f"           {safe(finding['detail'])}")
    return lines


def render_keygen(answer: Mapping[str, Any], key_format: str, style: Style) -> str:
    """A generated key as PEM blocks or JWK JSON, after one line naming it."""
    import json

    alg, kid = answer["alg"], answer["kid"]
    if "secret" in answer:
        if key_format == "jwk":
            body = json.dumps(answer["jwk"], indent=2)
            return f"{style.title(f'{alg} secret as a JWK')}, kid {kid}\n{body}\n"
        encoding = answer.get("secret_encoding", "base64url")
        title = style.title(f"{alg} secret ({encoding})")
        return f"{title}, kid {kid}\n{answer['secret']}\n"
    if key_format == "jwk":
        private = json.dumps(answer["private_jwk"], indent=2)
        public = json.dumps(answer["public_jwk"], indent=2)
        return (
            f"{style.title(f'{alg} private JWK')} (keep it secret), kid {kid}\n{private}\n"
            f"{style.title(f'{alg} public JWK')}\n{public}\n"
        )
    title = style.title(f"{alg} key pair")
    return f"{title}, kid {kid}\n{answer['private_pem']}{answer['public_pem']}"
