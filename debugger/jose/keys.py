"""Read the key or secret a user pasted: detect what it is and turn it into key objects."""

from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from ..errors import BAD_KEY, INVALID_REQUEST, DebuggerError
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


# The last few key texts stay read: the page sends the same key with every keystroke in the
# token box, and reading an RSA private key (OpenSSL checks it) costs about 30 ms each time.
# Only keys that could be read are kept, in this process's memory, never on disk.
@functools.lru_cache(maxsize=8)
def read_key(text: str, secret_encoding: str = "utf-8") -> KeyRing:
    """Detect what `text` holds (PEM, JWK, JWK Set, SSH public key or secret) and read it.

    The answer is shared between calls with the same text: treat it as read-only.
    """
    if secret_encoding not in SECRET_ENCODINGS:
        raise DebuggerError(
            INVALID_REQUEST,
            f"secret_encoding must be one of {', '.join(SECRET_ENCODINGS)}.",
            field="secret_encoding",
        )
    stripped = text.strip()
    if "-----BEGIN " in stripped:
        return KeyRing((_read_pem(stripped),))
    if stripped.startswith(_SSH_PREFIXES):
        return KeyRing((_read_ssh(stripped),))
    if stripped.startswith("{"):
        return _read_json_key(stripped)
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


def _read_pem(text: str) -> Key:
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
                _load_private(serialization.load_ssh_private_key, data), "OpenSSH private key"
            )
        if label in ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"):
            source = "PEM private key (PKCS#8)" if label == "PRIVATE KEY" else f"PEM {label}"
            return _from_crypto(_load_private(serialization.load_pem_private_key, data), source)
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
            f"This looks like a PEM {label} but it could not be read ({err}). Check that it "
            "was copied whole, from the BEGIN line to the END line.",
            field="key",
        ) from err
    raise DebuggerError(
        BAD_KEY,
        f"A PEM block labelled {label!r} is not a key the debugger can use. Paste a public key, "
        "a private key or an X.509 certificate.",
        field="key",
    )


def _load_private(load: Any, data: bytes) -> Any:
    """Load a private key, refusing an oversized RSA key before its slow consistency check."""
    unchecked = load(data, None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(unchecked, rsa.RSAPrivateKey):
        return unchecked
    _check_rsa_limits(unchecked.key_size, unchecked.private_numbers().public_numbers.e)
    return load(data, None)


def _check_rsa_limits(bits: int, exponent: int) -> None:
    if bits > MAX_RSA_BITS:
        raise DebuggerError(
            BAD_KEY,
            f"This RSA key is {bits} bits; the debugger takes RSA keys of up to {MAX_RSA_BITS} "
            "bits.",
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
        _check_rsa_limits(obj.key_size, public.e)
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


def _read_json_key(text: str) -> KeyRing:
    try:
        value = jsontext.loads(text, field="key")
    except DebuggerError as err:
        raise DebuggerError(
            BAD_KEY,
            f"This starts like a JWK but is not valid JSON: {err.message.split(': ', 1)[-1]}",
            field="key",
        ) from err
    if isinstance(value, dict) and isinstance(value.get("keys"), list):
        return _read_jwk_set(value["keys"])
    if isinstance(value, dict) and "kty" in value:
        return KeyRing((read_jwk(value),))
    raise DebuggerError(
        BAD_KEY,
        'This is JSON, but neither a JWK (it has no "kty") nor a JWK Set (it has no "keys" list).',
        field="key",
    )


def _read_jwk_set(entries: list[Any]) -> KeyRing:
    keys: list[Key] = []
    unusable: list[UnusableEntry] = []
    for index, entry in enumerate(entries):
        try:
            if not isinstance(entry, dict):
                raise DebuggerError(BAD_KEY, "This entry is not a JSON object.")
            keys.append(read_jwk(entry, source=f"JWK Set, key {index + 1}"))
        except DebuggerError as err:
            kid = entry.get("kid") if isinstance(entry, dict) else None
            unusable.append({"index": index, "kid": kid, "reason": err.message})
    if not keys:
        reasons = "; ".join(f"key {item['index'] + 1}: {item['reason']}" for item in unusable)
        raise DebuggerError(
            BAD_KEY,
            f"This JWK Set has no usable key. {reasons or 'Its keys list is empty.'}",
            field="key",
        )
    return KeyRing(tuple(keys), is_set=True, unusable=tuple(unusable))


def read_jwk(jwk: dict[str, Any], source: str = "JWK") -> Key:
    """Read one JWK (public or private) into a `Key`."""
    kty = jwk.get("kty")
    try:
        if kty == "oct":
            k = jwk.get("k")
            if not isinstance(k, str):
                raise ValueError('an "oct" JWK needs its secret as a base64url string in "k"')
            secret = decode_secret(k, "base64url")
            key = Key("secret", secret, True, source, len(secret) * 8)
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
