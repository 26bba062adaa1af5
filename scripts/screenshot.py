"""Refresh docs/screenshot.png from the real page: start the server, load the example, shoot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "debugger", "--no-browser", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = re.search(r"http://\S+/", server.stdout.readline())
        if url is None:
            raise SystemExit("the server did not print its URL")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url.group(0))
            page.get_by_role("button", name="Try an example").click()
            expect(page.get_by_role("status")).to_contain_text("Signature verified")
            page.screenshot(path=str(ROOT / "docs" / "screenshot.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.communicate()


if __name__ == "__main__":
    main()
