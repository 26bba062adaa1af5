"""The signature algorithms the debugger knows, and which keys fit each of them."""

from __future__ import annotations

from dataclasses import dataclass

from jwt.algorithms import Algorithm, get_default_algorithms

_PYJWT = get_default_algorithms()
# The SHA-2 hash of each hash size: the one table every algorithm's hash is named from.
_HASH_NAMES = {32: "sha256", 48: "sha384", 64: "sha512"}
#: The DER prefix of the PKCS#1 v1.5 DigestInfo for each hash (RFC 8017 section 9.2, note 1).
DIGEST_INFO_PREFIXES = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


@dataclass(frozen=True)
class AlgSpec:
    """One JWS `alg`: the key kind it needs and, for EC and OKP, the curve."""

    name: str
    kind: str  # "secret", "RSA", "EC" or "OKP"
    curves: tuple[str, ...] = ()
    hash_bytes: int = 0
    pyjwt_name: str = ""

    @property
    def hash_name(self) -> str | None:
        """The `hashlib` name of the algorithm's hash ("sha256"); None for EdDSA."""
        return _HASH_NAMES.get(self.hash_bytes)

    @property
    def implementation(self) -> Algorithm:
        """PyJWT's implementation of this algorithm."""
        return _PYJWT[self.pyjwt_name or self.name]


ALGORITHMS: dict[str, AlgSpec] = {
    spec.name: spec
    for spec in (
        AlgSpec("HS256", "secret", hash_bytes=32),
        AlgSpec("HS384", "secret", hash_bytes=48),
        AlgSpec("HS512", "secret", hash_bytes=64),
        AlgSpec("RS256", "RSA", hash_bytes=32),
        AlgSpec("RS384", "RSA", hash_bytes=48),
        AlgSpec("RS512", "RSA", hash_bytes=64),
        AlgSpec("PS256", "RSA", hash_bytes=32),
        AlgSpec("PS384", "RSA", hash_bytes=48),
        AlgSpec("PS512", "RSA", hash_bytes=64),
        AlgSpec("ES256", "EC", ("P-256",), 32),
        AlgSpec("ES384", "EC", ("P-384",), 48),
        AlgSpec("ES512", "EC", ("P-521",), 64),
        AlgSpec("ES256K", "EC", ("secp256k1",), 32),
        AlgSpec("EdDSA", "OKP", ("Ed25519", "Ed448")),
        # RFC 9864 fully-specified names for EdDSA.
        AlgSpec("Ed25519", "OKP", ("Ed25519",), pyjwt_name="EdDSA"),
        AlgSpec("Ed448", "OKP", ("Ed448",), pyjwt_name="EdDSA"),
    )
}

KIND_NAMES = {
    "secret": "an HMAC secret",
    "RSA": "an RSA key",
    "EC": "an EC key",
    "OKP": "an Ed25519 or Ed448 key",
}


def is_unsecured(alg: str) -> bool:
    """True for `none` in any casing: a token that carries no signature at all."""
    return alg.lower() == "none"


def algorithms_for(kind: str, curve: str | None) -> list[str]:
    """Every algorithm a key of this kind and curve can be used with."""
    return [
        spec.name
        for spec in ALGORITHMS.values()
        if spec.kind == kind and (not spec.curves or curve in spec.curves)
    ]
