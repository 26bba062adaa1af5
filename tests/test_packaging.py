"""A plain, non-editable install of the wheel serves the full page."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
import venv

from .conftest import ROOT, start_server, stop_server


def _run(*args: str, cwd=ROOT) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_wheel_installed_in_a_fresh_virtualenv_serves_the_page(tmp_path):
    dist = tmp_path / "dist"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(dist), str(ROOT),
    )  # fmt: skip
    wheel = next(dist.glob("jwt_debugger-*.whl"))
    env_dir = tmp_path / "venv"
    # System site-packages supply flask, pyjwt and cryptography without a download.
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = str(env_dir / "bin" / "python")
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", str(wheel))
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
