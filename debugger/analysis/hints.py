"""Likely mistakes, tried one by one: each hint says what to change, and whether that verifies.

"Invalid signature" is most often caused by something mundane: a base64 secret pasted as text, a
trailing newline, the wrong key of a set, a PEM body without its BEGIN/END lines. When a check
fails, the debugger tries the same check with each likely mistake undone.
"""

from __future__ import annotations

import re
from typing import Any

from ..codes import (
    BEARER_PREFIX_REMOVED,
    CLOCK_SKEW,
    EXPIRED,
    IAT_FUTURE,
    KID_NOT_FOUND,
    NOT_YET_VALID,
    PRIVATE_KEY_GIVEN,
    PUBLIC_KEY_NEEDS_HEADER,
    QUOTES_REMOVED,
    SECRET_BASE64,
    SECRET_HEX,
    SECRET_WHITESPACE,
    SIGNATURE_MISMATCH,
    TOKEN_WHITESPACE_REMOVED,
    WRONG_KEY_IN_SET,
)
from ..errors import KEY_TYPE_MISMATCH, DebuggerError
from ..jose.keys import Key, KeyRing, decode_secret, read_key
from ..jose.times import TimeReport, is_time_number
from ..jose.tokens import NoteData, ParsedToken
from ..jose.verify import Verdict, check_signature

#: Time differences up to this many seconds look like clocks that disagree.
CLOCK_SKEW_SECONDS = 300
_NOTE_HINTS = {
    BEARER_PREFIX_REMOVED: (
        "The text began with 'Bearer ', the scheme of the Authorization header, which is not part "
        "of the token. Give a JWT library only what follows it, e.g. "
        "header.removeprefix('Bearer ')."
    ),
    TOKEN_WHITESPACE_REMOVED: (
        "The token had spaces or line breaks inside it (usually from wrapping when it was "
        "copied). A JWT has none: libraries reject it as it was. Copy it on one line."
    ),
    QUOTES_REMOVED: (
        "The token was inside quotes, probably copied from JSON or code. Pass the token "
        "without them."
    ),
}
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_PEM_LABELS = ("PUBLIC KEY", "RSA PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY")
_HEX_TEXT = re.compile(r"(?:[0-9a-fA-F]{2})+")


def token_hints(parsed: ParsedToken, time: TimeReport) -> list[NoteData]:
    """Hints from the token alone: what was cleaned from the pasted text, and clock skew."""
    hints = [
        _hint(note.code, _NOTE_HINTS[note.code])
        for note in parsed.notes
        if note.code in _NOTE_HINTS
    ]
    hints.extend(_clock_hints(time))
    return hints


def key_hints(
    parsed: ParsedToken,
    ring: KeyRing,
    verdict: Verdict,
    *,
    key_text: str,
    secret_encoding: str = "utf-8",
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
) -> list[NoteData]:
    """Hints about the key: each likely mistake is undone and the signature checked again."""

    def verifies(other: KeyRing) -> bool:
        return check_signature(
            parsed, other, algorithms=algorithms, detached_payload=detached_payload
        ).valid

    hints: list[NoteData] = []
    if verdict.key is not None and verdict.key.kind != "secret" and verdict.key.private:
        hints.append(
            _hint(
                PRIVATE_KEY_GIVEN,
                "You pasted a private key; its public part was used to verify, which is fine "
                "here. A service that only verifies needs only the public key: never give it "
                "the private one.",
            )
        )
    single_secret = not ring.is_set and len(ring.keys) == 1 and ring.keys[0].kind == "secret"
    if single_secret and verdict.reason_code in (SIGNATURE_MISMATCH, None):
        hints.extend(_secret_hints(key_text, secret_encoding, verdict, verifies))
    if single_secret and verdict.reason_code in (KEY_TYPE_MISMATCH, SIGNATURE_MISMATCH):
        hints.extend(_pem_body_hints(key_text, verifies))
    if ring.is_set and verdict.reason_code in (KID_NOT_FOUND, SIGNATURE_MISMATCH):
        hints.extend(_set_hints(parsed, ring, verifies))
    return hints


def _hint(code: str, message: str) -> NoteData:
    return {"code": code, "message": message}


def _secret_ring(secret: bytes, encoding: str) -> KeyRing:
    return KeyRing((Key("secret", secret, True, f"secret ({encoding})", len(secret) * 8),))


def _decoded(text: str, encoding: str) -> bytes | None:
    try:
        return decode_secret(text, encoding)
    except DebuggerError:
        return None


def _secret_hints(key_text: str, encoding: str, verdict: Verdict, verifies: Any) -> list[NoteData]:
    hints: list[NoteData] = []
    if not verdict.valid:
        compact = "".join(key_text.split())
        if encoding == "utf-8" and _BASE64_TEXT.fullmatch(compact):
            for other in ("base64", "base64url"):
                secret = _decoded(compact, other)
                if secret and verifies(_secret_ring(secret, other)):
                    hints.append(
                        _hint(
                            SECRET_BASE64,
                            f"The secret is {other}-encoded: it verifies once decoded. Choose "
                            f"'{other}' as the secret encoding (in code, decode it first, e.g. "
                            "base64.b64decode(secret)).",
                        )
                    )
                    break
        if encoding == "utf-8" and _HEX_TEXT.fullmatch(compact):
            secret = _decoded(compact, "hex")
            if secret and verifies(_secret_ring(secret, "hex")):
                hints.append(
                    _hint(
                        SECRET_HEX,
                        "The secret is hex-encoded: it verifies once decoded. Choose 'hex' as the "
                        "secret encoding (in code, bytes.fromhex(secret)).",
                    )
                )
        if encoding != "utf-8" and verifies(_secret_ring(key_text.encode(), "utf-8")):
            code = SECRET_HEX if encoding == "hex" else SECRET_BASE64
            hints.append(
                _hint(
                    code,
                    f"The secret verifies as plain text, not {encoding}-decoded: the issuer "
                    "signs with the characters themselves. Choose 'UTF-8 text' as the encoding.",
                )
            )
    if encoding == "utf-8":
        hints.extend(_whitespace_hints(key_text, verdict, verifies))
    return hints


def _whitespace_hints(key_text: str, verdict: Verdict, verifies: Any) -> list[NoteData]:
    stripped = key_text.strip()
    if not verdict.valid:
        if stripped != key_text and stripped and verifies(_secret_ring(stripped.encode(), "utf-8")):
            return [
                _hint(
                    SECRET_WHITESPACE,
                    f"The secret has surrounding white space ({_describe_space(key_text)}); "
                    "without it, the signature verifies. Remove it (in code, secret.strip()).",
                )
            ]
        for ending, name in (("\n", "a newline"), ("\r\n", "a CRLF line ending")):
            if verifies(_secret_ring((stripped + ending).encode(), "utf-8")):
                return [
                    _hint(
                        SECRET_WHITESPACE,
                        f"The signature verifies with the secret followed by {name}: the issuer "
                        "signs with a secret read from a file or command output with its line "
                        "ending. Strip it where the issuer reads the secret.",
                    )
                ]
        return []
    if stripped != key_text and not verifies(_secret_ring(stripped.encode(), "utf-8")):
        return [
            _hint(
                SECRET_WHITESPACE,
                f"It verifies only with the secret's surrounding white space "
                f"({_describe_space(key_text)}): the issuer signs with it included, usually by "
                "reading the secret from a file. Strip it on both sides.",
            )
        ]
    return []


def _describe_space(text: str) -> str:
    tail = text[len(text.rstrip()) :]
    if tail in ("\n", "\r\n"):
        return "a trailing newline"
    if tail:
        return f"{len(tail)} trailing white-space characters"
    return "leading white space"


def _pem_body_hints(key_text: str, verifies: Any) -> list[NoteData]:
    compact = "".join(key_text.split())
    # A DER key starts with a SEQUENCE tag (0x30): "M" in base64.
    if not compact.startswith("M") or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", compact):
        return []
    body = "\n".join(compact[i : i + 64] for i in range(0, len(compact), 64))
    for label in _PEM_LABELS:
        try:
            ring = read_key(f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
        except DebuggerError:
            continue
        outcome = " With them, the signature verifies." if verifies(ring) else ""
        return [
            _hint(
                PUBLIC_KEY_NEEDS_HEADER,
                f"This is the body of a PEM {label} without its lines "
                f"'-----BEGIN {label}-----' and '-----END {label}-----', so it was read as an "
                f"HMAC secret. Add those two lines around it.{outcome}",
            )
        ]
    return []


def _set_hints(parsed: ParsedToken, ring: KeyRing, verifies: Any) -> list[NoteData]:
    kid = parsed.header.get("kid") if parsed.header else None
    for index, key in enumerate(ring.keys):
        if isinstance(kid, str) and key.kid == kid:
            continue
        if verifies(KeyRing((key,))):
            name = f"kid {key.kid!r}" if key.kid is not None else "no kid"
            said = f"the token's kid is {kid!r}" if isinstance(kid, str) else "the token has no kid"
            return [
                _hint(
                    WRONG_KEY_IN_SET,
                    f"Another key in the set verifies it: key {index + 1} ({name}), but {said}. "
                    "The issuer signed with that key and put another kid in the header (or "
                    "rotated keys): fix the kid where tokens are issued.",
                )
            ]
    return []


def _clock_hints(time: TimeReport) -> list[NoteData]:
    now = time["now"]
    claims = {"exp": time["exp"], "nbf": time["nbf"], "iat": time["iat"]}
    hints = []
    for problem in time["problems"]:
        claim = problem["claim"]
        info = claims.get(claim)
        if problem["code"] not in (EXPIRED, NOT_YET_VALID, IAT_FUTURE) or not info:
            continue
        value = info["value"]
        if not is_time_number(now) or not is_time_number(value):
            continue
        gap = abs(value - now)
        if gap <= CLOCK_SKEW_SECONDS:
            hints.append(
                _hint(
                    CLOCK_SKEW,
                    f"{claim} is only {int(gap)} seconds from this machine's clock. If the "
                    "issuer's clock and the verifier's differ, allow a small leeway (PyJWT: "
                    "jwt.decode(..., leeway=30)) and keep the clocks in sync (NTP).",
                )
            )
    return hints
