"""Every code in one catalogue: `debugger/errors.py` (error codes) and `debugger/codes.py`.

The package's source is walked: wherever a code is written (a `code=` argument, a `"code"` member
of a dict, the code argument of `DebuggerError`, `Problem`, `Note`, a hint, a warning, a finding,
or a comparison with a `code`), it must be a constant of the catalogue, never a string literal
or a constant defined anywhere else.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from debugger import codes, errors
from debugger.analysis.finding_catalog import CATALOG

from .conftest import ROOT

PACKAGE = ROOT / "debugger"
CATALOGUE_MODULES = (PACKAGE / "errors.py", PACKAGE / "codes.py")
#: Calls that take a code, and the position of that argument.
CODE_ARGUMENTS = {
    "DebuggerError": 0,
    "Note": 0,
    "Problem": 1,
    "_hint": 0,
    "_warning": 0,
    "_fail": 1,
    "finding": 0,
    "_refuse": 0,
    "_result": 2,
}
#: Attributes and members that hold a code.
CODE_FIELDS = frozenset({"code", "reason_code"})
_CONSTANT = re.compile(r"^([A-Z][A-Z0-9_]*) = \"[^\"]*\"$", re.M)


def catalogue() -> frozenset[str]:
    """Every declared code, of every family."""
    declared = set(errors.ERROR_CODES)
    for family in codes.FAMILIES.values():
        declared.update(family)
    return frozenset(declared)


def _is_code_field(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in CODE_FIELDS
    if isinstance(node, ast.Subscript):
        key = node.slice
        return isinstance(key, ast.Constant) and key.value in CODE_FIELDS
    return False


def code_expressions(source: str) -> list[ast.expr]:
    """The expressions of `source` written where a code goes."""
    found: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            position = CODE_ARGUMENTS.get(name or "")
            if position is not None and len(node.args) > position:
                found.append(node.args[position])
            found += [kw.value for kw in node.keywords if kw.arg in CODE_FIELDS]
        elif isinstance(node, ast.Dict):
            found += [
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value in CODE_FIELDS
            ]
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_code_field(operand) for operand in operands):
                for operand in operands:
                    if isinstance(operand, ast.Tuple | ast.List | ast.Set):
                        found += operand.elts
                    elif not _is_code_field(operand):
                        found.append(operand)
    return found


def problems_in(source: str, module: object) -> list[str]:
    """Codes written as literals, or as constants that are not in the catalogue."""
    declared = catalogue()
    wrong = []
    for expression in code_expressions(source):
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            wrong.append(f"line {expression.lineno}: the literal {expression.value!r}")
        elif isinstance(expression, ast.Name):
            value = getattr(module, expression.id, None)
            if isinstance(value, str) and value not in declared:
                wrong.append(f"line {expression.lineno}: {expression.id} = {value!r}")
    return wrong


def package_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path not in CATALOGUE_MODULES]


def module_name(path: Path) -> str:
    return ".".join(("debugger", *path.relative_to(PACKAGE).with_suffix("").parts))


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_the_package_writes_is_a_constant_of_the_catalogue(path: Path) -> None:
    if path.name == "__main__.py":
        return
    module = importlib.import_module(module_name(path))
    wrong = problems_in(path.read_text(), module)
    assert not wrong, f"use a constant of debugger/codes.py or debugger/errors.py: {wrong}"


def redefined_codes(source: str) -> list[str]:
    """Module-level constants whose value is a code of the catalogue: a second definition."""
    declared = catalogue()
    return [
        f"line {node.lineno}: {target.id}"
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and node.value.value in declared
        for target in node.targets
        if isinstance(target, ast.Name)
    ]


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_defines_a_code_again(path: Path) -> None:
    assert not redefined_codes(path.read_text()), "import it from the catalogue instead"


def test_a_second_definition_of_a_code_is_caught() -> None:
    assert redefined_codes('BAD_KEY = "bad_key"\n_OTHER = "not a code"\n') == ["line 1: BAD_KEY"]


@pytest.mark.parametrize(
    ("source", "expected"),
    (
        ('Problem("header", "made_up", "message")', "'made_up'"),
        ('Note("made_up", "message")', "'made_up'"),
        ('raise DebuggerError("made_up", "message")', "'made_up'"),
        ('x = {"code": "made_up", "message": ""}', "'made_up'"),
        ('ok = problem["code"] == "made_up"', "'made_up'"),
        ('ok = note.code in ("made_up", QUOTES_REMOVED)', "'made_up'"),
        ('yield finding("made-up", "what")', "'made-up'"),
        ("Problem('header', MADE_UP, 'message')", "MADE_UP = 'made_up'"),
    ),
)
def test_the_walk_catches_a_code_outside_the_catalogue(source: str, expected: str) -> None:
    module = type("Module", (), {"MADE_UP": "made_up"})
    wrong = problems_in(source, module)
    assert len(wrong) == 1 and expected in wrong[0], wrong


def test_the_walk_accepts_the_catalogues_constants() -> None:
    source = 'Problem("header", NOT_JSON, "m")\nok = p["code"] in (EXPIRED, NOT_YET_VALID)\n'
    assert problems_in(source, codes) == []
    assert code_expressions(source)


@pytest.mark.parametrize("path", CATALOGUE_MODULES, ids=lambda p: p.name)
def test_every_code_constant_has_a_one_line_comment(path: Path) -> None:
    lines = path.read_text().splitlines()
    undocumented = [
        line
        for number, line in enumerate(lines)
        if _CONSTANT.match(line) and not lines[number - 1].startswith("#:")
    ]
    assert not undocumented


def test_every_code_constant_is_in_a_family() -> None:
    families = catalogue() | set(codes.SEVERITIES)
    for path in CATALOGUE_MODULES:
        names = _CONSTANT.findall(path.read_text())
        loose = [
            name
            for name in names
            if getattr(importlib.import_module(module_name(path)), name) not in families
        ]
        assert not loose, f"{path.name}: add these to a family: {loose}"


@pytest.mark.parametrize("family", codes.FAMILIES, ids=str)
def test_a_family_lists_each_code_once(family: str) -> None:
    members = codes.FAMILIES[family]
    assert len(set(members)) == len(members)
    assert all(isinstance(code, str) and code for code in members)


def test_codes_and_finding_ids_are_spelled_in_one_style() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", code) for code in errors.ERROR_CODES)
    others = catalogue() - set(codes.FINDING_IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", code) for code in others)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", fid) for fid in codes.FINDING_IDS)


def test_the_finding_catalogue_describes_every_finding_id_in_order() -> None:
    assert tuple(CATALOG) == codes.FINDING_IDS
    assert {severity for severity, _, _ in CATALOG.values()} <= set(codes.SEVERITIES)
