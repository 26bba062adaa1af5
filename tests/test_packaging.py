"""A plain, non-editable install of the wheel serves the full page."""

from __future__ import annotations

import site
import subprocess
import sys
import urllib.request
import venv
import zipfile
from pathlib import Path

from .conftest import ROOT, start_server, stop_server


def _run(*args: str, cwd=ROOT) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _dependency_folders() -> list[str]:
    """Where the running interpreter finds its packages: its own site-packages (a virtual
    environment's, or the base interpreter's) and the user's, when it reads that."""
    folders = site.getsitepackages()
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return folders


def test_wheel_installed_in_a_fresh_virtualenv_serves_the_page(tmp_path, monkeypatch):
    # The checkout must not be importable: only the installed wheel may answer.
    monkeypatch.delenv("PYTHONPATH", raising=False)
    dist = tmp_path / "dist"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(dist), str(ROOT),
    )  # fmt: skip
    wheel = next(dist.glob("jwt_debugger-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        packed = archive.namelist()
    for asset in ("templates/index.html", "static/app.js", "static/style.css"):
        assert f"debugger/{asset}" in packed, asset
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = str(env_dir / "bin" / "python")
    # Flask, PyJWT and cryptography come from where the running interpreter has them, without
    # a download. The folders are appended after the new environment's own site-packages, and
    # the .pth files in them are not read, so an editable install there cannot shadow the wheel.
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    (Path(purelib.strip()) / "dependencies.pth").write_text("\n".join(_dependency_folders()))
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        str(wheel),
    )  # fmt: skip
    where = _run(python, "-c", "import debugger; print(debugger.__file__)", cwd=tmp_path)
    assert where.startswith(str(env_dir)), where

    server = start_server(cwd=tmp_path, python=python)
    try:
        with urllib.request.urlopen(server.url, timeout=10) as response:
            html = response.read().decode()
        assert "Encoded token" in html
        for asset in ("app.js", "style.css"):
            with urllib.request.urlopen(f"{server.url}static/{asset}", timeout=10) as response:
                assert response.read() == (ROOT / "static" / asset).read_bytes()
    finally:
        stop_server(server)
