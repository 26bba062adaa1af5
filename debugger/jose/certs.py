"""Keys carried inside a token's header: an `x5c` certificate chain or an embedded `jwk`.

Such a key proves nothing by itself: whoever made the token chose it. The debugger shows what it
is and lets the user verify with it, and says so plainly every time.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from typing import Any, TypedDict

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from cryptography.x509.oid import NameOID

from ..codes import EMBEDDED_KEY_USED
from ..errors import INVALID_REQUEST, NO_EMBEDDED_KEY, PRIVATE_KEY_REQUIRED, DebuggerError
from .b64 import b64url
from .jwk import PRIVATE_MEMBERS, thumbprint
from .keys import from_crypto, read_jwk, read_key
from .pasted import parse
from .tokens import NoteData

#: The plain statement shown wherever a key from inside the token is displayed or used.
UNTRUSTED_KEY = (
    "A key carried inside the token proves nothing on its own: whoever made the token chose it, "
    "so a signature that verifies with it only shows that the holder of that key signed. Trust "
    "it only after checking the certificate chain against a root certificate you trust, or "
    "after matching the key with one you already know."
)
EMBEDDED_KINDS = ("x5c", "jwk")
#: The common name of a self-signed certificate when none is asked for.
SELF_SIGNED_NAME = "Self-signed test certificate"
#: The longest common name a certificate may carry (RFC 5280's ub-common-name).
MAX_COMMON_NAME = 64


class CertificateInfo(TypedDict):
    """One certificate: who it names, who issued it, when it is valid, and its key."""

    index: int
    subject: str
    issuer: str
    not_before: str
    not_after: str
    validity: str | None
    serial_number: str
    sha256_fingerprint: str
    key: str
    self_signed: bool


class UnreadableCertificate(TypedDict):
    """An `x5c` entry that is not a certificate, and why."""

    index: int
    error: str


class ChainReport(TypedDict):
    """An `x5c` chain: each certificate, its problems, whether it links up, and the leaf."""

    certificates: list[CertificateInfo | UnreadableCertificate]
    problems: list[str]
    chain_consistent: bool | None
    leaf_pem: str | None


class SelfSignedCertificate(TypedDict):
    """A self-signed certificate for a private key: as PEM, as the value of an `x5c` header, and
    what it says."""

    certificate_pem: str
    x5c: list[str]
    certificate: CertificateInfo


class EmbeddedJwk(TypedDict):
    """An embedded `jwk` header: what key it is, its thumbprint, and its problems."""

    description: str | None
    thumbprint: str | None
    problems: list[str]


class EmbeddedKeys(TypedDict):
    """The keys a token's header carries, and why none of them can be trusted by itself."""

    x5c: ChainReport | None
    jwk: EmbeddedJwk | None
    trust: str


def embedded_keys(header: Any, *, now: float) -> EmbeddedKeys | None:
    """What the header's `x5c` chain and `jwk` hold, or None when it carries neither."""
    if not isinstance(header, dict) or not ("x5c" in header or "jwk" in header):
        return None
    return {
        "x5c": chain_report(header["x5c"], header, now=now) if "x5c" in header else None,
        "jwk": jwk_report(header["jwk"]) if "jwk" in header else None,
        "trust": UNTRUSTED_KEY,
    }


def chain_report(x5c: Any, header: dict[str, Any], *, now: float) -> ChainReport:
    """Each certificate of an `x5c` chain, whether each is issued by the next, and the leaf."""
    report: ChainReport = {
        "certificates": [],
        "problems": [],
        "chain_consistent": None,
        "leaf_pem": None,
    }
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        report["problems"].append(
            "x5c must be a non-empty list of base64 DER certificates (RFC 7515 section 4.1.6)."
        )
        return report
    certificates: list[x509.Certificate | None] = []
    for index, entry in enumerate(x5c):
        certificate, info = _read_certificate(entry, index, now)
        certificates.append(certificate)
        report["certificates"].append(info)
    leaf = certificates[0]
    if leaf is not None:
        report["leaf_pem"] = leaf.public_bytes(serialization.Encoding.PEM).decode("ascii")
        report["problems"].extend(_thumbprint_problems(leaf, header))
    links = _link_problems(certificates)
    report["problems"].extend(links)
    if all(certificates):
        report["chain_consistent"] = not links
    return report


def _read_certificate(
    entry: str, index: int, now: float
) -> tuple[x509.Certificate | None, CertificateInfo | UnreadableCertificate]:
    try:
        der = base64.b64decode("".join(entry.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (ValueError, binascii.Error) as err:
        problem = f"Certificate {index + 1} is not a base64 DER X.509 certificate ({err})."
        return None, {"index": index, "error": problem}
    return certificate, certificate_info(certificate, now=now, index=index)


def certificate_info(
    certificate: x509.Certificate, *, now: float | None = None, index: int = 0
) -> CertificateInfo:
    """Subject, issuer, validity, SHA-256 fingerprint and key of one certificate."""
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    status = None
    if now is not None:
        status = "valid"
        if now > not_after.timestamp():
            status = "expired"
        elif now < not_before.timestamp():
            status = "not_yet_valid"
    try:
        key = from_crypto(certificate.public_key(), "certificate").description
    except DebuggerError:
        key = "a key type JWS does not use"
    return {
        "index": index,
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "not_before": not_before.isoformat(),
        "not_after": not_after.isoformat(),
        "validity": status,
        "serial_number": format(certificate.serial_number, "x"),
        "sha256_fingerprint": certificate.fingerprint(hashes.SHA256()).hex(":").upper(),
        "key": key,
        "self_signed": certificate.subject == certificate.issuer,
    }


def self_signed_certificate(
    key_text: str,
    *,
    now: float,
    subject: str | None = None,
    secret_encoding: str = "utf-8",
    passphrase: str | None = None,
) -> SelfSignedCertificate:
    """A certificate for the private RSA, EC or OKP key in `key_text`, signed by that same key and
    valid for a day from five minutes before `now`: what an attacker puts in `x5c`."""
    name = SELF_SIGNED_NAME if subject is None or not subject.strip() else subject.strip()
    if len(name) > MAX_COMMON_NAME:
        raise DebuggerError(
            INVALID_REQUEST,
            f"The subject name is {len(name)} characters; a certificate's takes at most "
            f"{MAX_COMMON_NAME}.",
            field="subject",
        )
    ring = read_key(key_text, secret_encoding, passphrase)
    key = next((k for k in ring.keys if k.kind != "secret" and k.private), None)
    if key is None:
        raise DebuggerError(
            PRIVATE_KEY_REQUIRED,
            "A certificate is signed with a private RSA, EC or Ed25519/Ed448 key: put one in the "
            "key box (Generate a key makes one).",
            field="key",
        )
    certificate = self_signed(key.material, name, now=now)
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        "certificate_pem": certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        "x5c": [base64.b64encode(der).decode("ascii")],
        "certificate": certificate_info(certificate, now=now),
    }


def self_signed(private: Any, name: str, *, now: float) -> x509.Certificate:
    """A certificate naming `name`, for and signed by the private key `private` (a
    cryptography key), valid for a day from five minutes before `now`."""
    digest = (
        None
        if isinstance(private, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
        else (hashes.SHA256())
    )
    names = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime.fromtimestamp(now, datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(names)
        .issuer_name(names)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - datetime.timedelta(minutes=5))
        .not_valid_after(start + datetime.timedelta(days=1))
        .sign(private, digest)
    )


def _link_problems(certificates: list[x509.Certificate | None]) -> list[str]:
    problems = []
    for index in range(len(certificates) - 1):
        child, parent = certificates[index], certificates[index + 1]
        if child is None or parent is None:
            continue
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature):
            problems.append(
                f"Certificate {index + 1} is not signed by certificate {index + 2}: the chain "
                "is broken."
            )
    return problems


def _thumbprint_problems(leaf: x509.Certificate, header: dict[str, Any]) -> list[str]:
    der = leaf.public_bytes(serialization.Encoding.DER)
    problems = []
    for name, digest in (("x5t#S256", hashlib.sha256), ("x5t", hashlib.sha1)):
        value = header.get(name)
        if value is not None and value != b64url(digest(der).digest()):
            problems.append(f"The header's {name} does not match the first certificate of x5c.")
    return problems


def jwk_report(jwk: Any) -> EmbeddedJwk:
    """What an embedded `jwk` header holds: its kind, thumbprint, and whether it leaks a secret."""
    report: EmbeddedJwk = {"description": None, "thumbprint": None, "problems": []}
    if not isinstance(jwk, dict):
        report["problems"].append("The jwk header must be a JSON object (a JWK).")
        return report
    try:
        key = read_jwk(jwk, source="jwk header")
        report["description"] = key.description
        report["thumbprint"] = thumbprint(jwk)
    except DebuggerError as err:
        report["problems"].append(err.message)
        return report
    private = [name for name in PRIVATE_MEMBERS.get(str(jwk.get("kty")), ()) if name in jwk]
    if private:
        report["problems"].append(
            f"The embedded JWK contains private members ({', '.join(private)}): the token "
            "publishes its own signing key, so anyone can sign with it."
        )
    return report


def embedded_key_text(token: str, which: str) -> str:
    """The key the token carries, as key text to verify with: the x5c leaf PEM or the jwk."""
    if which not in EMBEDDED_KINDS:
        raise DebuggerError(
            INVALID_REQUEST, '"use_embedded_key" must be "x5c" or "jwk".', field="use_embedded_key"
        )
    header = parse(token).header or {}
    if which == "jwk" and isinstance(header.get("jwk"), dict):
        return json.dumps(header["jwk"])
    if which == "x5c" and "x5c" in header:
        leaf_pem = chain_report(header["x5c"], header, now=0)["leaf_pem"]
        if leaf_pem is not None:
            return str(leaf_pem)
    raise DebuggerError(
        NO_EMBEDDED_KEY,
        f"The token's header carries no usable {which} key.",
        field="use_embedded_key",
    )


def embedded_key_note(which: str) -> NoteData:
    """The note added to a verify answer that used a key from inside the token."""
    return {
        "code": EMBEDDED_KEY_USED,
        "message": f"Verified with the key from the token's own {which} header. {UNTRUSTED_KEY}",
    }
