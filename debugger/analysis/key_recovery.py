"""Recover an RSA public key from two tokens it signed with PKCS#1 v1.5 (RS256, RS384, RS512).

A signature s of a signing input satisfies s^e = EM (mod n), where EM is the EMSA-PKCS1-v1_5
encoding of the input's hash, as long as the signature. So n divides s^e - EM, and the greatest
common divisor of that number for two tokens is n times a small cofactor, which trial division
removes. The candidate is kept only when it verifies both signatures. This is how an attacker
gets a public key that was never published, to use it in a key-confusion attack.

The numbers are e times the key size long (134 million bits for a 2048-bit key and e = 65537):
gmpy2 (GMP) computes their gcd in about half a minute, where Python's own integers would take
hours. The work holds the interpreter's lock; `recover_in_subprocess` runs it in another process
with a deadline, so that a server stays responsive.
"""

from __future__ import annotations

import functools
import hashlib
from typing import TypedDict

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from ..errors import KEY_NOT_RECOVERED, NOT_RSA_TOKEN, DebuggerError
from ..jose.algorithms import ALGORITHMS, DIGEST_INFO_PREFIXES
from ..jose.pasted import parse

#: The exponents tried, cheapest first: 3 costs milliseconds, 65537 nearly all of the time.
EXPONENTS = (3, 65537)
#: The largest signature (and so key) recovered, in bits: the work grows with its square.
MAX_RECOVERY_BITS = 4096
#: Small primes up to this bound are divided out of the gcd.
SMALL_PRIME_BOUND = 1 << 16
#: How long the web page's recovery may run: a 2048-bit key takes up to about a minute.
RECOVERY_SECONDS = 150.0
_PKCS1_ALGS = ("RS256", "RS384", "RS512")


class RecoveredKey(TypedDict):
    """The public key recovered from two tokens: as PEM (both forms), as a JWK, and its size."""

    alg: str
    bits: int
    exponent: int
    public_pem: str  # SubjectPublicKeyInfo: "-----BEGIN PUBLIC KEY-----"
    pkcs1_pem: str  # PKCS#1 RSAPublicKey: "-----BEGIN RSA PUBLIC KEY-----"
    jwk: dict[str, str]
    note: str


def recover_rsa_key(first: str, second: str) -> RecoveredKey:
    """The RSA public key that signed both tokens (RS256, RS384 or RS512, e = 65537 or 3)."""
    alg, signatures = _signed_pairs(first, second)
    n, exponent = _modulus(signatures)
    return _answer(alg, n, exponent)


@functools.lru_cache(maxsize=4)
def _modulus(signatures: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """The modulus and exponent both signatures verify under; asked again, answered at once."""
    for exponent in EXPONENTS:
        n = _candidate(signatures, exponent)
        if n is not None:
            return n, exponent
    raise DebuggerError(
        KEY_NOT_RECOVERED,
        "No RSA key with exponent 65537 or 3 signed both tokens: they were signed by different "
        "keys. Take two tokens from the same issuer and key (the same kid).",
    )


def _signed_pairs(first: str, second: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The tokens' algorithm and, for each token, its signature and its encoded message."""
    read = [_read(first, "first"), _read(second, "second")]
    algs = {alg for alg, _, _ in read}
    if len(algs) != 1:
        raise DebuggerError(
            KEY_NOT_RECOVERED,
            f"The tokens use different algorithms ({' and '.join(sorted(algs))}): take two "
            "tokens of the same issuer and key.",
        )
    (_, first_input, first_signature), (alg, second_input, second_signature) = read
    if len(first_signature) != len(second_signature):
        raise DebuggerError(
            KEY_NOT_RECOVERED,
            "The signatures have different lengths, so different keys made them: take two "
            "tokens of the same issuer and key.",
        )
    if first_input == second_input:
        raise DebuggerError(
            KEY_NOT_RECOVERED,
            "The two tokens sign the same content: take two different tokens (another login, "
            "a later iat) of the same key.",
        )
    signed = ((first_input, first_signature), (second_input, second_signature))
    pairs = tuple(
        (int.from_bytes(signature, "big"), _encoded_message(alg, signing_input, len(signature)))
        for signing_input, signature in signed
    )
    return alg, pairs


def _read(token: str, which: str) -> tuple[str, bytes, bytes]:
    parsed = parse(token)
    if not parsed.is_compact_jws or parsed.error() is not None or parsed.header is None:
        raise DebuggerError(
            NOT_RSA_TOKEN,
            f"The {which} token cannot be read: paste a whole signed token (three parts).",
            field=which,
        )
    alg = parsed.header.get("alg")
    spec = ALGORITHMS.get(alg) if isinstance(alg, str) else None
    if spec is not None and spec.kind == "RSA" and alg not in _PKCS1_ALGS:
        raise DebuggerError(
            NOT_RSA_TOKEN,
            f"The {which} token is {alg}: RSA-PSS signatures carry a random salt, so the signed "
            "message is unknown and the key cannot be recovered. Only RS256, RS384 and RS512 "
            "tokens can be used.",
            field=which,
        )
    if spec is None or alg not in _PKCS1_ALGS:
        raise DebuggerError(
            NOT_RSA_TOKEN,
            f"The {which} token's alg is {str(alg)[:20]!r}: only RS256, RS384 and RS512 tokens "
            "carry an RSA signature a public key can be recovered from.",
            field=which,
        )
    signature = parsed.signature or b""
    if not 64 <= len(signature) <= MAX_RECOVERY_BITS // 8:
        raise DebuggerError(
            NOT_RSA_TOKEN,
            f"The {which} token's signature is {len(signature) * 8} bits: keys of 512 to "
            f"{MAX_RECOVERY_BITS} bits can be recovered.",
            field=which,
        )
    return alg, parsed.signing_input(), signature


def _encoded_message(alg: str, signing_input: bytes, length: int) -> int:
    """EMSA-PKCS1-v1_5 (RFC 8017 section 9.2): 00 01 FF..FF 00 DigestInfo, `length` bytes."""
    hash_name = ALGORITHMS[alg].hash_name or "sha256"
    digest_info = DIGEST_INFO_PREFIXES[hash_name] + hashlib.new(hash_name, signing_input).digest()
    padding = b"\xff" * (length - len(digest_info) - 3)
    return int.from_bytes(b"\x00\x01" + padding + b"\x00" + digest_info, "big")


def _candidate(signatures: tuple[tuple[int, int], ...], exponent: int) -> int | None:
    """The modulus both signatures verify under with `exponent`, or None."""
    import gmpy2  # loaded when a key is recovered: the command line starts without it

    common = gmpy2.mpz(0)
    for signature, message in signatures:
        common = gmpy2.gcd(common, gmpy2.mpz(signature) ** exponent - message)
    prime = gmpy2.mpz(2)
    while prime < SMALL_PRIME_BOUND and common > 1:
        while common % prime == 0 and common > prime:
            common //= prime
        prime = gmpy2.next_prime(prime)
    n = int(common)
    if n <= max(signature for signature, _ in signatures):
        return None  # a modulus is larger than every signature made with it
    if all(pow(signature, exponent, n) == message for signature, message in signatures):
        return n
    return None


def _answer(alg: str, n: int, exponent: int) -> RecoveredKey:
    public_key = rsa.RSAPublicNumbers(exponent, n).public_key()
    spki = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pkcs1 = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    jwk = RSAAlgorithm.to_jwk(public_key, as_dict=True)
    return {
        "alg": alg,
        "bits": n.bit_length(),
        "exponent": exponent,
        "public_pem": spki.decode(),
        "pkcs1_pem": pkcs1.decode(),
        "jwk": {"kty": "RSA", "n": str(jwk["n"]), "e": str(jwk["e"]), "alg": alg, "use": "sig"},
        "note": "Both signatures verify with this key. A service may keep it as "
        "BEGIN PUBLIC KEY (SubjectPublicKeyInfo) or BEGIN RSA PUBLIC KEY (PKCS#1) PEM: a "
        "key-confusion attack needs the exact bytes the service holds, so try both.",
    }


def _recover_or_error(first: str, second: str) -> RecoveredKey | tuple[str, str, str | None]:
    """What the other process sends back: the key, or the error's code, message and field."""
    try:
        return recover_rsa_key(first, second)
    except DebuggerError as err:
        return err.code, err.message, err.field


def recover_in_subprocess(
    first: str, second: str, *, seconds: float = RECOVERY_SECONDS
) -> RecoveredKey:
    """`recover_rsa_key` in a fresh process, stopped after `seconds`: the caller's threads run."""
    import multiprocessing  # only the server needs it: the command line starts without it

    _signed_pairs(first, second)  # bad input is answered at once, without a process
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pending = pool.apply_async(_recover_or_error, (first, second))
        try:
            outcome = pending.get(seconds)
        except multiprocessing.TimeoutError as err:
            raise DebuggerError(
                KEY_NOT_RECOVERED,
                f"The recovery took longer than {seconds:g} s and was stopped. Keys over 2048 "
                "bits take longer: use the command line (jwt-debugger recover-key), which has "
                "no time limit.",
            ) from err
    if isinstance(outcome, tuple):
        code, message, field = outcome
        raise DebuggerError(code, message, field=field)
    return outcome
