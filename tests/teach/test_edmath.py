"""The EdDSA equation worked out by hand agrees with the cryptography package."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from debugger.teach.edmath import ED448, ED25519, base_point, eddsa_check

CURVES = {
    "Ed25519": (ED25519, ed25519.Ed25519PrivateKey),
    "Ed448": (ED448, ed448.Ed448PrivateKey),
}


def k_hash(name: str, r: bytes, public: bytes, message: bytes) -> bytes:
    if name == "Ed25519":
        return hashlib.sha512(r + public + message).digest()
    return hashlib.shake_256(b"SigEd448\x00\x00" + r + public + message).digest(114)


def test_the_ed25519_base_point_is_rfc_8032s():
    # RFC 8032 section 5.1: B has y = 4/5 and a positive (even) x; its encoding is 0x58 0x66...
    assert ED25519.encode(base_point(ED25519)).hex() == "58" + "66" * 31


@pytest.mark.parametrize("name", CURVES)
def test_the_base_point_has_the_prime_order_n(name):
    curve, _ = CURVES[name]
    point = base_point(curve)
    assert curve.encode(curve.multiply(curve.n, point)) == curve.encode((0, 1, 1))
    assert curve.encode(point) != curve.encode((0, 1, 1))


@pytest.mark.parametrize("name", CURVES)
def test_s_b_minus_k_a_is_r_exactly_when_the_signature_holds(name):
    curve, key_class = CURVES[name]
    private = key_class.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    message = b"header.payload"
    signature = private.sign(message)
    r, s = signature[: curve.size], signature[curve.size :]
    check = eddsa_check(curve, public, r, s, k_hash(name, r, public, message))
    assert check.s_in_range and check.computed_r == r
    other = eddsa_check(curve, public, r, s, k_hash(name, r, public, b"header.payloaD"))
    assert other.computed_r is not None and other.computed_r != r


@pytest.mark.parametrize("name", CURVES)
def test_an_s_beyond_the_order_or_a_key_off_the_curve_gives_no_point(name):
    curve, key_class = CURVES[name]
    public = key_class.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    r = bytes(curve.size)
    too_big = curve.n.to_bytes(curve.size, "little")
    assert eddsa_check(curve, public, r, too_big, bytes(64)).computed_r is None
    assert not eddsa_check(curve, public, r, too_big, bytes(64)).s_in_range
    not_a_point = (curve.p + 1).to_bytes(curve.size, "little")  # y beyond the field
    assert eddsa_check(curve, not_a_point, r, bytes(curve.size), bytes(64)).computed_r is None
