"""The README documents every code an answer can carry, so an undocumented code fails here."""

from __future__ import annotations

import re

import pytest

from debugger.analysis.jwe_findings import JWE_FINDING_IDS
from debugger.codes import FAMILIES
from debugger.errors import ERROR_CODES

from .conftest import ROOT

README = (ROOT / "README.md").read_text()
EVERY_CODE = sorted(
    {(family, code) for family, codes in FAMILIES.items() for code in codes}
    | {("finding", finding_id) for finding_id in JWE_FINDING_IDS}
    | {("error", code) for code in ERROR_CODES}
)


def codes_section() -> str:
    """The README's "Codes" section: from its heading to the next heading of any level."""
    match = re.search(r"^#+ Codes\n(.*?)(?=^#)", README, re.DOTALL | re.MULTILINE)
    assert match, "the README has no Codes section"
    return match.group(1)


@pytest.mark.parametrize(("family", "code"), EVERY_CODE, ids=lambda value: value)
def test_every_code_is_documented_in_the_readme(family: str, code: str) -> None:
    assert f"`{code}`" in README, f"{family} code {code!r} is not in the README"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_codes_section_names_every_family(family: str) -> None:
    assert f"| {family} |" in codes_section(), family


def test_the_codes_cover_the_families_and_the_jwe_findings() -> None:
    """The walk above is not empty: it holds the findings of both kinds and the errors."""
    families = {family for family, _ in EVERY_CODE}
    assert families == set(FAMILIES) | {"error"}
    assert {"jwe-rsa1_5", "weak-rsa-key", "skipped", "no_inner_key"} <= {c for _, c in EVERY_CODE}
