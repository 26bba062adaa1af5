"""What the debugger says about an encrypted token: the decrypt report, nested token included."""

from __future__ import annotations

import base64
from typing import Any, NotRequired, TypedDict

from ..codes import NO_INNER_KEY
from ..errors import INVALID_REQUEST, DebuggerError
from ..jose import jsontext
from ..jose.claims import ClaimCheck, ClaimChecks, check_claims
from ..jose.jwe import Decryption, JwePart, RecipientData, decrypt
from ..jose.jwe_json import decrypt_json_text
from ..jose.jwe_keys import EncryptionKeyInfo, check_secret_encoding
from ..jose.pasted import parse
from ..jose.times import TimeReport, check_times
from ..jose.tokens import clean
from ..teach.jwe_walkthrough import JweWalkthrough, jwe_walkthrough
from .findings import FindingData
from .jwe_findings import jwe_findings
from .report import VerifyReport, decode_report, key_error_report, verify_report

#: `cty` values that say the plaintext is itself a JWT (RFC 7519 section 5.2), in lower case.
NESTED_CTYS = ("jwt", "application/jwt")


class DecryptReport(TypedDict):
    """The decrypt answer: the plaintext in every form it has, or why there is none."""

    kind: str
    serialization: str  # "compact", "flattened" or "general"
    #: For the JSON serialization: each recipient, and whether the key decrypted it.
    recipients: NotRequired[list[RecipientData]]
    decrypted: bool
    reason_code: str | None
    reason: str
    header: dict[str, Any] | None
    alg: str | None
    enc: str | None
    parts: list[JwePart]
    key: EncryptionKeyInfo | None
    plaintext: str | None
    plaintext_b64: str | None
    payload: dict[str, Any] | None
    #: The verify answer for the inner token (the decode answer plus the signature verdict).
    nested: VerifyReport | None
    time: TimeReport | None
    claims: list[ClaimCheck]
    findings: list[FindingData]
    #: How this token is decrypted, step by step; None without a readable header, alg and enc.
    walkthrough: JweWalkthrough | None


def decrypt_report(
    token: str,
    key: str,
    *,
    now: float,
    leeway: float = 0,
    inner_key: str | None = None,
    secret_encoding: str = "utf-8",
    checks: ClaimChecks | None = None,
) -> DecryptReport:
    """Decrypt a compact JWE and read its plaintext: claims, text, or a nested token.

    A token that cannot be decrypted gives `decrypted: false` and a `reason_code`; only a bad
    `secret_encoding` raises.
    """
    result = _decrypt(token, key, secret_encoding)
    header = result.header
    plaintext = result.plaintext
    text = _utf8(plaintext)
    payload = _claims(text)
    inner = _inner_token(header, text)
    nested = None
    if inner is not None:
        nested = _nested_report(
            inner, inner_key, now=now, leeway=leeway, secret_encoding=secret_encoding, checks=checks
        )
    found = jwe_findings(header, nested=inner is not None, decrypted=plaintext is not None)
    enc = (header or {}).get("enc")
    report: DecryptReport = {
        "kind": "JWE",
        "serialization": result.serialization,
        "decrypted": plaintext is not None,
        "reason_code": result.reason_code,
        "reason": result.reason,
        "header": header,
        "alg": result.alg,
        "enc": enc if isinstance(enc, str) else None,
        "parts": list(result.parts),
        "key": None if result.key is None else result.key.describe(),
        "plaintext": text,
        "plaintext_b64": None if plaintext is None else _b64url(plaintext),
        "payload": payload,
        "nested": nested,
        "time": None if payload is None else check_times(payload, now=now, leeway=leeway),
        "claims": [] if payload is None else check_claims(payload, checks or ClaimChecks()),
        "findings": [item.to_dict() for item in found],
        "walkthrough": jwe_walkthrough(token, key, result, secret_encoding=secret_encoding),
    }
    if result.serialization != "compact":
        report["recipients"] = list(result.recipients)
    return report


def _utf8(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _claims(text: str | None) -> dict[str, Any] | None:
    if text is None or not text.lstrip().startswith("{"):
        return None
    try:
        value = jsontext.loads(text, field="The plaintext")
    except DebuggerError:
        return None
    return value if isinstance(value, dict) else None


def _inner_token(header: dict[str, Any] | None, text: str | None) -> str | None:
    """The plaintext, when `cty` says it is a JWT or it reads as a compact JWS."""
    if text is None:
        return None
    cty = (header or {}).get("cty")
    if isinstance(cty, str) and cty.lower() in NESTED_CTYS:
        return text.strip()
    if text.count(".") == 2 and parse(text).is_compact_jws:
        return text.strip()
    return None


def _nested_report(
    inner: str,
    inner_key: str | None,
    *,
    now: float,
    leeway: float,
    secret_encoding: str,
    checks: ClaimChecks | None,
) -> VerifyReport:
    """The verify answer for the inner token; without `inner_key`, its decode answer unverified."""
    if inner_key is None:
        return {
            **decode_report(inner, now=now, leeway=leeway, checks=checks),
            "signature_valid": False,
            "reason": {
                "code": NO_INNER_KEY,
                "message": "The content is a signed token: give its key (inner_key) to verify it.",
            },
            "key": None,
            "key_set": None,
        }
    try:
        return verify_report(
            inner, inner_key, now=now, leeway=leeway, secret_encoding=secret_encoding, checks=checks
        )
    except DebuggerError as err:
        if err.code == INVALID_REQUEST:
            raise
        return key_error_report(inner, err, now=now, leeway=leeway, checks=checks)


def _decrypt(token: str, key: str, secret_encoding: str) -> Decryption:
    """The compact or the JSON serialization, each read by the module that knows it."""
    text = clean(token)[0]
    if text.startswith("{"):
        check_secret_encoding(secret_encoding)
        return decrypt_json_text(text, key, secret_encoding=secret_encoding)
    return decrypt(token, key, secret_encoding=secret_encoding)
