"""The public surface of the core layers: what `from debugger.jose import *` and friends give."""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import pytest

SURFACE = {
    "debugger.jose": (
        "ClaimChecks",
        "Key",
        "KeyRing",
        "ParsedToken",
        "Verdict",
        "b64url",
        "check_claims",
        "check_signature",
        "check_times",
        "convert",
        "encode",
        "generate_key",
        "parse",
        "public_jwk",
        "read_key",
        "thumbprint",
    ),
    "debugger.analysis": (
        "compute_findings",
        "decode_report",
        "find_builtin_secret",
        "find_secret",
        "findings_report",
        "forge_variants",
        "inspect_key",
        "key_error_report",
        "recover_rsa_key",
        "search_report",
        "verify_report",
    ),
    "debugger.net": ("FetchLimits", "discovery_urls", "fetch_jwks"),
}


@pytest.mark.parametrize("name", sorted(SURFACE))
def test_public_surface_is_pinned(name: str) -> None:
    module = importlib.import_module(name)
    assert sorted(module.__all__) == sorted(SURFACE[name])


@pytest.mark.parametrize("name", sorted(SURFACE))
def test_every_exported_name_exists_and_every_public_name_is_exported(name: str) -> None:
    module = importlib.import_module(name)
    for exported in module.__all__:
        assert getattr(module, exported) is not None, exported
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(module.__all__), "a public name of the package is missing from __all__"


def test_star_import_gives_the_core_surface() -> None:
    namespace: dict[str, object] = {}
    exec("from debugger.jose import *", namespace)
    assert {"parse", "read_key", "check_signature", "encode"} <= set(namespace)


@pytest.mark.parametrize("name", sorted(SURFACE))
def test_no_exported_name_hides_a_module_of_the_same_name(name: str) -> None:
    """`from debugger.jose import keys` must give the module, never a function called keys."""
    module = importlib.import_module(name)
    folder = Path(module.__file__ or "").parent
    for path in folder.glob("*.py"):
        assert path.stem not in module.__all__, f"{name}.{path.stem} is both a module and a name"
