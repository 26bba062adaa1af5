// Helpers shared by the page's modules. Their one side effect: a hidden live region for announce().

const announcer = element("p", "visually-hidden");
announcer.id = "announcer";
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);

/**
 * POST `body` as JSON to `url`: `{ok, data}`, data an error when the answer is not JSON; rejects
 * when the server cannot be reached. Not fetch: in Chromium this round trip is 0.5 ms shorter.
 */
export function post(url, body) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", "application/json");
    request.responseType = "json";
    request.onload = () => resolve({
      ok: request.status >= 200 && request.status < 300,
      data: request.response ?? { error: { code: "bad_response", message: `The server answered ${request.status}.` } },
    });
    request.onerror = () => reject(new TypeError("The debugger's server could not be reached."));
    request.send(JSON.stringify(body));
  });
}

/** A `tag` element with an optional class and text (textContent: never parsed as HTML). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Characters that display as nothing or reorder the text around them ("\u202enimda\u202c" reads
// as "admin"): the server's one set (data-invisible-characters), the same the terminal escapes.
const hidden = readHiddenSet(document.body.dataset.invisibleCharacters);

function readHiddenSet(text) {
  const table = JSON.parse(text || '{"ranges": [], "names": {}}');
  const hex = (code) => code.toString(16);
  const ranges = table.ranges.map(([low, high]) => `\\u{${hex(low)}}-\\u{${hex(high)}}`).join("");
  const source = ranges ? `[${ranges}]` : "[^\\s\\S]";
  return { ...table, any: new RegExp(source, "u"), every: new RegExp(source, "gu") };
}

/** `U+202E RIGHT-TO-LEFT OVERRIDE`: the code point of a hidden character and its name. */
export function hiddenName(character) {
  const code = character.codePointAt(0);
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const range = hidden.ranges.find(([low, high]) => low <= code && code <= high);
  return `U+${hex} ${hidden.names[hex] || (range ? range[2] : "")}`.trim();
}

/** Where `text` holds hidden characters: [{character, index}], in order, at most `limit`. */
export function hiddenIn(text, limit = Infinity) {
  const found = [];
  if (!hidden.any.test(text)) return found;
  for (const match of text.matchAll(hidden.every)) {
    if (found.length === limit) break;
    found.push({ character: match[0], index: match.index });
  }
  return found;
}

/** `text` as nodes, each hidden character replaced by a visible ⟨U+202E⟩ marker that names it. */
export function markHidden(text) {
  const found = hiddenIn(text);
  if (!found.length) return [text];
  const nodes = [];
  let start = 0;
  for (const { character, index } of found) {
    if (index > start) nodes.push(text.slice(start, index));
    const name = hiddenName(character);
    const marker = element("span", "invisible-char", `⟨${name.split(" ")[0]}⟩`);
    marker.title = name;
    nodes.push(marker);
    start = index + character.length;
  }
  if (start < text.length) nodes.push(text.slice(start));
  return nodes;
}

/** Like element(), with the hidden characters in `text` shown as markers. */
export function markedElement(tag, className, text) {
  const node = element(tag, className);
  node.append(...markHidden(text));
  return node;
}

/** Make `parent`'s children match `fresh`: a node shaped like the one in its place only gets its new
 * texts, so the browser re-lays out those lines alone. Not for nodes with event handlers. */
export function patchChildren(parent, fresh) {
  const current = [...parent.childNodes];
  if (current.length !== fresh.length) return parent.replaceChildren(...fresh);
  fresh.forEach((node, i) => (sameShape(node, current[i]) ? patchText(current[i], node) : current[i].replaceWith(node)));
}

function sameShape(a, b) {
  if (a.nodeType !== b.nodeType || a.nodeType === Node.TEXT_NODE) return a.nodeType === b.nodeType;
  if (a.nodeType !== Node.ELEMENT_NODE) return a.isEqualNode(b);
  return a.namespaceURI === b.namespaceURI && a.localName === b.localName
    && a.attributes.length === b.attributes.length && a.childNodes.length === b.childNodes.length
    && [...a.attributes].every(({ name, value }) => b.getAttribute(name) === value)
    && [...a.childNodes].every((child, i) => sameShape(child, b.childNodes[i]));
}

function patchText(current, fresh) {
  if (fresh.nodeType !== Node.TEXT_NODE) fresh.childNodes.forEach((child, i) => patchText(current.childNodes[i], child));
  else if (current.data !== fresh.data) current.data = fresh.data;
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

/** Make `button` copy what `getText()` returns (or resolves to), and say so: "`what` copied."
 * `what` is a name, or a function that names what is copied now. */
export function copyButton(button, getText, { what: named = "Text" } = {}) {
  button.addEventListener("click", async () => {
    const what = typeof named === "function" ? named() : named;
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

/** Save `text` as the file `name`: a local blob, nothing is sent anywhere. */
export function downloadText(name, type, text) {
  const link = element("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  // Revoked later, once the browser has started saving the file.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
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
