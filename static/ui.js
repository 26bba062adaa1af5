// Helpers shared by the page's modules. Their one side effect: a hidden live region for announce().

const announcer = element("p", "visually-hidden");
announcer.id = "announcer";
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);

/** A `tag` element with an optional class and text (textContent: never parsed as HTML). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Say `message` to screen readers, without showing it. */
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
      // Denied (no user gesture, or a policy): fall back to a selection copy.
    }
  }
  // Pages served on a network address are not a secure context and have no Clipboard API.
  const focused = document.activeElement;
  const scratch = element("textarea", "visually-hidden");
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.setAttribute("aria-hidden", "true");
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

/** Make `button` copy what `getText()` returns (or resolves to), and say so: "`what` copied." */
export function copyButton(button, getText, { what = "Text" } = {}) {
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
