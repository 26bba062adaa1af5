"""keys: detect what a pasted key or secret is, read it, and say which algorithms it fits."""

from __future__ import annotations

import base64
import json
import math
import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from debugger.errors import BAD_KEY, INVALID_REQUEST, DebuggerError
from debugger.jose.keys import read_jwk, read_key

# `ssh-keygen -t ed25519 -N pw -C ""`: an OpenSSH private key protected by a passphrase.
ENCRYPTED_OPENSSH = """-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD4hqkdmc
+ULUAkWhNicSwCAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIPlZiBYwCMxmrkaH
JTCcC/bcDQpGvJQNSz1VEmk2U7tOAAAAkKJG6Rkq4a8knETyIWPbAzHLaTBBnKTBEpQYFO
fucpNJePmomT/m8BxYGBndJPJJM41vRR4v/spXnMHyJhIdmIsecSPMx3GiG2frbwyF4DKu
nt9yco8EJ0MC09vDFx2RMVcxghCTpwYkt9f2VNuCk3F45FK42ajdVbJmLVc2deZ3QJCbHO
5z0QMKj6r7LWm45w==
-----END OPENSSH PRIVATE KEY-----
"""

JWK_TOOLS = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}
KTY_OF = {
    "RSA": "RSA",
    "P-256": "EC",
    "P-384": "EC",
    "P-521": "EC",
    "secp256k1": "EC",
    "Ed25519": "OKP",
    "Ed448": "OKP",
}
SIZE_OF = {
    "RSA": 2048,
    "P-256": 256,
    "P-384": 384,
    "P-521": 521,
    "secp256k1": 256,
    "Ed25519": 256,
    "Ed448": 456,
}


def bad_key(text: str, secret_encoding: str = "utf-8") -> DebuggerError:
    with pytest.raises(DebuggerError) as caught:
        read_key(text, secret_encoding)
    assert caught.value.code == BAD_KEY
    assert caught.value.field == "key"
    return caught.value


def only_key(text: str, secret_encoding: str = "utf-8"):
    ring = read_key(text, secret_encoding)
    assert len(ring.keys) == 1
    assert not ring.is_set
    return ring.keys[0]


def jwk_of(key_object, **extra) -> dict:
    kty = "RSA" if isinstance(key_object, rsa.RSAPrivateKey | rsa.RSAPublicKey) else None
    if isinstance(key_object, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        kty = "EC"
    if kty is None:
        kty = "OKP"
    return {**json.loads(JWK_TOOLS[kty].to_jwk(key_object)), **extra}


def public_numbers_equal(a, b) -> bool:
    return a.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == b.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


# Secrets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    (
        ("a-secret-of-thirty-two-bytes-000", "utf-8", b"a-secret-of-thirty-two-bytes-000"),
        ("caf\u00e9 ", "utf-8", "caf\u00e9 ".encode()),
        (base64.b64encode(b"\xfb\xff\x00secret").decode(), "base64", b"\xfb\xff\x00secret"),
        ("+/8", "base64", b"\xfb\xff"),
        ("c2Vj\ncmV0", "base64", b"secret"),
        ("-_8", "base64url", b"\xfb\xff"),
        ("-_8=", "base64url", b"\xfb\xff"),
        ("00ff10", "hex", b"\x00\xff\x10"),
        ("00 FF\n10", "hex", b"\x00\xff\x10"),
    ),
)
def test_read_key_decodes_a_secret_in_the_chosen_encoding(text, encoding, expected):
    key = only_key(text, encoding)
    assert key.kind == "secret"
    assert key.material == expected
    assert key.size == len(expected) * 8
    assert key.can_sign
    assert key.verifying_material == expected
    info = key.describe()
    assert info["type"] == "oct"
    assert info["source"] == f"secret ({encoding})"
    assert info["private"] is None
    assert info["description"] == f"HMAC secret of {len(expected)} bytes"


@pytest.mark.parametrize(
    ("text", "encoding"),
    (
        ("not base64!", "base64"),
        ("-_8", "base64"),
        ("a+b/", "base64url"),
        ("abc!", "base64url"),
        ("zz", "hex"),
        ("abc", "hex"),
    ),
)
def test_read_key_rejects_a_secret_that_is_not_in_the_chosen_encoding(text, encoding):
    bad_key(text, encoding)


@pytest.mark.parametrize("encoding", ("latin-1", "base32", "", "UTF8"))
def test_read_key_rejects_an_unknown_secret_encoding(encoding):
    with pytest.raises(DebuggerError) as caught:
        read_key("secret", encoding)
    assert caught.value.code == INVALID_REQUEST
    assert caught.value.field == "secret_encoding"


# PEM, certificates and SSH -----------------------------------------------------------------


@pytest.mark.parametrize("name", tuple(KTY_OF))
def test_read_key_reads_a_pem_spki_public_key(keypairs, name):
    key = only_key(keypairs[name].public_pem)
    assert key.kind == KTY_OF[name]
    assert not key.private
    assert not key.can_sign
    assert key.size == SIZE_OF[name]
    assert key.curve == (None if name == "RSA" else name)
    assert key.source == "PEM public key (SPKI)"
    assert public_numbers_equal(key.verifying_material, keypairs[name].private.public_key())


def test_read_key_reads_a_key_text_once_and_keeps_it_for_the_next_request(keypairs):
    # Each keystroke in the token box sends the same key: an RSA private key is checked by
    # OpenSSL (tens of milliseconds) only the first time.
    read_key.cache_clear()
    first = read_key(keypairs["RSA"].private_pem)
    assert read_key(keypairs["RSA"].private_pem) is first
    assert read_key.cache_info().hits == 1
    assert read_key(keypairs["RSA"].public_pem) is not first
    assert read_key("c2VjcmV0", "base64") != read_key("c2VjcmV0", "utf-8")


def test_read_key_keeps_no_failed_read(keypairs):
    read_key.cache_clear()
    for _ in range(2):
        with pytest.raises(DebuggerError):
            read_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    assert read_key.cache_info().currsize == 0


@pytest.mark.parametrize("name", tuple(KTY_OF))
def test_read_key_reads_a_pkcs8_private_key(keypairs, name):
    key = only_key(keypairs[name].private_pem)
    assert key.kind == KTY_OF[name]
    assert key.private
    assert key.can_sign
    assert key.source == "PEM private key (PKCS#8)"
    assert key.size == SIZE_OF[name]
    public = key.verifying_material
    assert not hasattr(public, "private_bytes")
    assert public_numbers_equal(public, keypairs[name].private.public_key())


def test_read_key_reads_a_pkcs1_rsa_public_key(keypairs):
    pem = (
        keypairs["RSA"]
        .private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        .decode()
    )
    assert pem.startswith("-----BEGIN RSA PUBLIC KEY-----")
    key = only_key(pem)
    assert (key.kind, key.private, key.size) == ("RSA", False, 2048)
    assert key.source == "PEM RSA public key"
    assert key.describe()["description"] == "RSA 2048-bit public key"


@pytest.mark.parametrize(
    ("name", "label"),
    (("RSA", "RSA PRIVATE KEY"), ("P-256", "EC PRIVATE KEY"), ("secp256k1", "EC PRIVATE KEY")),
)
def test_read_key_reads_traditional_pkcs1_and_sec1_private_keys(keypairs, name, label):
    pem = (
        keypairs[name]
        .private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        .decode()
    )
    assert pem.startswith(f"-----BEGIN {label}-----")
    key = only_key(pem)
    assert key.kind == KTY_OF[name]
    assert key.private
    assert key.source == f"PEM {label}"
    assert key.curve == (None if name == "RSA" else name)


def test_read_key_ignores_text_around_a_pem_block(keypairs):
    key = only_key("Here is my key:\n\n" + keypairs["P-384"].public_pem + "\nthanks")
    assert (key.kind, key.curve) == ("EC", "P-384")


def _self_signed(private, subject: str, issuer: str) -> x509.Certificate:
    now = datetime.now(UTC).replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org"),
                    x509.NameAttribute(NameOID.COMMON_NAME, issuer),
                ]
            )
        )
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(private, hashes.SHA256())
    )


@pytest.mark.parametrize("name", ("RSA", "P-256"))
def test_read_key_reads_the_public_key_of_an_x509_certificate(keypairs, name):
    certificate = _self_signed(keypairs[name].private, "api.example.test", "Example CA")
    key = only_key(certificate.public_bytes(serialization.Encoding.PEM).decode())
    assert key.kind == KTY_OF[name]
    assert not key.private
    assert key.source == "X.509 certificate (PEM)"
    assert public_numbers_equal(key.verifying_material, keypairs[name].private.public_key())
    info = key.describe()["certificate"]
    assert info["subject"] == "CN=api.example.test"
    assert info["issuer"] == certificate.issuer.rfc4514_string()
    assert "O=Example Org" in info["issuer"] and "CN=Example CA" in info["issuer"]
    fingerprint = certificate.fingerprint(hashes.SHA256())
    assert info["sha256_fingerprint"] == ":".join(f"{byte:02X}" for byte in fingerprint)
    assert datetime.fromisoformat(info["not_before"]) == certificate.not_valid_before_utc
    assert datetime.fromisoformat(info["not_after"]) == certificate.not_valid_after_utc


def test_describe_has_no_certificate_for_a_plain_key(keypairs):
    assert "certificate" not in only_key(keypairs["RSA"].public_pem).describe()


@pytest.mark.parametrize("name", ("RSA", "P-256", "Ed25519"))
def test_read_key_reads_an_openssh_private_key(keypairs, name):
    pem = (
        keypairs[name]
        .private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        .decode()
    )
    key = only_key(pem)
    assert key.kind == KTY_OF[name]
    assert key.private
    assert key.source == "OpenSSH private key"
    assert public_numbers_equal(key.verifying_material, keypairs[name].private.public_key())


@pytest.mark.parametrize(("name", "prefix"), (("Ed25519", "ssh-ed25519 "), ("RSA", "ssh-rsa ")))
def test_read_key_reads_an_ssh_public_key_line(keypairs, name, prefix):
    line = (
        keypairs[name]
        .private.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )
    assert line.startswith(prefix)
    key = only_key(line + " user@host\n")
    assert key.kind == KTY_OF[name]
    assert not key.private
    assert key.source == "SSH public key"
    assert public_numbers_equal(key.verifying_material, keypairs[name].private.public_key())


def test_read_key_rejects_an_unreadable_ssh_public_key():
    bad_key("ssh-ed25519 AAAAnot-a-key user@host")


@pytest.mark.parametrize(
    "fmt", (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL)
)
def test_read_key_says_an_encrypted_pem_needs_its_password_removed(keypairs, fmt):
    pem = (
        keypairs["P-256"]
        .private.private_bytes(
            serialization.Encoding.PEM, fmt, serialization.BestAvailableEncryption(b"pw")
        )
        .decode()
    )
    error = bad_key(pem)
    assert "password" in error.message.lower()


def test_read_key_says_an_encrypted_openssh_key_is_password_protected():
    error = bad_key(ENCRYPTED_OPENSSH)
    assert "password" in error.message.lower()


@pytest.mark.parametrize("which", ("public_pem", "private_pem"))
def test_read_key_rejects_a_truncated_pem(keypairs, which):
    pem = getattr(keypairs["RSA"], which)
    lines = pem.strip().splitlines()
    truncated = "\n".join(lines[: len(lines) // 2] + [lines[-1]])
    bad_key(truncated)


def test_read_key_rejects_a_pem_without_its_end_line(keypairs):
    bad_key(keypairs["RSA"].public_pem.strip().splitlines()[0] + "\nMIIBIjANBgkq\n")


def test_read_key_rejects_a_pem_block_that_is_not_a_key():
    error = bad_key("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----")
    assert "CERTIFICATE REQUEST" in error.message


def test_read_key_rejects_a_key_type_jws_cannot_use():
    pem = (
        x25519.X25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    bad_key(pem)


# JWK and JWK Sets -------------------------------------------------------------------------


def test_read_key_reads_an_oct_jwk_with_its_metadata():
    jwk = {
        "kty": "oct",
        "k": base64.urlsafe_b64encode(b"\xfb" * 32).rstrip(b"=").decode(),
        "kid": "hmac-1",
        "alg": "HS256",
        "use": "sig",
        "key_ops": ["sign", "verify"],
    }
    key = only_key(json.dumps(jwk))
    assert key.kind == "secret"
    assert key.material == b"\xfb" * 32
    assert key.size == 256
    info = key.describe()
    assert info["type"] == "oct"
    assert (info["kid"], info["alg"], info["use"], info["key_ops"]) == (
        "hmac-1",
        "HS256",
        "sig",
        ["sign", "verify"],
    )
    assert info["source"] == "JWK"


@pytest.mark.parametrize("name", tuple(KTY_OF))
@pytest.mark.parametrize("private", (False, True))
def test_read_key_reads_a_jwk_of_each_kty_with_its_metadata(keypairs, name, private):
    key_object = keypairs[name].private
    if not private:
        key_object = key_object.public_key()
    jwk = jwk_of(key_object, kid=f"{name}-key", alg="XX1", use="sig", key_ops=["verify"])
    key = only_key(json.dumps(jwk))
    assert key.kind == KTY_OF[name]
    assert key.private == private
    assert key.can_sign == private
    assert key.size == SIZE_OF[name]
    assert public_numbers_equal(key.verifying_material, keypairs[name].private.public_key())
    info = key.describe()
    assert info["type"] == KTY_OF[name]
    assert info["private"] == private
    assert info["curve"] == (None if name == "RSA" else name)
    assert info["kid"] == f"{name}-key"
    assert info["alg"] == "XX1"
    assert info["use"] == "sig"
    assert info["key_ops"] == ["verify"]
    assert info["source"] == "JWK"


def test_describe_leaves_out_jwk_metadata_that_is_absent(keypairs):
    info = only_key(json.dumps(jwk_of(keypairs["Ed448"].private.public_key()))).describe()
    assert info["kid"] is None
    assert "alg" not in info and "use" not in info and "key_ops" not in info


def test_read_jwk_ignores_metadata_of_the_wrong_type(keypairs):
    jwk = jwk_of(keypairs["P-256"].private.public_key(), kid=7, alg=["ES256"], use=1)
    key = read_jwk(jwk)
    assert (key.kid, key.jwk_alg, key.use, key.key_ops) == (None, None, None, None)


def test_read_key_reads_a_jwk_set_and_lists_unusable_entries(keypairs):
    good_rsa = jwk_of(keypairs["RSA"].private.public_key(), kid="rsa-1")
    good_ec = jwk_of(keypairs["P-256"].private.public_key(), kid="ec-1")
    keys = [good_rsa, {"kty": "foo", "kid": "weird"}, good_ec, "not an object"]
    ring = read_key(json.dumps({"keys": keys}))
    assert ring.is_set
    assert ring.kids == ["rsa-1", "ec-1"]
    assert [key.kind for key in ring.keys] == ["RSA", "EC"]
    assert [key.source for key in ring.keys] == ["JWK Set, key 1", "JWK Set, key 3"]
    assert [(item["index"], item["kid"]) for item in ring.unusable] == [(1, "weird"), (3, None)]
    assert all(isinstance(item["reason"], str) and item["reason"] for item in ring.unusable)
    assert "foo" in ring.unusable[0]["reason"]


@pytest.mark.parametrize(
    "bad_entry",
    (
        {"kty": "RSA", "kid": "broken", "n": "AQAB"},
        {"kty": "EC", "kid": "broken", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "OKP", "kid": "broken", "crv": "X25519", "x": "AA"},
        {"kty": "oct", "kid": "broken"},
        {"kid": "broken"},
    ),
)
def test_read_key_keeps_the_usable_keys_of_a_set_with_a_broken_entry(keypairs, bad_entry):
    good = jwk_of(keypairs["Ed25519"].private.public_key(), kid="ok")
    ring = read_key(json.dumps({"keys": [bad_entry, good]}))
    assert ring.kids == ["ok"]
    assert [(item["index"], item["kid"]) for item in ring.unusable] == [(0, "broken")]


@pytest.mark.parametrize(
    "keys",
    ([], [{"kty": "foo", "kid": "a"}], [{"kty": "RSA", "n": "AQAB"}, 42]),
)
def test_read_key_rejects_a_jwk_set_with_no_usable_key(keys):
    bad_key(json.dumps({"keys": keys}))


@pytest.mark.parametrize(
    "text",
    ('{"a": 1}', '{"keys": "not a list"}', '{"keys": {"kty": "oct"}}', "{}"),
)
def test_read_key_rejects_json_that_is_neither_a_jwk_nor_a_set(text):
    bad_key(text)


@pytest.mark.parametrize("text", ('{"kty": "oct",', "{kty: oct}", '{"kty": "oct"} extra', "{"))
def test_read_key_rejects_invalid_json_that_starts_like_a_jwk(text):
    bad_key(text)


@pytest.mark.parametrize(
    "jwk",
    (
        {"kty": "foo"},
        {"kty": "oct"},
        {"kty": "oct", "k": 5},
        {"kty": "oct", "k": "a+b/"},
        {"kty": "RSA", "n": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "OKP", "crv": "X25519", "x": "AA"},
    ),
)
def test_read_key_rejects_an_unreadable_jwk(jwk):
    bad_key(json.dumps(jwk))


# Fitness for an algorithm --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "alg"),
    (
        ("RSA", "RS256"),
        ("RSA", "PS512"),
        ("P-256", "ES256"),
        ("P-384", "ES384"),
        ("P-521", "ES512"),
        ("secp256k1", "ES256K"),
        ("Ed25519", "EdDSA"),
        ("Ed25519", "Ed25519"),
        ("Ed448", "EdDSA"),
        ("Ed448", "Ed448"),
    ),
)
def test_unfit_reason_is_none_for_a_key_that_fits(keypairs, name, alg):
    assert only_key(keypairs[name].public_pem).unfit_reason(alg) is None
    assert only_key(keypairs[name].private_pem).unfit_reason(alg, "sign") is None


@pytest.mark.parametrize(
    ("name", "alg"),
    (
        ("RSA", "ES256"),
        ("RSA", "HS256"),
        ("P-256", "RS256"),
        ("Ed25519", "ES256"),
        ("P-256", "EdDSA"),
    ),
)
def test_unfit_reason_names_the_wrong_kind_of_key(keypairs, name, alg):
    reason = only_key(keypairs[name].public_pem).unfit_reason(alg)
    assert reason is not None and alg in reason


def test_unfit_reason_for_a_secret_used_with_an_asymmetric_alg():
    secret = only_key("a-secret-of-thirty-two-bytes-000")
    assert secret.unfit_reason("HS512") is None
    assert secret.unfit_reason("RS256") is not None


@pytest.mark.parametrize(
    ("name", "alg"),
    (
        ("P-256", "ES384"),
        ("P-384", "ES256"),
        ("P-521", "ES256"),
        ("secp256k1", "ES256"),
        ("P-256", "ES256K"),
        ("Ed25519", "Ed448"),
        ("Ed448", "Ed25519"),
    ),
)
def test_unfit_reason_names_the_curve_the_alg_needs(keypairs, name, alg):
    reason = only_key(keypairs[name].public_pem).unfit_reason(alg)
    assert reason is not None and name in reason


def test_unfit_reason_for_an_unknown_alg(keypairs):
    assert only_key(keypairs["RSA"].public_pem).unfit_reason("RS1") is not None


def test_unfit_reason_when_the_jwk_alg_differs(keypairs):
    key = read_jwk(jwk_of(keypairs["RSA"].private.public_key(), alg="PS256"))
    assert key.unfit_reason("PS256") is None
    reason = key.unfit_reason("RS256")
    assert reason is not None and "PS256" in reason


@pytest.mark.parametrize(("use", "fits"), (("sig", True), ("enc", False), ("other", False)))
def test_unfit_reason_follows_the_jwk_use(keypairs, use, fits):
    key = read_jwk(jwk_of(keypairs["P-256"].private.public_key(), use=use))
    assert (key.unfit_reason("ES256") is None) == fits


@pytest.mark.parametrize(
    ("private", "key_ops", "operation", "fits"),
    (
        (False, ["verify"], "verify", True),
        (False, ["sign"], "verify", False),
        (False, ["encrypt"], "verify", False),
        (False, [], "verify", False),
        (True, ["sign"], "verify", True),
        (True, ["sign"], "sign", True),
        (True, ["verify"], "sign", False),
        (True, ["decrypt"], "verify", False),
        (True, ["sign", "verify"], "verify", True),
    ),
)
def test_unfit_reason_follows_the_jwk_key_ops(keypairs, private, key_ops, operation, fits):
    key_object = keypairs["P-256"].private
    jwk = jwk_of(key_object if private else key_object.public_key(), key_ops=key_ops)
    key = read_jwk(jwk)
    assert key.private == private
    assert (key.unfit_reason("ES256", operation) is None) == fits


def test_a_secret_jwk_marked_sign_may_still_verify():
    key = read_jwk({"kty": "oct", "k": "c2VjcmV0", "key_ops": ["sign"]})
    assert key.unfit_reason("HS256") is None
    assert key.unfit_reason("HS256", "sign") is None


@pytest.mark.parametrize("name", ("RSA", "P-521", "Ed448"))
def test_describe_reports_private_and_public_keys(keypairs, name):
    public = only_key(keypairs[name].public_pem).describe()
    private = only_key(keypairs[name].private_pem).describe()
    assert (public["private"], public["can_sign"]) == (False, False)
    assert (private["private"], private["can_sign"]) == (True, True)
    assert public["type"] == private["type"] == KTY_OF[name]
    assert public["kind"] == KTY_OF[name]
    assert public["size"] == private["size"] == SIZE_OF[name]
    assert public["description"].endswith("public key")
    assert private["description"].endswith("private key")
    assert public["curve"] == (None if name == "RSA" else name)
    assert public["kid"] is None
    assert set(public) == {
        "type",
        "kind",
        "description",
        "source",
        "private",
        "can_sign",
        "size",
        "curve",
        "kid",
    }


@pytest.mark.parametrize(
    ("name", "description"),
    (
        ("RSA", "RSA 2048-bit public key"),
        ("P-384", "P-384 public key"),
        ("Ed25519", "Ed25519 public key"),
    ),
)
def test_describe_gives_a_short_description(keypairs, name, description):
    assert only_key(keypairs[name].public_pem).describe()["description"] == description


def test_verifying_material_of_a_private_jwk_checks_its_signatures():
    private = ed25519.Ed25519PrivateKey.generate()
    key = read_jwk(jwk_of(private))
    assert isinstance(key.verifying_material, ed25519.Ed25519PublicKey)
    key.verifying_material.verify(private.sign(b"message"), b"message")


def test_read_key_skips_an_ec_parameters_block_before_the_key():
    private = ec.generate_private_key(ec.SECP256R1())
    sec1 = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
    key = read_key(params + sec1).keys[0]
    assert (key.kind, key.curve, key.private) == ("EC", "P-256", True)


# --- RSA private keys: checked once, within a budget --------------------------------------------


def _rsa_forms(private) -> list[str]:
    """The same RSA private key as PKCS#8, PKCS#1 and OpenSSH PEM (with white space) and JWK."""
    none = serialization.NoEncryption()
    forms = [
        private.private_bytes(serialization.Encoding.PEM, fmt, none).decode()
        for fmt in (
            serialization.PrivateFormat.PKCS8,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.PrivateFormat.OpenSSH,
        )
    ]
    return [forms[0], forms[1] + "\n\n  ", "\t" + forms[2], RSAAlgorithm.to_jwk(private)]


def test_an_rsa_private_key_is_checked_once_whatever_its_form(keypairs):
    from debugger.jose import keys

    keys._check_rsa_numbers.cache_clear()
    read_key.cache_clear()
    for text in _rsa_forms(keypairs["RSA"].private):
        assert only_key(text).private
    assert keys._check_rsa_numbers.cache_info().misses == 1


def _other_exponents(private, count: int) -> list[int]:
    """Public exponents other than 65537 that this key's primes allow (gcd 1 with p-1 and q-1)."""
    numbers = private.private_numbers()
    order = math.lcm(numbers.p - 1, numbers.q - 1)
    fit = [e for e in (257, 17, 5, 3, 7, 11, 13, 19, 23, 29, 31, 37) if math.gcd(e, order) == 1]
    return fit[:count]


def _with_exponent(private, exponent: int) -> dict:
    """Another RSA private key on the same primes: a distinct key, as costly to check."""
    numbers = private.private_numbers()
    p, q = numbers.p, numbers.q
    d = pow(exponent, -1, math.lcm(p - 1, q - 1))
    other = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), numbers.iqmp, rsa.RSAPublicNumbers(exponent, p * q)
    ).private_key()
    return json.loads(RSAAlgorithm.to_jwk(other))


def test_a_key_set_checks_private_keys_only_within_the_budget(keypairs, monkeypatch):
    from debugger.jose import keys

    monkeypatch.setattr(keys, "RSA_CHECK_BUDGET", 2 * 2048**3)  # two 2048-bit keys
    private = keypairs["RSA"].private
    second, third = _other_exponents(private, 2)
    entries = [_with_exponent(private, exponent) for exponent in (65537, 65537, second, third)]
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    key_set = {"keys": [{**e, "kid": str(i)} for i, e in enumerate([*entries, public])]}
    ring = read_key(json.dumps(key_set))
    # The same key twice is checked once; the fourth key would go over; public keys cost nothing.
    assert [key.kid for key in ring.keys] == ["0", "1", "2", "4"]
    assert [(item["index"], item["code"]) for item in ring.unusable] == [(3, "skipped")]

    from debugger.jose import conversions, keys

    monkeypatch.setattr(keys, "RSA_CHECK_BUDGET", 2048**3)
    private = keypairs["RSA"].private
    texts = [json.dumps(_with_exponent(private, e)) for e in (65537, *_other_exponents(private, 1))]
    assert conversions.convert(texts[:1], "jwk_set")["kids"]
    with pytest.raises(DebuggerError) as caught:
        conversions.convert(texts, "jwk_set")
    assert caught.value.code == "key_too_large"


@pytest.mark.parametrize("with_phi", (False, True))
def test_a_private_rsa_jwk_with_only_d_is_read(keypairs, with_phi):
    numbers = keypairs["RSA"].private.private_numbers()
    public = numbers.public_numbers
    d = numbers.d
    if with_phi:  # some tools work d out modulo (p-1)(q-1) rather than the lcm
        d = pow(public.e, -1, (numbers.p - 1) * (numbers.q - 1))
    full = json.loads(RSAAlgorithm.to_jwk(keypairs["RSA"].private))
    only_d = {"kty": "RSA", "n": full["n"], "e": full["e"], "d": _b64url_uint(d)}
    key = only_key(json.dumps(only_d))
    assert key.private
    assert key.material.private_numbers().p in (numbers.p, numbers.q)


def test_a_private_rsa_jwk_with_only_d_and_a_prime_n_is_refused_quickly():
    # A prime n (here 2**4423 - 1) passes the quick test that e and d belong together, yet has
    # no p and q to find: PyJWT tries 500 random bases, each a full exponentiation.
    prime = 2**4423 - 1
    d = pow(65537, -1, prime - 1)
    jwk = {"kty": "RSA", "n": _b64url_uint(prime), "e": "AQAB", "d": _b64url_uint(d)}
    started = time.perf_counter()
    with pytest.raises(DebuggerError) as caught:
        read_key(json.dumps(jwk))
    assert caught.value.code == BAD_KEY
    assert time.perf_counter() - started < 2.0


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "body",
    ("abcdefghijklm", "!!!!", ""),
    ids=("cut-short", "not-base64", "empty"),
)
def test_a_damaged_pem_is_described_without_the_library_s_text(body):
    with pytest.raises(DebuggerError) as caught:
        read_key(f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----")
    assert caught.value.code == BAD_KEY
    assert "cryptography.io" not in caught.value.message
    assert "InvalidData" not in caught.value.message
