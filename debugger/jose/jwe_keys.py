"""Read the key a JWE is decrypted or encrypted with, and say whether it fits the `alg`."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey, import_key

from ..codes import (
    JWE_DIR_KEY_SIZE,
    JWE_KEY_KIND_MISMATCH,
    JWE_KEY_SIZE_MISMATCH,
    JWE_PRIVATE_KEY_REQUIRED,
)
from ..errors import BAD_KEY, DebuggerError
from . import jsontext
from .jwe_algorithms import (
    DIRECT,
    ECDH_ALGS,
    ECDH_CURVES,
    ENCS,
    RSA_ALGS,
    wrapping_bits,
)
from .keys import SECRET_ENCODINGS, decode_secret, read_jwk, read_key

JoseKey = OctKey | RSAKey | ECKey | OKPKey
_KTY = {"secret": "oct", "RSA": "RSA", "EC": "EC", "OKP": "OKP"}


@contextlib.contextmanager
def quiet_library_warnings() -> Iterator[None]:
    """Silence joserfc's SecurityWarnings (RSA1_5, a small p2c, a short secret): the debugger
    reports each of them as a finding instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        yield


class EncryptionKeyInfo(TypedDict):
    """What the API says about the key a JWE was decrypted or encrypted with."""

    type: str
    kind: str
    description: str
    source: str
    private: bool | None
    size: int
    curve: str | None
    kid: str | None


@dataclass(frozen=True)
class EncryptionKey:
    """One key for JWE: the joserfc key, and what kind of key it is."""

    jose_key: JoseKey
    kind: str  # "secret", "RSA", "EC" or "OKP"
    source: str
    size: int
    curve: str | None = None
    kid: str | None = None
    use: str | None = None

    @property
    def private(self) -> bool:
        """A secret, or the private half of a key pair."""
        return self.kind == "secret" or self.jose_key.is_private

    def describe(self) -> EncryptionKeyInfo:
        """The key as the API describes it."""
        if self.kind == "secret":
            description = f"secret of {self.size // 8} bytes"
        else:
            half = "private" if self.private else "public"
            shape = f"{self.size}-bit" if self.kind == "RSA" else str(self.curve)
            description = f"{self.kind} {shape} {half} key"
        return {
            "type": _KTY[self.kind],
            "kind": self.kind,
            "description": description,
            "source": self.source,
            "private": None if self.kind == "secret" else self.private,
            "size": self.size,
            "curve": self.curve,
            "kid": self.kid,
        }

    def problem(self, alg: str, enc: str, *, decrypting: bool) -> tuple[str, str] | None:
        """Why this key cannot be used for `alg` and `enc`: (reason code, message), or None."""
        if self.use is not None and self.use != "enc":
            return JWE_KEY_KIND_MISMATCH, f"The JWK's use is {self.use!r}, not 'enc'."
        if alg in RSA_ALGS:
            return self._pair_problem(alg, ("RSA",), decrypting)
        if alg in ECDH_ALGS:
            wrong = self._pair_problem(alg, ("EC", "OKP"), decrypting)
            if wrong is None and self.curve not in ECDH_CURVES:
                curves = ", ".join(ECDH_CURVES)
                return JWE_KEY_KIND_MISMATCH, f"{alg} needs a key on {curves}, not {self.curve}."
            return wrong
        if self.kind != "secret":
            return JWE_KEY_KIND_MISMATCH, f"{alg} needs a secret, and this is an {self.kind} key."
        bits = wrapping_bits(alg)
        if bits is not None and self.size != bits:
            return JWE_KEY_SIZE_MISMATCH, f"{alg} needs a {bits}-bit key; this is {self.size} bits."
        if alg == DIRECT and enc in ENCS and self.size != ENCS[enc].key_bytes * 8:
            wanted = ENCS[enc].key_bytes * 8
            return (
                JWE_DIR_KEY_SIZE,
                f"dir with {enc} needs a {wanted}-bit key; this is {self.size}.",
            )
        return None

    def _pair_problem(
        self, alg: str, kinds: tuple[str, ...], decrypting: bool
    ) -> tuple[str, str] | None:
        if self.kind not in kinds:
            wanted = " or ".join(kinds)
            given = {"secret": "a secret", "RSA": "an RSA key", "EC": "an EC key"}.get(
                self.kind, f"an {self.kind} key"
            )
            return JWE_KEY_KIND_MISMATCH, f"{alg} needs a key of kind {wanted}; this is {given}."
        if decrypting and not self.private:
            return JWE_PRIVATE_KEY_REQUIRED, (
                f"This is the public key: decrypting {alg} needs the recipient's private key."
            )
        return None


@dataclass(frozen=True)
class EncryptionKeyRing:
    """The keys read from one pasted text: one key, or the usable keys of a JWK Set."""

    keys: tuple[EncryptionKey, ...]
    is_set: bool = False
    unusable: tuple[str, ...] = field(default_factory=tuple)

    def by_kid(self, kid: object) -> tuple[EncryptionKey, ...]:
        """The keys to try for a token with this `kid`: in a set, those with that kid."""
        if not self.is_set or not isinstance(kid, str):
            return self.keys
        return tuple(key for key in self.keys if key.kid == kid)


def read_encryption_keys(text: str, secret_encoding: str = "utf-8") -> EncryptionKeyRing:
    """Read a PEM key, a JWK, a JWK Set, or a secret (a password for PBES2) for JWE.

    Raises `DebuggerError` (`bad_key`) when the text holds no usable key.
    """
    check_secret_encoding(secret_encoding)
    stripped = text.strip()
    if stripped.startswith("-----BEGIN ") or stripped.startswith(("ssh-", "ecdsa-sha2-")):
        return EncryptionKeyRing((_read_pem(stripped),))
    if stripped.startswith("{"):
        return _read_json(stripped)
    secret = decode_secret(text, secret_encoding)
    return EncryptionKeyRing((_secret_key(secret, f"secret ({secret_encoding})"),))


def check_secret_encoding(secret_encoding: str) -> None:
    """Raise the one `invalid_request` error for a `secret_encoding` that is not offered."""
    if secret_encoding not in SECRET_ENCODINGS:
        read_key("", secret_encoding)  # checks the encoding before anything else


def _secret_key(secret: bytes, source: str, jwk: dict[str, Any] | None = None) -> EncryptionKey:
    if not secret:
        raise DebuggerError(BAD_KEY, "The secret is empty: paste the key or password.", field="key")
    with quiet_library_warnings():
        jose_key = OctKey.import_key(secret)
    return EncryptionKey(jose_key, "secret", source, len(secret) * 8, **_metadata(jwk))


def _read_pem(text: str) -> EncryptionKey:
    try:
        key = read_key(text).keys[0]  # the same checks and messages as for signing keys
    except DebuggerError as err:
        return _x_curve_pem(text, err)
    pem = key.private_pem() or key.public_pem() or ""
    jose_key: JoseKey
    if key.kind == "RSA":
        jose_key = RSAKey.import_key(pem)
    elif key.kind == "EC":
        jose_key = ECKey.import_key(pem)
    else:
        jose_key = OKPKey.import_key(pem)
    return EncryptionKey(jose_key, key.kind, key.source, key.size, key.curve)


def _x_curve_pem(text: str, error: DebuggerError) -> EncryptionKey:
    """An X25519 or X448 PEM key, which signing keys never are; else the signing reader's error."""
    try:
        jose_key = OKPKey.import_key(text)
    except (JoseError, ValueError, TypeError):
        raise error from None
    curve = str(jose_key.curve_name)
    return EncryptionKey(jose_key, "OKP", "PEM key", 256 if curve == "X25519" else 448, curve)


def _read_json(text: str) -> EncryptionKeyRing:
    try:
        value = jsontext.loads(text, field="key")
    except DebuggerError as err:
        raise DebuggerError(
            BAD_KEY, f"The key is not valid JSON: {err.message}", field="key"
        ) from err
    if isinstance(value, dict) and isinstance(value.get("keys"), list):
        keys: list[EncryptionKey] = []
        unusable: list[str] = []
        for index, entry in enumerate(value["keys"]):
            try:
                keys.append(read_encryption_jwk(entry, f"JWK Set, key {index + 1}"))
            except DebuggerError as err:
                unusable.append(f"key {index + 1}: {err.message}")
        if not keys:
            reasons = "; ".join(unusable) or "its keys list is empty"
            raise DebuggerError(BAD_KEY, f"The JWK Set has no usable key: {reasons}.", field="key")
        return EncryptionKeyRing(tuple(keys), True, tuple(unusable))
    return EncryptionKeyRing((read_encryption_jwk(value, "JWK"),))


def read_encryption_jwk(jwk: Any, source: str) -> EncryptionKey:
    """One JWK (oct, RSA, EC, or OKP including X25519 and X448) as an `EncryptionKey`."""
    if not isinstance(jwk, dict) or "kty" not in jwk:
        raise DebuggerError(BAD_KEY, 'A JWK is a JSON object with a "kty" member.', field="key")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty != "OKP" or crv not in ("X25519", "X448"):
        read_jwk(jwk, source)  # the signing reader's checks: size limits, clear messages
    if kty == "oct":
        return _secret_key(decode_secret(str(jwk.get("k")), "base64url"), source, jwk)
    try:
        with quiet_library_warnings():
            jose_key = import_key(jwk)
    except (JoseError, ValueError, TypeError, KeyError) as err:
        raise DebuggerError(
            BAD_KEY, f"The {kty} JWK could not be read: {err}", field="key"
        ) from err
    if isinstance(jose_key, RSAKey):
        return EncryptionKey(
            jose_key, "RSA", source, jose_key.public_key.key_size, **_metadata(jwk)
        )
    if isinstance(jose_key, ECKey | OKPKey):
        curve = str(jose_key.curve_name)
        size = {"X25519": 256, "X448": 448, "Ed25519": 256, "Ed448": 456}.get(curve)
        size = size or jose_key.public_key.curve.key_size  # type: ignore[union-attr]
        kind = "EC" if isinstance(jose_key, ECKey) else "OKP"
        return EncryptionKey(jose_key, kind, source, size, curve, **_metadata(jwk))
    raise DebuggerError(BAD_KEY, f"JWK kty {kty!r} is not a JWE key type.", field="key")


def _metadata(jwk: dict[str, Any] | None) -> dict[str, Any]:
    if jwk is None:
        return {}
    kid, use = jwk.get("kid"), jwk.get("use")
    return {
        "kid": kid if isinstance(kid, str) else None,
        "use": use if isinstance(use, str) else None,
    }


#: The curve generated for ECDH-ES by key size: P-256 unless another is asked for.
