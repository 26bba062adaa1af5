"""Why a signature that does not verify is wrong, when the reason is one of a few known ones.

Interoperability bugs leave signatures that are almost right: an RSA signature one byte short
(a leading zero dropped), an RSA-PSS signature with another salt length than JWS uses, an ECDSA
signature in DER form. Each is checked here after the signature failed, so that the reason says
what the signer did wrong rather than only "does not match".
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from ..codes import ECDSA_DER_SIGNATURE, PSS_SALT_LENGTH, SIGNATURE_LENGTH
from .algorithms import ALGORITHMS
from .keys import Key

_HASHES: dict[str, Any] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def diagnose_mismatch(
    alg: str, key: Key, signing_input: bytes, signature: bytes
) -> tuple[str, str] | None:
    """(reason code, message) for a known way the signature is wrong; None for a plain mismatch."""
    spec = ALGORITHMS.get(alg)
    hash_name = spec.hash_name if spec is not None else None
    public = key.verifying_material
    if hash_name not in _HASHES:
        return None
    if isinstance(public, rsa.RSAPublicKey) and alg[:2] in ("RS", "PS"):
        return _rsa_diagnosis(alg, public, hash_name or "", signing_input, signature)
    if isinstance(public, ec.EllipticCurvePublicKey) and alg.startswith("ES"):
        return _ecdsa_diagnosis(alg, public, hash_name or "", signing_input, signature)
    return None


def _rsa_diagnosis(
    alg: str, public: rsa.RSAPublicKey, hash_name: str, signing_input: bytes, signature: bytes
) -> tuple[str, str] | None:
    size = (public.key_size + 7) // 8
    if len(signature) != size:
        what = f"The {alg} signature is {len(signature)} bytes; a {public.key_size}-bit key makes "
        what += f"signatures of exactly {size} bytes (RFC 8017 section 8)."
        if 0 < len(signature) < size:
            padded = signature.rjust(size, b"\x00")
            if _rsa_holds(alg, public, hash_name, signing_input, padded):
                what += (
                    " It verifies once leading zero bytes are put back: the signer dropped them, "
                    "and strict verifiers refuse the token."
                )
        return SIGNATURE_LENGTH, what
    if alg.startswith("PS"):
        salt = pss_salt_length(public, hash_name, signing_input, signature)
        hash_length = hashlib.new(hash_name).digest_size
        if salt is not None and salt != hash_length:
            return PSS_SALT_LENGTH, (
                f"The RSA-PSS signature is well formed but uses a {salt}-byte salt; JWS requires "
                f"the salt to be as long as the hash, {hash_length} bytes (RFC 7518 section "
                "3.5). The signer used another salt length (some libraries use the maximum), "
                "and verifiers that follow the RFC refuse it."
            )
    return None


def _rsa_holds(
    alg: str, public: rsa.RSAPublicKey, hash_name: str, signing_input: bytes, signature: bytes
) -> bool:
    algorithm = _HASHES[hash_name]()
    scheme: padding.AsymmetricPadding
    if alg.startswith("PS"):
        scheme = padding.PSS(padding.MGF1(algorithm), algorithm.digest_size)
    else:
        scheme = padding.PKCS1v15()
    try:
        public.verify(signature, signing_input, scheme, algorithm)
    except (InvalidSignature, ValueError):
        return False
    return True


def pss_salt_length(
    public: rsa.RSAPublicKey, hash_name: str, signing_input: bytes, signature: bytes
) -> int | None:
    """The salt length of an RSA-PSS signature that holds with some salt length; else None."""
    algorithm = _HASHES[hash_name]()
    try:
        public.verify(
            signature,
            signing_input,
            padding.PSS(padding.MGF1(algorithm), padding.PSS.AUTO),
            algorithm,
        )
    except (InvalidSignature, ValueError):
        return None
    numbers = public.public_numbers()
    bits = public.key_size - 1
    length = (bits + 7) // 8
    encoded = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(length, "big")
    hash_length = algorithm.digest_size
    masked = encoded[: length - hash_length - 1]
    seed = encoded[length - hash_length - 1 : -1]
    mask = mgf1(seed, len(masked), hash_name)
    block = bytearray(a ^ b for a, b in zip(masked, mask, strict=True))
    block[0] &= 0xFF >> (8 * length - bits)
    start = bytes(block).find(b"\x01")
    return len(block) - start - 1 if start >= 0 else None


def mgf1(seed: bytes, length: int, hash_name: str) -> bytes:
    """MGF1 (RFC 8017 appendix B.2.1): the mask RSA-PSS lays over its salt and padding."""
    output = b""
    counter = 0
    while len(output) < length:
        output += hashlib.new(hash_name, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return output[:length]


def _ecdsa_diagnosis(
    alg: str,
    public: ec.EllipticCurvePublicKey,
    hash_name: str,
    signing_input: bytes,
    signature: bytes,
) -> tuple[str, str] | None:
    size = (public.curve.key_size + 7) // 8
    if len(signature) == 2 * size:
        return None
    try:
        decode_dss_signature(signature)
        is_der = signature[:1] == b"\x30"
    except ValueError:
        is_der = False
    if is_der:
        try:
            public.verify(signature, signing_input, ec.ECDSA(_HASHES[hash_name]()))
            holds = "It verifies once converted, so only its form is wrong"
        except InvalidSignature:
            holds = "It does not verify even once converted"
        return ECDSA_DER_SIGNATURE, (
            f"The {alg} signature is DER-encoded (an ASN.1 SEQUENCE of r and s, as OpenSSL and "
            f"Java write it); JWS uses r and s as two {size}-byte numbers side by side, "
            f"{2 * size} bytes in all (RFC 7518 section 3.4). {holds}: the signer must convert "
            "it, and verifiers refuse it as it is."
        )
    return SIGNATURE_LENGTH, (
        f"The {alg} signature is {len(signature)} bytes; on {alg}'s curve it is always "
        f"{2 * size} bytes, r and s of {size} bytes each (RFC 7518 section 3.4)."
    )
