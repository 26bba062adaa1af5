"""Keys as real integrations paste them: every form is read as the key it is, with a note."""

from __future__ import annotations

import base64
import json
import textwrap

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from debugger.analysis.report import verify_report
from debugger.jose.keys import read_key

from ..certificates import chain, x5c
from .interop import CLAIMS, b64

NOW = 1_800_000_000


def warnings_of(report) -> list[str]:
    return [warning["code"] for warning in report["key"]["warnings"]]


def rfc4716(public_key) -> str:
    blob = public_key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    body = blob.split()[1].decode()
    lines = "\n".join(textwrap.wrap(body, 70))
    return (
        "---- BEGIN SSH2 PUBLIC KEY ----\n"
        'Comment: "2048-bit RSA, converted by me@example from OpenSSH"\n'
        "x-long-header: a value that goes on \\\n and on\n"
        f"{lines}\n---- END SSH2 PUBLIC KEY ----\n"
    )


def test_an_rfc_4716_ssh_public_key_is_read_as_the_key(keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="RS256")
    report = verify_report(token, rfc4716(pair.private.public_key()), now=NOW)
    assert report["signature_valid"], report.get("reason")
    assert "ssh_key_form" in warnings_of(report)


@pytest.mark.parametrize("name", ("RSA", "P-256", "Ed25519"))
def test_a_bare_ssh_key_body_is_read_as_the_key(keypairs, name):
    public = keypairs[name].private.public_key()
    line = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    ring = read_key(line.split()[1].decode())
    assert ring.keys[0].kind != "secret"
    assert ring.keys[0].read_warnings[0][0] == "key_body_read"


@pytest.mark.parametrize("quoted", (False, True))
def test_a_pem_with_literal_newline_escapes_is_read_with_a_note(keypairs, quoted):
    pair = keypairs["P-256"]
    escaped = pair.public_pem.replace("\n", "\\n")
    text = json.dumps(pair.public_pem)[1:-1] if not quoted else f'"{escaped}"'
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="ES256")
    report = verify_report(token, text, now=NOW)
    assert report["signature_valid"], report.get("reason")
    assert "pem_escaped_newlines" in warnings_of(report)


def _short_coordinate_p521() -> tuple[ec.EllipticCurvePrivateKey, dict]:
    for _ in range(200):
        private = ec.generate_private_key(ec.SECP521R1())
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
        raw_x = base64.urlsafe_b64decode(jwk["x"] + "==")
        if raw_x[0] == 0:
            # What authlib exports: the leading zero byte dropped.
            return private, {**jwk, "x": b64(raw_x.lstrip(b"\x00"))}
    raise AssertionError("no P-521 key with a leading zero byte")


def test_an_ec_jwk_with_a_short_coordinate_is_read_with_a_warning():
    private, jwk = _short_coordinate_p521()
    token = jwt.encode(CLAIMS, private, algorithm="ES512")
    report = verify_report(token, json.dumps(jwk), now=NOW)
    assert report["signature_valid"], report.get("reason")
    assert "ec_coordinate_short" in warnings_of(report)


def test_a_jwk_whose_x5c_holds_another_key_is_a_warning():
    leaf_key, certificates = chain()
    other = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(other.public_key()))
    token = jwt.encode(CLAIMS, other, algorithm="ES256")
    mismatched = verify_report(token, json.dumps({**jwk, "x5c": x5c(certificates)}), now=NOW)
    assert "x5c_key_mismatch" in warnings_of(mismatched)
    own = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(leaf_key.public_key()))
    matching = read_key(json.dumps({**own, "x5c": x5c(certificates)}))
    assert matching.keys[0].read_warnings == ()


def test_a_pem_bundle_with_the_root_first_uses_the_leaf_and_says_which():
    leaf_key, (leaf, root) = chain()
    bundle = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (root, leaf)).decode()
    token = jwt.encode(CLAIMS, leaf_key, algorithm="ES256")
    report = verify_report(token, bundle, now=NOW)
    assert report["signature_valid"], report.get("reason")
    warning = next(w for w in report["key"]["warnings"] if w["code"] == "pem_bundle")
    assert "certificate 2" in warning["message"] and "leaf.example" in warning["message"]


def test_a_single_certificate_has_no_bundle_warning():
    leaf_key, (leaf, _) = chain()
    ring = read_key(leaf.public_bytes(serialization.Encoding.PEM).decode())
    assert ring.keys[0].read_warnings == ()
