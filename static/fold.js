// The secondary panels are folded (<details>), each one's state remembered in localStorage (never a
// token or key). A panel's module (and data-body-url markup) loads when the panel first opens.

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

/** Panels whose body (data-body-url) must be in the page before a module runs (it finds its elements). */
const BODIES = { "./keys.js": ["keys-fold"] };
const preparing = new Map(); // module -> promise: its panels' bodies are in the page, then it ran

async function loadBody(fold) {
  if ("bodyLoaded" in fold.dataset) return;
  const response = await fetch(fold.dataset.bodyUrl);
  if (!response.ok) throw new Error(response.status);
  const template = document.createElement("template");
  template.innerHTML = await response.text(); // our own server's markup, never a token
  fold.querySelector(":scope > [data-body-status]").replaceWith(template.content);
  fold.dataset.bodyLoaded = "";
}

function prepare(module) {
  if (!preparing.has(module)) {
    const ready = Promise.all((BODIES[module] || []).map((id) => loadBody(document.getElementById(id))))
      .then(() => import(module));
    ready.catch(() => preparing.delete(module)); // opening a panel again tries again
    preparing.set(module, ready);
  }
  return preparing.get(module);
}

/** Load what `fold` needs; resolves to true once its controls work, false (and says so) if it failed. */
function load(fold) {
  const module = MODULES[fold.id];
  return (module ? prepare(module) : Promise.resolve()).then(() => {
    fold.querySelector(":scope > .field-error[data-body-status]")?.remove();
    fold.dataset.loaded = ""; // data-loaded: the panel's controls work from now on
    return true;
  }, () => {
    let status = fold.querySelector(":scope > [data-body-status]");
    if (!status) {
      status = document.createElement("p");
      status.dataset.bodyStatus = "";
      status.setAttribute("aria-live", "polite");
      fold.querySelector(":scope > summary").after(status);
    }
    status.className = "field-error";
    status.textContent = "This panel could not be loaded: is the debugger still running? "
      + "Then close and open the panel again.";
    return false;
  });
}

let opening = false; // a panel opened by the page, not by the user: not remembered

/**
 * Open the panel around `node` (a finding link, a shortcut), without remembering it. Resolves to
 * true once it and the panels around it work: then the elements inside the panel exist.
 */
export async function openFold(node) {
  const loads = [];
  for (let fold = node.closest("details.fold"); fold; fold = fold.parentElement.closest("details.fold")) {
    if (!fold.open) {
      opening = true;
      fold.open = true;
    }
    loads.push(load(fold));
  }
  return (await Promise.all(loads)).every(Boolean);
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
