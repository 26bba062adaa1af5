"""Diagnosis: each reason code and each hint, produced from the mistake people really make."""

from __future__ import annotations

import base64
import json
import os
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from debugger.analysis.report import decode_report, verify_report
from debugger.codes import HINT_CODES, REASON_CODES

from ..conftest import ROOT, SECRET
from ..jose import interop

NOW = 1_800_000_000
CLAIMS = {"sub": "1234567890", "iat": NOW - 60, "exp": NOW + 3600}


def codes(report) -> list[str]:
    return [hint["code"] for hint in report["hints"]]


def hint(report, code: str) -> dict:
    found = [h for h in report["hints"] if h["code"] == code]
    assert len(found) == 1, report["hints"]
    assert found[0]["message"]
    return found[0]


def verify(token: str, key: str, **options):
    return verify_report(token, key, now=NOW, **options)


def pem_body(pem: str) -> str:
    """What people paste when they copy a PEM file without its first and last lines."""
    return "\n".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))


def test_a_correct_token_and_key_give_no_hints():
    report = verify(jwt.encode(CLAIMS, SECRET), SECRET)
    assert report["signature_valid"] and report["hints"] == []


def test_secret_base64_when_a_base64_secret_is_pasted_as_text():
    # The issuer's configuration holds the secret as base64 of 32 random bytes.
    raw = os.urandom(32)
    token = jwt.encode(CLAIMS, raw)
    as_text = verify(token, base64.b64encode(raw).decode())
    assert as_text["reason"]["code"] == "signature_mismatch"
    hint(as_text, "secret_base64")
    decoded = verify(token, base64.b64encode(raw).decode(), secret_encoding="base64")
    assert decoded["signature_valid"] and "secret_base64" not in codes(decoded)


def test_secret_base64_url_variant_like_a_jwk_k_value():
    raw = os.urandom(45) + b"\xfb\xff\xfe"  # its base64url text has "-" and "_"
    token = jwt.encode(CLAIMS, raw, algorithm="HS384")
    k_value = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    assert "base64url" in hint(verify(token, k_value), "secret_base64")["message"]


def test_secret_base64_when_a_text_secret_is_decoded_as_base64():
    # The secret looks like base64, but the issuer signs with its characters.
    text_secret = "c2VjcmV0LWtleS1mb3ItdGhlLWRlbW8tc2VydmljZQ=="
    token = jwt.encode(CLAIMS, text_secret)
    report = verify(token, text_secret, secret_encoding="base64")
    assert report["reason"]["code"] == "signature_mismatch"
    hint(report, "secret_base64")


def test_secret_hex_when_a_hex_secret_is_pasted_as_text():
    raw = os.urandom(32)
    token = jwt.encode(CLAIMS, raw)
    report = verify(token, raw.hex())
    assert report["reason"]["code"] == "signature_mismatch"
    hint(report, "secret_hex")


def test_secret_whitespace_when_the_secret_was_copied_with_its_trailing_newline():
    token = jwt.encode(CLAIMS, SECRET)
    report = verify(token, SECRET + "\n")
    assert report["reason"]["code"] == "signature_mismatch"
    assert "newline" in hint(report, "secret_whitespace")["message"]


def test_secret_whitespace_when_the_issuer_signs_with_the_newline_of_its_secret_file():
    # `echo "$SECRET" > secret.txt` then the issuer reads the file as is.
    token = jwt.encode(CLAIMS, SECRET + "\n")
    report = verify(token, SECRET)
    assert report["reason"]["code"] == "signature_mismatch"
    hint(report, "secret_whitespace")


def test_secret_whitespace_when_it_verifies_only_with_the_whitespace():
    token = jwt.encode(CLAIMS, SECRET + "\n")
    report = verify(token, SECRET + "\n")
    assert report["signature_valid"]
    hint(report, "secret_whitespace")


def test_a_wrong_secret_gives_no_false_hint():
    token = jwt.encode(CLAIMS, SECRET)
    report = verify(token, "another-secret-of-32-bytes-00000\n")
    assert report["reason"]["code"] == "signature_mismatch"
    assert report["hints"] == []


def _jwks(keypairs, kids):
    keys = []
    for name, kid in zip(("RSA", "P-256"), kids, strict=True):
        public = keypairs[name].private.public_key()
        algorithm = jwt.algorithms.RSAAlgorithm if name == "RSA" else jwt.algorithms.ECAlgorithm
        keys.append({**json.loads(algorithm.to_jwk(public)), "kid": kid})
    return json.dumps({"keys": keys})


def test_wrong_key_in_set_when_the_header_names_another_key(keypairs):
    # Two RSA keys in the set; the issuer signed with the second but wrote the first's kid.
    other = jwt.algorithms.RSAAlgorithm.to_jwk(keypairs["RSA"].private.public_key())
    first = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {
        "keys": [
            {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(first.public_key())), "kid": "2024"},
            {**json.loads(other), "kid": "2025"},
        ]
    }
    token = jwt.encode(CLAIMS, keypairs["RSA"].private_pem, "RS256", headers={"kid": "2024"})
    report = verify(token, json.dumps(jwks))
    assert report["reason"]["code"] == "signature_mismatch"
    assert "'2025'" in hint(report, "wrong_key_in_set")["message"]


def test_wrong_key_in_set_when_the_kid_is_not_in_the_set(keypairs):
    token = jwt.encode(CLAIMS, keypairs["RSA"].private_pem, "RS256", headers={"kid": "rotated"})
    report = verify(token, _jwks(keypairs, ("r1", "e1")))
    assert report["reason"]["code"] == "kid_not_found"
    assert "'r1'" in hint(report, "wrong_key_in_set")["message"]


@pytest.mark.parametrize(("name", "alg"), (("RSA", "RS256"), ("P-256", "ES256")))
@pytest.mark.parametrize("which", ("public_pem", "private_pem"))
def test_a_pem_body_without_its_lines_is_read_as_the_key(keypairs, name, alg, which):
    pair = keypairs[name]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm=alg)
    report = verify(token, pem_body(getattr(pair, which)))
    assert report["signature_valid"], report.get("reason")
    assert "key_body_read" in [w["code"] for w in report["key"]["warnings"]]
    assert "public_key_needs_header" not in codes(report)


def test_public_key_needs_header_when_the_body_is_read_as_base64_secret(keypairs):
    pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="RS256")
    report = verify(token, pem_body(pair.public_pem), secret_encoding="base64")
    message = hint(report, "public_key_needs_header")["message"]
    assert "-----BEGIN PUBLIC KEY-----" in message and "verifies" in message


def test_private_key_given_when_a_private_key_is_pasted_to_verify(keypairs):
    pair = keypairs["Ed25519"]
    token = jwt.encode(CLAIMS, pair.private_pem, algorithm="EdDSA")
    report = verify(token, pair.private_pem)
    assert report["signature_valid"]
    hint(report, "private_key_given")
    assert "private_key_given" not in codes(verify(token, pair.public_pem))


def test_bearer_prefix_removed_when_the_whole_header_value_is_pasted():
    token = jwt.encode(CLAIMS, SECRET)
    for report in (
        decode_report(f"Bearer {token}", now=NOW),
        verify(f"Authorization: Bearer {token}", SECRET),
    ):
        hint(report, "bearer_prefix_removed")
    assert verify(f"Bearer {token}", SECRET)["signature_valid"]


def test_token_whitespace_removed_when_a_wrapped_token_is_pasted():
    token = jwt.encode(CLAIMS, SECRET)
    wrapped = "\n".join(token[i : i + 40] for i in range(0, len(token), 40))
    report = verify(wrapped, SECRET)
    assert report["signature_valid"]
    hint(report, "token_whitespace_removed")


def test_quotes_removed_when_a_token_is_copied_from_json():
    token = jwt.encode(CLAIMS, SECRET)
    hint(decode_report(f'"{token}"', now=NOW), "quotes_removed")


@pytest.mark.parametrize(
    ("claims", "skewed"),
    (
        ({"exp": NOW - 90}, True),
        ({"nbf": NOW + 20, "exp": NOW + 3600}, True),
        ({"iat": NOW + 45, "exp": NOW + 3600}, True),
        ({"exp": NOW - 7200}, False),
    ),
)
def test_clock_skew_when_a_time_is_only_seconds_off(claims, skewed):
    report = decode_report(jwt.encode(claims, SECRET), now=NOW)
    assert ("clock_skew" in codes(report)) is skewed
    assert report["time"]["problems"]


# ---- every reason code, from a realistic mistake -----------------------------------------------


def _set_with_a_broken_key(keypairs) -> str:
    """A JWK Set whose key "2025" lost its exponent when it was copied by hand."""
    broken = {**json.loads(_rsa_jwk(keypairs["RSA"])), "kid": "2025"}
    del broken["e"]
    other = {**json.loads(_rsa_jwk(keypairs["RSA"])), "kid": "2024"}
    return json.dumps({"keys": [other, broken]})


def _reason_cases(keypairs):
    rsa_pair = keypairs["RSA"]
    token = jwt.encode(CLAIMS, SECRET)
    header, payload, signature = token.split(".")
    rs256 = jwt.encode(CLAIMS, rsa_pair.private_pem, algorithm="RS256")
    unsigned = jwt.encode(CLAIMS, None, algorithm="none")
    crit = jwt.encode(CLAIMS, SECRET, headers={"crit": ["exp-v2"], "exp-v2": 1})
    with_kid = jwt.encode(CLAIMS, rsa_pair.private_pem, "RS256", headers={"kid": "2025"})
    return {
        # The payload was edited by hand after signing.
        "signature_mismatch": (f"{header}.{payload[:-2]}xx.{signature}", SECRET, {}),
        # An RS256 token checked with the HMAC secret of another service.
        "key_type_mismatch": (rs256, SECRET, {}),
        # The service only allows RS256 but the token is HS256.
        "alg_not_allowed": (token, SECRET, {"algorithms": ["RS256"]}),
        # The issuer rotated its keys: the kid is no longer in the JWK Set.
        "kid_not_found": (
            jwt.encode(CLAIMS, rsa_pair.private_pem, "RS256", headers={"kid": "old"}),
            json.dumps({"keys": [{**json.loads(_rsa_jwk(rsa_pair)), "kid": "new"}]}),
            {},
        ),
        # alg: none, as an attacker sends it.
        "unsecured_token": (unsigned, SECRET, {}),
        # An HS256 token whose "secret" is the issuer's RSA public key.
        "key_confusion": (token, rsa_pair.public_pem, {}),
        # Only two parts were copied.
        "malformed_token": (f"{header}.{payload}", SECRET, {}),
        # The kid names a key of the set that cannot be read.
        "bad_key": (with_kid, _set_with_a_broken_key(keypairs), {}),
        # A detached-content token checked without its content.
        "detached_payload_required": (f"{header}..{signature}", SECRET, {}),
        # A critical header extension this verifier does not implement.
        "crit_unsupported": (crit, SECRET, {}),
        # An unencoded payload whose header forgot to list b64 in crit.
        "b64_not_critical": (
            interop.rs256(rsa_pair.private, {"alg": "RS256", "b64": False}, "hello"),
            rsa_pair.public_pem,
            {},
        ),
        # An issuer that numbers its keys and writes the number as a JSON number.
        "kid_not_string": (
            interop.rs256(rsa_pair.private, {"alg": "RS256", "kid": 7}, interop.segment(CLAIMS)),
            rsa_pair.public_pem,
            {},
        ),
        # A library that signs PSS with the longest salt.
        "pss_salt_length": (interop.pss_max_salt(rsa_pair.private), rsa_pair.public_pem, {}),
        # A signer that strips the leading zero byte of the RSA signature.
        "signature_length": (
            interop.rsa_leading_zero_dropped(rsa_pair.private),
            rsa_pair.public_pem,
            {},
        ),
        # OpenSSL's DER signature pasted into a JWS.
        "ecdsa_der_signature": (
            interop.ecdsa_der(keypairs["P-256"].private),
            keypairs["P-256"].public_pem,
            {},
        ),
    }


def _rsa_jwk(pair) -> str:
    return jwt.algorithms.RSAAlgorithm.to_jwk(pair.private.public_key())


def test_every_reason_code_comes_from_a_realistic_mistake(client, keypairs):
    cases = _reason_cases(keypairs)
    assert set(cases) == set(REASON_CODES)
    for code, (token, key, options) in cases.items():
        response = client.post("/api/verify", json={"token": token, "key": key, **options})
        assert response.status_code == 200, (code, response.get_json())
        answer = response.get_json()
        assert answer["signature_valid"] is False, code
        assert answer["reason"]["code"] == code, (code, answer["reason"])
        assert answer["reason"]["message"]


def test_verify_answer_carries_hints_through_the_api(client):
    token = jwt.encode({**CLAIMS, "exp": int(time.time()) + 3600}, SECRET)
    answer = client.post("/api/verify", json={"token": f"Bearer {token}", "key": SECRET + "\n"})
    assert answer.status_code == 200
    assert codes(answer.get_json()) == ["bearer_prefix_removed", "secret_whitespace"]


def test_every_hint_code_is_documented():
    readme = (ROOT / "README.md").read_text()
    for code in HINT_CODES:
        assert f"`{code}`" in readme, code
