"""The EdDSA verification equation (RFC 8032), computed step by step so that it can be shown.

This is for explaining, never for deciding: the verdict always comes from the `cryptography`
package. A signature R ‖ S holds when S·B = R + k·A; the walkthrough shows S·B − k·A beside the
R of the signature, so that a wrong signature shows where the two first differ.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .ecmath import double_and_add

# Projective coordinates (X, Y, Z): the point (X/Z, Y/Z). (0, 1, 1) is the neutral element.
Point = tuple[int, int, int]
_NEUTRAL: Point = (0, 1, 1)


@dataclass(frozen=True)
class Edwards:
    """a·x² + y² = 1 + d·x²·y² over the integers modulo p; the base point has prime order n."""

    name: str
    p: int
    a: int
    d: int
    n: int
    size: int  # bytes of an encoded point, and of S

    def add(self, first: Point, second: Point) -> Point:
        """The complete addition law (RFC 8032 section 5.2.4, with a in general)."""
        p = self.p
        x1, y1, z1 = first
        x2, y2, z2 = second
        a = z1 * z2 % p
        b = a * a % p
        c = x1 * x2 % p
        d = y1 * y2 % p
        e = self.d * c * d % p
        f = (b - e) % p
        g = (b + e) % p
        h = (x1 + y1) * (x2 + y2) % p
        return a * f * (h - c - d) % p, a * g * (d - self.a * c) % p, f * g % p

    def multiply(self, scalar: int, point: Point) -> Point:
        """scalar · point by double-and-add."""
        return double_and_add(scalar, point, self.add, _NEUTRAL)

    def negate(self, point: Point) -> Point:
        x, y, z = point
        return -x % self.p, y, z

    def encode(self, point: Point) -> bytes:
        """y in little-endian, with the low bit of x in the top bit of the last byte."""
        x, y, z = point
        inverse = pow(z, -1, self.p)
        x, y = x * inverse % self.p, y * inverse % self.p
        return (y | (x & 1) << (8 * self.size - 1)).to_bytes(self.size, "little")

    def decode(self, data: bytes) -> Point | None:
        """The point `data` encodes, or None when it encodes none (RFC 8032 section 5.1.3)."""
        if len(data) != self.size:
            return None
        value = int.from_bytes(data, "little")
        sign = value >> (8 * self.size - 1)
        y = value & ((1 << (8 * self.size - 1)) - 1)
        if y >= self.p:
            return None
        denominator = (self.d * y * y - self.a) % self.p
        if denominator == 0:
            return None
        x2 = (y * y - 1) * pow(denominator, -1, self.p) % self.p
        x = _square_root(x2, self.p)
        if x is None or (x == 0 and sign):
            return None
        if x & 1 != sign:
            x = self.p - x
        return x, y, 1


def _square_root(value: int, p: int) -> int | None:
    """A square root of `value` modulo the prime p (p ≡ 3 or 5 mod 8), or None."""
    if p % 4 == 3:
        root = pow(value, (p + 1) // 4, p)
    else:
        root = pow(value, (p + 3) // 8, p)
        if root * root % p != value:
            root = root * pow(2, (p - 1) // 4, p) % p
    return root if root * root % p == value % p else None


ED25519 = Edwards(
    "Ed25519",
    p=2**255 - 19,
    a=-1,
    d=-121665 * pow(121666, -1, 2**255 - 19) % (2**255 - 19),
    n=2**252 + 27742317777372353535851937790883648493,
    size=32,
)
ED448 = Edwards(
    "Ed448",
    p=2**448 - 2**224 - 1,
    a=1,
    d=-39081 % (2**448 - 2**224 - 1),
    n=2**446 - 13818066809895115352007386748515426880336692474882178609894547503885,
    size=57,
)


@functools.cache
def base_point(curve: Edwards) -> Point:
    """The base point B, worked out from a public key A = s·B as (s⁻¹ mod n)·A.

    The public key comes from `cryptography`, and s from its seed as RFC 8032 section 5.1.5
    and 5.2.5 derive it, so no long constant has to be copied here.
    """
    seed = bytes(range(1, curve.size + 1))
    public: ed25519.Ed25519PublicKey | ed448.Ed448PublicKey
    if curve is ED25519:
        digest = hashlib.sha512(seed).digest()[:32]
        scalar = int.from_bytes(digest, "little") & ~7 & ((1 << 255) - 1) | (1 << 254)
        public = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
    else:
        digest = hashlib.shake_256(seed).digest(114)[:57]
        scalar = int.from_bytes(digest, "little") & ~3 & ((1 << 448) - 1) | (1 << 447)
        public = ed448.Ed448PrivateKey.from_private_bytes(seed).public_key()
    point = curve.decode(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    if point is None:  # pragma: no cover - cryptography's own public key
        raise ValueError(f"{curve.name}: the derived public key is not a point")
    return curve.multiply(pow(scalar, -1, curve.n), point)


@dataclass(frozen=True)
class EddsaCheck:
    """One EdDSA verification: it holds when `computed_r` (S·B − k·A, encoded) equals R."""

    k: int  # the hash as a number, mod n
    s_in_range: bool
    computed_r: bytes | None  # None when A is not a point or S is out of range


def eddsa_check(curve: Edwards, public: bytes, r: bytes, s: bytes, k_hash: bytes) -> EddsaCheck:
    """Compute S·B − k·A for the signature R ‖ S of a message whose k hash is `k_hash`."""
    k = int.from_bytes(k_hash, "little") % curve.n
    scalar = int.from_bytes(s, "little")
    in_range = scalar < curve.n
    point = curve.decode(public)
    if point is None or not in_range:
        return EddsaCheck(k, in_range, None)
    sb = curve.multiply(scalar, base_point(curve))
    computed = curve.add(sb, curve.negate(curve.multiply(k, point)))
    return EddsaCheck(k, in_range, curve.encode(computed))
