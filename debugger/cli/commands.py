"""The terminal commands: read the arguments, call the same core functions as the JSON API, and
say what the answer means as an exit code.

Each command returns an `Outcome`: the answer exactly as the API would return it (for `--json`),
a function that renders it for people, and the exit code (0 valid, 1 invalid).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from ..errors import INVALID_JSON, INVALID_REQUEST, DebuggerError
from ..jose import jsontext
from ..jose.claims import ClaimChecks
from .inputs import Inputs, parse_claim, parse_time, split_list
from .terminal import (
    Style,
    render_decode,
    render_findings,
    render_keygen,
    render_verify,
    safe,
    severity_rank,
)

if TYPE_CHECKING:  # the core is imported when a command runs, to keep start-up fast
    from ..analysis.findings import FindingData
    from ..analysis.report import DecodeReport, VerifyReport
    from ..analysis.weak_secrets import SearchReport
    from ..jose.keygen import GeneratedKey

#: `--fail-on` choices: a severity, or never.
NEVER = "never"
_TIME_FAILURES = ("expired", "not_yet_valid", "invalid")


class Clock(TypedDict):
    """The time to check against, and the leeway, as the core takes them."""

    now: float
    leeway: float


class LintAnswer(TypedDict):
    """The answer of `lint`: the findings, and the wordlist search when one was given."""

    findings: list[FindingData]
    wordlist: NotRequired[SearchReport]


@dataclass(frozen=True)
class Outcome:
    """What a command produced: the API's answer, how to show it, and the exit code."""

    answer: Mapping[str, Any]  # one of the API's answers, printed as JSON with --json
    render: Callable[[Style], str]
    exit_code: int = 0


def failing_findings(findings: list[FindingData], fail_on: str) -> list[str]:
    """The ids of findings at or above the `fail_on` severity (none for `never`)."""
    if fail_on == NEVER:
        return []
    limit = severity_rank(fail_on)
    return [str(f.get("id")) for f in findings if severity_rank(str(f.get("severity"))) <= limit]


def _clock(args: argparse.Namespace) -> Clock:
    import time

    now = time.time() if args.now is None else args.now
    return {"now": now, "leeway": getattr(args, "leeway", 0)}


def decode(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`decode`: every part of the token, its times and findings; 1 when it cannot be read."""
    from ..analysis.report import decode_report

    report = decode_report(inputs.token(args.token), checks=ClaimChecks(), **_clock(args))
    failures = [
        f"{p['part']}: {p['code']}" for p in report["problems"] if p.get("severity") == "error"
    ]
    failures += failing_findings(report["findings"], args.fail_on)
    return Outcome(report, lambda style: render_decode(report, style), 1 if failures else 0)


def verify(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`verify`: the signature verdict, times, claim checks and hints, as `/api/verify` says."""
    from ..analysis.report import verify_report

    token = inputs.token(args.token)
    key_text, fetched = _verify_key(args, inputs)
    report = verify_report(
        token,
        key_text,
        secret_encoding=args.secret_encoding,
        algorithms=split_list(args.alg),
        detached_payload=None if args.payload is None else inputs.text(args.payload, "--payload"),
        checks=claim_checks(args),
        **_clock(args),
    )
    failures = verify_failures(report) + failing_findings(report["findings"], args.fail_on)

    def render(style: Style) -> str:
        text = render_verify(report, style, failures)
        return (fetched + "\n" + text) if fetched else text

    return Outcome(report, render, 1 if failures else 0)


def verify_failures(report: VerifyReport) -> list[str]:
    """Why a verify answer is not valid: the signature reason, time status, failed claims."""
    failures: list[str] = []
    if not report["signature_valid"]:
        reason = report.get("reason")
        failures.append(reason["code"] if reason is not None else "signature_invalid")
    status = report["time"]["status"]
    if status in _TIME_FAILURES:
        failures.append(status)
    failures += [str(c["code"]) for c in report["claims"] if not c["ok"]]
    return list(dict.fromkeys(failures))


def claim_checks(args: argparse.Namespace) -> ClaimChecks:
    """The claim checks `--aud`, `--iss`, `--sub` and `--require` ask for, as the API takes them."""
    audience = split_list(args.aud) or None
    return ClaimChecks(
        audience=audience[0] if audience is not None and len(audience) == 1 else audience,
        issuer=args.iss,
        subject=args.sub,
        required=tuple(split_list(args.require) or ()),
    )


def _verify_key(args: argparse.Namespace, inputs: Inputs) -> tuple[str, str]:
    """The key text to verify with, and a line saying where fetched keys came from."""
    if args.key is not None:
        return inputs.text(args.key, "--key"), ""
    from ..net.jwks import fetch_jwks

    url = args.jwks_url
    issuer = None if url is not None else args.issuer
    fetched = fetch_jwks(url=url, issuer=issuer)
    source = f" (by {fetched['source']} discovery)" if fetched.get("source") != "url" else ""
    line = f"Keys from {safe(fetched['url'])}{source}: {fetched['key_count']} keys"
    return str(fetched["jwks_text"]), line


def encode(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`encode`: sign the payload (with the claims the options add) and print the token."""
    from ..analysis.report import encode_report
    from ..jose.sign import encode as sign_encode

    now = _clock(args)["now"]
    payload_text = inputs.text(args.payload, "PAYLOAD") if args.payload is not None else "{}"
    payload_text = with_claims(payload_text, _added_claims(args, payload_text, now))
    key_text = inputs.text(args.key, "--key") if args.key is not None else None
    header = _header(args, inputs, key_text)
    if key_text is None and str(header.get("alg", "")).lower() != "none":
        raise DebuggerError(
            INVALID_REQUEST,
            "encode needs --key: a secret, or a private key (as @FILE or env:NAME).",
            field="--key",
        )
    answer = encode_report(
        sign_encode(
            jsontext.dumps(header),
            payload_text,
            key_text or "",
            secret_encoding=args.secret_encoding,
        )
    )
    return Outcome(answer, lambda style: answer["token"] + "\n")


def _added_claims(args: argparse.Namespace, payload_text: str, now: float) -> dict[str, Any]:
    claims = dict(parse_claim(item) for item in args.claim or [])
    present = _payload_object(payload_text, bool(claims)) or {}
    if args.iat or (args.iat is None and "iat" not in present and "iat" not in claims):
        claims["iat"] = int(now)
    for name in ("nbf", "exp"):
        value = getattr(args, name)
        if value is not None:
            claims[name] = parse_time(value, now, f"--{name}")
    return claims


def _payload_object(text: str, required: bool) -> dict[str, Any] | None:
    value = jsontext.loads(text, field="payload")
    if isinstance(value, dict):
        return value
    if required:
        raise DebuggerError(
            INVALID_JSON,
            "Claims can only be added to a payload that is a JSON object.",
            field="payload",
        )
    return None


def with_claims(text: str, claims: dict[str, Any]) -> str:
    """The payload JSON text with `claims` set; other members keep their text as written."""
    if not claims:
        return text
    value = _payload_object(text, True) or {}
    if any(name in value for name in claims):
        return jsontext.dumps({**value, **claims})
    compact = jsontext.compact(text)
    members = ",".join(f"{jsontext.dumps(name)}:{jsontext.dumps(v)}" for name, v in claims.items())
    return compact[:-1] + ("," if compact != "{}" else "") + members + "}"


def _header(args: argparse.Namespace, inputs: Inputs, key_text: str | None) -> dict[str, Any]:
    if args.header is not None:
        header = jsontext.loads(inputs.text(args.header, "--header"), field="header")
        if not isinstance(header, dict):
            raise DebuggerError(INVALID_JSON, "The header must be a JSON object.", field="header")
    else:
        header = {"typ": "JWT"}
    alg = args.alg or header.get("alg")
    if alg is None:
        alg = default_alg(key_text, args.secret_encoding) if key_text is not None else "HS256"
    return {"alg": alg, **{name: v for name, v in header.items() if name != "alg"}}


def default_alg(key_text: str, secret_encoding: str) -> str:
    """The algorithm a key signs with when none is named: its JWK `alg`, else its first fit."""
    from ..jose.algorithms import algorithms_for
    from ..jose.keys import read_key

    key = read_key(key_text, secret_encoding).keys[0]
    if key.jwk_alg is not None:
        return key.jwk_alg
    return algorithms_for(key.kind, key.curve)[0]


def keygen(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`keygen`: a new key for the algorithm, printed or written to files in `--out-dir`."""
    from ..jose.keygen import generate_key

    answer = generate_key(args.alg, args.size)
    if args.out_dir is None:
        return Outcome(answer, lambda style: render_keygen(answer, args.format, style))
    written = write_key_files(answer, args.out_dir, args.format)

    def render(style: Style) -> str:
        lines = [f"{style.title(answer['alg'])} key, kid {answer['kid']}"]
        for path, private in written:
            note = "  (private: keep it secret)" if private else ""
            lines.append(f"wrote {path}{note}")
        return "\n".join(lines) + "\n"

    return Outcome(answer, render)


def key_files(answer: GeneratedKey, key_format: str) -> list[tuple[str, str, bool]]:
    """(file name, content, is private) for each file `keygen --out-dir` writes."""
    import json

    if "secret" in answer:
        if key_format == "jwk":
            return [("secret.jwk.json", json.dumps(answer["jwk"], indent=2) + "\n", True)]
        return [("secret.txt", answer["secret"] + "\n", True)]
    if key_format == "jwk":
        return [
            ("private.jwk.json", json.dumps(answer["private_jwk"], indent=2) + "\n", True),
            ("public.jwk.json", json.dumps(answer["public_jwk"], indent=2) + "\n", False),
        ]
    return [
        ("private.pem", answer["private_pem"] or "", True),
        ("public.pem", answer["public_pem"] or "", False),
    ]


def write_key_files(
    answer: GeneratedKey, directory: str, key_format: str
) -> list[tuple[str, bool]]:
    """Write the key files, private ones readable by the owner only; never overwrite a file."""
    files = key_files(answer, key_format)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        for name, _, _ in files:
            if os.path.lexists(os.path.join(directory, name)):
                raise FileExistsError(0, "it exists already; keygen never overwrites a key", name)
        written = []
        for name, content, private in files:
            path = os.path.join(directory, name)
            descriptor = os.open(
                path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644
            )
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                os.fchmod(file.fileno(), 0o600 if private else 0o644)
                file.write(content)
            written.append((path, private))
        return written
    except OSError as err:
        where = os.path.join(directory, err.filename) if err.filename else directory
        raise DebuggerError(
            INVALID_REQUEST, f"Cannot write {where}: {err.strerror or err}.", field="--out-dir"
        ) from err


def lint(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`lint`: the findings only, with the full weak-secret search when a wordlist is given."""
    from ..analysis.report import decode_report, verify_report

    token = inputs.token(args.token)
    report: DecodeReport
    if args.key is not None:
        key_text = inputs.text(args.key, "--key")
        report = verify_report(
            token,
            key_text,
            secret_encoding=args.secret_encoding,
            checks=ClaimChecks(),
            **_clock(args),
        )
    else:
        report = decode_report(token, checks=ClaimChecks(), **_clock(args))
    answer: LintAnswer = {"findings": list(report["findings"])}
    if args.wordlist is not None:
        answer["wordlist"] = _search_wordlist(token, args.wordlist)
        answer["findings"] = _with_found_secret(answer["findings"], answer["wordlist"])
    failures = failing_findings(answer["findings"], args.fail_on)

    def render(style: Style) -> str:
        lines = render_findings(answer["findings"], style)
        search = answer.get("wordlist")
        if search is not None:
            result = (
                f"found {safe(search['description'])} (line {search['line']})"
                if search["found"]
                else "no secret found"
            )
            lines.append(f"Wordlist: {search['tried']} secrets tried, {result}")
        return "\n".join(lines) + "\n"

    return Outcome(answer, render, 1 if failures else 0)


def recover_key(args: argparse.Namespace, inputs: Inputs) -> Outcome:
    """`recover-key`: the RSA public key that signed both tokens, as PEM and JWK."""
    from ..analysis.key_recovery import recover_rsa_key

    answer = recover_rsa_key(
        inputs.token(args.token, "TOKEN"), inputs.token(args.second_token, "SECOND_TOKEN")
    )

    def render(style: Style) -> str:
        lines = [
            f"Recovered the {answer['bits']}-bit RSA key (e = {answer['exponent']}) that signed "
            f"both {answer['alg']} tokens.",
            answer["note"],
            "",
            answer["public_pem"].rstrip("\n"),
            answer["pkcs1_pem"].rstrip("\n"),
            jsontext.dumps(answer["jwk"]),
        ]
        return "\n".join(lines) + "\n"

    return Outcome(answer, render)


def _search_wordlist(token: str, path: str) -> SearchReport:
    from ..analysis.weak_secrets import search_report
    from .inputs import read_bytes

    return search_report(token, read_bytes(path, "--wordlist"))


def _with_found_secret(findings: list[FindingData], search: SearchReport) -> list[FindingData]:
    """The findings plus `weak-secret` (or `empty-secret`) when the wordlist had the secret."""
    from ..analysis.findings import finding
    from ..codes import FINDING_EMPTY_SECRET, FINDING_WEAK_SECRET, SEVERITIES

    if not search["found"]:
        return findings
    finding_id = FINDING_EMPTY_SECRET if search["secret_hex"] == "" else FINDING_WEAK_SECRET
    if any(f.get("id") == finding_id for f in findings):
        return findings
    what = (
        f"The token's {search['alg']} MAC verifies with {search['description']}, line "
        f"{search['line']} of the wordlist."
    )
    found = [*findings, finding(finding_id, what).to_dict()]
    return sorted(found, key=lambda f: SEVERITIES.index(f["severity"]))
