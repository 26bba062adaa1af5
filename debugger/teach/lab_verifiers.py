"""The labs' verifiers: each lab's deliberately insecure one, and the fixed one shown after it.

DELIBERATELY INSECURE CODE. Every `vulnerable_*` function here has exactly one flaw, on purpose,
so that learners can exploit it on their own machine; none of them may be copied anywhere else.
The `fixed_*` functions are what a real service should do, with PyJWT. Their source is shown on
the lab pages as it is written here, so they are kept short and plain.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from .ecmath import CURVES, hash_to_int

Claims = dict[str, Any]
KeySetFetcher = Callable[[str], dict[str, Any]]


class LabRefused(Exception):
    """The lab's API refused the token; the message says why, for the learner."""


def _no_fetching(url: str) -> dict[str, Any]:
    raise LabRefused("this verifier fetches no key sets")


@dataclass(frozen=True)
class LabKeys:
    """The keys of the labs' pretend issuer, made when the server starts and never stored."""

    hmac_secret: bytes
    weak_secret: bytes
    rsa_key: rsa.RSAPrivateKey
    ec_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    unpublished_rsa_key: rsa.RSAPrivateKey
    jwks_url: str = "http://127.0.0.1/labs/jku-injection/jwks.json"
    fetch_key_set: KeySetFetcher = field(default=_no_fetching)

    def rsa_public_pem(self) -> bytes:
        return self.rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def unpublished_key_file(self) -> bytes:
        """The pretend server's public key file, never published: "-----BEGIN PUBLIC KEY-----"
        (SubjectPublicKeyInfo), as `openssl rsa -pubout` writes it, with its final newline."""
        return self.unpublished_rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def key_file(self, path: str) -> bytes:
        """The pretend server's key directory: /srv/keys/main holds the secret."""
        files = {"/srv/keys/main": self.hmac_secret, "/dev/null": b""}
        if path not in files:
            raise LabRefused(f"no key file at {path[:80]}")
        return files[path]


def _split(token: str) -> tuple[Claims, Claims, bytes, bytes]:
    """Header, payload, signing input and signature, read without checking anything."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = json.loads(_unb64(header_b64))
        payload = json.loads(_unb64(payload_b64))
    except ValueError as err:
        raise LabRefused("the token is not three base64url parts of JSON") from err
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise LabRefused("the header and payload must be JSON objects")
    return header, payload, f"{header_b64}.{payload_b64}".encode(), _unb64(signature_b64)


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hmac_matches(secret: bytes, signing_input: bytes, signature: bytes) -> bool:
    return hmac.compare_digest(hmac.digest(secret, signing_input, "sha256"), signature)


# --- unverified-signature -------------------------------------------------------------------


def vulnerable_unverified(token: str, keys: LabKeys) -> Claims:
    # The signature is never checked: the claims are read as they come.
    claims: Claims = jwt.decode(token, options={"verify_signature": False})
    return claims


def fixed_hs256(token: str, keys: LabKeys) -> Claims:
    # The secret and the one algorithm it is for; decode checks the signature, exp and nbf.
    claims: Claims = jwt.decode(token, keys.hmac_secret, algorithms=["HS256"])
    return claims


# --- flawed-verification --------------------------------------------------------------------


def vulnerable_flawed(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    try:
        if len(signature) != 256:
            raise ValueError("the signature has the wrong length")
        keys.rsa_key.public_key().verify(
            signature, signing_input, padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature as err:
        raise LabRefused("the signature does not match") from err
    except Exception:
        pass  # "could not check the signature": logged, and the request goes on
    return payload


def fixed_rs256(token: str, keys: LabKeys) -> Claims:
    # Any failure to verify is a refusal: jwt.decode raises, and nothing catches it.
    claims: Claims = jwt.decode(token, keys.rsa_key.public_key(), algorithms=["RS256"])
    return claims


# --- weak-secret ----------------------------------------------------------------------------


def vulnerable_weak_secret(token: str, keys: LabKeys) -> Claims:
    # The check is right; the secret is a word from tutorials that anyone can guess.
    header, payload, signing_input, signature = _split(token)
    if header.get("alg") != "HS256" or not _hmac_matches(
        keys.weak_secret, signing_input, signature
    ):
        raise LabRefused("the signature does not match")
    return payload


# fixed_hs256 above is the fix: the same check with 32 random bytes as the secret.


# --- jwk-injection --------------------------------------------------------------------------


def vulnerable_jwk(token: str, keys: LabKeys) -> Claims:
    header = jwt.get_unverified_header(token)
    if "jwk" in header:
        key: Any = jwt.PyJWK(header["jwk"]).key  # the token brings its own key
    else:
        key = keys.ec_key.public_key()
    claims: Claims = jwt.decode(token, key, algorithms=["ES256"])
    return claims


def fixed_es256(token: str, keys: LabKeys) -> Claims:
    # Only the issuer's own key, configured here; headers never name or carry the key.
    claims: Claims = jwt.decode(token, keys.ec_key.public_key(), algorithms=["ES256"])
    return claims


# --- jku-injection --------------------------------------------------------------------------


def vulnerable_jku(token: str, keys: LabKeys) -> Claims:
    header = jwt.get_unverified_header(token)
    url = header.get("jku", keys.jwks_url)  # whichever key set the token points at
    key_set = keys.fetch_key_set(url)
    jwk = next((k for k in key_set.get("keys", []) if k.get("kid") == header.get("kid")), None)
    if jwk is None:
        raise LabRefused("no key in the key set has the token's kid")
    claims: Claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["ES256"])
    return claims


# fixed_es256 is the fix: a verifier fetches keys only from the one URL it was configured with.


# --- kid-traversal --------------------------------------------------------------------------


def vulnerable_kid(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    kid = str(header.get("kid", "main"))
    secret = keys.key_file(posixpath.normpath(posixpath.join("/srv/keys", kid)))
    if header.get("alg") != "HS256" or not _hmac_matches(secret, signing_input, signature):
        raise LabRefused("the signature does not match")
    return payload


def fixed_kid(token: str, keys: LabKeys) -> Claims:
    # kid only picks from a fixed table of known keys; an unknown kid is refused.
    known = {"main": keys.hmac_secret}
    kid = jwt.get_unverified_header(token).get("kid")
    if kid not in known:
        raise jwt.InvalidTokenError("unknown kid")
    claims: Claims = jwt.decode(token, known[kid], algorithms=["HS256"])
    return claims


# --- alg-confusion --------------------------------------------------------------------------


def vulnerable_alg_confusion(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    public_pem = keys.rsa_public_pem()
    if header.get("alg") == "HS256":  # the key is used with whichever algorithm is named
        if not _hmac_matches(public_pem, signing_input, signature):
            raise LabRefused("the signature does not match")
        return payload
    claims: Claims = jwt.decode(token, public_pem, algorithms=["RS256"])
    return claims


# fixed_rs256 is the fix: the algorithm comes from the key's type, never from the header.


# --- alg-confusion-no-key -------------------------------------------------------------------


def vulnerable_alg_confusion_no_key(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    public_pem = keys.unpublished_key_file()  # not published anywhere: "so no one can forge"
    if header.get("alg") == "HS256":  # the key is used with whichever algorithm is named
        if not _hmac_matches(public_pem, signing_input, signature):
            raise LabRefused("the signature does not match")
        return payload
    claims: Claims = jwt.decode(token, public_pem, algorithms=["RS256"])
    return claims


def fixed_rs256_unpublished(token: str, keys: LabKeys) -> Claims:
    # The algorithm comes from the key's type; keeping the public key unpublished adds nothing.
    public_key = keys.unpublished_rsa_key.public_key()
    claims: Claims = jwt.decode(token, public_key, algorithms=["RS256"])
    return claims


# --- psychic-signature ----------------------------------------------------------------------


def vulnerable_psychic(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    curve = CURVES["P-256"]
    numbers = keys.ec_key.public_key().public_numbers()
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    # Missing: the check that 0 < r < n and 0 < s < n.
    z = hash_to_int(hashlib.sha256(signing_input).digest(), curve.n)
    w = pow(s, curve.n - 2, curve.n)  # s^-1 by Fermat's little theorem: 0 when s is 0
    point = curve.add(
        curve.multiply(z * w % curve.n, curve.g),
        curve.multiply(r * w % curve.n, (numbers.x, numbers.y)),
    )
    x = 0 if point is None else point[0] % curve.n
    if header.get("alg") != "ES256" or x != r:
        raise LabRefused("the signature does not match")
    return payload


# fixed_es256 is the fix: the cryptography package refuses r or s outside 1 to n - 1.


# --- none-case ------------------------------------------------------------------------------


def vulnerable_none_case(token: str, keys: LabKeys) -> Claims:
    header, payload, signing_input, signature = _split(token)
    alg = str(header.get("alg", ""))
    if alg == "none":  # the block-list compares case-sensitively...
        raise LabRefused('alg "none" is not allowed')
    if alg.lower() == "none":  # ...but the table of checks does not
        return payload
    if not _hmac_matches(keys.hmac_secret, signing_input, signature):
        raise LabRefused("the signature does not match")
    return payload


# fixed_hs256 is the fix: an allow-list of one algorithm, never a block-list.


# --- x5c-trust ------------------------------------------------------------------------------


def vulnerable_x5c(token: str, keys: LabKeys) -> Claims:
    header = jwt.get_unverified_header(token)
    leaf = base64.b64decode(header["x5c"][0])
    key: Any = x509.load_der_x509_certificate(leaf).public_key()  # no chain, no trust anchor
    claims: Claims = jwt.decode(token, key, algorithms=["ES256"])
    return claims


def fixed_x5c(token: str, keys: LabKeys) -> Claims:
    # The key comes from the issuer's certificate, pinned here; x5c in the header is ignored.
    pinned: Any = keys.certificate.public_key()
    claims: Claims = jwt.decode(token, pinned, algorithms=["ES256"])
    return claims
