"""How this token is decrypted: the steps a recipient takes, with the values that can be shown.

The content key is recovered through joserfc's algorithm models (`jwe.content_key`); the
authenticated decryption is redone here with `cryptography` so that the tag check can be shown.
Whether the token decrypts is still decided by `jwe.decrypt`.
"""

from __future__ import annotations

import hmac
from typing import Literal, TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..codes import (
    JWE_DECOMPRESSION_LIMIT,
    JWE_DECRYPTION_FAILED,
    JWE_TAG_MISMATCH,
    JWE_WRONG_KEY,
    JWE_WRONG_KEY_OR_TAG_MISMATCH,
)
from ..errors import DebuggerError
from ..jose.jwe import Decryption, content_key
from ..jose.jwe_algorithms import (
    ALGS,
    DIRECT,
    ECDH_ALGS,
    ENCS,
    PBES2_ALGS,
    RSA_ALGS,
    ZIP_DEFLATE,
)
from ..jose.jwe_keys import EncryptionKey, read_encryption_keys
from ..jose.tokens import Problem, b64url_decode

KeyStep = Literal[
    "key decryption", "key unwrap", "key agreement", "key agreement and unwrap", "direct"
]
#: The outcomes after which the key and the token's sizes were checked: the content key can be
#: recomputed without costs the token's sender chose (a huge `p2c` is refused before this).
_KEY_CHECKED = (
    None,
    JWE_WRONG_KEY,
    JWE_TAG_MISMATCH,
    JWE_WRONG_KEY_OR_TAG_MISMATCH,
    JWE_DECOMPRESSION_LIMIT,
    JWE_DECRYPTION_FAILED,
)
_CBC_HASHES = {"A128CBC-HS256": "sha256", "A192CBC-HS384": "sha384", "A256CBC-HS512": "sha512"}


class JweStep(TypedDict):
    """One step of the decryption: what is done, and whether it went through (None: not run)."""

    title: str
    detail: str
    ok: bool | None


class JweWalkthrough(TypedDict):
    """Every step of decrypting this token, with the values a recipient computes."""

    alg: str
    enc: str
    zip: str | None
    key_step: KeyStep
    cek_bytes: int | None
    cek_expected_bytes: int
    #: The additional authenticated data: ASCII(BASE64URL(protected header)), i.e. part one.
    aad: str
    aad_bytes: int
    iv: str
    tag: str
    #: The tag recomputed from the content key (AES-CBC with HMAC only; GCM checks it inside).
    computed_tag: str | None
    tag_verified: bool | None
    ciphertext_bytes: int
    plaintext_bytes: int | None
    steps: list[JweStep]


def key_step(alg: str) -> KeyStep:
    """How `alg` gives the content key: decrypted (RSA), unwrapped, agreed (ECDH-ES) or given."""
    if alg in RSA_ALGS:
        return "key decryption"
    if alg == ECDH_ALGS[0]:
        return "key agreement"
    if alg in ECDH_ALGS:
        return "key agreement and unwrap"
    if alg == DIRECT:
        return "direct"
    return "key unwrap"


def jwe_walkthrough(
    token: str, key_text: str, decryption: Decryption, *, secret_encoding: str = "utf-8"
) -> JweWalkthrough | None:
    """The steps of decrypting `token`; None when it has no readable header, alg and enc."""
    header = decryption.header
    segments = [part["encoded"] for part in decryption.parts]
    alg, enc = (header or {}).get("alg"), (header or {}).get("enc")
    if header is None or len(segments) != 5 or alg not in ALGS or enc not in ENCS:
        return None
    assert isinstance(alg, str) and isinstance(enc, str)
    encrypted_key, iv, ciphertext, tag = (_bytes(segment) for segment in segments[1:])
    aad = segments[0].encode("ascii")
    spec = ENCS[enc]
    zip_value = header.get("zip")
    zip_ = zip_value if isinstance(zip_value, str) else None
    checked = decryption.reason_code in _KEY_CHECKED
    cek: bytes | None = None
    if checked:
        key = decryption.key or _first_key(header, key_text, secret_encoding)
        cek = None if key is None else content_key(header, encrypted_key, key)
    oracle = alg == "RSA1_5" and decryption.plaintext is None
    if oracle or (cek is not None and len(cek) != spec.key_bytes):
        cek = None
    verified: bool | None = None
    computed: bytes | None = None
    if cek is not None:
        verified, computed = _check_tag(enc, cek, aad, iv, ciphertext, tag)
    elif checked:
        verified = False
    steps: list[JweStep] = [
        _header_step(alg, enc, zip_),
        _cek_step(alg, header, cek, spec.key_bytes, decryption, checked=checked, oracle=oracle),
        {
            "title": "Additional authenticated data",
            "detail": f"AAD = ASCII(BASE64URL(protected header)): the first part as written, "
            f"{len(aad)} bytes. Changing one character of the header changes the tag.",
            "ok": None,
        },
        {
            "title": "IV and tag",
            "detail": f"The IV is {len(iv)} bytes and the tag {len(tag)} bytes ({enc} wants "
            f"{spec.iv_bytes} and {spec.tag_bytes}).",
            "ok": len(iv) == spec.iv_bytes and len(tag) == spec.tag_bytes,
        },
        _decrypt_step(enc, verified, computed, tag),
        _zip_step(zip_, decryption, verified),
    ]
    return {
        "alg": alg,
        "enc": enc,
        "zip": zip_,
        "key_step": key_step(alg),
        "cek_bytes": None if cek is None else len(cek),
        "cek_expected_bytes": spec.key_bytes,
        "aad": segments[0],
        "aad_bytes": len(aad),
        "iv": iv.hex(),
        "tag": tag.hex(),
        "computed_tag": None if computed is None else computed.hex(),
        "tag_verified": verified,
        "ciphertext_bytes": len(ciphertext),
        "plaintext_bytes": None if decryption.plaintext is None else len(decryption.plaintext),
        "steps": steps,
    }


def _bytes(segment: str) -> bytes:
    problems: list[Problem] = []
    return b64url_decode(segment, "part", problems) or b""


def _first_key(header: dict[str, object], key_text: str, encoding: str) -> EncryptionKey | None:
    try:
        keys = read_encryption_keys(key_text, encoding).by_kid(header.get("kid"))
    except DebuggerError:
        return None
    return keys[0] if keys else None


def _check_tag(
    enc: str, cek: bytes, aad: bytes, iv: bytes, ciphertext: bytes, tag: bytes
) -> tuple[bool, bytes | None]:
    """Whether the tag holds under `cek`; for AES-CBC-HMAC also the tag computed."""
    if enc in _CBC_HASHES:
        half = len(cek) // 2
        al = (len(aad) * 8).to_bytes(8, "big")
        mac = hmac.new(cek[:half], aad + iv + ciphertext + al, _CBC_HASHES[enc]).digest()
        computed = mac[: len(tag)] if len(tag) == half else mac[:half]
        return hmac.compare_digest(computed, tag), computed
    try:
        AESGCM(cek).decrypt(iv, ciphertext + tag, aad)
    except (InvalidTag, ValueError):
        return False, None
    return True, None


def _header_step(alg: str, enc: str, zip_: str | None) -> JweStep:
    squeezed = f', and zip "{zip_}": the plaintext was compressed first' if zip_ else ""
    return {
        "title": "Read the protected header",
        "detail": f'alg "{alg}" says how the content key reaches the recipient; enc "{enc}" '
        f"how the content is encrypted and authenticated{squeezed}.",
        "ok": True,
    }


def _cek_step(
    alg: str,
    header: dict[str, object],
    cek: bytes | None,
    wanted: int,
    decryption: Decryption,
    *,
    checked: bool,
    oracle: bool,
) -> JweStep:
    how = {
        "key decryption": f"{alg}: the encrypted-key part is decrypted with the recipient's "
        "RSA private key.",
        "key unwrap": f"{alg}: the encrypted-key part is unwrapped with the shared "
        + ("password (PBKDF2 first, with p2s and p2c)." if alg in PBES2_ALGS else "secret key."),
        "key agreement": f"{alg}: the content key is agreed (ECDH with the header's epk on "
        f"{_epk_curve(header)}, then Concat KDF); the encrypted-key part is empty.",
        "key agreement and unwrap": f"{alg}: a wrapping key is agreed (ECDH with the header's "
        f"epk on {_epk_curve(header)}, then Concat KDF) and unwraps the encrypted-key part.",
        "direct": "dir: the shared secret is the content key itself; the encrypted-key part is "
        "empty.",
    }[key_step(alg)]
    if cek is not None:
        return {
            "title": "Obtain the content key (CEK)",
            "detail": f"{how} Got a {len(cek)}-byte CEK ({wanted} wanted).",
            "ok": True,
        }
    if oracle:
        why = (
            " With RSA1_5 a failed key step is not told apart from a bad tag (that would be "
            "Bleichenbacher's oracle): the outcome is only known at the tag check."
        )
    elif checked:
        why = f" This key gave no {wanted}-byte CEK."
    else:
        why = f" Not attempted: {decryption.reason}"
    return {"title": "Obtain the content key (CEK)", "detail": how + why, "ok": False}


def _epk_curve(header: dict[str, object]) -> str:
    epk = header.get("epk")
    crv = epk.get("crv") if isinstance(epk, dict) else None
    return crv if isinstance(crv, str) else "its curve"


def _decrypt_step(enc: str, verified: bool | None, computed: bytes | None, tag: bytes) -> JweStep:
    if enc in _CBC_HASHES:
        how = (
            f"{enc}: the CEK's first half is the HMAC key, the second the AES key. The tag is "
            "the first half of HMAC(AAD || IV || ciphertext || AAD length in bits), checked "
            "before AES-CBC decrypts."
        )
    else:
        how = f"{enc}: AES-GCM decrypts and checks the tag over the AAD and ciphertext at once."
    if verified is None:
        return {"title": "Authenticated decryption", "detail": how + " Not run.", "ok": None}
    if verified:
        outcome = " The tag matches: the plaintext is authentic."
    else:
        outcome = " The tag does not match: nothing is decrypted."
        if computed is not None:
            outcome += f" Computed {computed.hex()}, the token has {tag.hex()}."
    return {"title": "Authenticated decryption", "detail": how + outcome, "ok": verified}


def _zip_step(zip_: str | None, decryption: Decryption, verified: bool | None) -> JweStep:
    title = "Decompress"
    if zip_ != ZIP_DEFLATE:
        return {"title": title, "detail": "No zip member: the plaintext is used as is.", "ok": None}
    if decryption.reason_code == JWE_DECOMPRESSION_LIMIT:
        return {"title": title, "detail": decryption.reason, "ok": False}
    if decryption.plaintext is None or not verified:
        return {
            "title": title,
            "detail": "DEFLATE would inflate the plaintext; not run.",
            "ok": None,
        }
    return {
        "title": title,
        "detail": f"zip DEF: the decrypted bytes inflate (DEFLATE, RFC 1951) to "
        f"{len(decryption.plaintext)} bytes.",
        "ok": True,
    }
