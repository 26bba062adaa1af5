"""Signature verdicts: which key and algorithm to use, and whether the signature holds.

The algorithm is taken from the key the user gave and the algorithms the user allows, never from
the token header alone: an `HS256` header checked against a public key is the key-confusion
attack, and `alg: none` never verifies.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from ..codes import (
    ALG_NOT_ALLOWED,
    B64_NOT_CRITICAL,
    CRIT_UNSUPPORTED,
    DETACHED_PAYLOAD_ENCODED,
    DETACHED_PAYLOAD_REQUIRED,
    KEY_CONFUSION,
    KID_NOT_FOUND,
    KID_NOT_STRING,
    MALFORMED_TOKEN,
    SIGNATURE_MISMATCH,
    UNSECURED_TOKEN,
)
from ..errors import BAD_KEY, INVALID_REQUEST, KEY_TYPE_MISMATCH, DebuggerError
from .algorithms import ALGORITHMS, KIND_NAMES, is_unsecured
from .keys import Key, KeyDetails, KeyRing
from .mismatch import diagnose_mismatch
from .tokens import NoteData, ParsedToken

#: Header parameters this debugger understands when they are listed in `crit`.
UNDERSTOOD_CRIT = ("b64",)
_B64URL_TEXT = re.compile(r"[A-Za-z0-9_-]+")


class Reason(TypedDict):
    """Why a signature is not valid: one of `REASON_CODES` and a message."""

    code: str
    message: str | None


class VerdictData(TypedDict):
    """The verdict as the API returns it; `reason` only when the signature is not valid."""

    signature_valid: bool
    alg: str | None
    reason: NotRequired[Reason]
    key: KeyDetails | None


@dataclass(frozen=True)
class Verdict:
    """Whether the signature holds, with which algorithm and key, and if not, why."""

    valid: bool
    alg: str | None
    key: Key | None = None
    reason_code: str | None = None
    reason_message: str | None = None
    notes: tuple[NoteData, ...] = field(default_factory=tuple)

    def to_dict(self) -> VerdictData:
        key = self.key.describe() if self.key is not None else None
        if self.reason_code is None:
            return {"signature_valid": self.valid, "alg": self.alg, "key": key}
        reason: Reason = {"code": self.reason_code, "message": self.reason_message}
        return {"signature_valid": self.valid, "alg": self.alg, "reason": reason, "key": key}


def check_signature(
    parsed: ParsedToken,
    ring: KeyRing,
    *,
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
) -> Verdict:
    """Decide whether `parsed` carries a valid signature made with one of the keys in `ring`."""
    header = parsed.header
    alg = header.get("alg") if header is not None else None
    problem = parsed.error()
    if problem is not None or header is None or not isinstance(alg, str):
        message = problem.message if problem else 'The header has no "alg" string.'
        return _fail(alg if isinstance(alg, str) else None, MALFORMED_TOKEN, message)
    if is_unsecured(alg):
        return _fail(
            alg,
            UNSECURED_TOKEN,
            f'The header says alg "{alg}": the token is not signed, so nothing about it can be '
            "trusted. A verifier must reject it.",
        )
    crit_message = _crit_message(header)
    if crit_message is not None:
        return _fail(alg, CRIT_UNSUPPORTED, crit_message)
    header_failure = _header_failure(header, alg)
    if header_failure is not None:
        return header_failure
    if alg not in ALGORITHMS:
        known = ", ".join(ALGORITHMS)
        return _fail(alg, ALG_NOT_ALLOWED, f"Unknown algorithm {alg!r}. Known: {known}.")
    if algorithms is not None and alg not in algorithms:
        allowed = ", ".join(algorithms) or "none"
        return _fail(
            alg,
            ALG_NOT_ALLOWED,
            f"The token uses {alg}, which is not among the algorithms you allow ({allowed}).",
        )
    candidates, failure = _candidates(parsed, ring, alg)
    if failure is not None:
        return failure
    inputs = signing_inputs(parsed, detached_payload)
    for key in candidates:
        for signing_input, note in inputs:
            if _signature_holds(alg, key, signing_input, parsed.signature or b""):
                notes: tuple[NoteData, ...] = ()
                if note:
                    notes = ({"code": DETACHED_PAYLOAD_ENCODED, "message": note},)
                return Verdict(True, alg, key, notes=notes)
    if parsed.segments[1] == "" and detached_payload is None:
        return _fail(
            alg,
            DETACHED_PAYLOAD_REQUIRED,
            "The payload part is empty, and the signature does not hold for an empty payload. "
            "If the content is detached (RFC 7515 Appendix F), paste it to verify the "
            "signature.",
            candidates[0],
        )
    diagnosis = diagnose_mismatch(alg, candidates[0], inputs[0][0], parsed.signature or b"")
    if diagnosis is not None:
        return _fail(alg, diagnosis[0], diagnosis[1], candidates[0])
    return _fail(alg, SIGNATURE_MISMATCH, _mismatch_message(alg, ring, candidates), candidates[0])


def _header_failure(header: dict[str, Any], alg: str) -> Verdict | None:
    """Header parameters that make the token invalid whatever the key."""
    if header.get("b64") is False and "b64" not in header.get("crit", []):
        return _fail(
            alg,
            B64_NOT_CRITICAL,
            'The header says "b64": false without listing "b64" in "crit". RFC 7797 section 6 '
            "requires it: a verifier that does not know b64 would read the payload "
            "differently, so the token must be rejected.",
        )
    if "kid" in header and not isinstance(header["kid"], str):
        kind = json_kind(header["kid"])
        return _fail(
            alg,
            KID_NOT_STRING,
            f'The header\'s "kid" is {kind}, and RFC 7515 section 4.1.4 makes it a '
            "string. PyJWT, joserfc and jwcrypto refuse such a token.",
        )
    return None


def json_kind(value: Any) -> str:
    """What kind of JSON value this is, in words: "a number", "an array"."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def _fail(alg: str | None, code: str, message: str, key: Key | None = None) -> Verdict:
    return Verdict(False, alg, key, code, message)


@dataclass(frozen=True)
class CritProblem:
    """What breaks RFC 7515 section 4.1.11 in a header's `crit`, and the names concerned.

    `kind` is "malformed" (not a non-empty list of names), "not_understood" (names this
    debugger does not implement) or "missing" (names the header does not contain).
    """

    kind: str
    names: tuple[str, ...] = ()


def crit_problem(header: dict[str, Any]) -> CritProblem | None:
    """The first rule the header's `crit` breaks; None when it has none or breaks none."""
    if "crit" not in header:
        return None
    crit = header["crit"]
    if not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit):
        return CritProblem("malformed")
    unknown = tuple(name for name in crit if name not in UNDERSTOOD_CRIT)
    if unknown:
        return CritProblem("not_understood", unknown)
    missing = tuple(name for name in crit if name not in header)
    if missing:
        return CritProblem("missing", missing)
    return None


def _crit_message(header: dict[str, Any]) -> str | None:
    problem = crit_problem(header)
    if problem is None:
        return None
    if problem.kind == "malformed":
        return '"crit" must be a non-empty list of header parameter names (RFC 7515 4.1.11).'
    names = ", ".join(problem.names)
    if problem.kind == "not_understood":
        return (
            f"The header marks {names} as critical (crit), and this debugger does "
            "not implement them, so it must reject the token as RFC 7515 requires."
        )
    return f"crit lists {names}, which the header does not contain."


def _candidates(parsed: ParsedToken, ring: KeyRing, alg: str) -> tuple[list[Key], Verdict | None]:
    keys = list(ring.keys)
    kid = parsed.header.get("kid") if parsed.header else None
    if ring.is_set and isinstance(kid, str):
        keys = [key for key in ring.keys if key.kid == kid]
        broken = [entry for entry in ring.unusable if entry.get("kid") == kid]
        if not keys and broken:
            return [], _fail(
                alg,
                BAD_KEY,
                f"The key set has a key with kid {kid!r}, but it cannot be used: "
                f"{broken[0]['reason']}",
            )
        if not keys:
            available = ", ".join(repr(k) for k in ring.kids) or "none"
            return [], _fail(
                alg,
                KID_NOT_FOUND,
                f"The token's kid {kid!r} is not in the key set. Its kids: {available}.",
            )
    fitting = [key for key in keys if key.unfit_reason(alg) is None]
    if fitting:
        return fitting, None
    spec = ALGORITHMS[alg]
    first = keys[0]
    if spec.kind == "secret" and first.kind != "secret":
        return [], _fail(
            alg,
            KEY_CONFUSION,
            f"The token says {alg} (an HMAC secret) but you gave {KIND_NAMES[first.kind]}. A "
            "verifier that trusts the header would use the public key's text as the HMAC "
            "secret: the key-confusion attack. This token is not verified.",
            first,
        )
    return [], _fail(alg, KEY_TYPE_MISMATCH, first.unfit_reason(alg) or "", first)


def signing_inputs(
    parsed: ParsedToken, detached_payload: str | None
) -> list[tuple[bytes, str | None]]:
    """The signing inputs to try, each with a note saying how the payload was read.

    A detached payload (RFC 7515 Appendix F) is base64url-encoded first, unless the header says
    `b64: false`; text that is already base64url is also tried as it is. Without it, an empty
    payload part is an empty payload.
    """
    if parsed.segments[1] != "" or detached_payload is None:
        # An empty payload part is an empty payload (RFC 7515 section 3) unless content is given.
        return [(parsed.signing_input(), None)]
    _check_utf8(detached_payload)
    if parsed.unencoded_payload:
        return [(parsed.signing_input(detached_payload), None)]
    encoded = base64.urlsafe_b64encode(detached_payload.encode()).rstrip(b"=").decode()
    inputs: list[tuple[bytes, str | None]] = [(parsed.signing_input(encoded), None)]
    if _B64URL_TEXT.fullmatch(detached_payload):
        inputs.append(
            (
                parsed.signing_input(detached_payload),
                "The detached payload was read as already base64url-encoded.",
            )
        )
    return inputs


def _check_utf8(detached_payload: str) -> None:
    try:
        detached_payload.encode("utf-8")
    except UnicodeEncodeError as err:
        raise DebuggerError(
            INVALID_REQUEST,
            f"The detached payload holds a lone surrogate (U+{ord(err.object[err.start]):04X}), "
            "which UTF-8 cannot encode: the signature cannot cover it. Remove it or write the "
            "character as a surrogate pair.",
            field="detached_payload",
        ) from err


def _signature_holds(alg: str, key: Key, signing_input: bytes, signature: bytes) -> bool:
    implementation = ALGORITHMS[alg].implementation
    try:
        return bool(implementation.verify(signing_input, key.verifying_material, signature))
    except (ValueError, TypeError, binascii.Error):
        return False


def _mismatch_message(alg: str, ring: KeyRing, tried: list[Key]) -> str:
    if tried[0].kind == "secret":
        return (
            f"The {alg} signature does not match this secret. Check that it is the secret the "
            "issuer signs with, and its encoding (text, base64 or hex)."
        )
    which = "any of the matching keys in the set" if ring.is_set and len(tried) > 1 else "this key"
    return (
        f"The {alg} signature does not match {which}. The token was signed with another key, "
        "or it was changed after signing."
    )
