// Injected into the page before its own scripts: times each keystroke from its keydown event to
// the moment the answer is rendered. app.js dispatches "debugger:result" on document after it
// has written an answer into the page; the feature panels render from the same event. This
// listener is registered first, so the microtask it queues runs after every panel has rendered.
// It then forces style and layout (as the frame that shows the answer must) and reads the clock.
(() => {
  const bench = {
    startedAt: null,
    rendered: [],
    mutations: 0,
    lastMutationAt: null,
    waiters: [],
  };
  window.__bench = bench;

  const settle = () => {
    const stillWaiting = [];
    for (const waiter of bench.waiters) {
      if (bench.rendered.length >= waiter.count) waiter.resolve(bench.rendered[waiter.count - 1]);
      else stillWaiting.push(waiter);
    }
    bench.waiters = stillWaiting;
  };

  window.addEventListener("keydown", () => { bench.startedAt = performance.now(); }, true);

  document.addEventListener("debugger:result", () => {
    const startedAt = bench.startedAt;
    queueMicrotask(() => {
      const verdict = document.getElementById("verdict");
      verdict.getBoundingClientRect();
      bench.rendered.push({
        startedAt,
        renderedAt: performance.now(),
        verdict: verdict.textContent,
        verdictClass: verdict.className,
      });
      settle();
    });
  });

  // Answers the page shows without the event (an error for the whole request) are seen here.
  document.addEventListener("DOMContentLoaded", () => {
    const verdict = document.getElementById("verdict");
    const observer = new MutationObserver(() => {
      verdict.getBoundingClientRect();
      bench.mutations += 1;
      bench.lastMutationAt = performance.now();
    });
    if (verdict) observer.observe(verdict, { childList: true, subtree: true, characterData: true, attributes: true });
  });

  /** A promise of the count-th rendered answer (1-based), or a rejection after `ms`. */
  bench.waitFor = (count, ms) => new Promise((resolve, reject) => {
    bench.waiters.push({ count, resolve });
    settle();
    setTimeout(() => reject(new Error(`no answer #${count} within ${ms} ms`)), ms);
  });

  // The last input event's time, taken before the page's own listeners run.
  window.addEventListener("input", () => { bench.inputAt = performance.now(); }, true);

  /**
   * Put `text` into box `id` as a paste would; resolve to the milliseconds from its input event
   * to the frame that shows it in `targetId` (a text box whose value changes and reaches
   * `minLength` characters). The page itself polls, once per frame with requestAnimationFrame,
   * and takes the time after a forced style and layout, as that frame needs them.
   */
  bench.pasteUntilShown = (id, text, targetId, minLength, ms) => new Promise((resolve, reject) => {
    const target = document.getElementById(targetId);
    const before = target.value;
    bench.paste(id, text);
    const inputAt = bench.inputAt;
    const poll = () => {
      if (target.value !== before && target.value.length >= minLength) {
        target.getBoundingClientRect();
        resolve(performance.now() - inputAt);
      } else if (performance.now() - inputAt > ms) {
        reject(new Error(`#${targetId} did not show ${minLength} characters within ${ms} ms`));
      } else {
        requestAnimationFrame(poll);
      }
    };
    requestAnimationFrame(poll);
  });

  /** Put `text` into a box as a paste would, starting the clock first. */
  bench.paste = (id, text) => {
    const box = document.getElementById(id);
    bench.startedAt = performance.now();
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  };
})();
