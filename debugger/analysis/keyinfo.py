"""What the key panel shows about a key or a key set, and which key of a set verified a token."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, NotRequired, TypedDict

from jwt.api_jwk import PyJWK
from jwt.exceptions import PyJWTError

from ..codes import (
    CERTIFICATE_EXPIRED,
    CERTIFICATE_NOT_YET_VALID,
    FINDING_ROCA_KEY,
    FINDING_SHORT_SECRET,
    FINDING_WEAK_RSA_KEY,
    NOT_OBJECT,
    ROCA_KEY,
    SHORT_HMAC_SECRET,
    SIGNATURE_MISMATCH,
    UNKNOWN_KTY,
    UNREADABLE,
    WEAK_RSA_KEY,
)
from ..errors import DebuggerError
from ..jose import jsontext
from ..jose.algorithms import ALGORITHMS, algorithms_for
from ..jose.certs import EmbeddedKeys, embedded_keys
from ..jose.jwk import public_jwk
from ..jose.keys import Key, KeyDetails, KeyRing, UnusableEntry, read_key
from ..jose.tokens import NoteData, ParsedToken
from ..jose.verify import Verdict
from .payloads import PayloadForm, payload_form
from .roca import has_roca_fingerprint

#: RSA keys shorter than this are weak (RFC 7518 section 3.3 requires 2048 bits or more).
MIN_RSA_BITS = 2048
_KNOWN_KTY = ("oct", "RSA", "EC", "OKP")


class KeySummary(KeyDetails):
    """A key as the verify answer and the key panel show it: with thumbprint and warnings."""

    thumbprint: str
    algorithms: list[str]
    warnings: list[KeyWarning]


class InspectedKey(KeySummary):
    """One key of the key panel, with its public JWK (None for a secret) and PEM."""

    public_jwk: dict[str, Any] | None
    public_pem: str | None


class KeyInspection(InspectedKey):
    """The key panel: the first key's fields, every usable key, and a key set entry by entry."""

    is_set: bool
    keys: list[InspectedKey]
    key_set: KeySetReport | None


class EntrySummary(TypedDict):
    """One JWK Set entry as written (`use` only for an object), and why PyJWT would skip it."""

    index: int
    kid: str | None
    kty: str | None
    crv: str | None
    alg: str | None
    use: NotRequired[str | None]
    pyjwt: str | None


class EntryStatus(TypedDict):
    """Whether a readable key of a set fits the token, and if not, why."""

    usable: bool
    status: str
    reason: NotRequired[str]


class UnusableStatus(TypedDict):
    """Why an entry of a key set cannot be read as a key: a code and a message."""

    usable: bool
    status: str
    code: str
    reason: str


class UsableSetEntry(EntrySummary):
    """A readable JWK Set entry with its thumbprint and whether it fits the token."""

    thumbprint: str
    usable: bool
    status: str
    reason: NotRequired[str]


class UnusableSetEntry(EntrySummary):
    """A JWK Set entry that cannot be read as a key, and why."""

    usable: bool
    status: str
    code: str
    reason: str


KeySetEntry = UsableSetEntry | UnusableSetEntry


class UnusableKey(TypedDict):
    """A key set entry that cannot be used, with the code of why."""

    index: int
    kid: Any
    reason: str
    code: str


class KeySetReport(TypedDict):
    """A JWK Set entry by entry: which key verified, which fit, which cannot be used and why."""

    kids: list[str]
    size: int
    unusable: list[UnusableKey]
    entries: list[KeySetEntry]
    token_kid: str | None
    used: int | None
    fitting: int
    pyjwt_skips: list[int]


class TokenKeyFields(TypedDict):
    """What decode and verify answers say about keys inside the token and the payload's form."""

    embedded_keys: EmbeddedKeys | None
    payload_form: PayloadForm


class VerifyKeyFields(TypedDict):
    """The key that verified (None when none did) and the key set it came from."""

    key: KeySummary | None
    key_set: KeySetReport | None


class KeyWarning(NoteData):
    """A weak-key warning; `finding` names the security finding it also is, if any."""

    finding: NotRequired[str]


def is_weak_rsa_key(key: Key) -> bool:
    """True for an RSA key under `MIN_RSA_BITS` bits."""
    return key.kind == "RSA" and key.size < MIN_RSA_BITS


def is_roca_key(key: Key) -> bool:
    """True for an RSA key whose modulus has the ROCA fingerprint (CVE-2017-15361)."""
    return key.kind == "RSA" and has_roca_fingerprint(key.verifying_material.public_numbers().n)


def is_short_secret(key: Key, alg: str) -> bool:
    """True for an HMAC secret shorter than the hash output of `alg` (RFC 7518 section 3.2)."""
    return key.kind == "secret" and len(key.material) < ALGORITHMS[alg].hash_bytes


def key_warnings(key: Key, *, alg: str | None = None, now: float | None = None) -> list[KeyWarning]:
    """Weak-key warnings: short RSA moduli, HMAC secrets shorter than the hash, old certificates.

    A warning that is also a security finding names it in `finding`.
    """
    warnings = []
    if is_weak_rsa_key(key):
        warnings.append(
            _warning(
                WEAK_RSA_KEY,
                f"This RSA key has {key.size} bits. Keys under {MIN_RSA_BITS} bits can be "
                "factored; RFC 7518 requires at least 2048. Replace it.",
                FINDING_WEAK_RSA_KEY,
            )
        )
    if key.kind == "secret":
        name = next(
            (a for a in (alg, key.jwk_alg) if a in ALGORITHMS and ALGORITHMS[a].kind == "secret"),
            "HS256",
        )
        needed = ALGORITHMS[name].hash_bytes
        if is_short_secret(key, name):
            warnings.append(
                _warning(
                    SHORT_HMAC_SECRET,
                    f"This secret is {key.size // 8} bytes, shorter than the {needed}-byte "
                    f"hash output of {name}. RFC 7518 requires a secret at least as long; a "
                    "short one can be guessed offline from a single token.",
                    FINDING_SHORT_SECRET,
                )
            )
    if key.certificate is not None and now is not None:
        warnings.extend(_certificate_warnings(key.certificate, now))
    warnings.extend(_warning(code, message) for code, message in key.read_warnings)
    if is_roca_key(key):
        warnings.append(
            _warning(
                ROCA_KEY,
                "This RSA modulus has the ROCA fingerprint (CVE-2017-15361): its private key "
                "can be computed from the public key. Replace it.",
                FINDING_ROCA_KEY,
            )
        )
    return warnings


def _certificate_warnings(certificate: dict[str, str], now: float) -> list[KeyWarning]:
    if now > datetime.fromisoformat(certificate["not_after"]).timestamp():
        return [_warning(CERTIFICATE_EXPIRED, "The certificate has expired.")]
    if now < datetime.fromisoformat(certificate["not_before"]).timestamp():
        return [_warning(CERTIFICATE_NOT_YET_VALID, "The certificate is not valid yet.")]
    return []


def _warning(code: str, message: str, finding: str | None = None) -> KeyWarning:
    warning: KeyWarning = {"code": code, "message": message}
    if finding is not None:
        warning["finding"] = finding
    return warning


def key_summary(key: Key, *, alg: str | None = None, now: float | None = None) -> KeySummary:
    """`Key.describe()` plus the RFC 7638 thumbprint, usable algorithms and warnings."""
    return {
        **key.describe(),
        "thumbprint": key.thumbprint,
        "algorithms": algorithms_for(key.kind, key.curve),
        "warnings": key_warnings(key, alg=alg, now=now),
    }


def inspect_key(
    text: str, *, secret_encoding: str = "utf-8", now: float, passphrase: str | None = None
) -> KeyInspection:
    """Everything the key panel shows, with the public JWK and PEM of each key.

    The top-level fields describe the key (the first usable key of a set); `keys` lists every
    usable key and `key_set` describes a JWK Set entry by entry (null for a single key).
    """
    ring = read_key(text, secret_encoding, passphrase)
    keys: list[InspectedKey] = [
        {
            **key_summary(key, now=now),
            "public_jwk": key.jwk(private=False) if key.kind != "secret" else None,
            "public_pem": key.public_pem(),
        }
        for key in ring.keys
    ]
    return {
        **keys[0],
        "is_set": ring.is_set,
        "keys": keys,
        "key_set": key_set_report(ring, text) if ring.is_set else None,
    }


def set_entries(text: str) -> list[Any]:
    """The raw entries of a pasted JWK Set, or [] when the text is not one."""
    try:
        value = jsontext.loads(text.strip(), field="key")
    except DebuggerError:
        return []
    keys = value.get("keys") if isinstance(value, dict) else None
    return keys if isinstance(keys, list) else []


def entry_summary(index: int, entry: Any, *, usable: bool = True) -> EntrySummary:
    """One JWK Set entry as listed: kid, kty, curve and alg, and whether PyJWT would skip it.

    Only a usable entry is tried with PyJWT, and only its public part (cheap to load: the
    debugger has already checked the private key), except for a secret, which has no other.
    """
    if not isinstance(entry, dict):
        return {"index": index, "kid": None, "kty": None, "crv": None, "alg": None, "pyjwt": None}
    summary: EntrySummary = {
        "index": index,
        "kid": _text(entry.get("kid")),
        "kty": _text(entry.get("kty")),
        "crv": _text(entry.get("crv")),
        "alg": _text(entry.get("alg")),
        "use": _text(entry.get("use")),
        "pyjwt": None,
    }
    if not usable:
        return summary
    try:
        PyJWK(entry if entry.get("kty") == "oct" else public_jwk(entry))
    except PyJWTError as err:
        summary["pyjwt"] = (
            f"PyJWT's PyJWKSet skips this key ({err}); a server that reads this set with PyJWT "
            "cannot verify with it."
        )
    except Exception as err:  # noqa: BLE001 (PyJWT may raise anything for hostile input)
        summary["pyjwt"] = f"PyJWT cannot read this key ({type(err).__name__})."
    return summary


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def key_set_report(
    ring: KeyRing,
    text: str,
    *,
    alg: str | None = None,
    token_kid: Any = None,
    verdict: Any = None,
) -> KeySetReport:
    """The key set entry by entry: which key verified, which fit, which cannot be used and why.

    `verdict` is the `verify.Verdict` of a verify request (None when only inspecting).
    """
    raw, summaries = _listing(text, frozenset(item["index"] for item in ring.unusable))
    unusable = {item["index"]: item for item in ring.unusable}
    positions = [index for index in range(len(raw)) if index not in unusable]
    by_index = dict(zip(positions, ring.keys, strict=False))
    kid = token_kid if isinstance(token_kid, str) else None
    entries: list[KeySetEntry] = []
    for index, entry in enumerate(raw):
        key = by_index.get(index)
        summary = summaries[index] if key is not None else entry_summary(index, entry, usable=False)
        if key is None:
            entries.append({**summary, **_unusable_status(entry, unusable.get(index))})
        else:
            status = _status(key, alg, kid, verdict, ring)
            entries.append({**summary, "thumbprint": key.thumbprint, **status})
    used = next((e["index"] for e in entries if e.get("status") == "matched"), None)
    if used is None and verdict is not None and verdict.key is not None:
        used = next((i for i, k in by_index.items() if k is verdict.key), None)
    return {
        "kids": ring.kids,
        "size": len(ring.keys),
        "unusable": [
            {**item, "code": _unusable_code(raw[item["index"]])}
            for item in ring.unusable
            if item["index"] < len(entries)
        ],
        "entries": entries,
        "token_kid": kid,
        "used": used,
        "fitting": sum(1 for e in entries if e.get("status") in _FITTING),
        "pyjwt_skips": [e["index"] for e in entries if e["pyjwt"]],
    }


_FITTING = ("matched", "no_match", "not_tried", "candidate")


# The page sends the same key set with every keystroke in the token box: its entries are read,
# and tried with PyJWT, once (500 entries: about 15 ms), not on every answer.
@functools.lru_cache(maxsize=8)
def _listing(
    text: str, unusable: frozenset[int]
) -> tuple[tuple[Any, ...], tuple[EntrySummary, ...]]:
    """A key set's raw entries and the summaries of its usable ones (shared: copy before use)."""
    raw = tuple(set_entries(text))
    summaries = tuple(
        entry_summary(index, entry, usable=index not in unusable) for index, entry in enumerate(raw)
    )
    return raw, summaries


def _status(key: Key, alg: str | None, kid: str | None, verdict: Any, ring: KeyRing) -> EntryStatus:
    if verdict is None or alg is None:
        return {"usable": True, "status": "usable"}
    if kid is not None and key.kid != kid:
        return {"usable": True, "status": "other_kid"}
    reason = key.unfit_reason(alg) if alg in ALGORITHMS else None
    if reason is not None:
        return {"usable": True, "status": "unfit", "reason": reason}
    if verdict.valid:
        if key is verdict.key:
            return {"usable": True, "status": "matched"}
        tried_before = _position(ring, key) < _position(ring, verdict.key)
        return {"usable": True, "status": "no_match" if tried_before else "not_tried"}
    if verdict.reason_code == SIGNATURE_MISMATCH:
        return {"usable": True, "status": "no_match"}
    return {"usable": True, "status": "candidate"}


def _position(ring: KeyRing, key: Key) -> int:
    return next((i for i, k in enumerate(ring.keys) if k is key), -1)


def _unusable_status(entry: Any, item: UnusableEntry | None) -> UnusableStatus:
    reason = item["reason"] if item else "This key could not be read."
    code = item.get("code") if item else None
    return {
        "usable": False,
        "status": "unusable",
        "code": code or _unusable_code(entry),
        "reason": reason,
    }


def _unusable_code(entry: Any) -> str:
    if not isinstance(entry, dict):
        return NOT_OBJECT
    if entry.get("kty") not in _KNOWN_KTY:
        return UNKNOWN_KTY
    return UNREADABLE


def token_key_fields(parsed: ParsedToken, *, now: float) -> TokenKeyFields:
    """What decode and verify answers say about keys inside the token and the payload's form."""
    return {
        "embedded_keys": embedded_keys(parsed.header, now=now),
        "payload_form": payload_form(parsed),
    }


def verify_key_fields(
    parsed: ParsedToken, ring: KeyRing, verdict: Verdict, key_text: str, *, now: float
) -> VerifyKeyFields:
    """The verify answer's `key` (with thumbprint and warnings) and `key_set` (entry by entry)."""
    key = None
    described = verdict.key
    if described is None and not ring.is_set and len(ring.keys) == 1:
        # The one key given, even when the token stops the check before any key is tried (a
        # signature still being typed): what the key is does not depend on the token.
        described = ring.keys[0]
    if described is not None:
        key = key_summary(described, alg=verdict.alg, now=now)
    key_set = None
    if ring.is_set:
        token_kid = parsed.header.get("kid") if parsed.header else None
        key_set = key_set_report(
            ring, key_text, alg=verdict.alg, token_kid=token_kid, verdict=verdict
        )
    return {"key": key, "key_set": key_set}
