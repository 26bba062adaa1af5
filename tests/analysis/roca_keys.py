"""RSA moduli built the way Infineon's RSALib builds them, to test the ROCA fingerprint."""

from __future__ import annotations

import random

from debugger.analysis.roca import GENERATOR, MODULUS

_SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_probable_prime(n: int) -> bool:
    """Miller-Rabin with the first primes as bases."""
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in _SMALL_PRIMES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def rsalib_prime(bits: int, rng: random.Random) -> int:
    """A prime k * M + (65537^a mod M) of `bits` bits, as RSALib makes them."""
    while True:
        k = rng.getrandbits(bits - MODULUS.bit_length()) | 1 << (bits - MODULUS.bit_length() - 1)
        p = k * MODULUS + pow(GENERATOR, rng.getrandbits(60), MODULUS)
        if p.bit_length() == bits and is_probable_prime(p):
            return p


def roca_modulus(bits: int = 2048, seed: int = 15361) -> int:
    rng = random.Random(seed)
    return rsalib_prime(bits // 2, rng) * rsalib_prime(bits // 2, rng)
