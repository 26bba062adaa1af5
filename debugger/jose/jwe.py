"""Decrypt and encrypt compact JWE (RFC 7516) with the algorithms of RFC 7518, through joserfc.

Each failure has its own reason code, found by checking the token and the key before the
library decrypts: the library's own limits (sizes, `p2c`, the inflated size of `zip`) hold, and
nothing is returned as plaintext unless the authentication tag matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from joserfc.errors import ExceededSizeError, JoseError
from joserfc.jwa import DeflateZipModel, JWEKeyAgreement, JWEKeyEncryption, JWEKeyWrapping
from joserfc.jwe import CompactEncryption, JWERegistry, Recipient, decrypt_compact

from ..codes import (
    JWE_BAD_ENCRYPTED_KEY,
    JWE_BAD_HEADER,
    JWE_BAD_IV_LENGTH,
    JWE_BAD_KEY,
    JWE_BAD_TAG_LENGTH,
    JWE_DECOMPRESSION_LIMIT,
    JWE_DECRYPTION_FAILED,
    JWE_KEY_KIND_MISMATCH,
    JWE_KID_NOT_FOUND,
    JWE_MALFORMED,
    JWE_P2C_TOO_LARGE,
    JWE_TAG_MISMATCH,
    JWE_TOO_LARGE,
    JWE_UNKNOWN_ALG,
    JWE_UNKNOWN_ENC,
    JWE_UNKNOWN_ZIP,
    JWE_WRONG_KEY,
    JWE_WRONG_KEY_OR_TAG_MISMATCH,
)
from ..errors import BAD_KEY, INVALID_REQUEST, DebuggerError
from . import jsontext
from .jwe_algorithms import (
    ALGS,
    DIRECT,
    ECDH_ALGS,
    ENCS,
    GCMKW_ALGS,
    KEY_STEP_CHECKED,
    PBES2_ALGS,
    ZIP_DEFLATE,
)
from .jwe_keys import (
    EncryptionKey,
    check_secret_encoding,
    quiet_library_warnings,
    read_encryption_keys,
)
from .tokens import Problem, b64url_decode, clean

#: The most PBKDF2 iterations (`p2c`) a PBES2 token may ask for: joserfc's own limit. Each
#: decryption attempt costs the recipient that many HMACs, so the sender sets the price.
MAX_P2C = 300_000
#: The most bytes a `zip: "DEF"` plaintext may inflate to: joserfc's own cap.
MAX_INFLATED_BYTES = DeflateZipModel.MAX_SIZE
#: Names of the five parts of a compact JWE, in order.
PART_NAMES = ("protected", "encrypted_key", "iv", "ciphertext", "tag")
_LIMITS = JWERegistry()
PART_LIMITS = {
    "protected": _LIMITS.max_protected_header_length,
    "encrypted_key": _LIMITS.max_encrypted_key_length,
    "iv": _LIMITS.max_initialization_vector_length,
    "ciphertext": _LIMITS.max_ciphertext_length,
    "tag": _LIMITS.max_auth_tag_length,
}
#: The most characters of a JSON serialization's `aad` member: joserfc's own limit.
MAX_AAD_CHARS = _LIMITS.max_aad_length


class JwePart(TypedDict):
    """One base64url part of a compact JWE, for the page's legend."""

    name: str
    encoded: str
    bytes: int | None


class RecipientData(TypedDict):
    """One recipient of a JWE in JSON serialization and what came of trying the key on it."""

    index: int
    header: dict[str, Any] | None
    alg: Any
    kid: Any
    decrypted: bool
    reason_code: str | None
    reason: str


@dataclass(frozen=True)
class Decryption:
    """What came of decrypting: the plaintext, or why there is none."""

    header: dict[str, Any] | None
    parts: tuple[JwePart, ...]
    plaintext: bytes | None
    reason_code: str | None
    reason: str
    key: EncryptionKey | None = None
    serialization: str = "compact"
    #: For the JSON serialization: each recipient and what came of trying the key on it.
    recipients: tuple[RecipientData, ...] = field(default_factory=tuple)

    @property
    def alg(self) -> str | None:
        """The header's `alg`, when it is a string."""
        alg = (self.header or {}).get("alg")
        return alg if isinstance(alg, str) else None


class _Refusal(Exception):
    """Why decryption stopped: a reason code and its message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def decrypt(token: str, key_text: str, *, secret_encoding: str = "utf-8") -> Decryption:
    """Decrypt a JWE with the key, the JWK Set (chosen by `kid`) or the secret given.

    Compact serialization only: `jwe_json.decrypt_json_text` reads the JSON serialization.

    Never raises for a bad token or an unusable key (they give a reason code); raises
    `DebuggerError` only for a bad `secret_encoding`.
    """
    check_secret_encoding(secret_encoding)
    text, _notes = clean(token)
    segments = ["".join(part.split()) for part in text.split(".")]
    parts = tuple(_part(name, segment) for name, segment in zip(PART_NAMES, segments, strict=False))
    header: dict[str, Any] | None = None
    key: EncryptionKey | None = None
    try:
        decoded = _decode_parts(segments)
        header = _read_header(decoded["protected"])
        _check_header(header, decoded)
        keys = _candidate_keys(header, key_text, secret_encoding)
        key, plaintext = _decrypt_with(".".join(segments), header, decoded, keys)
    except _Refusal as refusal:
        return Decryption(header, parts, None, refusal.code, refusal.message, key)
    return Decryption(header, parts, plaintext, None, "Decrypted: the tag matches.", key)


def _part(name: str, segment: str) -> JwePart:
    problems: list[Problem] = []
    data = b64url_decode(segment, name, problems)
    return {"name": name, "encoded": segment, "bytes": None if data is None else len(data)}


def _decode_parts(segments: list[str]) -> dict[str, bytes]:
    if len(segments) != 5:
        hint = " It has three: it is a signed token (JWS); verify it instead." * (
            len(segments) == 3
        )
        raise _Refusal(
            JWE_MALFORMED,
            "A compact JWE has five parts separated by dots (header, encrypted key, IV, "
            f"ciphertext, tag); this has {len(segments)}.{hint}",
        )
    decoded: dict[str, bytes] = {}
    for name, segment in zip(PART_NAMES, segments, strict=True):
        if len(segment) > PART_LIMITS[name]:
            raise _Refusal(
                JWE_TOO_LARGE,
                f"The {name} part is {len(segment):,} characters; the debugger reads at most "
                f"{PART_LIMITS[name]:,}.",
            )
        problems: list[Problem] = []
        data = b64url_decode(segment, name, problems)
        if data is None or any(p.severity == "error" for p in problems) or "=" in segment:
            raise _Refusal(JWE_MALFORMED, f"The {name} part is not base64url text.")
        decoded[name] = data
    return decoded


def _read_header(data: bytes) -> dict[str, Any]:
    try:
        header = jsontext.loads(data.decode("utf-8"), field="The protected header")
    except (UnicodeDecodeError, DebuggerError) as err:
        raise _Refusal(JWE_MALFORMED, "The protected header is not UTF-8 JSON.") from err
    if not isinstance(header, dict):
        raise _Refusal(JWE_MALFORMED, "The protected header is JSON but not an object.")
    return header


def _check_header(header: dict[str, Any], decoded: dict[str, bytes]) -> None:
    """Refuse what the library would refuse, each with its own reason, before any key is used."""
    alg, enc = header.get("alg"), header.get("enc")
    if not isinstance(alg, str) or not isinstance(enc, str):
        raise _Refusal(JWE_BAD_HEADER, 'The protected header needs "alg" and "enc" strings.')
    if alg not in ALGS:
        raise _Refusal(JWE_UNKNOWN_ALG, f"Unknown alg {alg!r}. JWE uses: {', '.join(ALGS)}.")
    if enc not in ENCS:
        raise _Refusal(JWE_UNKNOWN_ENC, f"Unknown enc {enc!r}. JWE uses: {', '.join(ENCS)}.")
    if "zip" in header and header["zip"] != ZIP_DEFLATE:
        raise _Refusal(JWE_UNKNOWN_ZIP, f'Unknown zip {header["zip"]!r}: only "DEF" is defined.')
    spec = ENCS[enc]
    _check_length(decoded["iv"], spec.iv_bytes, f"{enc} IV", JWE_BAD_IV_LENGTH)
    _check_length(decoded["tag"], spec.tag_bytes, f"{enc} tag", JWE_BAD_TAG_LENGTH)
    if alg in (DIRECT, ECDH_ALGS[0]) and decoded["encrypted_key"]:
        raise _Refusal(
            JWE_BAD_ENCRYPTED_KEY,
            f"With {alg} the encrypted-key part must be empty; it holds "
            f"{len(decoded['encrypted_key'])} bytes.",
        )
    if alg in ECDH_ALGS and not isinstance(header.get("epk"), dict):
        raise _Refusal(JWE_BAD_HEADER, f'{alg} needs the ephemeral public key "epk" (a JWK).')
    if alg in GCMKW_ALGS:
        _check_length(_header_bytes(header, "iv", alg), 12, f"{alg} iv", JWE_BAD_IV_LENGTH)
        _check_length(_header_bytes(header, "tag", alg), 16, f"{alg} tag", JWE_BAD_TAG_LENGTH)
    if alg in PBES2_ALGS:
        _header_bytes(header, "p2s", alg)
        check_p2c(header.get("p2c"), alg)


def check_p2c(p2c: Any, alg: str) -> int:
    """The PBES2 count, once it is a whole number from 1 to `MAX_P2C`."""
    if not isinstance(p2c, int) or isinstance(p2c, bool) or p2c < 1:
        raise _Refusal(JWE_BAD_HEADER, f'{alg} needs the iteration count "p2c", a number.')
    if p2c > MAX_P2C:
        raise _Refusal(
            JWE_P2C_TOO_LARGE,
            f"p2c is {p2c:,}: decrypting would cost {p2c:,} PBKDF2 rounds per attempt. The "
            f"debugger stops at {MAX_P2C:,}, as the library does.",
        )
    return p2c


def _header_bytes(header: dict[str, Any], name: str, alg: str) -> bytes:
    value = header.get(name)
    problems: list[Problem] = []
    data = b64url_decode(value, name, problems) if isinstance(value, str) else None
    if data is None or any(p.severity == "error" for p in problems):
        raise _Refusal(JWE_BAD_HEADER, f'{alg} needs "{name}" in the header, as base64url.')
    return data


def _check_length(data: bytes, wanted: int, what: str, code: str) -> None:
    if len(data) != wanted:
        raise _Refusal(code, f"The {what} must be {wanted} bytes; this one is {len(data)}.")


def _candidate_keys(
    header: dict[str, Any], key_text: str, secret_encoding: str
) -> tuple[EncryptionKey, ...]:
    try:
        ring = read_encryption_keys(key_text, secret_encoding)
    except DebuggerError as err:
        if err.code != BAD_KEY:
            raise
        raise _Refusal(JWE_BAD_KEY, err.message) from err
    keys = ring.by_kid(header.get("kid"))
    if not keys:
        kids = ", ".join(repr(key.kid) for key in ring.keys if key.kid) or "none"
        raise _Refusal(
            JWE_KID_NOT_FOUND,
            f"The JWK Set has no key with kid {header['kid']!r} (its kids: {kids}).",
        )
    alg, enc = header["alg"], header["enc"]
    problems = [key.problem(alg, enc, decrypting=True) for key in keys]
    fitting = tuple(key for key, problem in zip(keys, problems, strict=True) if problem is None)
    if not fitting:
        code, message = next(problem for problem in problems if problem is not None)
        raise _Refusal(code, message)
    if alg in ECDH_ALGS:
        return _on_epk_curve(fitting, header["epk"].get("crv"))
    return fitting


def _on_epk_curve(keys: tuple[EncryptionKey, ...], crv: Any) -> tuple[EncryptionKey, ...]:
    """ECDH agrees only between keys on one curve: the keys on the curve of the token's epk."""
    same = tuple(key for key in keys if key.curve == crv)
    if not same:
        raise _Refusal(
            JWE_KEY_KIND_MISMATCH,
            f"The token's ephemeral key (epk) is on {crv}; this key is on {keys[0].curve}.",
        )
    return same


def _decrypt_with(
    token: str, header: dict[str, Any], decoded: dict[str, bytes], keys: tuple[EncryptionKey, ...]
) -> tuple[EncryptionKey, bytes]:
    """The first key that decrypts the token, with the plaintext; else the first key's failure."""
    return first_key_that_opens(
        lambda key, registry: decrypt_compact(token, key.jose_key, registry=registry),
        header,
        decoded,
        keys,
        _Refusal(JWE_DECRYPTION_FAILED, "No key could decrypt the token."),
    )


def first_key_that_opens(
    open_with: Callable[[EncryptionKey, JWERegistry], Any],
    header: dict[str, Any],
    decoded: dict[str, bytes],
    keys: tuple[EncryptionKey, ...],
    none_opened: _Refusal,
) -> tuple[EncryptionKey, bytes]:
    """Try each key with `open_with` (one serialization's joserfc call): the first key whose
    message has a plaintext, with it; else the first key's failure, or `none_opened`."""
    registry = registry_for(header["alg"], header["enc"])
    first: _Refusal | None = None
    for key in keys:
        try:
            with quiet_library_warnings():
                message = open_with(key, registry)
        except ExceededSizeError as err:  # the parts' sizes were checked: this is the inflation
            raise _Refusal(
                JWE_DECOMPRESSION_LIMIT,
                f"The zip (DEF) plaintext inflates beyond {MAX_INFLATED_BYTES:,} bytes: a "
                "decompression bomb, or a payload far larger than any token needs.",
            ) from err
        except (JoseError, ValueError, TypeError, KeyError, AssertionError) as err:
            first = first or _failure(header, decoded, key, err)
            continue
        if message.plaintext is not None:
            return key, bytes(message.plaintext)
    raise first or none_opened


def registry_for(alg: str, enc: str) -> JWERegistry:
    """A joserfc registry allowing exactly this `alg`, `enc` and DEF, and header members that
    are not registered (a debugger reads what others send)."""
    return JWERegistry(algorithms=[alg, enc, ZIP_DEFLATE], strict_check_header=False)


def _failure(
    header: dict[str, Any], decoded: dict[str, bytes], key: EncryptionKey, error: Exception
) -> _Refusal:
    alg = header["alg"]
    if not isinstance(error, JoseError):  # an epk that is no point of its curve, for example
        return _Refusal(JWE_DECRYPTION_FAILED, f"The token could not be decrypted: {error}.")
    if alg not in KEY_STEP_CHECKED:
        return _Refusal(
            JWE_WRONG_KEY_OR_TAG_MISMATCH,
            f"The authentication tag does not match. With {alg} a wrong key and a changed token "
            "look the same: check the key first, then that the token was copied whole.",
        )
    if not _key_step_works(header, decoded, key):
        return _Refusal(
            JWE_WRONG_KEY,
            f"This key cannot unwrap the content key ({alg}): it is not the key the token was "
            "encrypted for.",
        )
    return _Refusal(
        JWE_TAG_MISMATCH,
        "The key is right, but the authentication tag does not match: the header, IV, "
        "ciphertext or tag was changed after encryption.",
    )


def _key_step_works(header: dict[str, Any], decoded: dict[str, bytes], key: EncryptionKey) -> bool:
    """Whether `key` recovers a content key of the right size (joserfc's algorithm models)."""
    if header["alg"] == DIRECT:
        return True
    cek = content_key(header, decoded["encrypted_key"], key)
    return cek is not None and len(cek) == ENCS[header["enc"]].key_bytes


def content_key(header: dict[str, Any], encrypted_key: bytes, key: EncryptionKey) -> bytes | None:
    """The content-encryption key `key` recovers for this header: unwrapped, decrypted, agreed
    (ECDH-ES, with the header's `epk`) or the key itself (`dir`); None when the step fails."""
    registry = registry_for(header["alg"], header["enc"])
    message = CompactEncryption(dict(header))
    recipient: Recipient[Any] = Recipient(message, recipient_key=key.jose_key)
    recipient.encrypted_key = encrypted_key
    try:
        with quiet_library_warnings():
            model = registry.get_alg(header["alg"])
            enc = registry.get_enc(header["enc"])
            if isinstance(model, JWEKeyAgreement):
                agreed = model.decrypt_agreed_upon_key(enc, recipient)
                if not model.direct_mode:
                    agreed = model.unwrap_cek_with_auk(encrypted_key, agreed)
                return bytes(agreed)
            if isinstance(model, JWEKeyEncryption | JWEKeyWrapping):
                return bytes(model.decrypt_cek(recipient))
            secret = key.jose_key.get_op_key("decrypt")
            return secret if isinstance(secret, bytes) else None
    except (JoseError, ValueError, TypeError, KeyError, AssertionError, AttributeError):
        return None


def refuse_p2c(p2c: Any, alg: str) -> None:
    """For encryption: the same p2c bound, as a request error."""
    try:
        check_p2c(p2c, alg)
    except _Refusal as refusal:
        raise DebuggerError(INVALID_REQUEST, refusal.message, field="header") from refusal
