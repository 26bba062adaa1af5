"""The decode report of an encrypted token: what its protected header alone shows."""

from __future__ import annotations

import base64
import json

import pytest

from debugger.analysis.report import decode_report


@pytest.mark.parametrize(
    ("header", "finding_id"),
    (
        ({"alg": "RSA1_5", "enc": "A128CBC-HS256"}, "jwe-rsa1_5"),
        ({"alg": "RSA-OAEP", "enc": "A256GCM", "zip": "DEF"}, "jwe-zip"),
        ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": 10_000_000}, "jwe-p2c-high"),
    ),
)
def test_decode_reports_jwe_findings_from_the_header_alone(header, finding_id):
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    answer = decode_report(f"{protected}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", now=0)
    assert answer["kind"] == "JWE"
    assert finding_id in [item["id"] for item in answer["findings"]]


def test_a_jwe_with_a_sound_header_has_no_jwe_findings():
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM"}
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    answer = decode_report(f"{protected}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", now=0)
    assert not [item for item in answer["findings"] if item["id"].startswith("jwe-")]
