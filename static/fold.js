// The secondary panels are folded (<details>): closed by default, each one's open or closed state
// remembered in localStorage (only that: never a token or a key). A panel's module is loaded the
// first time the panel opens, so a first visit loads only what the first screen needs.

const STORAGE_PREFIX = "jwt-debugger-fold:";
/** The module each panel needs; panels that share one load it once. */
const MODULES = {
  "attacks-fold": "./attacks.js",
  "keys-fold": "./keys.js",
  "embedded-fold": "./keys.js",
  "detached-fold": "./keys.js",
  "explain-fold": "./explain.js",
  "demo-fold": "./explain.js",
  "probe-fold": "./probe.js",
};

function remembered(id) {
  try {
    return localStorage.getItem(STORAGE_PREFIX + id);
  } catch {
    return null; // storage disabled: every panel starts closed
  }
}

function remember(id, open) {
  try {
    localStorage.setItem(STORAGE_PREFIX + id, open ? "open" : "closed");
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}

function load(fold) {
  const module = MODULES[fold.id];
  // data-loaded: the panel's controls work from now on.
  const ready = () => { fold.dataset.loaded = ""; };
  if (module) import(module).then(ready);
  else ready();
}

let opening = false; // a panel opened by the page, not by the user: not remembered

/** Open the panel around `node` (a finding link, a shortcut), without remembering it. */
export function openFold(node) {
  for (let fold = node.closest("details.fold"); fold; fold = fold.parentElement.closest("details.fold")) {
    if (fold.open) continue;
    opening = true;
    fold.open = true;
    load(fold);
  }
}

/** Open or close `fold` for the page's own reasons, unless the user chose how it should be. */
export function suggestFold(fold, open) {
  if (remembered(fold.id) !== null || fold.open === open) return;
  opening = true;
  fold.open = open;
  if (open) load(fold);
}

for (const fold of document.querySelectorAll("details.fold")) {
  if (remembered(fold.id) === "open") {
    fold.open = true;
    load(fold);
  }
  fold.addEventListener("toggle", () => {
    if (fold.open) load(fold);
    // The toggle event comes after the change: one opened by the page is not the user's choice.
    if (opening) opening = false;
    else remember(fold.id, fold.open);
  });
}

// A link to a panel (the result's finding counts) opens it.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href^='#']");
  if (!link) return;
  const target = document.getElementById(link.getAttribute("href").slice(1));
  if (target) openFold(target.querySelector("details.fold") || target);
});
