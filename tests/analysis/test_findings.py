"""Security findings: for every id, a token that raises it and a close variant that does not."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import RSAAlgorithm

from debugger.analysis.findings import BUILTIN_SEARCH_LIMIT, compute_findings
from debugger.codes import FINDING_IDS, SEVERITIES
from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.times import check_times
from debugger.jose.verify import check_signature

from ..conftest import ROOT, SECRET
from .roca_keys import roca_modulus

NOW = 1_800_000_000
HS = {"alg": "HS256", "typ": "JWT"}
CLAIMS = {"sub": "ada", "iat": NOW - 60, "exp": NOW + 3600}
OTHER_SECRET = b"another-secret-of-32-bytes-00000"

#: The ids the issue lists, in its order: the public contract.
ISSUE_IDS = (
    "alg-none alg-unknown null-signature signature-length psychic-signature embedded-jwk "
    "jku-header x5u-header x5c-header kid-injection crit-unknown b64-false no-exp expired "
    "not-yet-valid iat-future long-lifetime numericdate-invalid claim-type "
    "non-canonical-encoding sensitive-data duplicate-json-member invisible-characters oversized "
    "weak-secret empty-secret short-secret key-confusion weak-rsa-key key-alg-mismatch "
    "kid-not-string duplicate-kid mixed-key-set roca-key not-a-jwt"
).split()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(part: dict | str) -> str:
    """A part given as a dict (compact JSON) or as exact JSON text."""
    text = part if isinstance(part, str) else json.dumps(part, separators=(",", ":"))
    return b64url(text.encode())


def with_signature(header: dict | str, payload: dict | str, signature: bytes) -> str:
    return f"{segment(header)}.{segment(payload)}.{b64url(signature)}"


def hmac_sign(signing_input: str, secret: bytes, alg: str = "HS256") -> str:
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    return b64url(hmac.new(secret, signing_input.encode(), digest).digest())


def hs(header: dict | str = HS, payload: dict | str = CLAIMS, secret: bytes = SECRET.encode()):
    """A token whose MAC is computed with `secret`, whatever the header says."""
    signing_input = f"{segment(header)}.{segment(payload)}"
    return f"{signing_input}.{hmac_sign(signing_input, secret)}"


def claims(**changes) -> dict:
    values = {**CLAIMS, **changes}
    return {name: value for name, value in values.items() if value is not None}


def rsa_token(private_key: rsa.RSAPrivateKey, payload: dict = CLAIMS) -> str:
    signing_input = f"{segment({'alg': 'RS256'})}.{segment(payload)}"
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def es256_token(private_key: ec.EllipticCurvePrivateKey, header: dict | None = None) -> str:
    from jwt.algorithms import ECAlgorithm

    signing_input = f"{segment(header or {'alg': 'ES256'})}.{segment(CLAIMS)}"
    signature = ECAlgorithm(ECAlgorithm.SHA256).sign(signing_input.encode(), private_key)
    return f"{signing_input}.{b64url(signature)}"


def public_pem(private_key) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def findings_for(token: str, key: str | None = None, now: float = NOW) -> dict[str, dict]:
    """Findings by id, through the core: parse, times, and when a key is given, the verdict."""
    parsed = parse(token)
    time_report = check_times(parsed.payload, now=now)
    if key is None:
        found = compute_findings(parsed, time_report)
    else:
        ring = read_key(key)
        verdict = check_signature(parsed, ring)
        found = compute_findings(parsed, time_report, ring, verdict, key_text=key)
    return {item.id: item.to_dict() for item in found}


@pytest.fixture(scope="module")
def keys(keypairs):
    """Keys for the key-based cases: the shared pairs plus a 1024-bit RSA key."""
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return {
        "rsa": keypairs["RSA"].private,
        "rsa_pem": keypairs["RSA"].public_pem,
        "rsa1024": small,
        "rsa1024_pem": public_pem(small),
        "p256": keypairs["P-256"].private,
        "p256_pem": keypairs["P-256"].public_pem,
    }


def padded_payload_token() -> tuple[str, str]:
    """The same token twice: with '=' padding on the payload part, and canonical."""
    header, payload = segment(HS), segment(CLAIMS)
    padding_needed = -len(payload) % 4
    assert padding_needed, "the payload must need padding for this case"
    padded = f"{header}.{payload}{'=' * padding_needed}"
    canonical = f"{header}.{payload}"
    return (
        f"{padded}.{hmac_sign(padded, SECRET.encode())}",
        f"{canonical}.{hmac_sign(canonical, SECRET.encode())}",
    )


def b64_false_token(crit: list[str]) -> str:
    header = {"alg": "HS256", "b64": False, "crit": crit}
    signing_input = f"{segment(header)}.{json.dumps(CLAIMS, separators=(',', ':'))}"
    return f"{signing_input}.{hmac_sign(signing_input, SECRET.encode())}"


EC_JWK = {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}

# (id, raising case, close variant). A case is a function of the `keys` fixture returning the
# token, or (token, key) for the findings that need the key or secret the user gave.
CASES = (
    ("alg-none", lambda k: f"{segment({'alg': 'nOnE'})}.{segment(CLAIMS)}.", lambda k: hs()),
    ("alg-unknown", lambda k: hs({"alg": "HS257"}), lambda k: hs()),
    ("null-signature", lambda k: f"{segment(HS)}.{segment(CLAIMS)}.", lambda k: hs()),
    (
        "signature-length",
        lambda k: with_signature(HS, CLAIMS, b"\x07" * 31),
        lambda k: with_signature(HS, CLAIMS, b"\x07" * 32),
    ),
    (
        "psychic-signature",
        lambda k: with_signature({"alg": "ES256"}, CLAIMS, bytes(64)),
        lambda k: with_signature({"alg": "ES256"}, CLAIMS, b"\x01" * 64),
    ),
    ("embedded-jwk", lambda k: hs({**HS, "jwk": EC_JWK}), lambda k: hs({**HS, "kid": "k1"})),
    (
        "jku-header",
        lambda k: hs({**HS, "jku": "https://attacker.example/jwks.json"}),
        lambda k: hs({**HS, "kid": "https://issuer.example/keys/1"}),
    ),
    (
        "x5u-header",
        lambda k: hs({**HS, "x5u": "https://attacker.example/cert.pem"}),
        lambda k: hs({**HS, "x5t": "dGh1bWJwcmludA"}),
    ),
    ("x5c-header", lambda k: hs({**HS, "x5c": ["MIIBIjAN"]}), lambda k: hs()),
    (
        "kid-injection",
        lambda k: hs({**HS, "kid": "../../../dev/null"}),
        lambda k: hs({**HS, "kid": "2024-05-signing-key"}),
    ),
    (
        "crit-unknown",
        lambda k: hs({**HS, "crit": ["exp-policy"], "exp-policy": 1}),
        lambda k: hs({**HS, "crit": ["b64"], "b64": True}),
    ),
    ("b64-false", lambda k: b64_false_token(["b64"]), lambda k: hs({**HS, "b64": True})),
    ("no-exp", lambda k: hs(payload=claims(exp=None)), lambda k: hs()),
    ("expired", lambda k: hs(payload=claims(exp=NOW - 60)), lambda k: hs()),
    (
        "not-yet-valid",
        lambda k: hs(payload=claims(nbf=NOW + 600)),
        lambda k: hs(payload=claims(nbf=NOW - 600)),
    ),
    ("iat-future", lambda k: hs(payload=claims(iat=NOW + 600)), lambda k: hs()),
    (
        "long-lifetime",
        lambda k: hs(payload=claims(iat=NOW, exp=NOW + 2 * 86400)),
        lambda k: hs(payload=claims(iat=NOW, exp=NOW + 3600)),
    ),
    (
        "numericdate-invalid",
        lambda k: hs(payload=claims(exp=str(NOW + 3600))),
        lambda k: hs(payload=claims(exp=NOW + 3600)),
    ),
    ("claim-type", lambda k: hs(payload=claims(sub=42)), lambda k: hs(payload=claims(sub="42"))),
    (
        "non-canonical-encoding",
        lambda k: padded_payload_token()[0],
        lambda k: padded_payload_token()[1],
    ),
    (
        "sensitive-data",
        lambda k: hs(payload=claims(password="hunter2")),
        lambda k: hs(payload=claims(passes=2)),
    ),
    (
        "duplicate-json-member",
        lambda k: hs(payload=f'{{"sub":"ada","sub":"admin","exp":{NOW + 3600}}}'),
        lambda k: hs(payload=f'{{"sub":"ada","role":"admin","exp":{NOW + 3600}}}'),
    ),
    (
        "invisible-characters",
        lambda k: hs(payload=claims(sub="\u202enimda\u202c")),
        lambda k: hs(payload=claims(sub="nimda")),
    ),
    (
        "oversized",
        lambda k: hs(payload=claims(data="x" * 10_000)),
        lambda k: hs(payload=claims(data="x" * 1_000)),
    ),
    ("weak-secret", lambda k: hs(secret=b"your-256-bit-secret"), lambda k: hs()),
    ("empty-secret", lambda k: hs(secret=b""), lambda k: hs()),
    (
        "short-secret",
        lambda k: (hs(secret=b"sixteen-byte-key"), "sixteen-byte-key"),
        lambda k: (hs(), SECRET),
    ),
    (
        "key-confusion",
        lambda k: (hs(secret=k["rsa_pem"].encode()), k["rsa_pem"]),
        lambda k: (hs(secret=OTHER_SECRET), k["rsa_pem"]),
    ),
    (
        "weak-rsa-key",
        lambda k: (rsa_token(k["rsa1024"]), k["rsa1024_pem"]),
        lambda k: (rsa_token(k["rsa"]), k["rsa_pem"]),
    ),
    (
        "key-alg-mismatch",
        lambda k: (es256_token(k["p256"]), k["rsa_pem"]),
        lambda k: (es256_token(k["p256"]), k["p256_pem"]),
    ),
    ("kid-not-string", lambda k: hs({**HS, "kid": 1}), lambda k: hs({**HS, "kid": "1"})),
    (
        "duplicate-kid",
        lambda k: (rsa_token(k["rsa"]), key_set(k, ("a", k["rsa"]), ("a", k["p256"]))),
        lambda k: (rsa_token(k["rsa"]), key_set(k, ("a", k["rsa"]), ("b", k["p256"]))),
    ),
    (
        "mixed-key-set",
        lambda k: (rsa_token(k["rsa"]), key_set(k, ("a", k["rsa"]), ("b", SECRET.encode()))),
        lambda k: (rsa_token(k["rsa"]), key_set(k, ("a", k["rsa"]), ("b", k["p256"]))),
    ),
    (
        "roca-key",
        lambda k: (rsa_token(k["rsa"]), roca_jwk()),
        lambda k: (rsa_token(k["rsa"]), k["rsa_pem"]),
    ),
    ("not-a-jwt", lambda k: hs(payload=[1, 2]), lambda k: hs()),
)


def key_set(k, *entries) -> str:
    """A JWK Set of (kid, key) entries; a key is a private key object or secret bytes."""
    keys = []
    for kid, key in entries:
        if isinstance(key, bytes):
            jwk = {"kty": "oct", "k": b64url(key)}
        elif isinstance(key, rsa.RSAPrivateKey):
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        else:
            from jwt.algorithms import ECAlgorithm

            jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid})
    return json.dumps({"keys": keys})


def roca_jwk() -> str:
    n = roca_modulus()
    return json.dumps({"kty": "RSA", "n": b64url(n.to_bytes(256, "big")), "e": "AQAB"})


def _case(make, keys) -> tuple[str, str | None]:
    made = make(keys)
    return made if isinstance(made, tuple) else (made, None)


@pytest.mark.parametrize(("finding_id", "raising", "close"), CASES, ids=[c[0] for c in CASES])
def test_each_finding_is_raised_by_its_token_and_not_by_a_close_variant(
    keys, finding_id, raising, close
):
    token, key = _case(raising, keys)
    assert finding_id in findings_for(token, key), token
    token, key = _case(close, keys)
    assert finding_id not in findings_for(token, key), token


def test_the_cases_cover_every_finding_id_the_issue_lists():
    assert FINDING_IDS == tuple(ISSUE_IDS)
    assert [case[0] for case in CASES] == ISSUE_IDS


def test_every_finding_id_is_documented_in_the_readme():
    readme = (Path(ROOT) / "README.md").read_text()
    for finding_id in FINDING_IDS:
        assert f"`{finding_id}`" in readme, finding_id


@pytest.mark.parametrize("casing", ("none", "None", "NONE", "nOnE"))
def test_alg_none_is_critical_in_any_casing(casing):
    found = findings_for(f"{segment({'alg': casing})}.{segment(CLAIMS)}.")
    assert found["alg-none"]["severity"] == "critical"
    assert "null-signature" not in found


def test_findings_are_listed_most_severe_first_with_four_fields_each():
    token = hs({**HS, "kid": "../x"}, claims(exp=None, sub=1), b"secret")
    found = list(findings_for(token).values())
    assert [item["id"] for item in found][:1] == ["weak-secret"]
    ranks = [SEVERITIES.index(item["severity"]) for item in found]
    assert ranks == sorted(ranks)
    assert {"weak-secret", "kid-injection", "no-exp", "claim-type"} <= {i["id"] for i in found}
    for item in found:
        assert set(item) == {"id", "severity", "title", "detail"}
        assert item["title"] and len(item["detail"]) > 80


def test_weak_secret_says_which_secret_signed_the_token():
    found = findings_for(hs(secret=b"a-string-secret-at-least-256-bits-long"))
    assert "a-string-secret-at-least-256-bits-long" in found["weak-secret"]["detail"]
    assert found["weak-secret"]["severity"] == "critical"


@pytest.mark.parametrize("alg", ("HS384", "HS512"))
def test_weak_secret_is_found_for_every_hmac_algorithm(alg):
    signing_input = f"{segment({'alg': alg})}.{segment(CLAIMS)}"
    token = f"{signing_input}.{hmac_sign(signing_input, b'secret', alg)}"
    assert "weak-secret" in findings_for(token)


def test_builtin_search_is_skipped_for_huge_tokens_but_the_empty_secret_still_checked():
    big = claims(data="x" * BUILTIN_SEARCH_LIMIT)
    assert "weak-secret" not in findings_for(hs(payload=big, secret=b"secret"))
    assert "empty-secret" in findings_for(hs(payload=big, secret=b""))


def test_empty_secret_given_by_the_user_is_reported():
    found = findings_for(hs(), key="")
    assert found["empty-secret"]["severity"] == "critical"


@pytest.mark.parametrize(
    "kid",
    (
        "../../keys/secret.pem",
        "..\\..\\keys\\secret",
        "/dev/null",
        "/etc/passwd",
        "key; rm -rf /",
        "key|cat /etc/passwd",
        "$(id)",
        "x' OR '1'='1",
        "k1' UNION SELECT 'secret",
        "k1--",
        "a\u0000b",
        "k" * 300,
    ),
)
def test_kid_injection_flags_paths_shell_sql_nul_and_length(kid):
    assert "kid-injection" in findings_for(hs({**HS, "kid": kid}))


@pytest.mark.parametrize(
    "kid",
    (
        "2024-05-signing-key",
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        "9b2c4c1e-5d0f-4a86-9c1a-0f7e5f6b2a10",
        "https://issuer.example/keys/1",
        "key.v2",
    ),
)
def test_kid_injection_leaves_ordinary_key_ids_alone(kid):
    assert "kid-injection" not in findings_for(hs({**HS, "kid": kid}))


def test_hostile_kid_is_quoted_with_control_characters_escaped_and_cut_short():
    detail = findings_for(hs({**HS, "kid": "a\u0000b\u001b[31m"}))["kid-injection"]["detail"]
    assert "\u0000" not in detail and "\u001b" not in detail
    assert "\\x00" in detail
    long_detail = findings_for(hs({**HS, "kid": "../" + "k" * 5000}))["kid-injection"]["detail"]
    assert len(long_detail) < 1000


def test_b64_false_without_crit_is_high_and_with_crit_medium():
    assert findings_for(b64_false_token(["b64"]))["b64-false"]["severity"] == "medium"
    header = {"alg": "HS256", "b64": False}
    signing_input = f"{segment(header)}.{json.dumps(CLAIMS, separators=(',', ':'))}"
    token = f"{signing_input}.{hmac_sign(signing_input, SECRET.encode())}"
    assert findings_for(token)["b64-false"]["severity"] == "high"


@pytest.mark.parametrize(
    ("lifetime", "severity"),
    ((86400 + 1, "medium"), (30 * 86400 + 1, "high"), (400 * 86400, "high")),
)
def test_long_lifetime_is_medium_over_a_day_and_high_over_thirty_days(lifetime, severity):
    found = findings_for(hs(payload=claims(iat=NOW, exp=NOW + lifetime)))
    assert found["long-lifetime"]["severity"] == severity


def test_long_lifetime_counts_from_now_without_iat_or_nbf():
    assert "long-lifetime" in findings_for(hs(payload={"exp": NOW + 40 * 86400}))
    assert "long-lifetime" not in findings_for(hs(payload={"exp": NOW + 600}))


@pytest.mark.parametrize(
    "changes",
    (
        {"exp": "1800003600"},
        {"exp": -5},
        {"nbf": 1_799_999_000_000},
        {"exp": True},
        {"iat": None, "exp": [NOW]},
    ),
)
def test_numericdate_invalid_flags_strings_negatives_and_milliseconds(changes):
    assert "numericdate-invalid" in findings_for(hs(payload=claims(**changes)))


def test_a_fractional_numericdate_is_allowed():
    assert "numericdate-invalid" not in findings_for(hs(payload=claims(exp=1_800_003_600.5)))


def test_an_overflowing_numericdate_says_it_overflows():
    payload = base64.urlsafe_b64encode(b'{"sub":"a","exp":1e400}').rstrip(b"=").decode()
    token = f"{segment(HS)}.{payload}.{'A' * 43}"
    detail = findings_for(token)["numericdate-invalid"]["detail"]
    assert "overflows" in detail and "is a string" not in detail
    parsed = parse(token)
    assert '"exp": 1e400' in (parsed.payload_text or "")
    times = check_times(parsed.payload, now=NOW)
    assert "overflows" in times["problems"][0]["message"]


@pytest.mark.parametrize("kid", (123, None, ["k"]))
def test_a_kid_that_is_not_a_string_is_a_finding(kid):
    found = findings_for(hs({**HS, "kid": kid}))
    assert found["kid-not-string"]["severity"] == "high"


@pytest.mark.parametrize(
    ("changes", "raised"),
    (
        ({"aud": ["api", 1]}, True),
        ({"aud": {"api": True}}, True),
        ({"iss": None, "jti": 17}, True),
        ({"iss": ["https://issuer.example"]}, True),
        ({"aud": ["api", "web"], "iss": "https://issuer.example", "jti": "a1"}, False),
        ({"aud": "api"}, False),
    ),
)
def test_claim_type_checks_iss_sub_jti_and_aud(changes, raised):
    assert ("claim-type" in findings_for(hs(payload=claims(**changes)))) is raised


PRIVATE_PEM = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
)


@pytest.mark.parametrize(
    ("changes", "raised"),
    (
        ({"client_secret": "abc"}, True),
        ({"apiKey": "abc"}, True),
        ({"refresh_token": "abc"}, True),
        ({"profile": {"password": "hunter2"}}, True),
        ({"key": PRIVATE_PEM}, True),
        ({"jwk": {"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}}, True),
        ({"card": "4111 1111 1111 1111"}, True),
        ({"card": "5500-0000-0000-0004"}, True),
        ({"card": "4111 1111 1111 1112"}, False),
        ({"token_use": "access", "token_type": "Bearer"}, False),
        ({"jwk": {"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}}, False),
        ({"phone": "+44 20 7946 0958", "order": "1234567890123"}, False),
    ),
)
def test_sensitive_data_flags_secret_names_private_keys_and_card_numbers(changes, raised):
    assert ("sensitive-data" in findings_for(hs(payload=claims(**changes)))) is raised


def test_duplicate_member_in_the_header_is_reported():
    found = findings_for(hs('{"alg":"HS256","alg":"none"}'))
    assert "duplicate-json-member" in found
    assert '"alg"' in found["duplicate-json-member"]["detail"]


def test_duplicate_member_in_a_nested_object_is_reported():
    payload = f'{{"exp":{NOW + 60},"user":{{"role":"reader","role":"admin"}}}}'
    assert "duplicate-json-member" in findings_for(hs(payload=payload))


@pytest.mark.parametrize("position", (-1, 0))
def test_non_canonical_trailing_bits_in_a_part_are_reported(position):
    token = hs()
    header, payload, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # A 32-byte signature leaves 2 unused bits in its last character; setting one is malleable.
    last = alphabet[alphabet.index(signature[-1]) | 1]
    assert last != signature[-1]
    tampered = f"{header}.{payload}.{signature[:-1]}{last}"
    assert "non-canonical-encoding" in findings_for(tampered)
    assert "non-canonical-encoding" not in findings_for(token)


def test_signature_length_recognises_a_der_encoded_ecdsa_signature(keypairs):
    private = keypairs["P-256"].private
    signing_input = f"{segment({'alg': 'ES256'})}.{segment(CLAIMS)}"
    der = private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    found = findings_for(f"{signing_input}.{b64url(der)}")
    assert "DER" in found["signature-length"]["detail"]
    assert "psychic-signature" not in found


@pytest.mark.parametrize(
    ("alg", "length", "raised"),
    (
        ("EdDSA", 64, False),
        ("EdDSA", 114, False),
        ("EdDSA", 63, True),
        ("Ed448", 64, True),
        ("ES512", 132, False),
        ("ES384", 64, True),
        ("HS512", 32, True),
    ),
)
def test_signature_length_knows_each_algorithm(alg, length, raised):
    token = with_signature({"alg": alg}, CLAIMS, b"\x05" * length)
    assert ("signature-length" in findings_for(token)) is raised


def test_psychic_signature_in_der_form_is_recognised():
    # SEQUENCE { INTEGER 0, INTEGER 0 }: the classic CVE-2022-21449 payload.
    found = findings_for(
        with_signature({"alg": "ES256"}, CLAIMS, bytes.fromhex("3006020100020100"))
    )
    assert "psychic-signature" in found


@pytest.mark.parametrize("half", ("r", "s"))
def test_psychic_signature_with_only_r_or_s_zero(half):
    signature = bytes(32) + b"\x01" * 32 if half == "r" else b"\x01" * 32 + bytes(32)
    assert "psychic-signature" in findings_for(with_signature({"alg": "ES256"}, CLAIMS, signature))


P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@pytest.mark.parametrize(
    ("r", "s"), ((P256_ORDER, P256_ORDER), (1, P256_ORDER), (P256_ORDER + 1, 1))
)
def test_psychic_signature_with_r_or_s_not_below_the_curve_order(r, s):
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert "psychic-signature" in findings_for(with_signature({"alg": "ES256"}, CLAIMS, signature))


def test_an_ordinary_ecdsa_signature_is_not_psychic(keys):
    assert "psychic-signature" not in findings_for(es256_token(keys["p256"]))


def _jwk_as_printed(public, kid: str, order: str) -> bytes:
    members = json.loads(RSAAlgorithm.to_jwk(public))
    if order == "kid-first":
        return json.dumps({"kid": kid, **members}).encode()
    if order == "sorted":
        return json.dumps({**members, "kid": kid}, sort_keys=True, indent=2).encode()
    return json.dumps({**members, "kid": kid, "use": "sig"}, separators=(",", ":")).encode()


@pytest.mark.parametrize("order", ("kid-first", "sorted", "with-use"))
def test_key_confusion_is_found_for_a_jwk_as_libraries_print_it(keys, order):
    public = keys["rsa"].public_key()
    jwk = json.loads(RSAAlgorithm.to_jwk(public))
    jwk_text = json.dumps({**jwk, "kid": "k1"})
    token = hs(secret=_jwk_as_printed(public, "k1", order))
    assert "key-confusion" in findings_for(token, jwk_text)


def test_key_confusion_is_found_for_a_pem_with_crlf_line_endings(keys):
    token = hs(secret=keys["rsa_pem"].replace("\n", "\r\n").encode())
    assert "key-confusion" in findings_for(token, keys["rsa_pem"])


def _key_forms(keys) -> dict[str, bytes]:
    public = keys["rsa"].public_key()
    pem = keys["rsa_pem"].encode()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pkcs1 = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    ssh = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return {
        "pem": pem,
        "pem-without-newline": pem.rstrip(b"\n"),
        "der": der,
        "pkcs1": pkcs1,
        "openssh": ssh,
        "jwk": RSAAlgorithm.to_jwk(public).encode(),
    }


@pytest.mark.parametrize("form", ("pem", "pem-without-newline", "der", "pkcs1", "openssh", "jwk"))
def test_key_confusion_is_found_for_each_encoding_of_the_public_key(keys, form):
    token = hs(secret=_key_forms(keys)[form])
    found = findings_for(token, keys["rsa_pem"])
    assert found["key-confusion"]["severity"] == "critical"
    assert "key-confusion" not in findings_for(token)


def test_key_confusion_is_found_when_the_key_was_pasted_as_a_jwk(keys):
    jwk_text = RSAAlgorithm.to_jwk(keys["rsa"].public_key())
    assert "key-confusion" in findings_for(hs(secret=keys["rsa_pem"].encode()), jwk_text)


def test_key_based_findings_come_only_with_a_key():
    token = hs(secret=b"sixteen-byte-key")
    assert "short-secret" not in findings_for(token)
    assert "short-secret" in findings_for(token, "sixteen-byte-key")


def test_key_alg_mismatch_reports_a_jwk_limited_to_another_alg(keys):
    jwk = json.loads(RSAAlgorithm.to_jwk(keys["rsa"].public_key()))
    token = rsa_token(keys["rsa"])
    assert "key-alg-mismatch" in findings_for(token, json.dumps({**jwk, "alg": "PS256"}))
    assert "key-alg-mismatch" not in findings_for(token, json.dumps({**jwk, "alg": "RS256"}))


def test_a_clean_token_verified_with_a_good_secret_has_no_findings():
    assert findings_for(hs(), SECRET) == {}


def test_findings_stay_cheap_and_complete_for_a_one_mebibyte_payload():
    payload = claims(items=[{"n": index, "name": "x" * 8} for index in range(40_000)])
    found = findings_for(hs(payload=payload, secret=b"secret"))
    assert found["oversized"]["severity"] == "medium"
    assert "weak-secret" not in found


def test_a_duplicate_among_fifty_thousand_members_is_found():
    members = ",".join(f'"claim{index}":{index}' for index in range(50_000))
    found = findings_for(hs(payload=f'{{{members},"claim7":"again","exp":{NOW + 60}}}'))
    assert '"claim7"' in found["duplicate-json-member"]["detail"]


def test_decode_and_verify_answers_carry_findings(client):
    token = hs(secret=b"sixteen-byte-key")
    decoded = client.post("/api/decode", json={"token": token, "now": NOW}).get_json()
    assert decoded["findings"] == []
    verified = client.post(
        "/api/verify", json={"token": token, "key": "sixteen-byte-key", "now": NOW}
    ).get_json()
    assert [item["id"] for item in verified["findings"]] == ["short-secret"]
    broken = client.post("/api/decode", json={"token": "not.a.token"}).get_json()
    assert isinstance(broken["findings"], list)


def test_decode_answer_reports_a_weak_secret(client):
    body = client.post("/api/decode", json={"token": hs(secret=b"secret"), "now": NOW})
    assert body.get_json()["findings"][0]["id"] == "weak-secret"


def test_weak_secret_is_found_when_that_secret_verifies_the_token():
    weak = "a-string-secret-at-least-256-bits-long"
    found = findings_for(hs(secret=weak.encode()), key=weak)
    assert weak in found["weak-secret"]["detail"]


def test_a_strong_secret_that_verifies_the_token_is_no_weak_secret():
    found = findings_for(hs(), key=SECRET)
    assert "weak-secret" not in found and "empty-secret" not in found


#: At least these must be caught: zero-width and direction marks, bidirectional embeddings,
#: overrides and isolates, invisible operators, the byte order mark, and C0 and C1 controls.
HIDDEN = (
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
    0x061C,
    0x180E,
    0x00,
    0x1B,
    0x0D,
    0x7F,
    0x85,
    0x9B,
)


@pytest.mark.parametrize("written", ("escaped", "raw"))
@pytest.mark.parametrize("code", HIDDEN, ids=[f"U+{code:04X}" for code in HIDDEN])
def test_invisible_characters_names_each_hidden_character_by_code_point(code, written):
    payload = json.dumps(claims(sub=f"ad{chr(code)}min"), ensure_ascii=written == "escaped")
    assert (chr(code) in payload) == (written == "raw" and code >= 0x20)
    found = findings_for(hs(payload=payload))
    assert found["invisible-characters"]["severity"] == "medium"
    assert f"U+{code:04X}" in found["invisible-characters"]["detail"]


def test_invisible_characters_says_which_claims_and_header_parameters_hold_which():
    header = {**HS, "kid": "key\u200b1"}
    payload = claims(sub="\u202enimda\u202c", roles=["user", {"x": "\u2066"}], name="Ada")
    detail = findings_for(hs(header, payload))["invisible-characters"]["detail"]
    assert 'header parameter "kid" contains U+200B ZERO WIDTH SPACE;' in detail
    assert (
        'claim "sub" contains U+202E RIGHT-TO-LEFT OVERRIDE and U+202C POP DIRECTIONAL FORMATTING'
        in detail
    )
    assert 'claim "roles" contains U+2066 LEFT-TO-RIGHT ISOLATE' in detail
    assert '"name"' not in detail and '"exp"' not in detail


def test_invisible_characters_in_a_claim_name_are_shown_escaped():
    detail = findings_for(hs(payload=claims(**{"r\u200dole": "admin"})))["invisible-characters"]
    assert 'claim "r\\u200dole" contains U+200D ZERO WIDTH JOINER' in detail["detail"]
    assert "\u200d" not in detail["detail"]


def test_invisible_characters_written_as_json_escapes_are_found_too():
    payload = f'{{"sub":"\\u202enimda\\u202c","note":"a\\rb","exp":{NOW + 3600}}}'
    detail = findings_for(hs(payload=payload))["invisible-characters"]["detail"]
    assert "U+202E" in detail and 'claim "note" contains U+000D CONTROL CHARACTER' in detail


def test_invisible_characters_in_a_payload_that_is_not_json():
    detail = findings_for(hs(payload="plain \u202etext"))["invisible-characters"]["detail"]
    assert detail.startswith("The payload text contains U+202E RIGHT-TO-LEFT OVERRIDE.")


@pytest.mark.parametrize(
    "value",
    ("Zoë Ångström", "日本語 🔑", "line one\nline two\tand a tab", "a\\rb", "\u00a0nbsp"),
)
def test_invisible_characters_leaves_visible_text_line_breaks_and_tabs_alone(value):
    assert "invisible-characters" not in findings_for(hs(payload=claims(note=value)))


def test_invisible_characters_lists_at_most_five_places():
    payload = claims(**{f"c{number}": "\u200b" for number in range(8)})
    detail = findings_for(hs(payload=payload))["invisible-characters"]["detail"]
    assert '"c4"' in detail and '"c5"' not in detail and "and 3 more." in detail


def test_a_token_checked_again_keeps_its_own_findings_and_each_key_gets_its_own():
    # The page sends the same token with every keystroke in the key box: what follows from the
    # token alone is kept between requests, what follows from the key is worked out each time.
    token = hs({**HS, "jku": "https://keys.example/jwks.json"}, secret=b"sixteen-byte-key")
    for key in ("sixteen-byte-key", "a-secret-that-is-long-enough-for-hs256", "sixteen-byte-key"):
        found = findings_for(token, key)
        assert "jku-header" in found
        assert ("short-secret" in found) is (len(key) < 32)
    assert "short-secret" not in findings_for(token)


def test_a_signature_of_a_json_serialization_is_not_taken_for_its_compact_token():
    # One signature of a JSON serialization joins its unprotected header (here a jku) to the
    # protected one: its findings are its own, not those of the same compact token pasted alone.
    compact = hs(secret=b"sixteen-byte-key")
    protected, payload, signature = compact.split(".")
    entry = {"protected": protected, "header": {"jku": "https://keys.example/jwks.json"}}
    serialized = json.dumps({"payload": payload, "signatures": [{**entry, "signature": signature}]})
    assert "jku-header" not in findings_for(compact)
    joined = parse(serialized).signatures[0].parsed
    found = compute_findings(joined, check_times(joined.payload, now=NOW))
    assert "jku-header" in {item.id for item in found}
    assert "jku-header" not in findings_for(compact)


def test_findings_kept_between_requests_are_few_and_of_short_tokens_only():
    from debugger.analysis import findings

    huge = hs(claims(note="x" * 40_000))
    findings_for(huge)
    assert all(len(known[0]) < 40_000 for known in findings._TOKEN_FINDINGS)
    for number in range(20):
        findings_for(hs(claims(jti=str(number))))
    assert len(findings._TOKEN_FINDINGS) <= 8


def general_serialization(*tokens: str, headers: tuple[dict, ...] = ()) -> str:
    """The JWS JSON (general) serialization of compact tokens that share one payload."""
    payload = tokens[0].split(".")[1]
    entries = []
    for number, token in enumerate(tokens):
        protected, token_payload, signature = token.split(".")
        assert token_payload == payload
        entry = {"protected": protected, "signature": signature}
        if number < len(headers):
            entry["header"] = headers[number]
        entries.append(entry)
    return json.dumps({"payload": payload, "signatures": entries})


def test_a_signature_not_shown_still_has_its_findings_said_with_its_place():
    # The page shows one signature of a JSON serialization (the first, or the first that
    # verifies); a second one signed with alg none, or with a well-known secret, is as dangerous.
    good = hs()
    payload = good.split(".")[1]
    unsigned = f"{segment({'alg': 'none'})}.{payload}."
    weak = hs(secret=b"secret")
    serialized = general_serialization(good, unsigned, weak)
    found = findings_for(serialized)
    assert found["alg-none"]["detail"].startswith("In signatures[1]: ")
    assert found["weak-secret"]["detail"].startswith("In signatures[2]: ")
    assert "'secret'" in found["weak-secret"]["detail"]
    # Verified with the right secret, the first signature is shown; the others still count.
    verified = findings_for(serialized, SECRET)
    assert {"alg-none", "weak-secret"} <= set(verified)


def test_the_signature_shown_keeps_its_findings_without_a_place():
    # What the shown signature says is said once, as for a compact token; the same finding in a
    # signature not shown adds nothing.
    jku = {"jku": "https://keys.example/jwks.json"}
    serialized = general_serialization(hs(), hs(), headers=(jku, jku))
    found = findings_for(serialized)
    assert not found["jku-header"]["detail"].startswith("In signatures[")
    only_second = findings_for(general_serialization(hs(), hs(), headers=({}, jku)))
    assert only_second["jku-header"]["detail"].startswith("In signatures[1]: ")
