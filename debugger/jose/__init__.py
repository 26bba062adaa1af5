"""Tokens, keys, JWK, certificates, signing, verification, times and claims: no web, no network.

The names below are the core's public surface; everything else in these modules may change.
"""

from .b64 import b64url
from .claims import ClaimChecks, check_claims
from .conversions import convert
from .jwk import public_jwk, thumbprint
from .keygen import generate_key
from .keys import Key, KeyRing, read_key
from .pasted import parse
from .sign import encode
from .times import check_times
from .tokens import ParsedToken
from .verify import Verdict, check_signature

__all__ = [
    "ClaimChecks",
    "Key",
    "KeyRing",
    "ParsedToken",
    "Verdict",
    "b64url",
    "check_claims",
    "check_signature",
    "check_times",
    "convert",
    "encode",
    "generate_key",
    "parse",
    "public_jwk",
    "read_key",
    "thumbprint",
]
