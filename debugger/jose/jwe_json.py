"""Decrypt a JWE in JSON serialization (RFC 7516 section 7.2), flattened or general.

Each recipient is tried on its own, as the flattened JWE it stands for (the shared members with
that recipient's `header` and `encrypted_key`), through joserfc's `decrypt_json`: the key given
(or the key of a JWK Set its `kid` names) decrypts one recipient, and every recipient reports
whether it did and, if not, why. The checks of a compact JWE run first on each recipient's JOSE
header (protected, shared unprotected and per-recipient parameters together).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from joserfc.jwe import decrypt_json

from ..codes import (
    JWE_BAD_HEADER,
    JWE_KEY_KIND_MISMATCH,
    JWE_KID_NOT_FOUND,
    JWE_MALFORMED,
    JWE_P2C_TOO_LARGE,
    JWE_TAG_MISMATCH,
    JWE_TOO_LARGE,
    JWE_WRONG_KEY_OR_TAG_MISMATCH,
)
from ..errors import DebuggerError
from . import jsontext
from .jwe import (
    MAX_AAD_CHARS,
    MAX_P2C,
    PART_NAMES,
    Decryption,
    RecipientData,
    _candidate_keys,
    _check_header,
    _decode_parts,
    _part,
    _read_header,
    _Refusal,
    first_key_that_opens,
)
from .jwe_algorithms import PBES2_ALGS
from .jwe_keys import EncryptionKey

#: The most recipients read from one JWE in JSON serialization.
MAX_RECIPIENTS = 32
_SHARED = ("protected", "unprotected", "iv", "ciphertext", "tag", "aad")
_OWN = ("header", "encrypted_key")
#: Reasons that say only that the key is not this recipient's: another recipient's is better.
_NOT_MINE = (JWE_KID_NOT_FOUND, JWE_KEY_KIND_MISMATCH)


def decrypt_json_text(text: str, key_text: str, *, secret_encoding: str) -> Decryption:
    """Decrypt a pasted JWE JSON serialization; never raises for a bad token or key."""
    try:
        value = jsontext.loads(text, field="The JWE JSON serialization")
    except DebuggerError as err:
        return _refused("flattened", _Refusal(JWE_MALFORMED, err.message))
    serialization = "general" if isinstance(value, dict) and "recipients" in value else "flattened"
    try:
        entries = _recipients(value)
    except _Refusal as refusal:
        return _refused(serialization, refusal)
    budget = [MAX_P2C]
    attempts = [
        _attempt(value, index, entry, key_text, secret_encoding, budget)
        for index, entry in enumerate(entries)
    ]
    recipients = tuple(attempt[0] for attempt in attempts)
    won = next((a for a in attempts if a[0]["decrypted"]), None)
    chosen = won or next((a for a in attempts if a[0]["reason_code"] not in _NOT_MINE), attempts[0])
    data, header, parts, key, plaintext = chosen
    count = len(recipients)
    reason = (
        f"Decrypted for recipient {data['index'] + 1} of {count}: the tag matches."
        if won
        else data["reason"]
        if count == 1
        else f"No recipient of {count} could be decrypted with this key. Recipient "
        f"{data['index'] + 1}: {data['reason']}"
    )
    return Decryption(
        header,
        parts,
        plaintext,
        None if won else data["reason_code"],
        reason,
        key,
        serialization=serialization,
        recipients=recipients,
    )


def _recipients(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        raise _Refusal(JWE_MALFORMED, "A JWE in JSON serialization is a JSON object.")
    for name in ("protected", "iv", "ciphertext", "tag", "aad"):
        if name in value and not isinstance(value[name], str):
            raise _Refusal(JWE_MALFORMED, f'"{name}" must be a base64url string.')
    if len(value.get("aad", "")) > MAX_AAD_CHARS:
        raise _Refusal(
            JWE_TOO_LARGE, f'"aad" is longer than the {MAX_AAD_CHARS:,} characters read.'
        )
    if not isinstance(value.get("protected"), str):
        raise _Refusal(
            JWE_MALFORMED, 'It needs a "protected" header (base64url): "alg" and "enc" go there.'
        )
    if "unprotected" in value and not isinstance(value["unprotected"], dict):
        raise _Refusal(JWE_MALFORMED, '"unprotected" must be a JSON object.')
    if "recipients" not in value:
        entries: Any = [{name: value[name] for name in _OWN if name in value}]
    else:
        entries = value["recipients"]
        if not isinstance(entries, list) or not entries:
            raise _Refusal(JWE_MALFORMED, '"recipients" must be a non-empty array of objects.')
        if len(entries) > MAX_RECIPIENTS:
            raise _Refusal(
                JWE_MALFORMED,
                f"It has {len(entries)} recipients; the debugger reads at most {MAX_RECIPIENTS}.",
            )
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _Refusal(JWE_MALFORMED, f"Recipient {number} is not a JSON object.")
        if "header" in entry and not isinstance(entry["header"], dict):
            raise _Refusal(JWE_MALFORMED, f'Recipient {number}: "header" must be a JSON object.')
        if "encrypted_key" in entry and not isinstance(entry["encrypted_key"], str):
            raise _Refusal(JWE_MALFORMED, f'Recipient {number}: "encrypted_key" must be a string.')
    return list(entries)


_Attempt = tuple[
    RecipientData, dict[str, Any] | None, tuple[Any, ...], EncryptionKey | None, bytes | None
]


def _attempt(
    value: dict[str, Any],
    index: int,
    entry: dict[str, Any],
    key_text: str,
    secret_encoding: str,
    budget: list[int],
) -> _Attempt:
    """Try the key on one recipient. `budget` holds the PBKDF2 rounds left for all recipients
    together: one token costs no more than one compact JWE at the `p2c` limit."""
    flattened = {name: value[name] for name in _SHARED if name in value}
    flattened.update({name: entry[name] for name in _OWN if name in entry})
    segments = [flattened.get(name, "") for name in PART_NAMES]
    parts = tuple(
        _part(name, "".join(segment.split()))
        for name, segment in zip(PART_NAMES, segments, strict=True)
    )
    header: dict[str, Any] | None = None
    key: EncryptionKey | None = None
    try:
        decoded = _decode_parts(segments)
        header = _joined_header(_read_header(decoded["protected"]), value, entry)
        _check_header(header, decoded)
        keys = _candidate_keys(header, key_text, secret_encoding)
        _spend_p2c(header, budget, len(keys))
        key, plaintext = _decrypt_flattened(flattened, header, decoded, keys)
    except _Refusal as refusal:
        note = _canonical_note(refusal.code, flattened["protected"])
        message = f"{refusal.message} {note}" if note else refusal.message
        data = _data(index, header, False, refusal.code, message)
        return data, header, parts, key, None
    return _data(index, header, True, None, "Decrypted."), header, parts, key, plaintext


def _spend_p2c(header: dict[str, Any], budget: list[int], tries: int) -> None:
    if header["alg"] not in PBES2_ALGS:
        return
    cost = header["p2c"] * tries
    if cost > budget[0]:
        raise _Refusal(
            JWE_P2C_TOO_LARGE,
            f"Not tried: the PBES2 recipients before this one used the {MAX_P2C:,} PBKDF2 "
            "rounds the debugger spends on one token.",
        )
    budget[0] -= cost


def _canonical_note(code: str, protected: str) -> str:
    """joserfc authenticates the protected header as it re-encodes it (compact JSON, keys in
    order): a header written otherwise fails the tag whatever the key."""
    if code not in (JWE_TAG_MISMATCH, JWE_WRONG_KEY_OR_TAG_MISMATCH):
        return ""
    try:
        header = jsontext.loads(_b64url_text(protected), field="The protected header")
    except (DebuggerError, ValueError):
        return ""
    text = json.dumps(header, ensure_ascii=True, separators=(",", ":"))
    if base64.urlsafe_b64encode(text.encode("ascii")).rstrip(b"=").decode() == protected:
        return ""
    return (
        "But this protected header is not written as compact JSON (it has spaces, or "
        "non-ASCII characters written as such), and the decrypting library checks the tag "
        "against its own compact re-encoding of the header: the tag may be right for the "
        "header as written, which this debugger cannot check."
    )


def _b64url_text(segment: str) -> str:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")


def _joined_header(
    protected: dict[str, Any], value: dict[str, Any], entry: dict[str, Any]
) -> dict[str, Any]:
    """The recipient's JOSE header; RFC 7516 section 7.2.1 wants the three parts disjoint."""
    unprotected = value.get("unprotected") or {}
    own = entry.get("header") or {}
    shared = (set(protected) & set(unprotected)) | (set(protected) & set(own))
    shared |= set(unprotected) & set(own)
    if shared:
        names = ", ".join(sorted(shared))
        raise _Refusal(
            JWE_BAD_HEADER,
            f"{names} appears in more than one of the protected, shared and recipient headers; "
            "RFC 7516 section 7.2.1 requires them to be disjoint.",
        )
    return {**protected, **unprotected, **own}


def _decrypt_flattened(
    flattened: dict[str, Any],
    header: dict[str, Any],
    decoded: dict[str, bytes],
    keys: tuple[EncryptionKey, ...],
) -> tuple[EncryptionKey, bytes]:
    return first_key_that_opens(
        lambda key, registry: decrypt_json(flattened, key.jose_key, registry=registry),  # type: ignore[arg-type]
        header,
        decoded,
        keys,
        _Refusal(JWE_MALFORMED, "No key could decrypt this recipient."),
    )


def _data(
    index: int, header: dict[str, Any] | None, decrypted: bool, code: str | None, reason: str
) -> RecipientData:
    return {
        "index": index,
        "header": header,
        "alg": (header or {}).get("alg"),
        "kid": (header or {}).get("kid"),
        "decrypted": decrypted,
        "reason_code": code,
        "reason": reason,
    }


def _refused(serialization: str, refusal: _Refusal) -> Decryption:
    return Decryption(None, (), None, refusal.code, refusal.message, serialization=serialization)
