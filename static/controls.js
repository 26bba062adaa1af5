// Copy buttons on the main columns, the "Edit & re-sign" button, keyboard shortcuts and their
// help overlay (opened with "?"). Feature modules can add their own shortcuts with addShortcut().

import { $ } from "./app.js";
import { announce, copyButton, element } from "./ui.js";
import { openFold } from "./fold.js";

const dialog = $("shortcuts-dialog");
const list = $("shortcut-list");
const shortcuts = [];

/** Run `action` when `key` (an event.key such as "g") is pressed outside text fields; list it in the help. */
export function addShortcut(key, description, action) {
  if (shortcuts.some((shortcut) => shortcut.key === key)) return;
  shortcuts.push({ key, description, action });
  renderHelp();
}

function renderHelp() {
  list.replaceChildren(...shortcuts.flatMap(({ key, description }) => {
    const term = element("dt");
    term.append(element("kbd", "", key));
    return [term, element("dd", "", description)];
  }));
}

/** True when keys pressed in `element` type text (or pick an option), so they are not shortcuts. */
function takesText(element) {
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  return !["button", "checkbox", "radio", "reset", "submit", "file", "color", "range"].includes(element.type);
}

function focusField(id) {
  const field = $(id);
  openFold(field);
  field.focus();
  field.scrollIntoView({ block: "nearest" });
}

/** Focus `id` inside the folded panel `foldId`, whose body may not be in the page yet. */
async function focusInFold(foldId, id) {
  if (await openFold($(foldId))) focusField(id);
}

export function openHelp() {
  if (!dialog.open) dialog.showModal();
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.isComposing) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (takesText(event.target) || dialog.open) return;
  const shortcut = shortcuts.find(({ key }) => key === event.key);
  if (!shortcut) return;
  event.preventDefault();
  shortcut.action();
});

$("shortcuts-button").addEventListener("click", openHelp);
$("shortcuts-close").addEventListener("click", () => dialog.close());
// A click on the backdrop (outside the dialog's box) closes it too.
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close();
});

copyButton($("copy-token"), () => $("token").value.trim(), { what: "Token" });
copyButton($("copy-header"), () => $("header").value, { what: "Header" });
copyButton($("copy-payload"), () => $("payload").value, { what: "Payload" });

$("edit-resign").addEventListener("click", () => {
  if (!$("token").value.trim()) {
    announce("Paste a token first, or load an example: then edit its payload here.");
    focusField("token");
    return;
  }
  focusField("payload");
});

addShortcut("?", "Show these shortcuts", openHelp);
addShortcut("/", "Go to the encoded token (paste a token)", () => focusField("token"));
addShortcut("h", "Go to the header", () => focusField("header"));
addShortcut("p", "Edit & re-sign: go to the payload", () => focusField("payload"));
addShortcut("k", "Go to the key or secret", () => focusField("key"));
addShortcut("c", "Copy the token", () => $("copy-token").click());
addShortcut("s", "Copy a share link (the token, never the key)", () => $("share").click());
addShortcut("e", "Load an example token and its demo key", () => $("example").click());
addShortcut("t", "Switch between the light and dark theme", () => $("theme-toggle").click());
addShortcut("g", "Go to the key generator", () => focusInFold("keys-fold", "gen-alg"));
