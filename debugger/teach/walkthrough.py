"""How this signature is checked: every value a verifier computes, step by step.

The values are computed here with hashlib, hmac and raw integer arithmetic so that they can be
shown; whether the signature holds is still decided by `verify.check_signature`.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, NotRequired, TypedDict

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ..codes import ECDSA_DER_SIGNATURE, PSS_SALT_LENGTH, SIGNATURE_LENGTH, SIGNATURE_MISMATCH
from ..jose.algorithms import ALGORITHMS, DIGEST_INFO_PREFIXES
from ..jose.keys import Key, KeyDetails
from ..jose.mismatch import mgf1
from ..jose.tokens import ParsedToken
from ..jose.verify import Verdict, signing_inputs
from .ecmath import CURVES, ecdsa_check
from .edmath import ED448, ED25519, eddsa_check

_HASH_TITLES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}


class Comparison(TypedDict):
    """The two values the check compares, in hex, and the first byte where they differ."""

    what: str
    expected_label: str
    expected: str
    actual_label: str
    actual: str
    equal: bool
    first_difference: int | None


class RecoveredPkcs1(TypedDict):
    """The block s^e mod n of an RSA PKCS#1 v1.5 signature, split when its padding is right."""

    block: str
    padding_ok: bool
    digest_info: NotRequired[str]
    hash: NotRequired[str]


class RecoveredPss(TypedDict):
    """The encoded message of an RSA-PSS signature, with its hash and salt."""

    encoded_message: str
    trailer_ok: bool
    hash: str
    salt: str
    padding_ok: bool


class MethodSteps(TypedDict):
    """The steps of one signature method; which fields there are depends on the method."""

    method: str
    curve: NotRequired[str | None]
    public_key: NotRequired[str]
    r: NotRequired[str]
    s: NotRequired[str]
    k: NotRequired[str]
    notes: NotRequired[list[str]]
    computed_mac: NotRequired[str]
    expected_digest_info: NotRequired[str]
    message_hash: NotRequired[str]
    explanation: NotRequired[str]
    recovered: NotRequired[RecoveredPkcs1 | RecoveredPss]
    computed_hash: NotRequired[str]
    computed_x: NotRequired[str]
    computed_r: NotRequired[str]
    comparison: NotRequired[Comparison]


class Walkthrough(MethodSteps):
    """Every step of checking a signature: the signing input, its hash, and the method's steps."""

    available: bool
    valid: bool
    alg: str
    key: KeyDetails
    signing_input: str
    signing_input_length: int
    hash: str | None
    signing_input_hash: str | None
    signature: str
    signature_length: int


class NoWalkthrough(TypedDict):
    """Why the signature cannot be checked step by step."""

    available: bool
    valid: bool
    message: str


#: The reasons for which the signature was checked, and the steps are worth showing.
_CHECKED_REASONS = (SIGNATURE_MISMATCH, PSS_SALT_LENGTH, SIGNATURE_LENGTH, ECDSA_DER_SIGNATURE)


def walkthrough(
    parsed: ParsedToken, verdict: Verdict, *, detached_payload: str | None = None
) -> Walkthrough | NoWalkthrough:
    """Every step of checking this token's signature, given the verdict `check_signature` gave."""
    key = verdict.key
    unusable = verdict.reason_code not in (None, *_CHECKED_REASONS)
    if key is None or verdict.alg is None or unusable:
        return {
            "available": False,
            "valid": False,
            "message": verdict.reason_message or "The signature cannot be checked.",
        }
    alg = verdict.alg
    spec = ALGORITHMS[alg]
    signing_input = _signing_input(parsed, detached_payload)
    signature = parsed.signature or b""
    hash_name = spec.hash_name
    public = key.verifying_material
    steps: MethodSteps
    if spec.kind == "secret":
        steps = _hmac(key, hash_name or "sha256", signing_input, signature)
    elif alg.startswith("RS"):
        steps = _rsa_pkcs1(public, hash_name or "sha256", signing_input, signature)
    elif alg.startswith("PS"):
        steps = _rsa_pss(public, hash_name or "sha256", signing_input, signature)
    elif spec.kind == "EC":
        steps = _ecdsa(public, key, hash_name or "sha256", signing_input, signature)
    else:
        steps = _eddsa(public, signing_input, signature)
    return {
        "available": True,
        "valid": verdict.valid,
        "alg": alg,
        "key": key.describe(),
        "signing_input": signing_input.decode("ascii", "replace"),
        "signing_input_length": len(signing_input),
        "hash": _HASH_TITLES.get(hash_name or ""),
        "signing_input_hash": hashlib.new(hash_name, signing_input).hexdigest()
        if hash_name
        else None,
        "signature": signature.hex(),
        "signature_length": len(signature),
        **steps,
    }


def first_difference(expected: bytes, actual: bytes) -> int | None:
    """The index of the first byte that differs, or None when both are the same."""
    for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
        if left != right:
            return index
    if len(expected) != len(actual):
        return min(len(expected), len(actual))
    return None


def _comparison(
    what: str, expected_label: str, expected: bytes, actual_label: str, actual: bytes
) -> Comparison:
    difference = first_difference(expected, actual)
    return {
        "what": what,
        "expected_label": expected_label,
        "expected": expected.hex(),
        "actual_label": actual_label,
        "actual": actual.hex(),
        "equal": difference is None,
        "first_difference": difference,
    }


def _signing_input(parsed: ParsedToken, detached_payload: str | None) -> bytes:
    inputs = signing_inputs(parsed, detached_payload)
    return inputs[0][0] if inputs else parsed.signing_input()


def _hmac(key: Key, hash_name: str, signing_input: bytes, signature: bytes) -> MethodSteps:
    computed = hmac.new(key.verifying_material, signing_input, hash_name).digest()
    title = _HASH_TITLES[hash_name]
    return {
        "method": "hmac",
        "computed_mac": computed.hex(),
        "explanation": (
            f"HMAC-{title} of the signing input, keyed with the {len(key.material)}-byte secret, "
            "must equal the token's signature byte for byte."
        ),
        "comparison": _comparison(
            "HMAC",
            f"HMAC-{title} computed with your secret",
            computed,
            "Token signature",
            signature,
        ),
    }


def _rsa_block(public: Any, signature: bytes) -> tuple[int, bytes | None, list[str]]:
    """The block s^e mod n recovered from the signature, with what is wrong with the input."""
    numbers = public.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    notes: list[str] = []
    if len(signature) != size:
        notes.append(
            f"The signature is {len(signature)} bytes; an RSA-{numbers.n.bit_length()} "
            f"signature is exactly {size}."
        )
    value = int.from_bytes(signature, "big")
    if value >= numbers.n:
        notes.append("The signature, as a number, is not below the modulus n: it cannot be valid.")
        return size, None, notes
    return size, pow(value, numbers.e, numbers.n).to_bytes(size, "big"), notes


def _rsa_pkcs1(public: Any, hash_name: str, signing_input: bytes, signature: bytes) -> MethodSteps:
    if not isinstance(public, rsa.RSAPublicKey):
        return {"method": "rsa_pkcs1v15"}
    size, block, notes = _rsa_block(public, signature)
    expected_hash = hashlib.new(hash_name, signing_input).digest()
    prefix = DIGEST_INFO_PREFIXES[hash_name]
    expected_block = b"\x00\x01" + b"\xff" * (size - len(prefix) - len(expected_hash) - 3)
    expected_block += b"\x00" + prefix + expected_hash
    title = _HASH_TITLES[hash_name]
    result: MethodSteps = {
        "method": "rsa_pkcs1v15",
        "notes": notes,
        "expected_digest_info": (prefix + expected_hash).hex(),
        "explanation": (
            "The public key undoes the signature: s^e mod n gives back the block the signer "
            "padded, 00 01 FF…FF 00 followed by a DigestInfo (the hash's name in DER, then the "
            f"hash). Its hash must equal the {title} of the signing input."
        ),
    }
    if block is None:
        return result
    recovered = _parse_pkcs1(block)
    result["recovered"] = recovered
    if recovered["padding_ok"]:
        digest_info = bytes.fromhex(recovered["digest_info"])
        recovered_hash = digest_info[len(prefix) :] if digest_info.startswith(prefix) else b""
        if not digest_info.startswith(prefix):
            notes.append(
                f"The recovered DigestInfo is not for {title}: the signer used another hash, so "
                "the header's alg was changed or the key signed something else."
            )
            recovered_hash = digest_info
        recovered["hash"] = recovered_hash.hex()
        result["comparison"] = _comparison(
            "hash",
            f"{title} of the signing input",
            expected_hash,
            "Hash recovered from the signature",
            recovered_hash,
        )
    else:
        notes.append(
            "The recovered block is not PKCS#1 v1.5 padding (00 01 FF…FF 00 DigestInfo): this "
            "public key did not make this signature."
        )
        result["comparison"] = _comparison(
            "block", "Block the signer would have padded", expected_block, "Recovered block", block
        )
    return result


def _parse_pkcs1(block: bytes) -> RecoveredPkcs1:
    """Split 00 01 FF..FF 00 DigestInfo; `padding_ok` is False when the block has another shape."""
    if not block.startswith(b"\x00\x01"):
        return {"block": block.hex(), "padding_ok": False}
    separator = block.find(b"\x00", 2)
    if separator < 10 or block[2:separator].strip(b"\xff") != b"":
        return {"block": block.hex(), "padding_ok": False}
    return {"block": block.hex(), "padding_ok": True, "digest_info": block[separator + 1 :].hex()}


def _rsa_pss(public: Any, hash_name: str, signing_input: bytes, signature: bytes) -> MethodSteps:
    if not isinstance(public, rsa.RSAPublicKey):
        return {"method": "rsa_pss"}
    _, block, notes = _rsa_block(public, signature)
    title = _HASH_TITLES[hash_name]
    m_hash = hashlib.new(hash_name, signing_input).digest()
    result: MethodSteps = {
        "method": "rsa_pss",
        "notes": notes,
        "message_hash": m_hash.hex(),
        "explanation": (
            "PSS signatures are randomised, so the hash is not recovered directly. s^e mod n "
            "gives the encoded message maskedDB ‖ H ‖ BC; unmasking maskedDB with MGF1(H) "
            f"reveals the salt, and H must equal {title}(8 zero bytes ‖ {title}(signing input) "
            "‖ salt) (RFC 8017 section 9.1.2)."
        ),
    }
    if block is None:
        return result
    bits = public.key_size - 1
    encoded = block[len(block) - (bits + 7) // 8 :]
    hash_length = len(m_hash)
    trailer_ok = encoded[-1:] == b"\xbc"
    masked_db = encoded[: len(encoded) - hash_length - 1]
    h = encoded[len(encoded) - hash_length - 1 : -1]
    db = bytes(a ^ b for a, b in zip(masked_db, mgf1(h, len(masked_db), hash_name), strict=True))
    unused_bits = 8 * len(encoded) - bits
    db = bytes([db[0] & (0xFF >> unused_bits)]) + db[1:] if db else db
    start = db.find(b"\x01")
    padding_ok = trailer_ok and start >= 0 and not db[:start].strip(b"\x00")
    salt = db[start + 1 :] if padding_ok else b""
    if not padding_ok:
        notes.append(
            "The unmasked block is not PSS padding (zeros, 01, salt, and BC at the end): this "
            "public key did not make this signature."
        )
    wrong_salt = padding_ok and len(salt) != hash_length
    if wrong_salt:
        padding_ok = False
        notes.append(
            f"The salt is {len(salt)} bytes, and JWS requires it to be as long as the hash, "
            f"{hash_length} bytes (RFC 7518 section 3.5): the padding is not what {title} PSS "
            "for JWS produces, so the signature is invalid."
        )
    computed = hashlib.new(hash_name, b"\x00" * 8 + m_hash + salt).digest()
    result["recovered"] = {
        "encoded_message": encoded.hex(),
        "trailer_ok": trailer_ok,
        "hash": h.hex(),
        "salt": salt.hex(),
        "padding_ok": padding_ok,
    }
    result["computed_hash"] = computed.hex()
    result["comparison"] = _comparison(
        "hash",
        f"{title}(8 zero bytes ‖ message hash ‖ salt)",
        computed,
        "H from the signature",
        h,
    )
    if wrong_salt:
        result["comparison"] = _comparison(
            "salt length",
            f"{hash_length} bytes, the hash length (RFC 7518 section 3.5)",
            hash_length.to_bytes(2, "big"),
            "Salt length in the signature",
            len(salt).to_bytes(2, "big"),
        )
    return result


def _ecdsa(
    public: Any, key: Key, hash_name: str, signing_input: bytes, signature: bytes
) -> MethodSteps:
    half = len(signature) // 2
    r = int.from_bytes(signature[:half], "big")
    s = int.from_bytes(signature[half:], "big")
    title = _HASH_TITLES[hash_name]
    notes: list[str] = []
    result: MethodSteps = {
        "method": "ecdsa",
        "curve": key.curve,
        "r": signature[:half].hex(),
        "s": signature[half:].hex(),
        "notes": notes,
        "explanation": (
            "A JWS ECDSA signature is r ‖ s, two numbers of the curve's size (not DER). The "
            f"verifier computes w = s⁻¹ mod n, u1 = {title}(signing input)·w and u2 = r·w; the "
            "point u1·G + u2·Q (Q is the public key) must have x ≡ r (mod n)."
        ),
    }
    curve = CURVES.get(key.curve or "")
    if curve is None or not isinstance(public, ec.EllipticCurvePublicKey):
        return result
    size = (curve.n.bit_length() + 7) // 8
    if len(signature) != 2 * size:
        notes.append(
            f"The signature is {len(signature)} bytes; on {key.curve} r ‖ s is {2 * size} bytes."
        )
    numbers = public.public_numbers()
    digest = hashlib.new(hash_name, signing_input).digest()
    check = ecdsa_check(curve, (numbers.x, numbers.y), digest, r, s)
    if not check.in_range:
        notes.append(
            "r and s must each be between 1 and n − 1; this signature's are not, so it can "
            "never be valid (a zero r or s is the 'psychic signature', CVE-2022-21449)."
        )
        return result
    computed = (check.x_mod_n or 0).to_bytes(size, "big")
    result["computed_x"] = computed.hex()
    result["comparison"] = _comparison(
        "r", "x of u1·G + u2·Q, mod n", computed, "r from the signature", r.to_bytes(size, "big")
    )
    return result


def _eddsa(public: Any, signing_input: bytes, signature: bytes) -> MethodSteps:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if isinstance(public, ed25519.Ed25519PublicKey):
        curve = ED25519
        point_r, scalar_s = signature[: curve.size], signature[curve.size :]
        k = hashlib.sha512(point_r + raw + signing_input).digest()
        k_text = "SHA-512(R ‖ A ‖ signing input)"
    elif isinstance(public, ed448.Ed448PublicKey):
        curve = ED448
        point_r, scalar_s = signature[: curve.size], signature[curve.size :]
        dom4 = b"SigEd448" + b"\x00\x00"
        k = hashlib.shake_256(dom4 + point_r + raw + signing_input).digest(114)
        k_text = "SHAKE256(dom4 ‖ R ‖ A ‖ signing input, 114 bytes)"
    else:
        return {"method": "eddsa"}
    notes: list[str] = []
    result: MethodSteps = {
        "method": "eddsa",
        "public_key": raw.hex(),
        "r": point_r.hex(),
        "s": scalar_s.hex(),
        "k": k.hex(),
        "notes": notes,
        "explanation": (
            "EdDSA signs the signing input itself: there is no separate hash step. The signature "
            f"is R ‖ S. The verifier computes k = {k_text} as a number and checks that S·B equals "
            "R + k·A on the curve (B is the base point, A the public key): below, S·B − k·A is "
            "worked out and set beside the R of the signature. Nothing is recovered, so the check "
            "is that one equation: it holds or it does not."
        ),
    }
    if len(signature) != 2 * curve.size:
        notes.append(f"The signature is {len(signature)} bytes; it must be {2 * curve.size}.")
        return result
    check = eddsa_check(curve, raw, point_r, scalar_s, k)
    if not check.s_in_range:
        notes.append(
            "S must be smaller than the order of the base point; this one is not, so the "
            "signature can never be valid (RFC 8032 rejects it to stop malleable signatures)."
        )
    if check.computed_r is not None:
        result["computed_r"] = check.computed_r.hex()
        result["comparison"] = _comparison(
            "R", "S·B − k·A, encoded", check.computed_r, "R from the signature", point_r
        )
    return result
