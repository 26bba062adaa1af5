"""The ROCA fingerprint: found in RSALib-style moduli, absent from ordinary ones."""

from __future__ import annotations

import base64
import json

from debugger.analysis.keyinfo import key_warnings
from debugger.analysis.roca import has_roca_fingerprint
from debugger.jose.keys import read_key

from .roca_keys import roca_modulus


def _b64(n: int) -> str:
    return (
        base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()
    )


def test_an_rsalib_modulus_has_the_fingerprint():
    assert has_roca_fingerprint(roca_modulus())


def test_ordinary_moduli_do_not(keypairs):
    n = keypairs["RSA"].private.public_key().public_numbers().n
    assert not has_roca_fingerprint(n)


def test_a_roca_jwk_gets_a_warning_naming_the_finding():
    jwk = {"kty": "RSA", "n": _b64(roca_modulus()), "e": "AQAB"}
    warnings = key_warnings(read_key(json.dumps(jwk)).keys[0])
    roca = [w for w in warnings if w["code"] == "roca_key"]
    assert roca and roca[0]["finding"] == "roca-key"
