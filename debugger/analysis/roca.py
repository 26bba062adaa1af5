"""The ROCA fingerprint (CVE-2017-15361): RSA moduli made by Infineon's RSALib.

RSALib's primes have the form k * M + (65537^a mod M), with M the product of the first primes.
A modulus n = p * q is then a power of 65537 modulo M as well. Nemec et al. (ACM CCS 2017)
publish the test: n is in the subgroup that 65537 generates modulo M (checked prime power by
prime power of its order, Pohlig-Hellman style). Random moduli almost never are.
"""

from __future__ import annotations

from functools import lru_cache

GENERATOR = 65537
#: The multiplicative order of 65537 modulo `MODULUS`, and its prime-power factors.
GENERATOR_ORDER = 2454106387091158800
ORDER_FACTORS = (16, 81, 25, 7, 11, 13, 17, 23, 29, 37, 41, 53, 83)
#: The product of the primes the published detector uses.
MODULUS = 0x924CBA6AE99DFA084537FACC54948DF0C23DA044D8CABE0EDD75BC6


# The test costs ~100 µs of modular powers, and the same key comes back with every keystroke.
@lru_cache(maxsize=64)
def has_roca_fingerprint(n: int) -> bool:
    """True when `n` is a power of 65537 modulo `MODULUS`: the ROCA fingerprint."""
    if n <= 2 or pow(n, GENERATOR_ORDER, MODULUS) != 1:
        return False
    for factor in ORDER_FACTORS:
        cofactor = GENERATOR_ORDER // factor
        generator = pow(GENERATOR, cofactor, MODULUS)
        element = pow(n, cofactor, MODULUS)
        power = 1
        for _ in range(factor):
            if power == element:
                break
            power = power * generator % MODULUS
        else:
            return False
    return True
