"""Parse JWS tokens: strictly, but decoding every part that can be decoded.

The compact form is read here; a JSON object (the JSON serialization, RFC 7515 section 7.2) is
read by `jsonser`, which turns each of its signatures into the compact form it stands for.
"""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from ..codes import (
    BAD_BASE64URL,
    BASE64_NOT_URL,
    BASE64_PADDING,
    BASE64_TRAILING_BITS,
    BEARER_PREFIX_REMOVED,
    BINARY_PAYLOAD,
    DETACHED_PAYLOAD,
    EMPTY_PART,
    EMPTY_TOKEN,
    JWE_TOKEN,
    MISSING_ALG,
    NOT_JSON,
    NOT_OBJECT,
    NOT_UTF8,
    QUOTES_REMOVED,
    TOKEN_WHITESPACE_REMOVED,
    WRONG_PART_COUNT,
)
from ..errors import DebuggerError
from . import jsontext

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_BEARER = re.compile(r"^(?:authorization\s*:\s*)?bearer(?:\s+|$)", re.IGNORECASE)
_QUOTES = ('"', "'", "`")
PARTS = ("header", "payload", "signature")


class NoteData(TypedDict):
    """A note, hint or warning as the API returns it: a stable code and a message."""

    code: str
    message: str


class ProblemData(TypedDict):
    """A problem as the API returns it; `position` only when it points at a character."""

    part: str
    code: str
    severity: str
    message: str
    position: NotRequired[int]


class PartData(TypedDict):
    """One part of the token as written: its name and its base64url text."""

    name: str
    encoded: str


class TokenData(TypedDict):
    """The decoded token as the API returns it: the first fields of every decode answer."""

    token: str
    header: dict[str, Any] | None
    payload: Any
    signature: str
    header_text: str | None
    payload_text: str | None
    signature_bytes: int | None
    # Left out of an API answer that asks for `compact_answer`.
    parts: NotRequired[list[PartData]]
    alg: Any
    notes: list[NoteData]
    problems: list[ProblemData]
    kind: str  # "JWS" or "JWE"
    serialization: str  # "compact", "flattened" or "general"
    signatures: NotRequired[list[SignatureData]]


class SignatureReasonData(TypedDict):
    """Why one signature of a JSON serialization is not valid (a verdict's reason)."""

    code: str
    message: str | None


class SignatureData(TypedDict):
    """One signature of a JWS in JSON serialization; `verified` is null until a key is given."""

    index: int
    protected: dict[str, Any] | None
    header: dict[str, Any] | None
    alg: Any
    kid: Any
    verified: bool | None
    reason: SignatureReasonData | None


@dataclass(frozen=True)
class Note:
    """Something the debugger changed in the pasted text before reading it."""

    code: str
    message: str

    def to_dict(self) -> NoteData:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one part of the token. `severity` is "error" or "warning"."""

    part: str
    code: str
    message: str
    severity: str = "error"
    position: int | None = None

    def to_dict(self) -> ProblemData:
        problem: ProblemData = {
            "part": self.part,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.position is not None:
            problem["position"] = self.position
        return problem


@dataclass(frozen=True)
class ParsedToken:
    """A pasted token, cleaned and split, with each part decoded as far as it goes."""

    token: str
    segments: tuple[str, ...]
    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]
    header: dict[str, Any] | None
    header_text: str | None
    payload: Any
    payload_text: str | None
    payload_bytes: bytes | None
    signature: bytes | None
    serialization: str = "compact"
    signatures: tuple[JsonSignature, ...] = field(default_factory=tuple)

    @property
    def is_compact_jws(self) -> bool:
        """Three parts, a header object and a readable signature: enough to check a signature."""
        return (
            len(self.segments) == 3
            and self.header is not None
            and self.signature is not None
            and not any(p.severity == "error" and p.part == "payload" for p in self.problems)
        )

    @property
    def kind(self) -> str:
        """ "JWE" for five parts (an encrypted token), "JWS" otherwise."""
        return "JWE" if len(self.segments) == 5 else "JWS"

    @property
    def unencoded_payload(self) -> bool:
        """True when the header says `b64: false` (RFC 7797): the payload is not base64url."""
        return self.header is not None and self.header.get("b64") is False

    def signing_input(self, payload_segment: str | None = None) -> bytes:
        """`header.payload` as the signature covers it (RFC 7515 section 5.2)."""
        payload = self.segments[1] if payload_segment is None else payload_segment
        # A lone surrogate (possible in an unencoded payload) is kept as bytes no signature fits.
        return f"{self.segments[0]}.{payload}".encode("utf-8", "surrogatepass")

    def error(self) -> Problem | None:
        """The first problem that stops the token from being verified."""
        return next((p for p in self.problems if p.severity == "error"), None)

    def to_dict(self) -> TokenData:
        """The decoded token as the API returns it."""
        decoded = self._compact_dict()
        if self.serialization != "compact" and self.kind == "JWS":
            decoded["signatures"] = [signature.to_dict() for signature in self.signatures]
        return decoded

    def _compact_dict(self) -> TokenData:
        return {
            "token": self.token,
            "header": self.header,
            "payload": self.payload,
            "signature": self.segments[2] if len(self.segments) == 3 else "",
            "header_text": self.header_text,
            "payload_text": self.payload_text,
            "signature_bytes": None if self.signature is None else len(self.signature),
            "parts": [
                {"name": name, "encoded": self.segments[i] if i < len(self.segments) else ""}
                for i, name in enumerate(PARTS)
            ],
            "alg": self.header.get("alg") if self.header else None,
            "notes": [note.to_dict() for note in self.notes],
            "problems": [problem.to_dict() for problem in self.problems],
            "kind": self.kind,
            "serialization": self.serialization,
        }


@dataclass(frozen=True)
class JsonSignature:
    """One signature of a JWS in JSON serialization.

    `parsed` is the compact token `protected.payload.signature` it stands for, with the JOSE
    header (protected and unprotected parameters together) as its header.
    """

    index: int
    parsed: ParsedToken
    protected: dict[str, Any] | None
    unprotected: dict[str, Any] | None

    def to_dict(
        self, verified: bool | None = None, reason: SignatureReasonData | None = None
    ) -> SignatureData:
        header = self.parsed.header or {}
        return {
            "index": self.index,
            "protected": self.protected,
            "header": self.unprotected,
            "alg": header.get("alg"),
            "kid": header.get("kid"),
            "verified": verified,
            "reason": reason,
        }


def clean(pasted: str) -> tuple[str, list[Note]]:
    """Remove a `Bearer ` prefix, surrounding quotes and surrounding white space."""
    notes: list[Note] = []
    text = _unquote(pasted.strip(), notes)
    if _BEARER.match(text):
        text = _BEARER.sub("", text, count=1).strip()
        notes.append(Note(BEARER_PREFIX_REMOVED, "The leading 'Bearer ' was removed."))
        text = _unquote(text, notes)
    return text, notes


def _unquote(text: str, notes: list[Note]) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        if not any(note.code == QUOTES_REMOVED for note in notes):
            notes.append(Note(QUOTES_REMOVED, "The quotes around the token were removed."))
        return text[1:-1].strip()
    return text


def parse_compact(text: str, notes: list[Note]) -> ParsedToken:
    """Split and decode a cleaned compact token (`clean`); never raises for bad input."""
    problems: list[Problem] = []
    if not text:
        problems.append(Problem("token", EMPTY_TOKEN, "Paste a token to decode it."))
        return ParsedToken(
            "", (), tuple(notes), tuple(problems), None, None, None, None, None, None
        )
    raw_segments = text.split(".")
    _check_part_count(raw_segments, problems)
    segments = [_without_space(raw_segments[0])]
    header, header_text = _decode_header(segments[0], problems)
    keep_payload_space = header is not None and header.get("b64") is False
    for raw in raw_segments[1:]:
        is_payload = len(segments) == 1
        segments.append(raw if is_payload and keep_payload_space else _without_space(raw))
    token = ".".join(segments)
    if token != text:
        notes.append(
            Note(
                TOKEN_WHITESPACE_REMOVED,
                "Spaces or line breaks inside the token were removed.",
            )
        )
    payload, payload_text, payload_bytes = _decode_payload(segments, keep_payload_space, problems)
    signature = _decode_signature(segments, problems)
    return ParsedToken(
        token,
        tuple(segments),
        tuple(notes),
        tuple(_with_positions(problems, segments)),
        header,
        header_text,
        payload,
        payload_text,
        payload_bytes,
        signature,
    )


def _without_space(segment: str) -> str:
    return "".join(segment.split())


def _check_part_count(segments: list[str], problems: list[Problem]) -> None:
    count = len(segments)
    if count == 3:
        return
    if count == 5:
        message = (
            "This is an encrypted token (JWE, five parts). Its payload can only be read with "
            "the recipient's private key; the header is shown."
        )
        problems.append(Problem("token", JWE_TOKEN, message))
        return
    if count == 1:
        message = (
            "A JWT has three parts separated by dots (header.payload.signature); this has no dot."
        )
    else:
        message = (
            f"A JWT has three parts separated by dots (header.payload.signature); this has {count}."
        )
        if count == 2:
            message += " An unsigned token still ends with a dot: header.payload."
    problems.append(Problem("token", WRONG_PART_COUNT, message))


def b64url_decode(segment: str, part: str, problems: list[Problem]) -> bytes | None:
    """Decode one base64url part, adding what is wrong to `problems`; None when it can't."""
    body = segment.rstrip("=")
    if body != segment:
        problems.append(
            Problem(
                part,
                BASE64_PADDING,
                f"The {part} ends with '=' padding, which JWS base64url leaves out. Most "
                "libraries reject it.",
                "warning",
            )
        )
    match = _B64URL.match(body)
    end = match.end() if match else 0
    if end != len(body):
        char = body[end]
        if char in "+/" and re.fullmatch(r"[A-Za-z0-9+/_-]*", body):
            problems.append(
                Problem(
                    part,
                    BASE64_NOT_URL,
                    f"The {part} uses '+' or '/' (standard base64) where base64url has '-' "
                    "and '_'. It was read anyway; strict libraries reject it.",
                    "warning",
                    end,
                )
            )
            body = body.replace("+", "-").replace("/", "_")
        else:
            problems.append(
                Problem(
                    part,
                    BAD_BASE64URL,
                    f"The {part} has {char!r}, which is not a base64url character, at "
                    f"character {end + 1} of the {part}.",
                    position=end,
                )
            )
            return None
    if len(body) % 4 == 1:
        problems.append(
            Problem(
                part,
                BAD_BASE64URL,
                f"The {part} is {len(body)} characters long, which no base64url text can be: "
                "a character is missing or one too many.",
            )
        )
        return None
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode() != body:
        problems.append(
            Problem(
                part,
                BASE64_TRAILING_BITS,
                f"The last character of the {part} has bits set that base64url ignores, so "
                "other texts decode to the same bytes. Strict libraries reject it.",
                "warning",
            )
        )
    return data


# Tokens from one issuer share their first part, and a keystroke in the payload or the signature
# leaves it as it was: the last few headers stay decoded (ordinary ones: a huge header is not
# worth the memory).
_CACHED_HEADER_CHARS = 16_384


def _decode_header(
    segment: str, problems: list[Problem]
) -> tuple[dict[str, Any] | None, str | None]:
    if len(segment) > _CACHED_HEADER_CHARS:
        return _decode_header_uncached(segment, problems)
    header, text, found = _read_header(segment)
    problems.extend(found)
    # A copy: the decoded header is shared with the next token that has the same first part.
    return (dict(header) if header is not None else None), text


@functools.lru_cache(maxsize=32)
def _read_header(segment: str) -> tuple[dict[str, Any] | None, str | None, tuple[Problem, ...]]:
    problems: list[Problem] = []
    header, text = _decode_header_uncached(segment, problems)
    return header, text, tuple(problems)


def _decode_header_uncached(
    segment: str, problems: list[Problem]
) -> tuple[dict[str, Any] | None, str | None]:
    if not segment:
        problems.append(Problem("header", EMPTY_PART, "The header part is empty."))
        return None, None
    data = b64url_decode(segment, "header", problems)
    if data is None:
        return None, None
    read, value, text = _read_json(data, "header", problems)
    if not read:
        return None, text
    if not isinstance(value, dict):
        problems.append(
            Problem("header", NOT_OBJECT, "The header is JSON but not an object ({...}).")
        )
        return None, text
    if not isinstance(value.get("alg"), str):
        problems.append(
            Problem("header", MISSING_ALG, 'The header has no "alg" string.', "warning")
        )
    return value, text


def _read_json(data: bytes, part: str, problems: list[Problem]) -> tuple[bool, Any, str | None]:
    """(whether it is JSON, the value, the text re-indented); problems are added to the list."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(
            Problem(
                part,
                NOT_UTF8,
                f"The {part} decodes to bytes that are not UTF-8 text (byte {err.start + 1}).",
            )
        )
        return False, None, None
    try:
        value = jsontext.loads(text, field=f"The {part}")
    except DebuggerError as err:
        problems.append(Problem(part, NOT_JSON, err.message))
        return False, None, text
    return True, value, jsontext.pretty(text)


def _decode_payload(
    segments: list[str], unencoded: bool, problems: list[Problem]
) -> tuple[Any, str | None, bytes | None]:
    if len(segments) < 2 or len(segments) == 5:
        return None, None, None
    segment = segments[1]
    if segment == "":
        problems.append(
            Problem(
                "payload",
                DETACHED_PAYLOAD,
                "The payload part is empty: the content is detached (RFC 7515 Appendix F) "
                "and must be supplied separately to verify the signature.",
                "warning",
            )
        )
        return None, None, None
    # surrogatepass: a lone surrogate becomes bytes that are not UTF-8, reported as such.
    data = (
        segment.encode("utf-8", "surrogatepass")
        if unencoded
        else b64url_decode(segment, "payload", problems)
    )
    if data is None:
        return None, None, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(
            Problem(
                "payload",
                BINARY_PAYLOAD,
                f"The payload is {len(data)} bytes of binary data, not text.",
                "warning",
            )
        )
        return None, None, data
    try:
        value = jsontext.loads(text, field="The payload")
    except DebuggerError as err:
        problems.append(
            Problem("payload", NOT_JSON, f"{err.message} It is shown as text.", "warning")
        )
        return text, text, data
    if not isinstance(value, dict):
        problems.append(
            Problem(
                "payload",
                NOT_OBJECT,
                "The payload is JSON but not an object, so it is not a JWT claims set.",
                "warning",
            )
        )
        return text, jsontext.pretty(text), data
    return value, jsontext.pretty(text), data


def _decode_signature(segments: list[str], problems: list[Problem]) -> bytes | None:
    if len(segments) != 3:
        return None
    return b64url_decode(segments[2], "signature", problems)


def _with_positions(problems: list[Problem], segments: list[str]) -> list[Problem]:
    """Turn positions within a part into positions within the whole token."""
    starts = {}
    offset = 0
    for name, segment in zip(PARTS, segments, strict=False):
        starts[name] = offset
        offset += len(segment) + 1
    return [
        Problem(p.part, p.code, p.message, p.severity, p.position + starts.get(p.part, 0))
        if p.position is not None
        else p
        for p in problems
    ]
