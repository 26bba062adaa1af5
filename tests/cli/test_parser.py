"""`python -m debugger` started for real, in a subprocess: serving, signals, the browser,
the console script and what starting up imports."""

from __future__ import annotations

import os
import signal
import site
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

from debugger import __version__

from ..conftest import ROOT, start_server, stop_server
from .conftest import cli


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def _text_when_written(path: Path, timeout: float = 10) -> str:
    """The file's text once a whole line is in it: it may exist, empty, before the writer has
    written anything. What is there when `timeout` seconds have passed, if not."""
    deadline = time.monotonic() + timeout
    while True:
        text = path.read_text() if path.exists() else ""
        if text.endswith("\n") or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_port_zero_picks_a_free_port_and_prints_the_real_url():
    server = start_server()
    try:
        assert not server.url.endswith(":0/")
        status, html = _get(server.url)
        assert status == 200 and "Encoded token" in html
    finally:
        output = stop_server(server)
    assert "development server" not in output.lower()
    assert "WARNING" not in output


def test_ctrl_c_stops_the_server_cleanly():
    server = start_server()
    server.process.send_signal(signal.SIGINT)
    out, _ = server.process.communicate(timeout=10)
    assert server.process.returncode == 0, out
    assert "Traceback" not in out
    assert "Stopped" in out


def test_server_handles_concurrent_requests():
    server = start_server()
    try:
        # An idle open connection must not block other requests.
        host, port = server.url.split("//")[1].rstrip("/").rsplit(":", 1)
        idle = socket.create_connection((host, int(port)))
        try:
            status, _ = _get(server.url + "static/style.css")
            assert status == 200
        finally:
            idle.close()
    finally:
        stop_server(server)


def test_busy_port_is_one_clear_line_and_exit_code_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "debugger", "--no-browser", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert result.returncode == 2
    assert "cannot listen" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_non_loopback_host_prints_a_warning():
    server = start_server("--host", "0.0.0.0")
    stop_server(server)
    assert "not on loopback" in server.startup
    assert "http://127.0.0.1:" in server.url


def test_browser_is_opened_unless_no_browser_is_given(tmp_path):
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "fake-browser"
    # The file exists before the line is in it, as with any writer on a busy machine.
    fake_browser.write_text(f'#!/bin/sh\n{{ sleep 0.5; echo "$1"; }} > {opened}\n')
    fake_browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(fake_browser), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "debugger", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = process.stdout.readline().split("at ", 1)[1].split()[0]
        assert _text_when_written(opened).strip() == url
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_help_lists_the_options():
    result = cli("serve", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--no-browser"):
        assert option in result.stdout


def _installed_script(name: str) -> Path:
    """Where pip put the console script `name` for this interpreter: its scripts folder (which
    need not be the interpreter's own), or the user's, for an install with --user."""
    folders = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    if site.ENABLE_USER_SITE:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    candidates = [Path(folder) / name for folder in folders]
    return next((path for path in candidates if path.is_file()), candidates[0])


def test_console_script_is_installed():
    script = _installed_script("jwt-debugger")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("jwt-debugger ")


def test_version_starts_python_without_loading_the_libraries():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "debugger", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"jwt-debugger {__version__}\n"
    imported = {line.rpartition("|")[2].strip() for line in result.stderr.splitlines()}
    assert "debugger.cli.parser" in imported
    loaded = {name.split(".")[0] for name in imported}
    assert not loaded & {"flask", "werkzeug", "jinja2", "jwt", "cryptography"}, loaded
