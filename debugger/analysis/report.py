"""What the debugger says about a token: the decode report and the verify report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NotRequired, TypedDict

from ..codes import (
    ALG_NOT_ALLOWED,
    CLAIM_CHECK_FAILED,
    EMBEDDED_KEY_USED,
    ENCRYPTED_TOKEN,
    EXPIRED,
    INVALID_NUMERICDATE,
    INVALID_SIGNATURE,
    JSON_SIGNATURE_VERIFIED,
    KEY_UNFIT,
    KID_NOT_FOUND,
    MALFORMED_TOKEN,
    NO_KEY,
    NOT_YET_VALID,
    PRIVATE_KEY_GIVEN,
    VERIFIED,
    VERIFIED_WITH_EMBEDDED_KEY,
)
from ..errors import BAD_KEY, KEY_TYPE_MISMATCH, DebuggerError, ErrorData
from ..jose.certs import EmbeddedKeys
from ..jose.claims import ClaimCheck, ClaimChecks, check_claims
from ..jose.jsonser import with_signature
from ..jose.keys import KeyRing, read_key
from ..jose.pasted import parse
from ..jose.sign import Encoded
from ..jose.times import TimeReport, check_times, unread_times
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


class Result(TypedDict):
    """The overall result in one line, as the terminal's `Result` line gives it, and the single
    most useful next step (None when there is nothing to do)."""

    code: str
    message: str
    next_step: str | None


class DecodeReport(TokenData):
    """The answer of /api/decode: the decoded token, its times, claims, keys and findings."""

    result: Result
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
    time = times_report(parsed, now=now, leeway=leeway)
    fields = token_fields(parsed, time, checks, now=now)
    return {
        **parsed.to_dict(),
        "result": overall_result(parsed, time, fields, None),
        "time": time,
        **fields,
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
    time = times_report(parsed, now=now, leeway=leeway)
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
    embedded = token_key_fields(parsed, now=now)
    outcome = Outcome(
        verdict.valid,
        verdict.reason_code,
        verdict.reason_message,
        hints,
        detail=f"{verdict.alg}, with the {verdict.key.description}." if verdict.key else "",
        embedded=_embedded_key_used(verdict, embedded["embedded_keys"]),
    )
    return {
        **decoded,
        **verdict.to_dict(),
        "result": overall_result(parsed, time, fields, outcome),
        "notes": [*decoded["notes"], *verdict.notes],
        "time": time,
        **fields,
        "hints": [*fields["hints"], *hints],
        **embedded,
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
    decoded = decode_report(token, now=now, leeway=leeway, checks=checks)
    parsed = parse(token)
    outcome = Outcome(False, BAD_KEY, error.message, [])
    return {
        **decoded,
        "result": overall_result(parsed, decoded["time"], decoded, outcome),
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


def times_report(parsed: ParsedToken, *, now: float, leeway: float) -> TimeReport:
    """The times check, or "unknown" when the payload could not be read: say only what is known."""
    if payload_readable(parsed):
        return check_times(parsed.payload, now=now, leeway=leeway)
    return unread_times(now=now, leeway=leeway)


def payload_readable(parsed: ParsedToken) -> bool:
    """True when the payload was decoded: not an encrypted token, no error in the payload."""
    if parsed.kind == "JWE" or parsed.payload_text is None and parsed.payload is None:
        return False
    return not any(
        p.severity == "error" and p.part in ("payload", "token") for p in parsed.problems
    )


@dataclass(frozen=True)
class Outcome:
    """What the signature check found, for `overall_result`: None there means no key was given."""

    valid: bool
    reason_code: str | None
    reason_message: str | None
    key_hints: list[NoteData]
    detail: str = ""
    embedded: bool = False


_KEY_UNFIT = (KEY_TYPE_MISMATCH, ALG_NOT_ALLOWED)
_TIME_RESULTS = {"expired": EXPIRED, "not_yet_valid": NOT_YET_VALID, "invalid": INVALID_NUMERICDATE}


def overall_result(
    parsed: ParsedToken, time: TimeReport, fields: TokenFields, signature: Outcome | None
) -> Result:
    """The one-line answer: the first thing wrong (the token, the key, the signature, the times,
    the claim checks), or that everything holds; with the most useful next step."""
    hints = [
        h for h in (signature.key_hints if signature else []) if h["code"] != PRIVATE_KEY_GIVEN
    ]
    hints += fields["hints"]
    hint = hints[0]["message"] if hints else None
    error = parsed.error()
    if parsed.kind == "JWE":
        return _answer(
            ENCRYPTED_TOKEN,
            "Encrypted token (JWE): its payload can be read only with the recipient's key.",
            "Decrypt it with the recipient's private key or shared secret.",
        )
    if error is not None and not (signature and signature.valid):
        return _answer(
            MALFORMED_TOKEN,
            f"Malformed token: {error.message}",
            hint or "Paste the whole token: three base64url parts separated by dots, nothing else.",
        )
    if signature is None:
        return _answer(
            NO_KEY,
            "Decoded; the signature is not checked yet: no key or secret." + _also(time, fields),
            "Paste the issuer's key or secret (a PEM public key, a JWK Set or the HMAC secret) "
            "in the key or secret box.",
        )
    if not signature.valid:
        return _signature_failure(signature, hint)
    return _valid_result(signature, time, fields, hint)


def _signature_failure(signature: Outcome, hint: str | None) -> Result:
    code = signature.reason_code
    text = signature.reason_message or ""
    # The reason follows a colon: "Invalid signature: the HS256 signature does not match..."
    reason = text[:1].lower() + text[1:] if text[1:2].islower() or text[1:2] == " " else text
    if code == BAD_KEY:
        return _answer(BAD_KEY, f"The key or secret cannot be read: {reason}", hint)
    if code == KID_NOT_FOUND:
        step = "Use the key set the token's issuer publishes now: keys are rotated."
        return _answer(
            KID_NOT_FOUND, f"Invalid signature: kid not in the set. {reason}", hint or step
        )
    if code in _KEY_UNFIT:
        step = "Paste a key of the kind the token's alg needs."
        return _answer(KEY_UNFIT, f"The key cannot check this algorithm: {reason}", hint or step)
    step = "Check that the key is the issuer's, and that the token was not changed on the way."
    return _answer(INVALID_SIGNATURE, f"Invalid signature: {reason}", hint or step)


def _valid_result(
    signature: Outcome, time: TimeReport, fields: TokenFields, hint: str | None
) -> Result:
    code = _TIME_RESULTS.get(time["status"])
    if code is not None:
        step = hint or "Get a fresh token from the issuer."
        return _answer(code, f"Signature verified, but the times fail: {time['message']}", step)
    failed = [check for check in fields["claims"] if not check["ok"]]
    if failed:
        names = ", ".join(check["claim"] for check in failed)
        return _answer(
            CLAIM_CHECK_FAILED,
            f"Signature verified, but the claim check failed: {names}. {failed[0]['message']}",
            hint or "Ask the issuer for a token meant for your service, or fix the expected value.",
        )
    if signature.embedded:
        return _answer(
            VERIFIED_WITH_EMBEDDED_KEY,
            "Signature verified, but only with the key the token carries itself: anyone can "
            "make such a token, so this proves nothing about who issued it.",
            "Verify with the issuer's own key (its published JWK Set), never the token's.",
        )
    return _answer(VERIFIED, f"Signature verified: {signature.detail}".rstrip(": "), hint)


def _also(time: TimeReport, fields: TokenFields) -> str:
    """What is already known to fail without the key, as a sentence to add."""
    failed = [check["claim"] for check in fields["claims"] if not check["ok"]]
    if time["status"] in _TIME_RESULTS:
        return f" Times: {time['message']}"
    if failed:
        return f" Claim check failed: {', '.join(failed)}."
    return ""


def _answer(code: str, message: str, next_step: str | None) -> Result:
    return {"code": code, "message": message, "next_step": next_step}


def _embedded_key_used(verdict: Verdict, embedded: EmbeddedKeys | None) -> bool:
    """True when the key that verified is the one the token carries in its header."""
    if not verdict.valid or verdict.key is None:
        return False
    if any(note["code"] == EMBEDDED_KEY_USED for note in verdict.notes):
        return True
    if embedded is None:
        return False
    jwk = embedded["jwk"]
    chain = embedded["x5c"]
    if jwk and jwk["thumbprint"] and jwk["thumbprint"] == verdict.key.thumbprint:
        return True
    leaf = chain["leaf_pem"] if chain else None
    return bool(leaf) and (verdict.key.public_pem() or "").strip() == str(leaf).strip()
