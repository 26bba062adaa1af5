"""The package's layers: each sub-package imports only the layers below it, found by walking it.

The rules are read from the source of every module in the package, so a new module cannot slip
past a hand-kept list. Imports inside functions and under `TYPE_CHECKING` count too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "debugger"
#: What each part of the package may import of the package itself. "debugger" is the package's
#: own `__init__` (the version); "errors" is `debugger.errors` and `debugger.codes`, the one error
#: type and the catalogue of every code, shared by all.
ALLOWED: dict[str, frozenset[str]] = {
    "debugger": frozenset({"debugger", "cli"}),  # __main__ starts the command line
    "errors": frozenset({"errors"}),
    "jose": frozenset({"debugger", "errors", "jose"}),
    "analysis": frozenset({"debugger", "errors", "jose", "analysis", "teach"}),
    "teach": frozenset({"debugger", "errors", "jose", "teach"}),
    "net": frozenset({"debugger", "errors", "jose", "net"}),
    "web": frozenset({"debugger", "errors", "jose", "analysis", "teach", "net", "web"}),
    "cli": frozenset({"debugger", "errors", "jose", "analysis", "teach", "net", "web", "cli"}),
}
#: The top-level modules of the "errors" layer.
CATALOGUE_FILES = frozenset({"errors.py", "codes.py"})
#: Third-party packages only the web layer may import.
WEB_ONLY = frozenset({"flask", "werkzeug", "waitress", "jinja2"})


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    """The sub-package a module belongs to; "debugger" for the package's top-level modules."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1:
        return "errors" if parts[0] in CATALOGUE_FILES else "debugger"
    return parts[0]


def imported_names(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every module the file (or `source` read as that file) imports, dotted, with its line."""
    package = ["debugger", *path.relative_to(PACKAGE).parent.parts]
    found = []
    text = path.read_text() if source is None else source
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
                # `from . import x` imports the module x of that package.
                names = [f"{module}.{a.name}" for a in node.names] if not node.module else [module]
            else:
                names = [node.module or ""]
            found += [(node.lineno, name) for name in names]
    return found


def target_layer(dotted: str) -> str | None:
    """The layer an import of ours lands in; None for a module outside the package."""
    parts = dotted.split(".")
    if parts[0] != "debugger":
        return None
    if len(parts) == 1 or parts[1] in ("__version__", "__init__"):
        return "debugger"
    if f"{parts[1]}.py" in CATALOGUE_FILES:
        return "errors"
    return parts[1] if (PACKAGE / parts[1]).is_dir() else "debugger"


def test_the_walk_finds_every_module_and_every_layer() -> None:
    found = {layer_of(path) for path in modules()}
    assert found == set(ALLOWED), "a new sub-package needs its rule in ALLOWED"
    assert len(modules()) > 40


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_only_the_layers_below_it(path: Path) -> None:
    layer = layer_of(path)
    wrong = [
        f"line {line}: {name}"
        for line, name in imported_names(path)
        if (target := target_layer(name)) is not None and target not in ALLOWED[layer]
    ]
    assert not wrong, f"{layer} may not import these: {wrong}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_web_layer_imports_flask_werkzeug_or_waitress(path: Path) -> None:
    if layer_of(path) == "web":
        return
    wrong = [
        f"line {line}: {name}"
        for line, name in imported_names(path)
        if name.split(".")[0] in WEB_ONLY
    ]
    assert not wrong, f"only debugger/web/ may import these: {wrong}"


def test_the_rules_catch_a_core_module_that_imports_upwards() -> None:
    """The walk reads what a module really imports, even inside a function."""
    module = PACKAGE / "jose" / "tokens.py"
    source = module.read_text() + "\n\ndef _late():\n    from ..web import app\n    import flask\n"
    names = [name for _, name in imported_names(module, source)]
    assert "debugger.web" in names
    assert "flask" in names
    assert target_layer("debugger.web") not in ALLOWED["jose"]


def test_importing_the_core_imports_no_web_framework() -> None:
    """The core sub-packages load without Flask: every module of jose, analysis, teach and net."""
    core = [
        ".".join(("debugger", *path.relative_to(PACKAGE).with_suffix("").parts))
        for path in modules()
        if layer_of(path) in ("jose", "analysis", "teach", "net", "errors")
    ]
    code = (
        f"import importlib, sys\nfor name in {core!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(WEB_ONLY)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("debugger", *(p for p in parts if p != "__init__")))


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports, at the top or inside a function."""
    known = {module_name(path) for path in modules()}
    graph: dict[str, set[str]] = {}
    for path in modules():
        targets = set()
        for _, name in imported_names(path):
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != "debugger":
                targets.add(name)
        graph[module_name(path)] = targets - {module_name(path)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    """No import cycle, not even one hidden by an import inside a function.

    A package's `__init__` that re-exports its modules is left out: importing a sub-module runs
    it first, which is no cycle of the code's own.
    """
    graph = {
        name: {
            t for t in targets if not (PACKAGE / Path(*t.split(".")[1:]) / "__init__.py").exists()
        }
        for name, targets in import_graph().items()
    }
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
