"""Security findings about an encrypted token (JWE): its algorithms, limits and content."""

from __future__ import annotations

from typing import Any

from ..codes import SEVERITIES
from ..jose.jwe_algorithms import PBES2_ALGS, ZIP_DEFLATE, is_public_key_alg
from .findings import Finding

#: p2c above this is more than common libraries accept by default (panva/jose stops at 10,000,
#: jwcrypto at 16,384): each decryption attempt costs the recipient p2c PBKDF2 rounds.
P2C_HIGH_FROM = 10_000
#: RFC 7518 section 4.8.1.2 recommends at least 1,000 iterations.
P2C_LOW_BELOW = 1_000

#: Every JWE finding: id -> (severity, title, what to do instead). The ids are a stable contract.
JWE_CATALOG: dict[str, tuple[str, str, str]] = {
    "jwe-rsa1_5": (
        "high",
        "RSA1_5 key encryption (deprecated)",
        "RSAES-PKCS1-v1_5 is open to Bleichenbacher's padding-oracle attack: a recipient that "
        "answers differently to bad padding lets an attacker decrypt the content key, one "
        "query at a time (the ROBOT attacks). It is deprecated for JOSE; use RSA-OAEP-256 or "
        "ECDH-ES.",
    ),
    "jwe-zip": (
        "medium",
        "Compressed before encryption (zip DEF)",
        "A recipient that inflates without a limit can be made to fill its memory by a small "
        "token (a decompression bomb); and compressing secrets together with text an attacker "
        "chooses leaks them through the ciphertext length (as in CRIME). Cap the inflated size "
        "(this debugger stops at 250 KiB) or leave zip out.",
    ),
    "jwe-p2c-high": (
        "medium",
        "Very large PBES2 count (p2c)",
        f"Every decryption attempt costs the recipient p2c PBKDF2 rounds, and the sender "
        f"chooses p2c: a recipient without a cap can be made to spend seconds per token "
        f"(CVE-2022-36083 in panva/jose). Cap p2c on the receiving side (common libraries stop "
        f"at {P2C_HIGH_FROM:,} to 16,384).",
    ),
    "jwe-p2c-low": (
        "low",
        "Small PBES2 count (p2c)",
        f"Below {P2C_LOW_BELOW:,} iterations (RFC 7518 section 4.8.1.2) a password is cheap to "
        "guess from a captured token. Use a long random secret with A256KW or dir instead of a "
        "password, or at least the recommended count.",
    ),
    "jwe-unsigned-claims": (
        "medium",
        "Encrypted but not signed",
        "With public-key encryption anyone who has the recipient's public key can make a token "
        "that decrypts, so these claims prove nothing about who wrote them. Sign the claims "
        "first and encrypt the signed token (a nested JWT, cty JWT), and verify the inner "
        "signature after decrypting.",
    ),
}
JWE_FINDING_IDS = tuple(JWE_CATALOG)


def _finding(finding_id: str, what: str) -> Finding:
    severity, title, advice = JWE_CATALOG[finding_id]
    return Finding(finding_id, severity, title, f"{what} {advice}")


def jwe_findings(header: dict[str, Any] | None, *, nested: bool, decrypted: bool) -> list[Finding]:
    """The findings for a JWE's header and, once decrypted, its content; worst first."""
    header = header or {}
    alg = header.get("alg")
    found: list[Finding] = []
    if alg == "RSA1_5":
        found.append(_finding("jwe-rsa1_5", "The token's alg is RSA1_5."))
    if header.get("zip") == ZIP_DEFLATE:
        found.append(_finding("jwe-zip", 'The plaintext is compressed (zip "DEF").'))
    p2c = header.get("p2c")
    if alg in PBES2_ALGS and isinstance(p2c, int) and not isinstance(p2c, bool):
        if p2c > P2C_HIGH_FROM:
            found.append(_finding("jwe-p2c-high", f"p2c is {p2c:,}."))
        elif p2c < P2C_LOW_BELOW:
            found.append(_finding("jwe-p2c-low", f"p2c is {p2c:,}."))
    if decrypted and not nested and isinstance(alg, str) and is_public_key_alg(alg):
        found.append(
            _finding("jwe-unsigned-claims", f"The content is not a signed token, and alg is {alg}.")
        )
    return sorted(found, key=lambda item: SEVERITIES.index(item.severity))
