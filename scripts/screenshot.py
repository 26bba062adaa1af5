"""Refresh the README's screenshots from the real page, at desktop and phone widths in both themes.

Starts the server, loads the example token with its demo secret and shoots each view into docs/:
desktop-light.png, desktop-dark.png, phone-light.png and phone-dark.png. Then the Learn page
(learn.png) and a lesson's step in the debugger, its lesson bar above the page (lesson.png).

    python scripts/screenshot.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: name -> (viewport width, height, a phone?)
VIEWS = {
    "desktop": (1280, 1100, False),
    "phone": (390, 844, True),
}
THEMES = ("light", "dark")


def shoot(browser: Browser, url: str, view: str, theme: str) -> Path:
    """Open the page in one view and theme, load the example and save a screenshot."""
    width, height, phone = VIEWS[view]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=theme,
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Try an example").click()
    expect(page.locator("#verdict")).to_contain_text("Signature verified")
    page.wait_for_timeout(300)  # every panel renders the same answer
    page.evaluate("document.activeElement && document.activeElement.blur()")
    path = DOCS / f"{view}-{theme}.png"
    page.screenshot(path=str(path))
    context.close()
    return path


def shoot_learning(browser: Browser, url: str) -> list[Path]:
    """The Learn page, and the first lesson's step open in the debugger with its sample loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(url + "learn")
    learn = DOCS / "learn.png"
    page.screenshot(path=str(learn))
    page.goto(url + "?lesson=three-parts")
    page.locator("#lesson-bar button").first.click()  # the lesson's sample token
    expect(page.locator("#verdict")).not_to_be_empty()
    page.wait_for_timeout(300)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    lesson = DOCS / "lesson.png"
    page.screenshot(path=str(lesson))
    context.close()
    return [learn, lesson]


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
        DOCS.mkdir(exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for view in VIEWS:
                for theme in THEMES:
                    print(shoot(browser, url.group(0), view, theme).relative_to(ROOT))
            for path in shoot_learning(browser, url.group(0)):
                print(path.relative_to(ROOT))
            browser.close()
    finally:
        server.terminate()
        server.communicate()


if __name__ == "__main__":
    main()
