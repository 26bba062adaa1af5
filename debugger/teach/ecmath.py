"""The ECDSA verification equation, computed step by step so that it can be shown.

This is for explaining, never for deciding: the verdict always comes from the `cryptography`
package. The curves are the short Weierstrass curves JWS uses (FIPS 186-4 and SEC 2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

Point = tuple[int, int] | None  # None is the point at infinity
P = TypeVar("P")


@dataclass(frozen=True)
class Curve:
    """y^2 = x^3 + a*x + b over the integers modulo p, with base point g of order n."""

    name: str
    p: int
    a: int
    b: int
    g: tuple[int, int]
    n: int

    def contains(self, point: Point) -> bool:
        """True when `point` is on the curve (infinity counts)."""
        if point is None:
            return True
        x, y = point
        return (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    def add(self, first: Point, second: Point) -> Point:
        """Point addition in affine coordinates."""
        if first is None:
            return second
        if second is None:
            return first
        p = self.p
        (x1, y1), (x2, y2) = first, second
        if x1 == x2 and (y1 + y2) % p == 0:
            return None
        if first == second:
            slope = (3 * x1 * x1 + self.a) * pow(2 * y1, -1, p) % p
        else:
            slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
        x3 = (slope * slope - x1 - x2) % p
        return x3, (slope * (x1 - x3) - y1) % p

    def multiply(self, scalar: int, point: Point) -> Point:
        """scalar * point by double-and-add."""
        return double_and_add(scalar, point, self.add, None)


def double_and_add(scalar: int, point: P, add: Callable[[P, P], P], neutral: P) -> P:
    """scalar · point on any curve whose addition is `add` and whose neutral element is given."""
    result = neutral
    while scalar:
        if scalar & 1:
            result = add(result, point)
        point = add(point, point)
        scalar >>= 1
    return result


def _weierstrass(
    name: str, p: int, b: int, gx: int, gy: int, n: int, a: int | None = None
) -> Curve:
    return Curve(name, p, p - 3 if a is None else a, b, (gx, gy), n)


CURVES = {
    "P-256": _weierstrass(
        "P-256",
        0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
        0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    ),
    "P-384": _weierstrass(
        "P-384",
        2**384 - 2**128 - 2**96 + 2**32 - 1,
        int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
            "C656398D8A2ED19D2A85C8EDD3EC2AEF",
            16,
        ),
        int(
            "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38"
            "5502F25DBF55296C3A545E3872760AB7",
            16,
        ),
        int(
            "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0"
            "0A60B1CE1D7E819D7A431D7C90EA0E5F",
            16,
        ),
        int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
            "581A0DB248B0A77AECEC196ACCC52973",
            16,
        ),
    ),
    "P-521": _weierstrass(
        "P-521",
        2**521 - 1,
        int(
            "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
            "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
            16,
        ),
        int(
            "00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D"
            "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66",
            16,
        ),
        int(
            "011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E"
            "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650",
            16,
        ),
        int(
            "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
            "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
            16,
        ),
    ),
    "secp256k1": _weierstrass(
        "secp256k1",
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
        7,
        0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
        0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
        a=0,
    ),
}


@dataclass(frozen=True)
class EcdsaCheck:
    """The values of one ECDSA verification: it holds when `x_mod_n == r`."""

    z: int  # the hash as an integer, cut to the bit length of n
    w: int | None  # s^-1 mod n
    u1: int | None
    u2: int | None
    x_mod_n: int | None  # x of u1*G + u2*Q, mod n; None when r or s is out of range
    in_range: bool


def hash_to_int(digest: bytes, n: int) -> int:
    """The leftmost bits of the hash, as many as n has (FIPS 186-4 section 6.4)."""
    value = int.from_bytes(digest, "big")
    excess = len(digest) * 8 - n.bit_length()
    return value >> excess if excess > 0 else value


def ecdsa_check(curve: Curve, public: tuple[int, int], digest: bytes, r: int, s: int) -> EcdsaCheck:
    """Compute u1*G + u2*Q for signature (r, s); the signature holds when its x mod n is r."""
    z = hash_to_int(digest, curve.n)
    if not (0 < r < curve.n and 0 < s < curve.n):
        return EcdsaCheck(z, None, None, None, None, False)
    w = pow(s, -1, curve.n)
    u1 = z * w % curve.n
    u2 = r * w % curve.n
    point = curve.add(curve.multiply(u1, curve.g), curve.multiply(u2, public))
    x_mod_n = None if point is None else point[0] % curve.n
    return EcdsaCheck(z, w, u1, u2, x_mod_n, True)
