// Small helpers shared by the page's modules: copy buttons and screen-reader announcements.
// This module has no side effects beyond creating one hidden live region.

const announcer = document.createElement("p");
announcer.id = "announcer";
announcer.className = "visually-hidden";
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);

/** Say `message` to screen readers (politely, once), without showing it. */
export function announce(message) {
  // Clearing first makes a repeated message ("Copied.") count as a change.
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = message; }, 50);
}

/** Copy `text` to the clipboard; resolves to true when it worked. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied (no user gesture, or a browser policy): fall back to a selection copy.
    }
  }
  return copyBySelection(text);
}

function copyBySelection(text) {
  // Pages served on a network address are not a secure context and have no Clipboard API.
  const focused = document.activeElement;
  const scratch = document.createElement("textarea");
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.setAttribute("aria-hidden", "true");
  scratch.className = "visually-hidden";
  document.body.append(scratch);
  scratch.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  scratch.remove();
  if (focused && typeof focused.focus === "function") focused.focus();
  return copied;
}

/**
 * Make `button` copy what `getText()` returns (a string, or a promise of one).
 * The button shows "Copied" for a moment and the result is announced; `what` names the thing
 * copied in that announcement ("Token copied."). Returns the button.
 */
export function copyButton(button, getText, { what = "Text" } = {}) {
  button.classList.add("copy-button");
  button.addEventListener("click", async () => {
    const text = await getText();
    if (!text) {
      flash(button, "Nothing to copy");
      announce(`${what}: nothing to copy yet.`);
      return;
    }
    const copied = await copyText(text);
    flash(button, copied ? "✓ Copied" : "✗ Not copied");
    announce(copied ? `${what} copied.` : "Could not copy: select the text and press Ctrl+C.");
  });
  return button;
}

/** Create a "Copy" button whose accessible name is "Copy <what>" (e.g. "Copy private key"). */
export function makeCopyButton(what, getText) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button-small";
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = ` ${what.toLowerCase()}`;
  button.append("Copy", hidden);
  return copyButton(button, getText, { what });
}

const flashing = new WeakMap();

function flash(button, text) {
  // The button keeps its width, so showing "Copied" never moves what is beside it.
  if (!flashing.has(button)) {
    flashing.set(button, { nodes: [...button.childNodes], timer: 0 });
    button.style.minWidth = `${button.offsetWidth}px`;
  }
  const saved = flashing.get(button);
  clearTimeout(saved.timer);
  button.dataset.flash = "";
  button.textContent = text;
  saved.timer = setTimeout(() => {
    button.replaceChildren(...saved.nodes);
    delete button.dataset.flash;
    button.style.minWidth = "";
    flashing.delete(button);
  }, 1500);
}
