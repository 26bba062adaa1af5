"""The JWE commands: `decrypt` and `encrypt`, on the same core as `/api/decrypt` and
`/api/encrypt`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..errors import INVALID_JSON, DebuggerError
from ..jose import jsontext
from .commands import Outcome, _clock, claim_checks, verify_failures
from .inputs import Inputs
from .terminal import Style, render_findings, render_verify, safe, safe_block

_TIME_FAILURES = ("expired", "not_yet_valid", "invalid")
#: The content encryption `encrypt` uses when neither --enc nor the header names one.
DEFAULT_ENC = "A256GCM"


def decrypt_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """Decrypt; exit 1 when the token does not decrypt, or its content does not hold."""
    from ..analysis.jwe_report import decrypt_report

    token = inputs.token(args.token)
    key_text = inputs.text(args.key, "--key")
    inner_key = None if args.inner_key is None else inputs.text(args.inner_key, "--inner-key")
    report = decrypt_report(
        token,
        key_text,
        inner_key=inner_key,
        secret_encoding=args.secret_encoding,
        checks=claim_checks(args),
        **_clock(args),
    )
    failures = decrypt_failures(report, inner_key is not None)
    return Outcome(
        dict(report), lambda style: render_decrypt(report, style, failures), 1 if failures else 0
    )


def decrypt_failures(report: Mapping[str, Any], inner_checked: bool) -> list[str]:
    """Why a decrypt answer is not good: its reason, the nested token's, times and claims."""
    if not report["decrypted"]:
        return [str(report["reason_code"])]
    failures: list[str] = []
    if report["nested"] is not None and inner_checked:
        failures += verify_failures(report["nested"])
    status = (report["time"] or {}).get("status")
    if status in _TIME_FAILURES:
        failures.append(str(status))
    failures += [str(c.get("code")) for c in report["claims"] if not c.get("ok")]
    return list(dict.fromkeys(failures))


def render_decrypt(report: Mapping[str, Any], style: Style, failures: list[str]) -> str:
    """The decrypt answer as text: the outcome, the header, the content, findings."""
    header = report["header"]
    lines = []
    if report["decrypted"]:
        key = report["key"] or {}
        detail = (
            f"{safe(report['alg'])} / {safe(report['enc'])} with {safe(key.get('description'))}"
        )
        lines.append(f"{'Decrypted':<10} {style.verdict(True, 'yes', '', 5)} {detail}")
    else:
        code = safe(report["reason_code"])
        lines.append(f"{'Decrypted':<10} {style.verdict(False, '', 'NO', 5)} [{code}] ")
        lines[-1] += safe(report["reason"])
    for recipient in report.get("recipients") or []:
        kid = f", kid {safe(recipient['kid'])}" if recipient.get("kid") is not None else ""
        label = f"recipient {recipient['index'] + 1} ({safe(recipient.get('alg'))}{kid})"
        if recipient["decrypted"]:
            lines.append(f"{'':<10} {style.verdict(True, 'yes', '', 5)} {label}")
        else:
            code = safe(recipient["reason_code"])
            word = style.verdict(False, "", "NO", 5)
            lines.append(f"{'':<10} {word} {label}: [{code}] {safe(recipient['reason'])}")
    result = style.verdict(not failures, "OK", "FAIL", 5)
    lines.append(f"{'Result':<10} {result} {', '.join(failures)}".rstrip())
    title = "Protected header" if "recipients" not in report else "Header (JOSE header)"
    lines += ["", style.title(title, "red")]
    lines.append(safe_block(jsontext.dumps(header)) if header is not None else "(not decoded)")
    if report["payload"] is not None:
        lines += [
            "",
            style.title("Claims", "magenta"),
            safe_block(jsontext.dumps(report["payload"])),
        ]
        time = report["time"] or {}
        lines.append(f"Time: {safe(time.get('status'))}: {safe(time.get('message'))}")
    elif report["plaintext"] is not None and report["nested"] is None:
        lines += ["", style.title("Plaintext", "magenta"), safe_block(report["plaintext"])]
    elif report["plaintext_b64"] is not None and report["nested"] is None:
        lines += ["", style.title("Plaintext (base64url)"), safe(report["plaintext_b64"])]
    lines += [""] + render_findings(report["findings"], style)
    text = "\n".join(lines) + "\n"
    if report["nested"] is not None:
        inner = verify_failures(report["nested"])
        text += "\n" + style.title("Nested token") + "\n"
        text += render_verify(report["nested"], style, inner)
    return text


def encrypt_command(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """Encrypt the payload (or text); print the token."""
    from ..jose.jwe_encrypt import encrypt_token

    content = inputs.text(args.payload, "PAYLOAD") if args.payload is not None else "{}"
    header = _header(args, inputs)
    sign_key = None if args.sign_key is None else inputs.text(args.sign_key, "--sign-key")
    answer = encrypt_token(
        header,
        inputs.text(args.key, "--key"),
        payload=None if args.text else content,
        plaintext=content if args.text else None,
        sign_header=None if sign_key is None else {"alg": args.sign_alg or "HS256", "typ": "JWT"},
        sign_key=sign_key,
        secret_encoding=args.secret_encoding,
    )
    return Outcome(dict(answer), lambda style: answer["token"] + "\n")


def _header(args: argparse.Namespace, inputs: Inputs) -> dict[str, Any]:
    header: Any = {}
    if args.header is not None:
        header = jsontext.loads(inputs.text(args.header, "--header"), field="header")
        if not isinstance(header, dict):
            raise DebuggerError(INVALID_JSON, "The header must be a JSON object.", field="header")
    for name, value in (("alg", args.alg), ("enc", args.enc)):
        if value is not None:
            header[name] = value
    header.setdefault("enc", DEFAULT_ENC)
    if "alg" not in header:
        raise DebuggerError(
            INVALID_JSON, "encrypt needs --alg (or alg in --header).", field="--alg"
        )
    if args.zip:
        header["zip"] = "DEF"
    return dict(header)
