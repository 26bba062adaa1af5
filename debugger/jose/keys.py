"""Read the key or secret a user pasted: detect what it is and turn it into key objects."""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from ..codes import ENTRY_SKIPPED, ENTRY_TOO_LARGE
from ..errors import BAD_KEY, INVALID_REQUEST, KEY_TOO_LARGE, DebuggerError
from . import jsontext
from .algorithms import ALGORITHMS, KIND_NAMES
from .jwk import material_jwk, public_jwk, thumbprint

SECRET_ENCODINGS = ("utf-8", "base64", "base64url", "hex")

_PEM_LABEL = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_SSH_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ", "ssh-ed448 ", "ecdsa-sha2-")
_CURVE_NAMES = {
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
    "secp256k1": "secp256k1",
}
_KTY = {"secret": "oct", "RSA": "RSA", "EC": "EC", "OKP": "OKP"}
#: The largest RSA modulus accepted, in bits (OpenSSL's own limit): a larger key only costs time.
MAX_RSA_BITS = 16384
#: The largest RSA private key read, in bits. Reading one checks that its primes are prime, which
#: holds up every other request: seconds at 8192 bits, a minute at 16384. No issuer uses more.
MAX_RSA_PRIVATE_BITS = 8192
#: The work of checking RSA private keys grows with the cube of their size. One request checks
#: at most the work of one 8192-bit key: one such key, eight of 4096 bits or 64 of 2048 bits.
RSA_CHECK_BUDGET = MAX_RSA_PRIVATE_BITS**3
#: The largest gcd(p - 1, q - 1) for which p and q are found from an RSA private JWK that
#: gives only "d" (about one real key in 10,000 has a larger one; it needs its p and q).
RSA_RECOVERY_DIVISORS = 2**14
#: RSA public exponents must be below this (FIPS 186-5): a huge one only costs time.
MAX_RSA_EXPONENT = 2**256


class KeyDetails(TypedDict):
    """What the key panel and the API say about a key; the JWK metadata only when it has some."""

    type: str
    kind: str
    description: str
    source: str
    private: bool | None
    can_sign: bool
    size: int
    curve: str | None
    kid: str | None
    alg: NotRequired[str]
    use: NotRequired[str]
    key_ops: NotRequired[list[str]]
    certificate: NotRequired[dict[str, str]]


class UnusableEntry(TypedDict):
    """A JWK Set entry that could not be read as a key, and why."""

    index: int
    kid: Any
    reason: str
    code: NotRequired[str]


@dataclass(frozen=True)
class Key:
    """One usable key: what kind it is, where it came from, and the JWK metadata that limits it."""

    kind: str  # "secret", "RSA", "EC" or "OKP"
    material: Any  # bytes for a secret; a cryptography key object otherwise
    private: bool
    source: str
    size: int
    curve: str | None = None
    kid: str | None = None
    jwk_alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    certificate: dict[str, str] | None = None

    @functools.cached_property
    def thumbprint(self) -> str:
        """The RFC 7638 SHA-256 thumbprint of the (public) key, worked out once per key."""
        return thumbprint(self.jwk(private=False))

    def jwk(self, *, private: bool = True) -> dict[str, Any]:
        """The key as a JWK, with its `kid` (the thumbprint unless it had one) and JWK metadata.

        With `private=False`, or for a public key, only the public members are written.
        """
        material = self.material if private else self.verifying_material
        members = material_jwk(self.kind, material)
        members["kid"] = self.kid if self.kid is not None else thumbprint(members)
        for name, value in (("alg", self.jwk_alg), ("use", self.use), ("key_ops", self.key_ops)):
            if value is not None:
                members[name] = list(value) if isinstance(value, tuple) else value
        if not private and self.kind != "secret":
            members = public_jwk(members)
        return members

    def public_pem(self) -> str | None:
        """The SPKI PEM of the key's public part; None for an HMAC secret."""
        if self.kind == "secret":
            return None
        data: bytes = self.verifying_material.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return data.decode("ascii")

    def private_pem(self) -> str | None:
        """The unencrypted PKCS#8 PEM of a private key; None for a public key or a secret."""
        if self.kind == "secret" or not self.private:
            return None
        data: bytes = self.material.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return data.decode("ascii")

    @property
    def can_sign(self) -> bool:
        """A secret or a private key can sign; a public key only verifies."""
        return self.kind == "secret" or self.private

    @property
    def verifying_material(self) -> Any:
        """The key to verify with: the public part of a private key."""
        if self.private and self.kind != "secret":
            return self.material.public_key()
        return self.material

    def unfit_reason(self, alg: str, operation: str = "verify") -> str | None:
        """Why this key cannot be used for `alg`, or None when it can."""
        spec = ALGORITHMS.get(alg)
        if spec is None:
            return f"{alg!r} is not an algorithm the debugger knows."
        if spec.kind != self.kind:
            return f"{alg} needs {KIND_NAMES[spec.kind]}, and this is {KIND_NAMES[self.kind]}."
        if spec.curves and self.curve not in spec.curves:
            return f"{alg} needs a key on {' or '.join(spec.curves)}; this key is on {self.curve}."
        if self.jwk_alg is not None and self.jwk_alg != alg:
            return f"The JWK is limited to alg {self.jwk_alg}, and the token uses {alg}."
        if self.use is not None and self.use != "sig":
            return f"The JWK's use is {self.use!r}: it is not meant for signatures ('sig')."
        # A private JWK marked "sign" lends its public part to "verify".
        allowed = {operation, "sign"} if operation == "verify" and self.private else {operation}
        if self.key_ops is not None and not allowed.intersection(self.key_ops):
            ops = ", ".join(self.key_ops) or "nothing"
            return f"The JWK's key_ops ({ops}) do not include {operation!r}."
        return None

    def describe(self) -> KeyDetails:
        """What the key panel and the API say about this key."""
        info: KeyDetails = {
            "type": _KTY[self.kind],
            "kind": self.kind,
            "description": self.description,
            "source": self.source,
            "private": None if self.kind == "secret" else self.private,
            "can_sign": self.can_sign,
            "size": self.size,
            "curve": self.curve,
            "kid": self.kid,
        }
        if self.jwk_alg is not None:
            info["alg"] = self.jwk_alg
        if self.use is not None:
            info["use"] = self.use
        if self.key_ops is not None:
            info["key_ops"] = list(self.key_ops)
        if self.certificate is not None:
            info["certificate"] = dict(self.certificate)
        return info

    @property
    def description(self) -> str:
        """A short human description, such as 'RSA 2048-bit public key'."""
        if self.kind == "secret":
            return f"HMAC secret of {self.size // 8} bytes"
        visibility = "private" if self.private else "public"
        if self.kind == "RSA":
            return f"RSA {self.size}-bit {visibility} key"
        return f"{self.curve} {visibility} key"


@dataclass(frozen=True)
class KeyRing:
    """Everything read from one pasted key text: one key, or the usable keys of a JWK Set."""

    keys: tuple[Key, ...]
    is_set: bool = False
    unusable: tuple[UnusableEntry, ...] = field(default_factory=tuple)

    @property
    def kids(self) -> list[str]:
        """The `kid`s present, in order."""
        return [key.kid for key in self.keys if key.kid is not None]


class _OverBudget(DebuggerError):
    """A private key left unread because the keys before it used the request's check budget."""


class _CheckBudget:
    """What is left of `RSA_CHECK_BUDGET` while reading the keys of one request."""

    def __init__(self) -> None:
        self.left = RSA_CHECK_BUDGET
        self.taken: set[tuple[int, int]] = set()

    def take(self, public: rsa.RSAPublicNumbers) -> bool:
        """Count the check of the private key of `public`; False when it would go over."""
        if (public.n, public.e) in self.taken:  # the same key twice is checked once
            return True
        work = public.n.bit_length() ** 3
        if work > self.left:
            return False
        self.left -= work
        self.taken.add((public.n, public.e))
        return True


# The last few texts stay read: the page sends the same key with every keystroke in the token
# box. Only keys that could be read are kept, in this process's memory, never on disk.
@functools.lru_cache(maxsize=8)
def read_key(text: str, secret_encoding: str = "utf-8") -> KeyRing:
    """Detect what `text` holds (PEM, JWK, JWK Set, SSH public key or secret) and read it.

    The answer is shared between calls with the same key: treat it as read-only.
    """
    _check_secret_encoding(secret_encoding)
    stripped = text.strip()
    if _is_key_text(stripped):
        return _read_key_text(stripped)
    return _read_secret(text, secret_encoding)


def read_keys(texts: list[str], secret_encoding: str = "utf-8") -> list[KeyRing]:
    """Read the key texts of one request, which together check at most `RSA_CHECK_BUDGET`."""
    _check_secret_encoding(secret_encoding)
    budget = _CheckBudget()
    rings = []
    for text in texts:
        stripped = text.strip()
        if _is_key_text(stripped):
            rings.append(_read_structured(stripped, budget))
        else:
            rings.append(_read_secret(text, secret_encoding))
    return rings


def _check_secret_encoding(secret_encoding: str) -> None:
    if secret_encoding not in SECRET_ENCODINGS:
        raise DebuggerError(
            INVALID_REQUEST,
            f"secret_encoding must be one of {', '.join(SECRET_ENCODINGS)}.",
            field="secret_encoding",
        )


def _is_key_text(stripped: str) -> bool:
    return "-----BEGIN " in stripped or stripped.startswith((*_SSH_PREFIXES, "{"))


# White space around a key does not change it, so it is not part of this cache's key.
@functools.lru_cache(maxsize=8)
def _read_key_text(stripped: str) -> KeyRing:
    return _read_structured(stripped, _CheckBudget())


def _read_structured(stripped: str, budget: _CheckBudget) -> KeyRing:
    if "-----BEGIN " in stripped:
        return KeyRing((_read_pem(stripped, budget),))
    if stripped.startswith(_SSH_PREFIXES):
        return KeyRing((_read_ssh(stripped),))
    return _read_json_key(stripped, budget)


def _read_secret(text: str, secret_encoding: str) -> KeyRing:
    secret = decode_secret(text, secret_encoding)
    return KeyRing((Key("secret", secret, True, f"secret ({secret_encoding})", len(secret) * 8),))


def decode_secret(text: str, encoding: str) -> bytes:
    """The bytes of an HMAC secret written as UTF-8 text, base64, base64url or hex."""
    try:
        if encoding == "utf-8":
            return text.encode("utf-8")
        compact = "".join(text.split())
        if encoding == "hex":
            return bytes.fromhex(compact)
        if encoding == "base64url":
            if not re.fullmatch(r"[A-Za-z0-9_-]*=*", compact):
                raise ValueError("only A-Z, a-z, 0-9, '-' and '_' are base64url characters")
            return base64.urlsafe_b64decode(compact + "=" * (-len(compact) % 4))
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (ValueError, binascii.Error, UnicodeError) as err:
        raise DebuggerError(
            BAD_KEY,
            f"The secret is not valid {encoding}: {err}. Check the secret encoding you chose.",
            field="key",
        ) from err


_PEM_BODY = re.compile(r"-----BEGIN [^-]+-----(.*?)(?:-----END [^-]+-----|$)", re.S)
_BASE64_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


def _read_pem(text: str, budget: _CheckBudget) -> Key:
    # `openssl ecparam -genkey` writes an EC PARAMETERS block before the key itself.
    labels = [label for label in _PEM_LABEL.findall(text) if label != "EC PARAMETERS"]
    label = labels[0] if labels else "?"
    data = text.encode("ascii", "replace")
    if "ENCRYPTED" in label or "Proc-Type: 4,ENCRYPTED" in text:
        raise DebuggerError(
            BAD_KEY,
            "This PEM private key is encrypted with a password. Export it without one "
            "(for example `openssl pkey -in key.pem -out plain.pem`) and paste that.",
            field="key",
        )
    try:
        if label == "CERTIFICATE":
            certificate = x509.load_pem_x509_certificate(data)
            return _from_crypto(
                certificate.public_key(),
                "X.509 certificate (PEM)",
                certificate=_certificate_info(certificate),
            )
        if label in ("PUBLIC KEY", "RSA PUBLIC KEY"):
            source = "PEM public key (SPKI)" if label == "PUBLIC KEY" else "PEM RSA public key"
            return _from_crypto(serialization.load_pem_public_key(data), source)
        if label == "OPENSSH PRIVATE KEY":
            return _from_crypto(
                _load_private(serialization.load_ssh_private_key, data, budget),
                "OpenSSH private key",
            )
        if label in ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"):
            source = "PEM private key (PKCS#8)" if label == "PRIVATE KEY" else f"PEM {label}"
            private = _load_private(serialization.load_pem_private_key, data, budget)
            return _from_crypto(private, source)
    except (ValueError, TypeError) as err:
        if "password" in str(err).lower():
            raise DebuggerError(
                BAD_KEY,
                "This private key is protected by a password. Export it without one and paste "
                "that.",
                field="key",
            ) from err
        raise DebuggerError(
            BAD_KEY,
            f"This looks like a PEM {label} but it cannot be read: {_pem_damage(text, label)}. "
            "Check that it was copied whole, from the BEGIN line to the END line.",
            field="key",
        ) from err
    raise DebuggerError(
        BAD_KEY,
        f"A PEM block labelled {label!r} is not a key the debugger can use. Paste a public key, "
        "a private key or an X.509 certificate.",
        field="key",
    )


def _pem_damage(text: str, label: str) -> str:
    """What is wrong with a PEM block that does not load, in words (not the library's text)."""
    match = _PEM_BODY.search(text)
    lines = match.group(1).strip().splitlines() if match else []
    body = [line.strip() for line in lines if ":" not in line]
    for number, line in enumerate(body, start=1):
        bad = next((c for c in line if c not in _BASE64_CHARACTERS), None)
        if bad is not None:
            return f"line {number} of its body holds {bad!r}, which is not a base64 character"
    length = sum(len(line) for line in body)
    if length == 0:
        return "it has nothing between its BEGIN and END lines"
    if length % 4:
        return f"its base64 body is {length} characters long, not a multiple of 4: part is missing"
    return f"its base64 body decodes, but not to a {label}: it may be cut short or another kind"


def _load_private(load: Any, data: bytes, budget: _CheckBudget) -> Any:
    """Load a private key; an RSA key is checked only once its size is known to be in limits."""
    unchecked = load(data, None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(unchecked, rsa.RSAPrivateKey):
        return unchecked
    return _checked_rsa_key(unchecked.private_numbers(), budget)


def _checked_rsa_key(numbers: rsa.RSAPrivateNumbers, budget: _CheckBudget) -> rsa.RSAPrivateKey:
    """The RSA private key of `numbers` after OpenSSL's check, within the limits and `budget`."""
    _take_rsa_check(numbers.public_numbers, budget)
    checked = _check_rsa_numbers(numbers)
    if isinstance(checked, str):
        raise ValueError(checked)
    return checked


def _take_rsa_check(public: rsa.RSAPublicNumbers, budget: _CheckBudget) -> None:
    """Refuse, before any work, a private key too large to check or past the request's budget."""
    _check_rsa_limits(public.n.bit_length(), public.e, private=True)
    if not budget.take(public):
        raise _OverBudget(
            KEY_TOO_LARGE,
            "Not read: the RSA private keys before it already take as long to check as the "
            f"debugger spends on one request (one {MAX_RSA_PRIVATE_BITS}-bit key, or eight of "
            "4096 bits). Give this key on its own, or give public keys.",
            field="key",
        )


# Each private key is checked once (OpenSSL tests that its primes are prime): the same key pasted
# as PKCS#1, PKCS#8, OpenSSH or JWK, with any white space, has the same numbers. A key that fails
# the check is remembered too, with the reason.
@functools.lru_cache(maxsize=16)
def _check_rsa_numbers(numbers: rsa.RSAPrivateNumbers) -> rsa.RSAPrivateKey | str:
    try:
        return numbers.private_key()
    except ValueError as err:
        return str(err)


def _check_rsa_limits(bits: int, exponent: int, *, private: bool = False) -> None:
    limit = MAX_RSA_PRIVATE_BITS if private else MAX_RSA_BITS
    if bits > limit:
        what = "private key" if private else "key"
        advice = " Its public key can be read: paste that instead." if bits <= MAX_RSA_BITS else ""
        raise DebuggerError(
            KEY_TOO_LARGE,
            f"This RSA {what} is {bits} bits; the debugger reads RSA {what}s of up to {limit} "
            f"bits.{advice}",
            field="key",
        )
    if exponent >= MAX_RSA_EXPONENT:
        raise DebuggerError(
            BAD_KEY,
            f"This RSA key's public exponent has {exponent.bit_length()} bits; it must be below "
            "2^256 (65537 is usual).",
            field="key",
        )


def _read_ssh(text: str) -> Key:
    try:
        return _from_crypto(serialization.load_ssh_public_key(text.encode()), "SSH public key")
    except (ValueError, TypeError) as err:
        raise DebuggerError(
            BAD_KEY,
            f"This looks like an SSH public key but it could not be read ({err}).",
            field="key",
        ) from err


def from_crypto(obj: Any, source: str) -> Key:
    """A `Key` for a cryptography key object (RSA, EC, Ed25519 or Ed448, private or public)."""
    return _from_crypto(obj, source)


def _from_crypto(obj: Any, source: str, **extra: Any) -> Key:
    if isinstance(obj, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        private = isinstance(obj, rsa.RSAPrivateKey)
        public = (
            obj.private_numbers().public_numbers
            if isinstance(obj, rsa.RSAPrivateKey)
            else obj.public_numbers()
        )
        _check_rsa_limits(obj.key_size, public.e, private=private)
        return Key("RSA", obj, private, source, obj.key_size, **extra)
    if isinstance(obj, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        private = isinstance(obj, ec.EllipticCurvePrivateKey)
        curve = _CURVE_NAMES.get(obj.curve.name, obj.curve.name)
        return Key("EC", obj, private, source, obj.curve.key_size, curve=curve, **extra)
    if isinstance(obj, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        private = isinstance(obj, ed25519.Ed25519PrivateKey)
        return Key("OKP", obj, private, source, 256, curve="Ed25519", **extra)
    if isinstance(obj, ed448.Ed448PrivateKey | ed448.Ed448PublicKey):
        private = isinstance(obj, ed448.Ed448PrivateKey)
        return Key("OKP", obj, private, source, 456, curve="Ed448", **extra)
    raise DebuggerError(
        BAD_KEY,
        f"This is a {type(obj).__name__.lstrip('_')}, which cannot sign or verify JWS. "
        "JWS uses RSA, EC (P-256, P-384, P-521, secp256k1) and Ed25519/Ed448 keys.",
        field="key",
    )


def _certificate_info(certificate: x509.Certificate) -> dict[str, str]:
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex(":").upper()
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "sha256_fingerprint": fingerprint,
    }


def _read_json_key(text: str, budget: _CheckBudget) -> KeyRing:
    try:
        value = jsontext.loads(text, field="key")
    except DebuggerError as err:
        raise DebuggerError(
            BAD_KEY,
            f"This starts like a JWK but is not valid JSON: {err.message.split(': ', 1)[-1]}",
            field="key",
        ) from err
    if isinstance(value, dict) and isinstance(value.get("keys"), list):
        return _read_jwk_set(value["keys"], budget)
    if isinstance(value, dict) and "kty" in value:
        return KeyRing((read_jwk(value, budget=budget),))
    raise DebuggerError(
        BAD_KEY,
        'This is JSON, but neither a JWK (it has no "kty") nor a JWK Set (it has no "keys" list).',
        field="key",
    )


def _read_jwk_set(entries: list[Any], budget: _CheckBudget) -> KeyRing:
    keys: list[Key] = []
    unusable: list[UnusableEntry] = []
    for index, entry in enumerate(entries):
        try:
            if not isinstance(entry, dict):
                raise DebuggerError(BAD_KEY, "This entry is not a JSON object.")
            keys.append(read_jwk(entry, source=f"JWK Set, key {index + 1}", budget=budget))
        except DebuggerError as err:
            kid = entry.get("kid") if isinstance(entry, dict) else None
            item: UnusableEntry = {"index": index, "kid": kid, "reason": err.message}
            if err.code == KEY_TOO_LARGE:
                item["code"] = ENTRY_SKIPPED if isinstance(err, _OverBudget) else ENTRY_TOO_LARGE
            unusable.append(item)
    if not keys:
        reasons = "; ".join(f"key {item['index'] + 1}: {item['reason']}" for item in unusable)
        too_large = bool(unusable) and all("code" in item for item in unusable)
        raise DebuggerError(
            KEY_TOO_LARGE if too_large else BAD_KEY,
            f"This JWK Set has no usable key. {reasons or 'Its keys list is empty.'}",
            field="key",
        )
    return KeyRing(tuple(keys), is_set=True, unusable=tuple(unusable))


def read_jwk(
    jwk: dict[str, Any], source: str = "JWK", *, budget: _CheckBudget | None = None
) -> Key:
    """Read one JWK (public or private) into a `Key`."""
    kty = jwk.get("kty")
    try:
        if kty == "oct":
            k = jwk.get("k")
            if not isinstance(k, str):
                raise ValueError('an "oct" JWK needs its secret as a base64url string in "k"')
            secret = decode_secret(k, "base64url")
            key = Key("secret", secret, True, source, len(secret) * 8)
        elif kty == "RSA" and "d" in jwk:
            key = _from_crypto(_rsa_private_jwk(jwk, budget or _CheckBudget()), source)
        elif kty == "RSA":
            _check_rsa_jwk_size(jwk)
            key = _from_crypto(RSAAlgorithm.from_jwk(jwk), source)
        elif kty == "EC":
            key = _from_crypto(ECAlgorithm.from_jwk(jwk), source)
        elif kty == "OKP":
            key = _from_crypto(OKPAlgorithm.from_jwk(jwk), source)
        else:
            raise DebuggerError(
                BAD_KEY,
                f"JWK kty {kty!r} is not a signing key type: use oct, RSA, EC or OKP.",
                field="key",
            )
    except (InvalidKeyError, ValueError, KeyError, TypeError, binascii.Error) as err:
        message = err.message if isinstance(err, DebuggerError) else str(err)
        raise DebuggerError(
            BAD_KEY, f"The {kty} JWK could not be read: {message}", field="key"
        ) from err
    return _with_jwk_metadata(key, jwk)


def _check_rsa_jwk_size(jwk: dict[str, Any]) -> None:
    """Refuse an oversized RSA JWK before a private key's slow consistency check."""
    n, e = (jwk.get(name) for name in ("n", "e"))
    if isinstance(n, str) and isinstance(e, str):
        _check_rsa_limits(_b64url_uint(n).bit_length(), _b64url_uint(e))


def _rsa_private_jwk(jwk: dict[str, Any], budget: _CheckBudget) -> rsa.RSAPrivateKey:
    """An RSA private key from its JWK, with p and q found from d when the JWK leaves them out."""
    if "oth" in jwk:
        raise ValueError('RSA keys of more than two primes ("oth") are not supported')
    n, e, d = (_jwk_uint(jwk, name) for name in ("n", "e", "d"))
    _take_rsa_check(rsa.RSAPublicNumbers(e, n), budget)
    crt = ("p", "q", "dp", "dq", "qi")
    given = [name for name in crt if name in jwk]
    if given and len(given) < len(crt):
        raise ValueError("a private RSA JWK with any of p, q, dp, dq, qi needs all five")
    if given:
        p, q, dp, dq, qi = (_jwk_uint(jwk, name) for name in crt)
    else:
        p, q = _recover_primes(n, e, d)
        dp, dq, qi = d % (p - 1), d % (q - 1), pow(q, -1, p)
    numbers = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, rsa.RSAPublicNumbers(e, n))
    return _checked_rsa_key(numbers, budget)


def _recover_primes(n: int, e: int, d: int) -> tuple[int, int]:
    """p and q from n, e and d, with no trial and error, in bounded time.

    e*d - 1 is (a/b) * phi(n) with b dividing gcd(p - 1, q - 1), usually a small number, and
    phi(n) = n - (p + q) + 1 is just under n: for each b, a is e*d*b/n rounded up, and p + q
    then gives p and q as the roots of a quadratic.
    """
    if not 1 < d < n or not 2 < e < n:
        raise ValueError('its "d" or "e" is out of range')
    multiple = e * d - 1
    for b in range(1, RSA_RECOVERY_DIVISORS + 1):
        a = -(-multiple * b // n)
        if multiple * b % a:
            continue
        total = n - multiple * b // a + 1
        discriminant = total * total - 4 * n
        root = math.isqrt(discriminant) if discriminant > 0 else 0
        if root and root * root == discriminant:
            p, q = (total + root) // 2, (total - root) // 2
            if q > 1 and p * q == n:
                return p, q
    raise ValueError('its primes could not be found from "d": add "p", "q", "dp", "dq" and "qi"')


def _jwk_uint(jwk: dict[str, Any], name: str) -> int:
    value = jwk.get(name)
    if not isinstance(value, str):
        raise ValueError(f'"{name}" must be a base64url string')
    return _b64url_uint(value)


def _b64url_uint(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def _with_jwk_metadata(key: Key, jwk: dict[str, Any]) -> Key:
    ops = jwk.get("key_ops")
    return Key(
        key.kind,
        key.material,
        key.private,
        key.source,
        key.size,
        curve=key.curve,
        kid=jwk["kid"] if isinstance(jwk.get("kid"), str) else None,
        jwk_alg=jwk["alg"] if isinstance(jwk.get("alg"), str) else None,
        use=jwk["use"] if isinstance(jwk.get("use"), str) else None,
        key_ops=tuple(op for op in ops if isinstance(op, str)) if isinstance(ops, list) else None,
    )
