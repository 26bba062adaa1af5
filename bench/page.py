"""The page in real Chromium: keystroke to rendered verdict, page weight and load, big input."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import samples
from .figures import Budget, Figure, guarded
from .servers import Running, start_bare

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMER_SCRIPT = (Path(__file__).parent / "page.js").read_text()
#: Time between keystrokes, in seconds: a fast typist, and room for the answer to settle. It
#: varies at random (with a fixed seed) because the browser draws frames at 60 Hz: a fixed pause
#: would press every key at the same point between two frames, always a lucky or an unlucky one.
PAUSES = (0.04, 0.09)
WAIT_MS = 10_000


@dataclass(frozen=True)
class Counts:
    runs: int
    keystrokes: int  # per run
    loads: int
    big_runs: int
    bursts: int


FULL = Counts(runs=4, keystrokes=25, loads=15, big_runs=5, bursts=5)
QUICK = Counts(runs=1, keystrokes=3, loads=2, big_runs=1, bursts=1)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Page:
    """The debugger's page with the timer injected."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(TIMER_SCRIPT)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(url)
        self.page.wait_for_function("document.readyState === 'complete'")

    def close(self) -> None:
        self.context.close()
        if self.errors:
            raise RuntimeError(f"JavaScript errors on the page: {self.errors[:3]}")

    def rendered(self) -> int:
        return int(self.page.evaluate("window.__bench.rendered.length"))

    def answer(self, action: Callable[[], None]) -> dict[str, Any]:
        """Do `action` and return the timing of the answer it brings."""
        count = self.rendered()
        action()
        result: dict[str, Any] = self.page.evaluate(
            "([count, ms]) => window.__bench.waitFor(count, ms)", [count + 1, WAIT_MS]
        )
        return result

    def paste(self, box: str, text: str) -> dict[str, Any]:
        return self.answer(
            lambda: self.page.evaluate("([b, t]) => window.__bench.paste(b, t)", [box, text])
        )

    def put_cursor_at_end(self, box: str) -> None:
        self.page.focus(f"#{box}")
        self.page.keyboard.press("Control+End")

    def verdict(self) -> tuple[str, str]:
        state = self.page.evaluate(
            "(() => { const v = document.getElementById('verdict');"
            " return [v.className, v.textContent]; })()"
        )
        return state[0], state[1]


def _scenario(alg: str, box: str) -> tuple[str, str]:
    """The token and the key for a typing scenario."""
    sample = samples.signed(alg)
    return sample.token, sample.key


def _typing_run(
    page: Page, alg: str, box: str, counts: Counts, pauses: random.Random
) -> list[float]:
    """Type the last characters of the token or key, one by one: the time of each answer."""
    token, key = _scenario(alg, box)
    typed = token if box == "token" else key
    other, other_text = ("key", key) if box == "token" else ("token", token)
    page.paste(box, "")
    page.paste(other, other_text)
    page.paste(box, typed[: -counts.keystrokes])
    page.put_cursor_at_end(box)
    time.sleep(pauses.uniform(*PAUSES))
    times = []
    for char in typed[-counts.keystrokes :]:
        result = page.answer(lambda c=char: page.page.keyboard.type(c))
        if result["startedAt"] is None:
            raise RuntimeError("the keydown was not seen")
        times.append(result["renderedAt"] - result["startedAt"])
        time.sleep(pauses.uniform(*PAUSES))
    verdict_class, text = page.verdict()
    if "ok" not in verdict_class.split():
        raise RuntimeError(f"typing the whole {box} did not verify: {text!r}")
    return times


def keystrokes(pages: dict[str, tuple[Page, str, str]], counts: Counts) -> dict[str, list[float]]:
    """Typing on each page (`name: (page, alg, box)`), run by run in turns, so that a busy moment
    of the machine hits them alike: each page's times, by its name."""
    pauses = random.Random(8)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(counts.runs):
        for name, (page, alg, box) in pages.items():
            times[name] += _typing_run(page, alg, box, counts, pauses)
    return times


def keystroke_name(alg: str, box: str) -> str:
    return f"Keystroke → verdict, {box} box, {alg}"


LEAN = "Keystroke → verdict, lean page and bare route (reference)"
CLIENT_ONLY = "Keystroke → verdict, client-only page, WebCrypto HMAC (reference)"
#: The keystroke budget: median and p95 at most this many times the lean page's, in the same run.
LEAN_FACTOR = 1.25


def against_lean(name: str, times: list[float], lean: Figure) -> Figure:
    """A keystroke figure of the debugger's page, its budget taken from the lean page's figure."""
    basis = f"{LEAN_FACTOR:g}× lean"
    budgets = tuple(
        Budget(LEAN_FACTOR * lean.stat(of), of=of, basis=basis) for of in ("median", "p95")
    )
    figure = Figure(name, "ms", times, budgets, spread="p95")
    ratios = [figure.stat(of) / lean.stat(of) for of in ("median", "p95")]
    figure.note = f"{ratios[0]:.2f}× the lean page, p95 {ratios[1]:.2f}×"
    return figure


#: The typing rows: the key box with HS256 first, the one the client-only page is typed beside.
TYPING = (("HS256", "key"), ("HS256", "token"), ("RS256", "token"), ("RS256", "key"))


def typing_rows(browser: Any, page: Page, counts: Counts) -> list[Figure]:
    """Each typing row on the debugger's page, in turns with the lean page over the bare route
    (typed in its key box, HS256): a row's budget comes from the lean page's times in its own
    turns. The client-only page takes turns beside the key box with HS256. Then the two
    references: what the browser and the machine cost before any of the debugger's own work, and
    with no request at all, the browser's limit."""
    bare = start_bare()
    figures: list[Figure] = []
    lean_times: list[float] = []
    client_times: list[float] = []
    try:
        lean = Page(browser, bare.url + "page")
        client_only = Page(browser, bare.url + "client-page")
        try:
            for alg, box in TYPING:
                name = keystroke_name(alg, box)
                turns = {name: (page, alg, box), LEAN: (lean, "HS256", "key")}
                if (alg, box) == TYPING[0]:
                    turns[CLIENT_ONLY] = (client_only, "HS256", "key")

                def row(
                    turns: dict[str, tuple[Page, str, str]] = turns, name: str = name
                ) -> list[Figure]:
                    times = keystrokes(turns, counts)
                    lean_times.extend(times[LEAN])
                    client_times.extend(times.get(CLIENT_ONLY, []))
                    own_lean = Figure(LEAN, "ms", times[LEAN], spread="p95")
                    return [against_lean(name, times[name], own_lean)]

                figures += guarded([(name, "ms")], row)
        finally:
            lean.close()
            client_only.close()
    finally:
        bare.stop()
    figures.append(Figure(LEAN, "ms", lean_times, spread="p95"))
    figures.append(Figure(CLIENT_ONLY, "ms", client_times, spread="p95"))
    return figures


def stale_answers(page: Page, counts: Counts) -> Figure:
    """Type fast (no pause between keys): the page must end on the last input's verdict."""
    token, key = _scenario("HS256", "token")
    stale = []
    for _ in range(counts.bursts):
        page.paste("key", key)
        page.paste("token", token[:-12])
        page.put_cursor_at_end("token")
        page.page.keyboard.type(token[-12:])
        _wait_until_quiet(page)
        verdict_class, _ = page.verdict()
        stale.append(0 if "ok" in verdict_class.split() else 1)
    return Figure(
        "Burst typing: runs that end on a stale verdict",
        "count",
        [float(value) for value in stale],
        (Budget(0, of="max"),),
        note=f"{sum(stale)} of {len(stale)} bursts of 12 keys ended stale",
    )


def _wait_until_quiet(page: Page, quiet: float = 0.3, limit: float = 10.0) -> None:
    started = time.monotonic()
    last, since = page.rendered(), time.monotonic()
    while time.monotonic() - started < limit:
        time.sleep(0.05)
        now = page.rendered()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
    raise RuntimeError("the page kept rendering")


def page_weight(
    browser: Any, server: Running, counts: Counts, earlier_requests: list[str]
) -> list[Figure]:
    """Bytes of HTML, CSS and JS the page loads; requests to other hosts over the whole session
    (`earlier_requests` are those of the typing benchmarks); warm load time."""
    context = browser.new_context()
    page = context.new_page()
    own = urlsplit(server.url).netloc
    requests: list[str] = []
    responses: list[Any] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(server.url, wait_until="load")
    page.wait_for_load_state("networkidle")
    by_kind: dict[str, int] = {}
    for response in responses:
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script"):
            by_kind[kind] = by_kind.get(kind, 0) + len(response.body())
    files = sum(response.request.resource_type != "fetch" for response in responses)
    loads = []
    for _ in range(counts.loads):
        page.reload(wait_until="load")
        loads.append(
            page.evaluate(
                "new Promise(r => { const read = () => {"
                " const n = performance.getEntriesByType('navigation')[0];"
                " n && n.loadEventEnd > 0 ? r(n.loadEventEnd) : setTimeout(read, 5); }; read(); })"
            )
        )
    context.close()
    foreign = [
        url
        for url in [*earlier_requests, *requests]
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
    ]
    names = {"document": "HTML", "stylesheet": "CSS", "script": "JS"}
    sizes = sorted(by_kind.items())
    parts = ", ".join(f"{names[kind]} {size / 1000:.1f} kB" for kind, size in sizes)
    return [
        Figure(
            "Page weight: HTML + CSS + JS",
            "bytes",
            [float(sum(by_kind.values()))],
            (Budget(100_000),),
            note=f"{files} files: {parts}",
        ),
        Figure(
            "Requests to other hosts",
            "count",
            [float(len(foreign))],
            (Budget(0),),
            note=", ".join(foreign[:3]) or f"{len(requests) + len(earlier_requests)} requests",
        ),
        Figure("Warm page load (loadEventEnd)", "ms", loads, (Budget(100.0),), spread="p95"),
    ]


BIG_SHOWN = "Big input: 1 MiB claim set → payload editor shows it (timed in the page)"
BIG_RENDERED = "Big input: paste, decode, render 1 MiB payload"
BIG_REFUSED = "Big input over the limit: message shown"


def big_input(page: Page, counts: Counts, limit: int) -> list[Figure]:
    """A token with a 1 MiB claim set put into the token box by script: until the payload editor
    shows it (timed by the page: from the input event to the frame that shows it, polled with
    requestAnimationFrame) and until every panel has rendered the answer; and one over the body
    limit."""
    token = samples.big_token(samples.MIB)
    page.paste("key", "")
    shown_times = []
    times = []
    for _ in range(counts.big_runs):
        page.paste("token", "")
        count = page.rendered()
        shown_times.append(
            page.page.evaluate(
                "([b, t, id, n, ms]) => window.__bench.pasteUntilShown(b, t, id, n, ms)",
                ["token", token, "payload", samples.MIB, WAIT_MS],
            )
        )
        result = page.page.evaluate(
            "([count, ms]) => window.__bench.waitFor(count, ms)", [count + 1, WAIT_MS]
        )
        times.append(result["renderedAt"] - result["startedAt"])
    # Above the limit: the page must say so, quickly, in the verdict.
    over = "x" * (limit + 1)
    refusals = []
    for _ in range(counts.big_runs):
        page.paste("token", "")
        before = page.page.evaluate("window.__bench.mutations")
        page.page.evaluate("([b, t]) => window.__bench.paste(b, t)", ["token", over])
        page.page.wait_for_function(
            "n => window.__bench.mutations > n"
            " && document.getElementById('verdict').classList.contains('bad')",
            arg=before,
            timeout=WAIT_MS,
        )
        refusals.append(
            page.page.evaluate("window.__bench.lastMutationAt - window.__bench.startedAt")
        )
    page.paste("token", "")
    return [
        Figure(BIG_SHOWN, "ms", shown_times, (Budget(300.0),)),
        Figure(BIG_RENDERED, "ms", times, (Budget(300.0),)),
        Figure(BIG_REFUSED, "ms", refusals, (Budget(300.0),)),
    ]


KEY_SET = f"Key set of {samples.KEY_SET_SIZE} JWKs pasted into the key box → verdict"


def big_key_set(page: Page, counts: Counts) -> Figure:
    """A JWK Set of `KEY_SET_SIZE` keys pasted into the key box, a token that one of them signed
    in the token box: until the verdict (and every panel) shows the answer. Each run pastes
    another set, so that nothing the server read for one run answers the next."""
    times = []
    for run in range(counts.big_runs):
        token, text = samples.key_set(samples.KEY_SET_SIZE, seed=run + 1)
        page.paste("key", "")
        page.paste("token", token)
        result = page.paste("key", text)
        times.append(result["renderedAt"] - result["startedAt"])
        verdict_class, verdict = page.verdict()
        if "ok" not in verdict_class.split():
            raise RuntimeError(f"the key set did not verify the token: {verdict!r}")
    page.paste("key", "")
    page.paste("token", "")
    return Figure(KEY_SET, "ms", times, (Budget(300.0),))


def measure(server: Running, counts: Counts, limit: int) -> list[Figure]:
    """Every browser figure, in one Chromium; a step that breaks shows as an error row."""
    figures: list[Figure] = []
    with chromium() as browser:
        page = Page(browser, server.url)
        try:
            figures += typing_rows(browser, page, counts)
            figures += guarded(
                [("Burst typing: runs that end on a stale verdict", "count")],
                lambda: [stale_answers(page, counts)],
            )
            figures += guarded(
                [(BIG_SHOWN, "ms"), (BIG_RENDERED, "ms"), (BIG_REFUSED, "ms")],
                lambda: big_input(page, counts, limit),
            )
            figures += guarded([(KEY_SET, "ms")], lambda: [big_key_set(page, counts)])
        finally:
            page.close()
        figures += guarded(
            [
                ("Page weight: HTML + CSS + JS", "bytes"),
                ("Requests to other hosts", "count"),
                ("Warm page load (loadEventEnd)", "ms"),
            ],
            lambda: page_weight(browser, server, counts, page.requests),
        )
    return figures
