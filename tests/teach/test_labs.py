"""The labs' verifiers: each refuses a merely tampered token, so only its one flaw lets a forged
token in; the psychic-signature verifier still checks real signatures."""

from __future__ import annotations

import base64
import json
import time

import pytest

from debugger.jose.b64 import b64url
from debugger.teach import labs
from debugger.teach.lab_verifiers import LabRefused
from debugger.teach.lessons import LESSONS


@pytest.fixture(scope="module")
def keys():
    made = []

    def fetch_own_key_set(url: str) -> dict:
        if url != made[0].jwks_url:
            raise LabRefused("not the issuer's key set")
        return labs.public_key_set(made[0])

    made.append(labs.make_keys(b"secret", fetch_key_set=fetch_own_key_set))
    return made[0]


def tampered(token: str) -> str:
    header_segment, payload_segment, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_segment + "=="))
    edited = b64url(json.dumps({**payload, "role": "admin"}).encode())
    return f"{header_segment}.{edited}.{signature}"


@pytest.mark.parametrize("lab", labs.LABS, ids=lambda lab: lab.name)
def test_a_genuine_token_reads_as_user(keys, lab):
    token = labs.issue(lab, keys, now=time.time())
    status, answer = labs.admin(lab, keys, f"Bearer {token}")
    assert (status, answer["granted"], answer["claims"]["role"]) == (403, False, "user")


@pytest.mark.parametrize(
    "lab",
    [lab for lab in labs.LABS if lab.name != "unverified-signature"],
    ids=lambda lab: lab.name,
)
def test_editing_the_payload_alone_is_refused(keys, lab):
    token = tampered(labs.issue(lab, keys, now=time.time()))
    status, answer = labs.admin(lab, keys, f"Bearer {token}")
    assert status == 401 and answer["solved"] is False


def test_the_unverified_lab_takes_a_tampered_token_and_the_fix_says_why_not(keys):
    lab = labs.BY_NAME["unverified-signature"]
    token = tampered(labs.issue(lab, keys, now=time.time()))
    status, answer = labs.admin(lab, keys, f"Bearer {token}")
    assert status == 200 and answer["solved"] is True
    assert answer["fixed_refusal"] == "InvalidSignatureError: Signature verification failed"


@pytest.mark.parametrize("lab", labs.LABS, ids=lambda lab: lab.name)
def test_an_unsolved_answer_has_no_fixed_refusal(keys, lab):
    token = labs.issue(lab, keys, now=time.time())
    for authorization in (f"Bearer {token}", "Bearer a.b.c", None):
        assert labs.admin(lab, keys, authorization)[1]["fixed_refusal"] is None


def test_the_fixed_refusal_is_none_for_a_token_the_fix_accepts(keys):
    lab = labs.BY_NAME["none-case"]
    assert labs.fixed_refusal(lab, keys, labs.issue(lab, keys, now=time.time())) is None


def test_the_fixed_refusal_names_the_error_of_an_unreadable_token(keys):
    lab = labs.BY_NAME["x5c-trust"]
    assert labs.fixed_refusal(lab, keys, "a.b.c").startswith("DecodeError: ")


def test_the_none_check_refuses_lower_case_none(keys):
    lab = labs.BY_NAME["none-case"]
    header = b64url(json.dumps({"alg": "none"}).encode())
    payload = b64url(json.dumps({"role": "admin"}).encode())
    with pytest.raises(LabRefused):
        lab.vulnerable(f"{header}.{payload}.", keys)


def test_the_kid_lab_reads_only_its_pretend_key_files(keys):
    with pytest.raises(LabRefused):
        keys.key_file("/etc/passwd")
    assert keys.key_file("/dev/null") == b""


def test_the_psychic_verifier_accepts_genuine_es256_signatures(keys):
    lab = labs.BY_NAME["psychic-signature"]
    token = labs.issue(lab, keys, now=time.time())
    assert lab.vulnerable(token, keys)["role"] == "user"


def test_the_jku_verifier_fetches_nothing_by_default():
    keys = labs.make_keys(b"secret")
    lab = labs.BY_NAME["jku-injection"]
    with pytest.raises(LabRefused):
        lab.vulnerable(labs.issue(lab, keys, now=time.time()), keys)


def test_the_shown_code_is_the_code_that_runs():
    for lab in labs.LABS:
        assert lab.vulnerable_source().startswith(f"def {lab.vulnerable.__name__}(")
        assert lab.fixed_source().startswith(f"def {lab.fixed.__name__}(")


def test_the_classroom_summary_lists_lessons_then_labs():
    summary = labs.classroom_summary()
    titles = [lesson.title for lesson in LESSONS] + [lab.title for lab in labs.LABS]
    positions = [summary.index(title) for title in titles]
    assert positions == sorted(positions)


def test_each_starting_token_is_new_even_within_one_second(keys):
    lab = labs.BY_NAME["alg-confusion-no-key"]
    now = time.time()
    assert labs.issue(lab, keys, now=now) != labs.issue(lab, keys, now=now)


@pytest.mark.parametrize("form", ("SubjectPublicKeyInfo", "PKCS1"))
def test_the_key_confusion_variant_signs_with_the_key_file_the_verifier_holds(keys, form):
    """Whichever PEM form of the recovered key is in the key box, the variant's secret is the
    SubjectPublicKeyInfo PEM, byte for byte the unpublished key file the verifier reads."""
    from cryptography.hazmat.primitives import serialization

    from debugger.analysis.attacks import forge_variants

    lab = labs.BY_NAME["alg-confusion-no-key"]
    pem = keys.unpublished_rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, getattr(serialization.PublicFormat, form)
    )
    admin_token = tampered(labs.issue(lab, keys, now=time.time()))
    variants = forge_variants(admin_token, pem.decode())["variants"]
    forged = next(v["token"] for v in variants if v["id"] == "key-confusion")
    assert lab.vulnerable(forged, keys)["role"] == "admin"
    assert keys.unpublished_key_file().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert keys.unpublished_key_file().endswith(b"-----END PUBLIC KEY-----\n")
