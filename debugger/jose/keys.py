"""Read the key or secret a user pasted: detect what it is and turn it into key objects."""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, NotRequired, TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from ..codes import (
    EC_COORDINATE_SHORT,
    ENTRY_SKIPPED,
    ENTRY_TOO_LARGE,
    KEY_BODY_READ,
    PEM_BUNDLE,
    PEM_ESCAPED_NEWLINES,
    SSH_KEY_FORM,
    X5C_KEY_MISMATCH,
)
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
    #: What was odd about the key text, as (code, message): read anyway, but worth saying.
    read_warnings: tuple[tuple[str, str], ...] = ()

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
def read_key(text: str, secret_encoding: str = "utf-8", passphrase: str | None = None) -> KeyRing:
    """Detect what `text` holds (PEM, JWK, JWK Set, SSH public key or secret) and read it.

    The answer is shared between calls with the same key: treat it as read-only.
    """
    _check_secret_encoding(secret_encoding)
    stripped = text.strip()
    if _is_key_text(stripped):
        return _read_key_text(stripped, passphrase)
    if secret_encoding == "utf-8":
        bare = _read_bare_body(stripped, _CheckBudget())
        if bare is not None:
            return bare
    return _read_secret(text, secret_encoding)


def read_keys(texts: list[str], secret_encoding: str = "utf-8") -> list[KeyRing]:
    """Read the key texts of one request, which together check at most `RSA_CHECK_BUDGET`."""
    _check_secret_encoding(secret_encoding)
    budget = _CheckBudget()
    rings = []
    for text in texts:
        stripped = text.strip()
        bare = _read_bare_body(stripped, budget) if secret_encoding == "utf-8" else None
        if _is_key_text(stripped):
            rings.append(_read_structured(stripped, budget))
        elif bare is not None:
            rings.append(bare)
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
    return (
        "-----BEGIN " in stripped
        or stripped.startswith((*_SSH_PREFIXES, "{"))
        or stripped.startswith(_SSH2_BEGIN)
    )


_SSH2_BEGIN = "---- BEGIN SSH2 PUBLIC KEY ----"
_SSH2_END = "---- END SSH2 PUBLIC KEY ----"
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=\s]+")
#: A key body shorter than this is a secret: the smallest public key (Ed25519 SPKI) is 44 chars.
_MIN_BODY_CHARS = 44


def _read_bare_body(stripped: str, budget: _CheckBudget) -> KeyRing | None:
    """A key pasted as its base64 body alone (a PEM without its lines, an SSH key without its
    type), or None when the text is not one: then it is a secret."""
    if len(stripped) < _MIN_BODY_CHARS or not _BASE64_BODY.fullmatch(stripped):
        return None
    try:
        data = base64.b64decode("".join(stripped.split()), validate=True)
    except (ValueError, binascii.Error):
        return None
    source = "base64 key body (no BEGIN/END lines)"
    loaders: tuple[tuple[Any, str], ...] = (
        (serialization.load_der_public_key, "public key"),
        (lambda d: x509.load_der_x509_certificate(d).public_key(), "certificate"),
        (lambda d: _load_private(serialization.load_der_private_key, d, budget), "private key"),
    )
    if data[:4] in (b"\x00\x00\x00\x07", b"\x00\x00\x00\x0b", b"\x00\x00\x00\x13"):
        loaders = ((_load_ssh_blob, "SSH public key"),)
    for load, what in loaders:
        try:
            obj = load(data)
        except (ValueError, TypeError, UnicodeDecodeError):
            continue
        warning = (
            KEY_BODY_READ,
            f"This text is the base64 body of a {what}, without its BEGIN/END lines or type: "
            "it was read as that key, not as an HMAC secret.",
        )
        return KeyRing((_from_crypto(obj, source, read_warnings=(warning,)),))
    return None


def _load_ssh_blob(blob: bytes) -> Any:
    """An SSH public key from its wire-format bytes (RFC 4253 section 6.6)."""
    length = int.from_bytes(blob[:4], "big")
    key_type = blob[4 : 4 + length].decode("ascii")
    line = f"{key_type} {base64.b64encode(blob).decode()}"
    return serialization.load_ssh_public_key(line.encode())


def _read_ssh2(text: str) -> Key:
    """An SSH public key in the RFC 4716 form (`---- BEGIN SSH2 PUBLIC KEY ----`)."""
    lines = text.replace("\r\n", "\n").split("\n")
    body: list[str] = []
    continued = False
    for line in lines[1:]:
        line = line.strip()
        if line.startswith(_SSH2_END):
            break
        if continued or ":" in line:  # a header line, or the continuation of one
            continued = line.endswith("\\")
            continue
        body.append(line)
    try:
        obj = _load_ssh_blob(base64.b64decode("".join(body), validate=True))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error) as err:
        raise DebuggerError(
            BAD_KEY,
            f"This looks like an SSH2 public key (RFC 4716) but it could not be read ({err}). "
            "Check that it was copied whole, from the BEGIN line to the END line.",
            field="key",
        ) from err
    warning = (SSH_KEY_FORM, "The SSH2 public key (RFC 4716 form) was read as a key.")
    return _from_crypto(obj, "SSH2 public key (RFC 4716)", read_warnings=(warning,))


# White space around a key does not change it, so it is not part of this cache's key.
@functools.lru_cache(maxsize=8)
def _read_key_text(stripped: str, passphrase: str | None = None) -> KeyRing:
    return _read_structured(stripped, _CheckBudget(), passphrase)


def _read_structured(stripped: str, budget: _CheckBudget, passphrase: str | None = None) -> KeyRing:
    if stripped.startswith(_SSH2_BEGIN):
        return KeyRing((_read_ssh2(stripped),))
    if "-----BEGIN " in stripped:
        return KeyRing((_read_pem(stripped, budget, passphrase),))
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


_PASSPHRASE_NEEDED = (
    "This private key is protected by a password (passphrase). Give it in the passphrase field, "
    "or export the key without one: `openssl pkey -in key.pem -out plain.pem` for a PEM key, "
    '`ssh-keygen -p -N "" -f id_key` for an OpenSSH key (it rewrites the file: work on a copy).'
)
_PASSPHRASE_WRONG = (
    "The passphrase does not decrypt this private key. Check it, or export the key without "
    "one: `openssl pkey -in key.pem -out plain.pem`."
)


def _read_pem(text: str, budget: _CheckBudget, passphrase: str | None = None) -> Key:
    if "\\n" in text and "\n" not in text.strip():
        unescaped = text.strip().strip("\"'").replace("\\r", "").replace("\\n", "\n")
        key = _read_pem(unescaped, budget, passphrase)
        warning = (
            PEM_ESCAPED_NEWLINES,
            "The PEM had literal \\n escapes instead of line breaks (as a .env file or a JSON "
            "string holds it); they were read as line breaks.",
        )
        return replace(key, read_warnings=(*key.read_warnings, warning))
    # `openssl ecparam -genkey` writes an EC PARAMETERS block before the key itself.
    labels = [label for label in _PEM_LABEL.findall(text) if label != "EC PARAMETERS"]
    label = labels[0] if labels else "?"
    data = text.encode("ascii", "replace")
    if ("ENCRYPTED" in label or "Proc-Type: 4,ENCRYPTED" in text) and not passphrase:
        raise DebuggerError(BAD_KEY, _PASSPHRASE_NEEDED, field="key")
    try:
        if label == "CERTIFICATE":
            return _read_certificates(data)
        if label in ("PUBLIC KEY", "RSA PUBLIC KEY"):
            source = "PEM public key (SPKI)" if label == "PUBLIC KEY" else "PEM RSA public key"
            return _from_crypto(serialization.load_pem_public_key(data), source)
        if label == "OPENSSH PRIVATE KEY":
            return _from_crypto(
                _load_private(serialization.load_ssh_private_key, data, budget, passphrase),
                "OpenSSH private key",
            )
        if label in ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"):
            source = "PEM private key (PKCS#8)" if label == "PRIVATE KEY" else f"PEM {label}"
            private = _load_private(serialization.load_pem_private_key, data, budget, passphrase)
            return _from_crypto(private, source)
    except (ValueError, TypeError) as err:
        if "password" in str(err).lower() or "decrypt" in str(err).lower():
            message = _PASSPHRASE_WRONG if passphrase else _PASSPHRASE_NEEDED
            raise DebuggerError(BAD_KEY, message, field="key") from err
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


def _read_certificates(data: bytes) -> Key:
    """The key of the leaf certificate of a PEM that holds one or more (a bundle)."""
    chain = x509.load_pem_x509_certificates(data)
    # The leaf: not a CA, and the issuer of no other certificate of the bundle.
    issuers = [(cert.issuer, index) for index, cert in enumerate(chain)]
    chosen = next(
        (
            cert
            for index, cert in enumerate(chain)
            if not _is_ca(cert) and not any(i == cert.subject and j != index for i, j in issuers)
        ),
        chain[0],
    )
    warnings: tuple[tuple[str, str], ...] = ()
    if len(chain) > 1:
        position = chain.index(chosen) + 1
        subject = chosen.subject.rfc4514_string()[:200]
        first = (
            " (the first one is a CA certificate, so the leaf was chosen)" if position > 1 else ""
        )
        warnings = (
            (
                PEM_BUNDLE,
                f"The PEM holds {len(chain)} certificates; certificate {position}, "
                f"subject {subject!r}, was used{first}.",
            ),
        )
    return _from_crypto(
        chosen.public_key(),
        "X.509 certificate (PEM)",
        certificate=_certificate_info(chosen),
        read_warnings=warnings,
    )


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return bool(constraints.value.ca)


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


def _load_private(
    load: Any, data: bytes, budget: _CheckBudget, passphrase: str | None = None
) -> Any:
    """Load a private key; an RSA key is checked only once its size is known to be in limits."""
    password = passphrase.encode("utf-8") if passphrase else None
    unchecked = load(data, password, unsafe_skip_rsa_key_validation=True)
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
            key = _read_ec_jwk(jwk, source)
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


_EC_CURVES: dict[str, Any] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
    "secp256k1": ec.SECP256K1,
}


def _read_ec_jwk(jwk: dict[str, Any], source: str) -> Key:
    """An EC JWK; coordinates shorter than the curve size are read, with a warning."""
    crv = jwk.get("crv")
    if crv not in _EC_CURVES:
        raise ValueError(f"crv {crv!r} is not one of {', '.join(_EC_CURVES)}")
    curve = _EC_CURVES[crv]()
    size = (curve.key_size + 7) // 8
    short = []
    values = {}
    for name in ("x", "y", "d"):
        if name == "d" and name not in jwk:
            continue
        text = jwk.get(name)
        if not isinstance(text, str):
            raise ValueError(f'"{name}" must be a base64url string')
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if len(raw) > size:
            raise ValueError(f'"{name}" is {len(raw)} bytes; on {crv} it is {size}')
        if len(raw) < size:
            short.append(f"{name} is {len(raw)} bytes")
        values[name] = int.from_bytes(raw, "big")
    public = ec.EllipticCurvePublicNumbers(values["x"], values["y"], curve)
    obj: Any = (
        ec.EllipticCurvePrivateNumbers(values["d"], public).private_key()
        if "d" in values
        else public.public_key()
    )
    warnings: tuple[tuple[str, str], ...] = ()
    if short:
        warnings = (
            (
                EC_COORDINATE_SHORT,
                f"{', '.join(short)}, and on {crv} every coordinate is {size} bytes (RFC 7518 "
                "section 6.2.1.2 requires the full length, leading zero bytes included). It "
                "was read anyway; strict libraries refuse this JWK.",
            ),
        )
    return _from_crypto(obj, source, read_warnings=warnings)


def _x5c_warnings(key: Key, jwk: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A warning when the JWK's first `x5c` certificate holds another key (RFC 7517 4.7)."""
    chain = jwk.get("x5c")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        return ()
    try:
        leaf = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        certified = leaf.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (ValueError, TypeError, binascii.Error):
        return ((X5C_KEY_MISMATCH, "The JWK's x5c certificate could not be read."),)
    if key.kind == "secret":
        return ()
    own = key.verifying_material.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if own == certified:
        return ()
    return (
        (
            X5C_KEY_MISMATCH,
            "The JWK's x5c certificate holds another key than the JWK's own members; RFC 7517 "
            "section 4.7 requires them to match. The JWK's members were used: a verifier that "
            "uses the certificate would check with another key.",
        ),
    )


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
        read_warnings=(*key.read_warnings, *_x5c_warnings(key, jwk)),
    )
