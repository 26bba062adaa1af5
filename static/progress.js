// Which lessons are done, shared by the Learn page and the lesson bar of the debugger: the
// lessons' names in localStorage, nothing else (never a token, a key or an answer typed in).
const STORAGE_KEY = "jwt-debugger-learn-done";

export function loadDone() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) || "[]");
    return new Set(Array.isArray(value) ? value.filter((slug) => typeof slug === "string") : []);
  } catch {
    return new Set();
  }
}

export function saveDone(done) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...done]));
  } catch {
    // Storage may be off (private windows): progress then lasts as long as the page.
  }
}

/** Add one lesson to the lessons done. */
export function markDone(slug) {
  const done = loadDone();
  done.add(slug);
  saveDone(done);
}

/** Run `listener` when another page (the debugger in another tab) changes the progress. */
export function onProgressChange(listener) {
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY || event.key === null) listener();
  });
  // Back to a page kept in the browser's cache: the progress may have changed meanwhile.
  window.addEventListener("pageshow", (event) => { if (event.persisted) listener(); });
}
