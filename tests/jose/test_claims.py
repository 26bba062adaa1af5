"""Claim checks: audience, issuer, subject and required claims, as PyJWT decides them."""

from __future__ import annotations

import jwt
import pytest

from debugger.codes import CLAIM_CODES
from debugger.jose.claims import ClaimChecks, check_claims

from ..conftest import ROOT, SECRET

KEY = SECRET * 2


def only(results):
    assert len(results) == 1, results
    return results[0]


@pytest.mark.parametrize(
    ("token_aud", "expected", "ok"),
    (
        ("api://orders", "api://orders", True),
        (["api://orders", "api://billing"], "api://billing", True),
        ("api://orders", ["api://billing", "api://orders"], True),
        ("api://orders", "api://billing", False),
        (["api://orders"], ["api://billing"], False),
    ),
)
def test_audience_matches_like_pyjwt(token_aud, expected, ok):
    result = only(check_claims({"aud": token_aud}, ClaimChecks(audience=expected)))
    assert result["claim"] == "aud"
    assert result["ok"] is ok
    assert result["code"] == (None if ok else "aud_mismatch")
    assert result["expected"] == expected and result["actual"] == token_aud
    # The same decision as PyJWT itself.
    token = jwt.encode({"aud": token_aud}, KEY)
    if ok:
        jwt.decode(token, KEY, algorithms=["HS256"], audience=expected)
    else:
        with pytest.raises(jwt.InvalidAudienceError):
            jwt.decode(token, KEY, algorithms=["HS256"], audience=expected)


def test_audience_missing_from_the_token_is_a_missing_claim():
    result = only(check_claims({"sub": "a"}, ClaimChecks(audience="api://orders")))
    assert (result["claim"], result["ok"], result["code"]) == ("aud", False, "missing_claim")
    assert result["actual"] is None


def test_audience_of_the_wrong_type_never_matches():
    result = only(check_claims({"aud": 42}, ClaimChecks(audience="42")))
    assert result["code"] == "aud_mismatch"


def test_audience_with_a_trailing_slash_is_a_mismatch_that_names_the_difference():
    result = only(
        check_claims({"aud": "https://api.example/"}, ClaimChecks(audience="https://api.example"))
    )
    assert result["code"] == "aud_mismatch"
    assert "trailing" in result["message"]


@pytest.mark.parametrize(
    ("claim", "option", "code"),
    (("iss", "issuer", "iss_mismatch"), ("sub", "subject", "sub_mismatch")),
)
def test_issuer_and_subject_must_be_equal(claim, option, code):
    passed = only(check_claims({claim: "alice"}, ClaimChecks(**{option: "alice"})))
    assert (passed["ok"], passed["code"]) == (True, None)
    failed = only(check_claims({claim: "Alice"}, ClaimChecks(**{option: "alice"})))
    assert (failed["claim"], failed["ok"], failed["code"]) == (claim, False, code)
    assert (failed["expected"], failed["actual"]) == ("alice", "Alice")
    missing = only(check_claims({}, ClaimChecks(**{option: "alice"})))
    assert (missing["ok"], missing["code"]) == (False, "missing_claim")


def test_required_claims_report_each_one():
    results = check_claims({"exp": 1, "iat": 0}, ClaimChecks(required=("exp", "jti", "iat")))
    assert [(r["claim"], r["ok"], r["code"]) for r in results] == [
        ("exp", True, None),
        ("jti", False, "missing_claim"),
        ("iat", True, None),
    ]


def test_no_checks_asked_gives_no_results_and_a_text_payload_fails_every_check():
    assert check_claims({"aud": "x"}, ClaimChecks()) == []
    assert not ClaimChecks().any and ClaimChecks(issuer="x").any
    results = check_claims("not an object", ClaimChecks(issuer="x", required=("sub",)))
    assert [r["ok"] for r in results] == [False, False]


def test_every_failure_code_is_documented():
    readme = (ROOT / "README.md").read_text()
    for code in CLAIM_CODES:
        assert f"`{code}`" in readme, code
