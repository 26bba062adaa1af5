"""What the debugger says about a token: the decode report and the verify report."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from ..codes import JSON_SIGNATURE_VERIFIED
from ..errors import BAD_KEY, DebuggerError, ErrorData
from ..jose.certs import EmbeddedKeys
from ..jose.claims import ClaimCheck, ClaimChecks, check_claims
from ..jose.jsonser import with_signature
from ..jose.keys import KeyRing, read_key
from ..jose.pasted import parse
from ..jose.sign import Encoded
from ..jose.times import TimeReport, check_times
from ..jose.tokens import NoteData, ParsedToken, SignatureReasonData, TokenData
from ..jose.verify import Reason, Verdict, check_signature
from ..teach.glossary import Explanation, describe
from .findings import FindingData, findings_report, not_a_jwt_findings
from .hints import key_hints, token_hints
from .jwe_findings import jwe_findings
from .keyinfo import KeySetReport, KeySummary, token_key_fields, verify_key_fields
from .payloads import PayloadForm


class TokenFields(TypedDict):
    """What decode and verify answers carry about the claims: rows, hints and claim checks."""

    explain: Explanation
    hints: list[NoteData]
    claims: list[ClaimCheck]


class DecodeReport(TokenData):
    """The answer of /api/decode: the decoded token, its times, claims, keys and findings."""

    time: TimeReport
    explain: Explanation
    hints: list[NoteData]
    claims: list[ClaimCheck]
    embedded_keys: EmbeddedKeys | None
    payload_form: PayloadForm
    findings: list[FindingData]


class VerifyReport(DecodeReport):
    """The answer of /api/verify: the decode report with the signature verdict and the key.

    `reason` says why the signature is not valid.
    """

    signature_valid: bool
    reason: NotRequired[Reason]
    key: KeySummary | None
    key_set: KeySetReport | None


class KeyErrorReport(VerifyReport):
    """The answer of /api/verify with `report_key_error` for a key that cannot be used at all."""

    key_error: ErrorData


class EncodeReport(Encoded):
    """The answer of /api/encode: the signed token and what is worth knowing about it."""

    findings: list[FindingData]


def encode_report(encoded: Encoded) -> EncodeReport:
    """The signed token with its findings: `not-a-jwt` for a payload that is not an object."""
    found = not_a_jwt_findings(parse(encoded["token"]))
    return {**encoded, "findings": [item.to_dict() for item in found]}


def jwe_header_findings(parsed: ParsedToken) -> list[FindingData]:
    """For a compact JWE, what its protected header alone shows (RSA1_5, zip, p2c)."""
    if parsed.kind != "JWE" or parsed.header is None:
        return []
    found = jwe_findings(parsed.header, nested=False, decrypted=False)
    return [item.to_dict() for item in found]


def decode_report(
    token: str, *, now: float, leeway: float = 0, checks: ClaimChecks | None = None
) -> DecodeReport:
    """Everything that can be read from the token alone: parts, problems and times."""
    parsed = parse(token)
    time = check_times(parsed.payload, now=now, leeway=leeway)
    return {
        **parsed.to_dict(),
        "time": time,
        **token_fields(parsed, time, checks, now=now),
        **token_key_fields(parsed, now=now),
        "findings": [*jwe_header_findings(parsed), *findings_report(parsed, time)],
    }


def verify_report(
    token: str,
    key: str,
    *,
    now: float,
    leeway: float = 0,
    secret_encoding: str = "utf-8",
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
    checks: ClaimChecks | None = None,
    passphrase: str | None = None,
) -> VerifyReport:
    """The decode report plus the signature verdict for the given key or secret.

    Raises `DebuggerError` (code `bad_key`) when the key cannot be understood at all.
    """
    ring = read_key(key, secret_encoding, passphrase)
    parsed = parse(token)
    if parsed.signatures:
        parsed, verdict, decoded = _verify_json(
            parsed, ring, algorithms=algorithms, detached_payload=detached_payload
        )
    else:
        verdict = check_signature(
            parsed, ring, algorithms=algorithms, detached_payload=detached_payload
        )
        decoded = parsed.to_dict()
    time = check_times(parsed.payload, now=now, leeway=leeway)
    fields = token_fields(parsed, time, checks, now=now)
    hints = key_hints(
        parsed,
        ring,
        verdict,
        key_text=key,
        secret_encoding=secret_encoding,
        algorithms=algorithms,
        detached_payload=detached_payload,
    )
    return {
        **decoded,
        **verdict.to_dict(),
        "notes": [*decoded["notes"], *verdict.notes],
        "time": time,
        **fields,
        "hints": [*fields["hints"], *hints],
        **token_key_fields(parsed, now=now),
        **verify_key_fields(parsed, ring, verdict, key, now=now),
        "findings": findings_report(parsed, time, ring, verdict, key_text=key),
    }


def _verify_json(
    parsed: ParsedToken,
    ring: KeyRing,
    *,
    algorithms: list[str] | None,
    detached_payload: str | None,
) -> tuple[ParsedToken, Verdict, TokenData]:
    """Check every signature of a JSON serialization: valid when at least one holds.

    The answer shows the token through the first signature that holds (else the first one),
    with a note saying which, and each signature's own verdict in `signatures`.
    """
    verdicts = [
        check_signature(sig.parsed, ring, algorithms=algorithms, detached_payload=detached_payload)
        for sig in parsed.signatures
    ]
    chosen = next((i for i, verdict in enumerate(verdicts) if verdict.valid), 0)
    shown = with_signature(parsed, chosen)
    decoded = shown.to_dict()
    decoded["signatures"] = [
        sig.to_dict(verdict.valid, _reason(verdict))
        for sig, verdict in zip(parsed.signatures, verdicts, strict=True)
    ]
    verdict = verdicts[chosen]
    if verdict.valid:
        count = len(verdicts)
        held = sum(v.valid for v in verdicts)
        message = (
            f"Signature {chosen + 1} of {count} verified"
            + (f" ({held} of {count} hold)." if held > 1 else ".")
            + " The header shown is that signature's."
        )
        note: NoteData = {"code": JSON_SIGNATURE_VERIFIED, "message": message}
        decoded["notes"] = [*decoded["notes"], note]
    return shown, verdict, decoded


def _reason(verdict: Verdict) -> SignatureReasonData | None:
    if verdict.reason_code is None:
        return None
    return {"code": verdict.reason_code, "message": verdict.reason_message}


def key_error_report(
    token: str,
    error: DebuggerError,
    *,
    now: float,
    leeway: float = 0,
    checks: ClaimChecks | None = None,
) -> KeyErrorReport:
    """The decode report with a failed verdict, for a key that could not be used (`error`).

    It has the verify report's shape (`reason.code` is `bad_key`) plus `key_error`: the error that
    `verify_report` raised, so one answer serves both the decoded token and the key's problem.
    """
    return {
        **decode_report(token, now=now, leeway=leeway, checks=checks),
        "signature_valid": False,
        "key": None,
        "key_set": None,
        "reason": {"code": BAD_KEY, "message": error.message},
        "key_error": error.to_dict(),
    }


def token_fields(
    parsed: ParsedToken, time: TimeReport, checks: ClaimChecks | None, *, now: float
) -> TokenFields:
    """What decode and verify answers carry for this feature: rows, hints and claim checks."""
    return {
        "explain": describe(parsed, now=now, time=time),
        "hints": token_hints(parsed, time),
        "claims": check_claims(parsed.payload, checks or ClaimChecks()),
    }
