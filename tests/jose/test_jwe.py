"""JWE decrypt and encrypt: RFC vectors, round trips with jwcrypto both ways, every reason code."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from debugger.analysis.jwe_report import decrypt_report
from debugger.errors import (
    BAD_KEY,
    KEY_TYPE_MISMATCH,
    UNSUPPORTED_ALG,
    DebuggerError,
)
from debugger.jose.jwe import MAX_INFLATED_BYTES, MAX_P2C, decrypt
from debugger.jose.jwe_algorithms import ALGS, ENCS
from debugger.jose.jwe_encrypt import encrypt_token
from debugger.jose.keygen import generate_key

from . import jwe_vectors as v

NOW = 1_800_000_000
CLAIMS = {"sub": "alice", "exp": NOW + 600}
ALL_ALGS = ALGS
#: jwcrypto refuses RSA1_5 unless it is allowed by name.
JWCRYPTO_ALGS = [*ALGS, *ENCS]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwcrypto_key(alg: str, enc: str) -> jwcrypto_jwk.JWK:
    if alg.startswith("RSA"):
        return jwcrypto_jwk.JWK.generate(kty="RSA", size=2048)
    if alg.startswith("ECDH"):
        return jwcrypto_jwk.JWK.generate(kty="EC", crv="P-256")
    if alg.startswith("PBES2"):
        return jwcrypto_jwk.JWK.from_password("correct horse battery staple")
    if alg == "dir":
        return jwcrypto_jwk.JWK.generate(kty="oct", size=ENCS[enc].key_bytes * 8)
    return jwcrypto_jwk.JWK.generate(kty="oct", size=int(alg[1:4]))


def jwcrypto_encrypt(plaintext: bytes, header: dict, key: jwcrypto_jwk.JWK) -> str:
    token = jwcrypto_jwe.JWE(plaintext, json.dumps(header), recipient=key, algs=JWCRYPTO_ALGS)
    return token.serialize(compact=True)


def jwcrypto_decrypt(token: str, key: jwcrypto_jwk.JWK) -> bytes:
    message = jwcrypto_jwe.JWE(algs=JWCRYPTO_ALGS)
    message.deserialize(token, key=key)
    return message.payload


def key_text(key: jwcrypto_jwk.JWK) -> str:
    return key.export(private_key=True) if key.has_private or key["kty"] == "oct" else key.export()


def public_text(key: jwcrypto_jwk.JWK) -> str:
    return key.export_public() if key.has_public and key["kty"] != "oct" else key.export()


PAIRS = [(alg, enc) for alg in ALL_ALGS for enc in ENCS]


# RFC vectors


@pytest.mark.parametrize(
    ("token", "key", "plaintext"),
    (
        (v.RFC7516_A1_TOKEN, json.dumps(v.RFC7516_A1_KEY), v.RFC7516_A1_PLAINTEXT),
        (v.RFC7516_A2_TOKEN, json.dumps(v.RFC7516_A2_KEY), v.RFC7516_A2_PLAINTEXT),
        (v.RFC7516_A3_TOKEN, json.dumps(v.RFC7516_A3_KEY), v.RFC7516_A3_PLAINTEXT),
        (v.RFC7520_5_3_TOKEN, v.RFC7520_5_3_PASSWORD, v.RFC7520_5_3_PLAINTEXT),
        (v.RFC7520_5_4_TOKEN, json.dumps(v.RFC7520_5_4_KEY), v.RFC7520_5_PLAINTEXT),
        (v.RFC7520_5_6_TOKEN, json.dumps(v.RFC7520_5_6_KEY), v.RFC7520_5_PLAINTEXT),
    ),
    ids=("7516-A.1", "7516-A.2", "7516-A.3", "7520-5.3", "7520-5.4", "7520-5.6"),
)
def test_decrypts_the_rfc_vectors(token, key, plaintext):
    result = decrypt(token, key)
    assert result.reason_code is None, result.reason
    assert result.plaintext == plaintext.encode()


def test_rfc_7516_a2_rsa1_5_is_decrypted_with_a_high_finding():
    report = decrypt_report(v.RFC7516_A2_TOKEN, json.dumps(v.RFC7516_A2_KEY), now=NOW)
    assert report["decrypted"] is True
    found = {f["id"]: f["severity"] for f in report["findings"]}
    assert found["jwe-rsa1_5"] == "high"


# Round trips, both ways, for every alg and enc


@pytest.mark.parametrize(("alg", "enc"), PAIRS)
def test_jwcrypto_token_decrypts_with_ours(alg, enc):
    key = jwcrypto_key(alg, enc)
    plaintext = json.dumps(CLAIMS).encode()
    token = jwcrypto_encrypt(plaintext, {"alg": alg, "enc": enc}, key)
    report = decrypt_report(token, key_text(key), now=NOW)
    assert report["reason_code"] is None, report["reason"]
    assert report["payload"] == CLAIMS
    assert report["time"]["status"] == "valid"


@pytest.mark.parametrize(("alg", "enc"), PAIRS)
def test_our_token_decrypts_with_jwcrypto(alg, enc):
    key = jwcrypto_key(alg, enc)
    answer = encrypt_token({"alg": alg, "enc": enc}, public_text(key), payload=CLAIMS)
    assert json.loads(jwcrypto_decrypt(answer["token"], key)) == CLAIMS


@pytest.mark.parametrize("curve", ("P-256", "P-384", "P-521", "X25519", "X448"))
@pytest.mark.parametrize("alg", ("ECDH-ES", "ECDH-ES+A256KW"))
def test_ecdh_es_works_on_every_curve_both_ways(curve, alg):
    kty = "OKP" if curve.startswith("X") else "EC"
    key = jwcrypto_jwk.JWK.generate(kty=kty, crv=curve)
    token = jwcrypto_encrypt(b"hello", {"alg": alg, "enc": "A128GCM"}, key)
    assert decrypt(
        token, key.export_to_pem(private_key=True, password=None).decode()
    ).plaintext == (b"hello")
    ours = encrypt_token({"alg": alg, "enc": "A256GCM"}, key.export_public(), plaintext="hi")
    assert jwcrypto_decrypt(ours["token"], key) == b"hi"


def test_zip_def_round_trips_both_ways_and_is_a_finding():
    key = jwcrypto_jwk.JWK.generate(kty="oct", size=256)
    header = {"alg": "A256KW", "enc": "A256GCM", "zip": "DEF"}
    token = jwcrypto_encrypt(json.dumps(CLAIMS).encode(), header, key)
    report = decrypt_report(token, key.export(), now=NOW)
    assert report["payload"] == CLAIMS
    assert "jwe-zip" in {f["id"] for f in report["findings"]}
    ours = encrypt_token(header, key.export(), payload=CLAIMS)
    assert json.loads(jwcrypto_decrypt(ours["token"], key)) == CLAIMS


# Nested tokens


def test_signed_then_encrypted_token_is_verified_with_the_inner_key():
    recipient = jwcrypto_jwk.JWK.generate(kty="RSA", size=2048)
    answer = encrypt_token(
        {"alg": "RSA-OAEP-256", "enc": "A256GCM"},
        recipient.export_public(),
        payload=CLAIMS,
        sign_header={"alg": "HS256"},
        sign_key="s" * 32,
    )
    assert answer["header"]["cty"] == "JWT"
    report = decrypt_report(answer["token"], key_text(recipient), inner_key="s" * 32, now=NOW)
    assert report["nested"]["signature_valid"] is True
    assert report["nested"]["payload"] == CLAIMS
    assert "jwe-unsigned-claims" not in {f["id"] for f in report["findings"]}
    wrong = decrypt_report(answer["token"], key_text(recipient), inner_key="t" * 32, now=NOW)
    assert wrong["nested"]["signature_valid"] is False
    unkeyed = decrypt_report(answer["token"], key_text(recipient), now=NOW)
    assert unkeyed["nested"]["reason"]["code"] == "no_inner_key"


def test_nested_token_from_jwcrypto_is_found_without_cty():
    from jwcrypto import jws as jwcrypto_jws

    signing = jwcrypto_jwk.JWK.generate(kty="EC", crv="P-256")
    inner = jwcrypto_jws.JWS(json.dumps(CLAIMS).encode())
    inner.add_signature(signing, alg="ES256", protected=json.dumps({"alg": "ES256"}))
    recipient = jwcrypto_jwk.JWK.generate(kty="oct", size=128)
    token = jwcrypto_encrypt(
        inner.serialize(compact=True).encode(), {"alg": "A128KW", "enc": "A128GCM"}, recipient
    )
    report = decrypt_report(token, recipient.export(), inner_key=signing.export_public(), now=NOW)
    assert report["nested"]["signature_valid"] is True


def test_nested_token_we_make_decrypts_and_verifies_with_jwcrypto():
    from jwcrypto import jwt as jwcrypto_jwt

    recipient = jwcrypto_jwk.JWK.generate(kty="EC", crv="P-384")
    answer = encrypt_token(
        {"alg": "ECDH-ES+A192KW", "enc": "A192CBC-HS384"},
        recipient.export_public(),
        payload=CLAIMS,
        sign_header={"alg": "HS256"},
        sign_key="s" * 32,
    )
    outer = jwcrypto_decrypt(answer["token"], recipient).decode()
    inner = jwcrypto_jwt.JWT(jwt=outer, key=jwcrypto_jwk.JWK(kty="oct", k=b64(b"s" * 32)))
    assert json.loads(inner.claims)["sub"] == "alice"


# Failures: each its own reason, never plaintext


def _kw_token(key: bytes = b"k" * 16, header: dict | None = None, plaintext: bytes = b"hi") -> str:
    jwk = jwcrypto_jwk.JWK(kty="oct", k=b64(key))
    return jwcrypto_encrypt(plaintext, header or {"alg": "A128KW", "enc": "A128GCM"}, jwk)


def _with_part(token: str, index: int, value: str) -> str:
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


def _header_token(header: dict) -> str:
    return _with_part(_kw_token(), 0, b64(json.dumps(header).encode()))


def _flip_last(segment: str) -> str:
    data = bytearray(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    data[-1] ^= 1
    return b64(bytes(data))


SECRET16 = json.dumps({"kty": "oct", "k": b64(b"k" * 16)})
RSA_KEY = jwcrypto_jwk.JWK.generate(kty="RSA", size=2048)


def _oct(data: bytes, **members) -> str:
    return json.dumps({"kty": "oct", "k": b64(data), **members})


def _tampered_tag():
    token = _kw_token()
    return _with_part(token, 4, _flip_last(token.split(".")[4])), SECRET16


def _kid_not_found():
    token = _kw_token(header={"alg": "A128KW", "enc": "A128GCM", "kid": "b"})
    return token, json.dumps({"keys": [json.loads(_oct(b"k" * 16, kid="a"))]})


def _public_rsa_key():
    token = jwcrypto_encrypt(b"x", {"alg": "RSA-OAEP", "enc": "A128GCM"}, RSA_KEY)
    return token, RSA_KEY.export_public()


def _dir_wrong_size():
    return _kw_token(b"d" * 16, {"alg": "dir", "enc": "A128GCM"}), _oct(b"d" * 32)


def _dir_wrong_key():
    return _kw_token(b"d" * 16, {"alg": "dir", "enc": "A128GCM"}), _oct(b"e" * 16)


FAILURES = (
    ("wrong_key", lambda: (_kw_token(), _oct(b"x" * 16))),
    ("tag_mismatch", _tampered_tag),
    ("wrong_key_or_tag_mismatch", _dir_wrong_key),
    ("key_kind_mismatch", lambda: (_kw_token(), RSA_KEY.export_public())),
    ("key_size_mismatch", lambda: (_kw_token(), _oct(b"k" * 32))),
    ("dir_key_size_mismatch", _dir_wrong_size),
    ("unknown_alg", lambda: (_header_token({"alg": "A128KW2", "enc": "A128GCM"}), SECRET16)),
    ("unknown_enc", lambda: (_header_token({"alg": "A128KW", "enc": "A128GCM2"}), SECRET16)),
    (
        "unknown_zip",
        lambda: (_header_token({"alg": "A128KW", "enc": "A128GCM", "zip": "GZ"}), SECRET16),
    ),
    ("bad_iv_length", lambda: (_with_part(_kw_token(), 2, b64(b"i" * 16)), SECRET16)),
    ("bad_tag_length", lambda: (_with_part(_kw_token(), 4, b64(b"t" * 8)), SECRET16)),
    ("malformed_token", lambda: ("a.b.c", SECRET16)),
    ("bad_header", lambda: (_header_token({"alg": "A128KW"}), SECRET16)),
    ("private_key_required", _public_rsa_key),
    ("kid_not_found", _kid_not_found),
    ("bad_key", lambda: (_kw_token(), '{"kty": "oct"}')),
)


@pytest.mark.parametrize(("code", "case"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_has_its_own_reason_and_no_plaintext(code, case):
    token, key = case()
    report = decrypt_report(token, key, now=NOW)
    assert (report["decrypted"], report["reason_code"]) == (False, code), report["reason"]
    assert report["plaintext"] is None and report["plaintext_b64"] is None
    assert report["payload"] is None and report["reason"]


def test_the_right_key_decrypts_the_token_the_failure_cases_start_from():
    assert decrypt(_kw_token(), SECRET16).plaintext == b"hi"
    token, _ = _dir_wrong_key()
    assert decrypt(token, _oct(b"d" * 16)).plaintext == b"hi"


def test_a_jwk_set_key_is_chosen_by_kid():
    token = _kw_token(header={"alg": "A128KW", "enc": "A128GCM", "kid": "b"})
    keys = {"keys": [json.loads(_oct(b"x" * 16, kid="a")), json.loads(_oct(b"k" * 16, kid="b"))]}
    result = decrypt(token, json.dumps(keys))
    assert result.plaintext == b"hi" and result.key is not None and result.key.kid == "b"


# Limits


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _bomb(size: int) -> str:
    """A dir/A128GCM token whose DEF content inflates to `size` bytes, made by hand."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    protected = b64(json.dumps({"alg": "dir", "enc": "A128GCM", "zip": "DEF"}).encode())
    iv = b"\x01" * 12
    sealed = AESGCM(b"d" * 16).encrypt(iv, _deflate(b"0" * size), protected.encode())
    return f"{protected}..{b64(iv)}.{b64(sealed[:-16])}.{b64(sealed[-16:])}"


def test_a_decompression_bomb_is_refused_with_its_reason():
    report = decrypt_report(_bomb(MAX_INFLATED_BYTES * 4), _oct(b"d" * 16), now=NOW)
    assert report["reason_code"] == "decompression_limit"
    assert report["plaintext"] is None
    assert "jwe-zip" in {f["id"] for f in report["findings"]}


def test_content_that_inflates_within_the_cap_is_read():
    assert decrypt(_bomb(MAX_INFLATED_BYTES // 2), _oct(b"d" * 16)).plaintext == b"0" * (
        MAX_INFLATED_BYTES // 2
    )


def test_an_absurd_p2c_is_refused_before_any_work():
    token = _header_token(
        {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "c2FsdA", "p2c": 10**9}
    )
    report = decrypt_report(token, "password", now=NOW)
    assert report["reason_code"] == "p2c_too_large"
    assert "jwe-p2c-high" in {f["id"] for f in report["findings"]}


def test_a_large_p2c_within_the_bound_decrypts_with_a_finding():
    header = {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": 20_000}
    answer = encrypt_token(header, "pw", payload=CLAIMS)
    report = decrypt_report(answer["token"], "pw", now=NOW)
    assert report["payload"] == CLAIMS
    assert "jwe-p2c-high" in {f["id"] for f in report["findings"]}


def test_encrypt_refuses_a_p2c_beyond_the_bound():
    with pytest.raises(DebuggerError) as caught:
        encrypt_token(
            {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": MAX_P2C + 1}, "pw", payload={}
        )
    assert caught.value.code == "invalid_request"


@pytest.mark.parametrize(
    ("header", "key", "code"),
    (
        ({"alg": "RSA-OAEP-512", "enc": "A128GCM"}, "x", UNSUPPORTED_ALG),
        ({"alg": "dir", "enc": "A128GCM"}, RSA_KEY.export_public(), KEY_TYPE_MISMATCH),
        ({"alg": "A128KW", "enc": "A128GCM"}, '{"kty": "oct"}', BAD_KEY),
    ),
)
def test_encrypt_errors_have_codes(header, key, code):
    with pytest.raises(DebuggerError) as caught:
        encrypt_token(header, key, payload={})
    assert caught.value.code == code


@pytest.mark.parametrize(
    "alg", ("RSA-OAEP-256", "ECDH-ES+A128KW", "A256GCMKW", "A128CBC-HS256", "PBES2-HS384+A192KW")
)
def test_generated_encryption_keys_encrypt_and_decrypt(alg):
    generated = generate_key(alg)
    assert (generated.get("public_jwk") or generated["jwk"])["use"] == "enc"
    enc = alg if alg in ENCS else "A256GCM"
    header = {"alg": "dir" if alg in ENCS else alg, "enc": enc}
    public = json.dumps(generated.get("public_jwk") or generated["jwk"])
    private = json.dumps(generated.get("private_jwk") or generated["jwk"])
    token = encrypt_token(header, public, payload=CLAIMS)["token"]
    assert json.loads(decrypt(token, private).plaintext or b"") == CLAIMS


def test_rsa1_5_never_tells_a_wrong_key_from_a_changed_token():
    token = jwcrypto_encrypt(b"x", {"alg": "RSA1_5", "enc": "A128GCM"}, RSA_KEY)
    other = jwcrypto_jwk.JWK.generate(kty="RSA", size=2048)
    wrong_key = decrypt(token, other.export_private())
    changed = decrypt(
        _with_part(token, 4, _flip_last(token.split(".")[4])), RSA_KEY.export_private()
    )
    assert wrong_key.reason_code == changed.reason_code == "wrong_key_or_tag_mismatch"
