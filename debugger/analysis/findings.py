"""Security findings: what is dangerous about a token, and about the key it was checked with.

Each finding has a stable `id`, a `severity`, a short `title` and a one-paragraph `detail` that
says what the problem is and what to do instead. Everything here is computed from the token (and
the key, when one is given) without sending anything anywhere, and stays cheap for a 1 MiB token:
the page asks for it on every keystroke.
"""

from __future__ import annotations

import functools
import hmac
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from ..codes import (
    BASE64_NOT_URL,
    BASE64_PADDING,
    BASE64_TRAILING_BITS,
    EXPIRED,
    FINDING_ALG_NONE,
    FINDING_ALG_UNKNOWN,
    FINDING_B64_FALSE,
    FINDING_CLAIM_TYPE,
    FINDING_CRIT_UNKNOWN,
    FINDING_DUPLICATE_JSON_MEMBER,
    FINDING_DUPLICATE_KID,
    FINDING_EMBEDDED_JWK,
    FINDING_EMPTY_SECRET,
    FINDING_EXPIRED,
    FINDING_IAT_FUTURE,
    FINDING_INVISIBLE_CHARACTERS,
    FINDING_JKU_HEADER,
    FINDING_KEY_ALG_MISMATCH,
    FINDING_KEY_CONFUSION,
    FINDING_KID_INJECTION,
    FINDING_KID_NOT_STRING,
    FINDING_LONG_LIFETIME,
    FINDING_MIXED_KEY_SET,
    FINDING_NO_EXP,
    FINDING_NON_CANONICAL_ENCODING,
    FINDING_NOT_A_JWT,
    FINDING_NOT_YET_VALID,
    FINDING_NULL_SIGNATURE,
    FINDING_NUMERICDATE_INVALID,
    FINDING_OVERSIZED,
    FINDING_PSYCHIC_SIGNATURE,
    FINDING_ROCA_KEY,
    FINDING_SENSITIVE_DATA,
    FINDING_SHORT_SECRET,
    FINDING_SIGNATURE_LENGTH,
    FINDING_WEAK_RSA_KEY,
    FINDING_WEAK_SECRET,
    FINDING_X5C_HEADER,
    FINDING_X5U_HEADER,
    IAT_FUTURE,
    NOT_OBJECT,
    NOT_YET_VALID,
    SEVERITIES,
)
from ..jose import jsontext
from ..jose.algorithms import ALGORITHMS, is_unsecured
from ..jose.jsontext import OverflowingNumber
from ..jose.keys import Key, KeyRing
from ..jose.times import MILLISECONDS_FROM, TimeReport, digit_count, duration, is_time_number
from ..jose.tokens import ParsedToken
from ..jose.verify import Verdict, crit_problem, json_kind
from . import invisible
from .finding_catalog import CATALOG
from .keyinfo import is_roca_key, is_short_secret, is_weak_rsa_key
from .weak_secrets import (
    BUILTIN_SECRETS,
    HMAC_HASHES,
    describe_secret,
    find_builtin_secret,
    find_secret,
)

#: Signature lengths in bytes for each algorithm whose signatures have a fixed length.
SIGNATURE_LENGTHS: dict[str, tuple[int, ...]] = {
    "HS256": (32,),
    "HS384": (48,),
    "HS512": (64,),
    "ES256": (64,),
    "ES256K": (64,),
    "ES384": (96,),
    "ES512": (132,),
    "EdDSA": (64, 114),
    "Ed25519": (64,),
    "Ed448": (114,),
}
#: The built-in weak-secret list is not searched for signing inputs larger than this: the page
#: asks for findings on every keystroke, and each secret hashes the whole signing input.
BUILTIN_SEARCH_LIMIT = 64 * 1024
_BUILTIN_SET = frozenset(BUILTIN_SECRETS)
_NONCANONICAL = {
    BASE64_PADDING: "'=' padding",
    BASE64_NOT_URL: "'+' or '/'",
    BASE64_TRAILING_BITS: "non-zero trailing bits",
}
_KID_LIMIT = 256
_KID_TRAVERSAL = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)")
_KID_PATH = re.compile(r"^(?:/(?:dev|etc|proc|sys|tmp|var|home|root)\b|[A-Za-z]:\\|file:)", re.I)
_KID_SHELL = re.compile(r"[;|&`<>\n\r]|\$\(|\$\{")
_KID_SQL = re.compile(r"'|\"|--|/\*|\bunion\b.*\bselect\b|\bor\b\s+\S+\s*=", re.I)
# One member name per line: a name that contains one of these words, or is exactly "token".
_SENSITIVE_NAME = re.compile(
    r"^(?:[^\n]*(?:passw(?:or)?d|passphrase|pwd|secret|private_?key|privkey|api_?key|"
    r"(?:access|refresh|auth|session|bearer)_?token|credit_?card|card_?number|cvv|cvc|ssn)"
    r"[^\n]*|token)$",
    re.I | re.M,
)
_PRIVATE_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_CARD = re.compile(r'"(\d(?:[ -]?\d){12,18})"')
_CARD_PREFIX = re.compile(r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5)")
_NAME_LIMIT = 5
_KEY_LIMIT = 10
_DAY = 86400


class FindingData(TypedDict):
    """A finding as the API returns it under `"findings"`."""

    id: str
    severity: str
    title: str
    detail: str


@dataclass(frozen=True)
class Finding:
    """One security finding: a stable id, how severe it is, and what to do about it."""

    id: str
    severity: str
    title: str
    detail: str

    def to_dict(self) -> FindingData:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
        }


def finding(finding_id: str, what: str, severity: str | None = None) -> Finding:
    """The catalogued finding `finding_id`, its detail starting with what was found."""
    default_severity, title, advice = CATALOG[finding_id]
    return Finding(finding_id, severity or default_severity, title, f"{what} {advice}")


def compute_findings(
    parsed: ParsedToken,
    time_report: TimeReport,
    ring: KeyRing | None = None,
    verdict: Verdict | None = None,
    *,
    key_text: str | None = None,
) -> list[Finding]:
    """Every finding for the token and, when given, the key it was checked with; worst first."""
    about_header, about_text = _token_findings(parsed)
    found: list[Finding] = [*about_header]
    found += _claim_findings(parsed, time_report)
    found += about_text
    found += _secret_search_findings(parsed, verdict)
    if ring is not None:
        found += _key_findings(parsed, ring, verdict, key_text)
    found += _other_signatures_findings(parsed)
    unique: dict[str, Finding] = {}
    for item in found:
        unique.setdefault(item.id, item)
    return sorted(unique.values(), key=lambda item: SEVERITIES.index(item.severity))


#: The findings that follow from the token alone, for the last few tokens: the page sends the same
#: token with every keystroke in the key box. A compact token is known by what `parse` reads it
#: from (its text and the notes of its cleaning) and by its problems and header names, which tell
#: one signature of a JSON serialization (its unprotected header joined in) from that token pasted
#: alone. Longer tokens are not kept.
_TOKEN_FINDINGS: dict[tuple[object, ...], tuple[tuple[Finding, ...], ...]] = {}
_TOKEN_FINDINGS_KEPT = 8
_TOKEN_FINDINGS_CHARS = 16_384
_TOKEN_FINDINGS_LOCK = threading.Lock()


def _token_findings(parsed: ParsedToken) -> tuple[tuple[Finding, ...], ...]:
    """The header and signature findings, then those on the JSON text and its encoding."""
    kept = parsed.serialization == "compact" and len(parsed.token) <= _TOKEN_FINDINGS_CHARS
    known = (parsed.token, parsed.notes, parsed.problems, tuple(parsed.header or ()))
    if kept and (found := _TOKEN_FINDINGS.get(known)) is not None:
        return found
    found = (
        (*_header_findings(parsed), *_signature_findings(parsed)),
        (
            *_json_findings(parsed),
            *_invisible_findings(parsed),
            *_encoding_findings(parsed),
            *not_a_jwt_findings(parsed),
        ),
    )
    if kept:
        with _TOKEN_FINDINGS_LOCK:
            if len(_TOKEN_FINDINGS) >= _TOKEN_FINDINGS_KEPT:
                del _TOKEN_FINDINGS[next(iter(_TOKEN_FINDINGS))]
            _TOKEN_FINDINGS[known] = found
    return found


def _other_signatures_findings(parsed: ParsedToken) -> Iterator[Finding]:
    """In a JWS JSON serialization, what the header and signature of each signature not shown say
    (a second signature with `alg: none` is as dangerous as a first); each detail names it."""
    for signature in parsed.signatures:
        other = signature.parsed
        if other.token == parsed.token and other.header == parsed.header:
            continue  # the signature shown: its findings are there already
        about_header, _ = _token_findings(other)
        for item in (*about_header, *_secret_search_findings(other, None)):
            detail = f"In signatures[{signature.index}]: {item.detail}"
            yield replace(item, detail=detail)


def findings_report(
    parsed: ParsedToken,
    time_report: TimeReport,
    ring: KeyRing | None = None,
    verdict: Verdict | None = None,
    *,
    key_text: str | None = None,
) -> list[FindingData]:
    """The findings as the API returns them under `"findings"`."""
    found = compute_findings(parsed, time_report, ring, verdict, key_text=key_text)
    return [item.to_dict() for item in found]


# Token only: the header.


def _alg(parsed: ParsedToken) -> str | None:
    alg = parsed.header.get("alg") if parsed.header is not None else None
    return alg if isinstance(alg, str) else None


def _header_findings(parsed: ParsedToken) -> Iterator[Finding]:
    header = parsed.header
    if header is None or len(parsed.segments) == 5:
        return
    alg = _alg(parsed)
    if alg is not None and is_unsecured(alg):
        yield finding(
            FINDING_ALG_NONE, f"The header says alg {_short(alg)}: the token is not signed."
        )
    elif alg is None:
        yield finding(FINDING_ALG_UNKNOWN, 'The header has no "alg" string.')
    elif alg not in ALGORITHMS:
        yield finding(
            FINDING_ALG_UNKNOWN, f"The header's alg {_short(alg)} is not a JWS algorithm."
        )
    if "jwk" in header:
        yield finding(FINDING_EMBEDDED_JWK, "The header carries its own public key in jwk.")
    for name, finding_id in (("jku", FINDING_JKU_HEADER), ("x5u", FINDING_X5U_HEADER)):
        if name in header:
            yield finding(finding_id, f"The header names a URL in {name}: {_short(header[name])}.")
    if "x5c" in header:
        yield finding(FINDING_X5C_HEADER, "The header carries an X.509 certificate chain in x5c.")
    if "kid" in header and not isinstance(header["kid"], str):
        what = f"The header's kid is {json_kind(header['kid'])}: {_short(header['kid'])}."
        yield finding(FINDING_KID_NOT_STRING, what)
    kid_problem = _kid_problem(header.get("kid"))
    if kid_problem is not None:
        yield finding(FINDING_KID_INJECTION, f"The kid {kid_problem}.")
    crit_problem = _crit_problem(header)
    if crit_problem is not None:
        yield finding(FINDING_CRIT_UNKNOWN, crit_problem)
    if header.get("b64") is False:
        listed = isinstance(header.get("crit"), list) and "b64" in header["crit"]
        if listed:
            yield finding(FINDING_B64_FALSE, "The header says b64 false, listed in crit.")
        else:
            what = 'The header says b64 false without listing "b64" in crit, as RFC 7797 requires.'
            yield finding(FINDING_B64_FALSE, what, "high")


def _kid_problem(kid: Any) -> str | None:
    if not isinstance(kid, str):
        return None
    if len(kid) > _KID_LIMIT:
        return f"is {len(kid)} characters long"
    shown = _short(kid)
    if "\0" in kid:
        return f"{shown} contains a NUL character"
    if _KID_TRAVERSAL.search(kid):
        return f"{shown} contains a path traversal (..)"
    if _KID_PATH.search(kid):
        return f"{shown} is a file path"
    if _KID_SHELL.search(kid):
        return f"{shown} contains shell metacharacters"
    if _KID_SQL.search(kid):
        return f"{shown} contains SQL metacharacters"
    return None


def _crit_problem(header: dict[str, Any]) -> str | None:
    problem = crit_problem(header)
    if problem is None or problem.kind == "missing":
        return None
    if problem.kind == "malformed":
        return "crit is not a non-empty list of header parameter names."
    names = ", ".join(_short(name) for name in problem.names[:_NAME_LIMIT])
    return f"The header marks {names} as critical (crit)."


# Token only: the signature.


def _signature_findings(parsed: ParsedToken) -> Iterator[Finding]:
    alg = _alg(parsed)
    signature = parsed.signature
    if alg not in ALGORITHMS or signature is None or len(parsed.segments) != 3:
        return
    if signature == b"":
        yield finding(FINDING_NULL_SIGNATURE, f"The signature part is empty, and {alg} needs one.")
        return
    expected = SIGNATURE_LENGTHS.get(alg)
    if expected is not None and len(signature) not in expected:
        sizes = " or ".join(str(size) for size in expected)
        what = f"The {alg} signature is {len(signature)} bytes; {alg} signatures are {sizes}."
        if alg.startswith("ES") and signature[:1] == b"\x30":
            what += " It looks DER-encoded."
        yield finding(FINDING_SIGNATURE_LENGTH, what)
    if alg.startswith("ES") and _is_psychic(alg, signature, expected or ()):
        what = "The ECDSA signature has r or s equal to 0 or not below the curve order n."
        yield finding(FINDING_PSYCHIC_SIGNATURE, what)


#: The order n of each ECDSA algorithm's curve: r and s must lie in [1, n - 1].
_CURVE_ORDERS = {
    "ES256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "ES384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196AC"
        "CC52973",
        16,
    ),
    "ES512": int(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    "ES256K": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}


def _is_psychic(alg: str, signature: bytes, expected: tuple[int, ...]) -> bool:
    """r or s outside [1, n - 1]: zero (CVE-2022-21449), or n itself, which is zero mod n."""
    if len(signature) in expected:
        half = len(signature) // 2
        r = int.from_bytes(signature[:half], "big")
        s = int.from_bytes(signature[half:], "big")
    else:
        try:
            r, s = decode_dss_signature(signature)
        except ValueError:
            return False
    order = _CURVE_ORDERS.get(alg)
    out_of_range = order is not None and (r >= order or s >= order)
    return r == 0 or s == 0 or out_of_range


# Token only: the claims.


def _claims(parsed: ParsedToken) -> dict[str, Any] | None:
    return parsed.payload if isinstance(parsed.payload, dict) else None


def _claim_findings(parsed: ParsedToken, time_report: TimeReport) -> Iterator[Finding]:
    claims = _claims(parsed)
    if claims is None:
        return
    if "exp" not in claims:
        yield finding(FINDING_NO_EXP, "The payload has no exp claim.")
    yield from _time_findings(claims, time_report)
    yield from _type_findings(claims)


def _time_findings(claims: dict[str, Any], time_report: TimeReport) -> Iterator[Finding]:
    problems = {problem["code"]: problem for problem in time_report.get("problems", [])}
    if EXPIRED in problems:
        yield finding(FINDING_EXPIRED, f"{problems[EXPIRED]['message']}")
    if NOT_YET_VALID in problems:
        yield finding(FINDING_NOT_YET_VALID, f"{problems[NOT_YET_VALID]['message']}")
    if IAT_FUTURE in problems:
        yield finding(FINDING_IAT_FUTURE, f"{problems[IAT_FUTURE]['message']}")
    invalid = [text for name in ("exp", "nbf", "iat") if (text := _numericdate(claims, name))]
    if invalid:
        yield finding(FINDING_NUMERICDATE_INVALID, " ".join(invalid))
    lifetime = _lifetime(claims, time_report.get("now"))
    if lifetime is not None and lifetime[0] > _DAY:
        seconds, start = lifetime
        severity = "high" if seconds > 30 * _DAY else "medium"
        what = f"The token is valid for {duration(seconds)} from {start}."
        yield finding(FINDING_LONG_LIFETIME, what, severity)


def _is_number(value: Any) -> bool:
    return is_time_number(value)


def _numericdate(claims: dict[str, Any], name: str) -> str | None:
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, int) and not isinstance(value, bool) and not _is_number(value):
        return f"{name} is a number too large for any date ({digit_count(value)})."
    if isinstance(value, OverflowingNumber):
        return f"{name} is the number {value}, which overflows a 64-bit float."
    if not _is_number(value):
        kind = "a string" if isinstance(value, str) else json.dumps(value)[:40]
        return f"{name} is {kind}, not a number."
    if value < 0:
        return f"{name} is negative ({value})."
    if value >= MILLISECONDS_FROM:
        return f"{name} is too large ({value}): it looks like milliseconds."
    return None


def _lifetime(claims: dict[str, Any], now: Any) -> tuple[float, str] | None:
    exp: Any = claims.get("exp")
    if not _is_number(exp) or exp >= MILLISECONDS_FROM:
        return None
    for name in ("iat", "nbf"):
        start: Any = claims.get(name)
        if _is_number(start) and 0 <= start < MILLISECONDS_FROM:
            return exp - start, name
    return (exp - now, "now") if _is_number(now) else None


def _type_findings(claims: dict[str, Any]) -> Iterator[Finding]:
    wrong = [
        f"{name} is {_json_kind(claims[name])}"
        for name in ("iss", "sub", "jti")
        if name in claims and not isinstance(claims[name], str)
    ]
    aud = claims.get("aud")
    if "aud" in claims and not (
        isinstance(aud, str) or (isinstance(aud, list) and all(isinstance(a, str) for a in aud))
    ):
        wrong.append(f"aud is {_json_kind(aud)}")
    if wrong:
        yield finding(FINDING_CLAIM_TYPE, f"{'; '.join(wrong)}.")


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list with non-string items"
    return json_kind(value)


def _json_findings(parsed: ParsedToken) -> Iterator[Finding]:
    """Sensitive data and duplicate members: one extra parse of the header and the claims."""
    header_text = parsed.header_text if parsed.header is not None else None
    header = _header_members(header_text)
    payload = _members(parsed.payload_text if _claims(parsed) is not None else None)
    yield from _sensitive_findings(parsed.payload_text or "", payload)
    places = [
        f"the {part} has {_names(sorted(members.duplicates))}"
        for part, members in (("header", header), ("payload", payload))
        if members.duplicates
    ]
    if places:
        what = f"{' and '.join(places).capitalize()} more than once."
        yield finding(FINDING_DUPLICATE_JSON_MEMBER, what)


def _sensitive_findings(payload_text: str, members: _Members) -> Iterator[Finding]:
    found: list[str] = []
    sensitive = _sensitive_names(members.names)
    if sensitive:
        found.append(f"claims named {_names(sensitive)}")
    if _PRIVATE_PEM.search(payload_text):
        found.append("a PEM private key")
    if members.private_jwk:
        found.append("a private JWK")
    if any(_is_card_number(match.group(1)) for match in _CARD.finditer(payload_text)):
        found.append("what looks like a payment card number")
    if found:
        yield finding(FINDING_SENSITIVE_DATA, f"The payload contains {', '.join(found)}.")


def _sensitive_names(names: set[str]) -> tuple[str, ...]:
    lines = "\n".join(name.replace("\n", " ") for name in names)
    return tuple(sorted(match.group(0) for match in _SENSITIVE_NAME.finditer(lines)))


def _is_card_number(text: str) -> bool:
    digits = [int(char) for char in text if char.isdigit()]
    if len(digits) not in (13, 15, 16) or not _CARD_PREFIX.match(text):
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@dataclass
class _Members:
    """What one pass over a JSON text finds: member names, duplicates, a private JWK."""

    names: set[str] = field(default_factory=set)
    duplicates: set[str] = field(default_factory=set)
    private_jwk: bool = False

    def add(self, pairs: list[tuple[str, Any]]) -> None:
        object_names = [name for name, _ in pairs]
        unique = set(object_names)
        self.names.update(unique)
        if len(unique) != len(object_names):
            counts = Counter(object_names)
            self.duplicates.update(name for name, count in counts.items() if count > 1)
        if "kty" in unique and "d" in unique:
            self.private_jwk = True


#: Tokens from one issuer share their header, and each keystroke sends it again: the last few
#: ordinary headers' members are kept (a huge header is not worth the memory).
_CACHED_HEADER_CHARS = 16_384


def _header_members(text: str | None) -> _Members:
    """`_members` of a header, kept for the next token with the same header."""
    if text is None or len(text) > _CACHED_HEADER_CHARS:
        return _members(text)
    return _cached_members(text)


@functools.lru_cache(maxsize=32)
def _cached_members(text: str) -> _Members:
    return _members(text)


def _members(text: str | None) -> _Members:
    """One parse of the JSON `text` (None gives nothing), every object seen by `_Members.add`."""
    members = _Members()
    if text:
        try:
            json.loads(text, object_pairs_hook=members.add)
        except (ValueError, RecursionError):
            return _Members()
    return members


# Token only: invisible and bidirectional characters.

# A JSON text that has none of these holds none of the characters: its strings can only get one
# from the character itself or from an escape (\uXXXX, or \b, \f and \r for controls).
_MAYBE_INVISIBLE = re.compile(f"[{invisible.CHARACTER_CLASS}]|\\\\[bfru]")


def _invisible_findings(parsed: ParsedToken) -> Iterator[Finding]:
    places = _invisible_places("header parameter", parsed.header, parsed.header_text)
    claims = _claims(parsed)
    if claims is not None:
        places += _invisible_places("claim", claims, parsed.payload_text)
    elif isinstance(parsed.payload, str) and (characters := invisible.found_in(parsed.payload)):
        places.append(f"the payload text contains {invisible.describe(characters)}")
    if places:
        more = len(places) - _NAME_LIMIT
        shown = "; ".join(places[:_NAME_LIMIT]) + (f"; and {more} more" if more > 0 else "")
        yield finding(FINDING_INVISIBLE_CHARACTERS, f"{shown[0].upper()}{shown[1:]}.")


# The hidden characters below U+0080. An ASCII text without a backslash can hold no other, and
# looking for each of these few is far quicker than the pattern over a long text (a 1 MiB claim).
_ASCII_INVISIBLE = tuple(chr(code) for code in range(0x80) if invisible.PATTERN.match(chr(code)))


def _may_hold_invisible(text: str) -> bool:
    if text.isascii() and "\\" not in text:
        return any(character in text for character in _ASCII_INVISIBLE)
    return _MAYBE_INVISIBLE.search(text) is not None


def _invisible_places(kind: str, members: dict[str, Any] | None, text: str | None) -> list[str]:
    """`the claim "sub" contains U+202E ...` for each member whose name or value has any."""
    if members is None or text is None or not _may_hold_invisible(text):
        return []
    places = []
    for member, value in members.items():
        characters = invisible.found_in([member, value])
        if characters:
            described = invisible.describe(characters)
            places.append(f"the {kind} {_short(member, 40)} contains {described}")
    return places


# Token only: the encoding and the size.


def _encoding_findings(parsed: ParsedToken) -> Iterator[Finding]:
    noncanonical = [
        f"the {problem.part} has {_NONCANONICAL[problem.code]}"
        for problem in parsed.problems
        if problem.code in _NONCANONICAL
    ]
    if noncanonical:
        yield finding(FINDING_NON_CANONICAL_ENCODING, f"{'; '.join(noncanonical).capitalize()}.")
    size = len(parsed.token)
    if size > 8192:
        yield finding(FINDING_OVERSIZED, f"The token is {size:,} characters long.", "medium")
    elif size > 4096:
        yield finding(FINDING_OVERSIZED, f"The token is {size:,} characters long.")


def not_a_jwt_findings(parsed: ParsedToken) -> list[Finding]:
    """The `not-a-jwt` finding when the payload is JSON but not an object, else nothing."""
    return list(_not_a_jwt(parsed))


def _not_a_jwt(parsed: ParsedToken) -> Iterator[Finding]:
    if any(p.part == "payload" and p.code == NOT_OBJECT for p in parsed.problems):
        kind = json_kind(jsontext.loads(parsed.payload_text or "null"))
        yield finding(FINDING_NOT_A_JWT, f"The payload is {kind}, not a JSON object of claims.")


# Secrets: the built-in list of weak secrets, tried on every HS* token.


def _secret_search_findings(parsed: ParsedToken, verdict: Verdict | None) -> Iterator[Finding]:
    alg = _alg(parsed)
    if alg not in HMAC_HASHES or not parsed.is_compact_jws or parsed.error() is not None:
        return
    signing_input = parsed.signing_input()
    signature = parsed.signature or b""
    verified = verdict is not None and verdict.valid and verdict.alg == alg
    if verified and verdict is not None and verdict.key is not None:
        # The MAC verifies with the user's secret: another secret could only match by a
        # collision, so the search is a lookup (and costs nothing on a verified keystroke).
        given = verdict.key.material
        secret = given if isinstance(given, bytes) and given in _BUILTIN_SET else None
    elif len(signing_input) > BUILTIN_SEARCH_LIMIT:
        secret = find_secret(signing_input, signature, alg, (b"",))
    else:
        secret = find_builtin_secret(signing_input, signature, alg)
    if secret == b"":
        yield finding(FINDING_EMPTY_SECRET, f"The token's {alg} MAC verifies with an empty secret.")
    elif secret is not None:
        what = f"The token's {alg} MAC verifies with the secret {describe_secret(secret)}."
        yield finding(FINDING_WEAK_SECRET, what)


# With the key or secret the user gave.


def _key_findings(
    parsed: ParsedToken, ring: KeyRing, verdict: Verdict | None, key_text: str | None
) -> Iterator[Finding]:
    alg = _alg(parsed)
    keys = _relevant_keys(parsed, ring, verdict)
    spec = ALGORITHMS.get(alg or "")
    for key in keys:
        if key.kind == "secret" and not key.material:
            yield finding(FINDING_EMPTY_SECRET, "The secret you gave is empty.")
        elif spec is not None and spec.kind == "secret" and is_short_secret(key, spec.name):
            what = f"The secret is {len(key.material)} bytes; {alg} needs {spec.hash_bytes}."
            yield finding(FINDING_SHORT_SECRET, what)
        if is_weak_rsa_key(key):
            yield finding(FINDING_WEAK_RSA_KEY, f"The RSA key is {key.size} bits.")
        if is_roca_key(key):
            yield finding(FINDING_ROCA_KEY, f"The {key.size}-bit RSA modulus has the fingerprint.")
    yield from _key_set_findings(ring)
    if spec is not None and keys and all(key.unfit_reason(spec.name) for key in keys):
        yield finding(FINDING_KEY_ALG_MISMATCH, keys[0].unfit_reason(spec.name) or "")
    if spec is not None and spec.kind == "secret" and parsed.is_compact_jws:
        form = _confused_key_form(parsed, spec.name, ring, key_text)
        if form is not None:
            what = f"The token's {spec.name} MAC verifies with the public key's {form}."
            yield finding(FINDING_KEY_CONFUSION, what)


def _key_set_findings(ring: KeyRing) -> Iterator[Finding]:
    if not ring.is_set:
        return
    counts = Counter(key.kid for key in ring.keys if key.kid is not None)
    repeated = sorted(kid for kid, count in counts.items() if count > 1)
    if repeated:
        yield finding(
            FINDING_DUPLICATE_KID, f"The key set has kid {_names(repeated)} more than once."
        )
    kinds = {key.kind == "secret" for key in ring.keys}
    if len(kinds) == 2:
        secrets = sum(1 for key in ring.keys if key.kind == "secret")
        what = (
            f"The key set holds {secrets} HMAC secret(s) (kty oct) and "
            f"{len(ring.keys) - secrets} public or private key(s)."
        )
        yield finding(FINDING_MIXED_KEY_SET, what)


def _relevant_keys(parsed: ParsedToken, ring: KeyRing, verdict: Verdict | None) -> list[Key]:
    """The keys the token is checked against: the one the verdict used, or those for its kid."""
    if verdict is not None and verdict.key is not None:
        return [verdict.key]
    kid = parsed.header.get("kid") if parsed.header is not None else None
    if ring.is_set and isinstance(kid, str):
        matching = [key for key in ring.keys if key.kid == kid]
        if matching:
            return matching
    return list(ring.keys)


def _confused_key_form(
    parsed: ParsedToken, alg: str, ring: KeyRing, key_text: str | None
) -> str | None:
    """Which encoding of the user's public key is the HMAC secret of this token, if any."""
    public_keys = [key for key in ring.keys if key.kind != "secret"][:_KEY_LIMIT]
    if not public_keys:
        return None
    forms: dict[bytes, str] = {}
    if key_text is not None:
        for text in (key_text, key_text.strip(), key_text.strip() + "\n"):
            forms.setdefault(text.encode(), "text as pasted")
            crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
            forms.setdefault(crlf.encode(), "text with CRLF line endings")
    signing_input = parsed.signing_input()
    # Each form costs a MAC of the whole signing input: the many JWK texts only for usual sizes.
    with_jwk_texts = len(signing_input) <= BUILTIN_SEARCH_LIMIT
    for key in public_keys:
        for secret, form in _public_key_forms(key, with_jwk_texts=with_jwk_texts):
            forms.setdefault(secret, form)
    hash_name = ALGORITHMS[alg].hash_name or "sha256"
    signature = parsed.signature or b""
    for secret, form in forms.items():
        if hmac.compare_digest(hmac.digest(secret, signing_input, hash_name), signature):
            return form
    return None


def _public_key_forms(key: Key, *, with_jwk_texts: bool) -> Iterator[tuple[bytes, str]]:
    """The byte strings a confused verifier might use as the HMAC secret for a public key."""
    public = key.verifying_material
    encodings = serialization.Encoding
    formats = serialization.PublicFormat
    spki_pem = public.public_bytes(encodings.PEM, formats.SubjectPublicKeyInfo)
    yield spki_pem, "PEM (SPKI) text"
    yield spki_pem.rstrip(b"\n"), "PEM (SPKI) text without its final newline"
    yield spki_pem.replace(b"\n", b"\r\n"), "PEM (SPKI) text with CRLF line endings"
    yield spki_pem.rstrip(b"\n").replace(b"\n", b"\r\n"), "PEM (SPKI) text with CRLF line endings"
    yield public.public_bytes(encodings.DER, formats.SubjectPublicKeyInfo), "DER bytes"
    if key.kind == "RSA":
        pkcs1 = public.public_bytes(encodings.PEM, formats.PKCS1)
        yield pkcs1, "PEM (PKCS#1) text"
        yield pkcs1.rstrip(b"\n"), "PEM (PKCS#1) text without its final newline"
        yield public.public_bytes(encodings.DER, formats.PKCS1), "PKCS#1 DER bytes"
    try:
        yield public.public_bytes(encodings.OpenSSH, formats.OpenSSH), "OpenSSH text"
    except ValueError:
        pass
    implementation: Any = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}[key.kind]
    try:
        jwk = json.loads(implementation.to_jwk(public))
    except (ValueError, TypeError):
        return
    yield json.dumps(jwk, separators=(",", ":")).encode(), "JWK JSON"
    if with_jwk_texts:
        yield from _jwk_texts(jwk, key)


def _jwk_texts(jwk: dict[str, Any], key: Key) -> Iterator[tuple[bytes, str]]:
    """The JWK as libraries print it: with or without kid (and alg, use), in several orders."""
    kid = key.kid if key.kid is not None else key.thumbprint
    extras: list[dict[str, Any]] = [{}, {"kid": kid}, {"kid": kid, "use": "sig"}]
    if key.jwk_alg is not None:
        extras.append({"kid": kid, "alg": key.jwk_alg, "use": "sig"})
        extras.append({"kid": kid, "alg": key.jwk_alg})
    for extra in extras:
        for members in ({**jwk, **extra}, {**extra, **jwk}):
            for sort_keys in (False, True):
                for separators in ((",", ":"), (", ", ": ")):
                    text = json.dumps(members, sort_keys=sort_keys, separators=separators)
                    yield text.encode(), "JWK JSON"
                yield json.dumps(members, indent=2, sort_keys=sort_keys).encode(), "JWK JSON"


# Formatting.


def _short(value: Any, limit: int = 80) -> str:
    """A hostile value, quoted, cut short and with control characters escaped."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[: limit + 1]
    text = text if len(text) <= limit else text[:limit] + "…"
    return '"' + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + '"'


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(_short(name, 40) for name in names[:_NAME_LIMIT])
    more = len(names) - _NAME_LIMIT
    return f"{shown} and {more} more" if more > 0 else shown
