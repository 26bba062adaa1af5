// The page: every keystroke sends one request to the local API and renders the answer.
// Decoded values are hostile text: they are written with textContent, never as HTML.

import { element, hiddenIn, markHidden, patchChildren, post } from "./ui.js";
import { drawTimeline, timelinePlan } from "./timeline.js";

export { post };

export const $ = (id) => document.getElementById(id);
export const urls = document.body.dataset;

const tokenBox = $("token");
const backdrop = $("token-backdrop");
const tokenEditor = backdrop.parentElement;
const headerBox = $("header");
const payloadBox = $("payload");
const keyBox = $("key");
const encoding = $("secret-encoding");

// pendingEdit: the header or payload was edited but could not be re-signed yet (no key, or a
// key that cannot sign); a usable key then re-signs the edit instead of discarding it.
const state = { sent: 0, shown: 0, edits: 0, pendingEdit: false, last: null, jwe: false };
// Extra fields that feature modules add to every verify (and decode) request: detached_payload, checks.
const verifyOptions = {};

export function setText(element, text, className) {
  if (element.textContent !== text) {
    const only = element.firstChild;
    if (text && only && only === element.lastChild && only.nodeType === Node.TEXT_NODE) only.data = text;
    else element.textContent = text;
  }
  if (className !== undefined && element.className !== className) element.className = className;
}

export function fillList(list, items, render) {
  const fresh = items.map((item) => {
    const li = document.createElement("li");
    render(li, item);
    return li;
  });
  // Items holding controls are replaced (their handlers may be the new items'); others get new texts.
  if (fresh.some((li) => li.querySelector(CONTROLS))) list.replaceChildren(...fresh);
  else patchChildren(list, fresh);
}

const CONTROLS = "a, button, input, select, textarea, details";

// Above this many characters a text is laid out the cheap way: the token without its coloured
// copy (laying a megabyte out twice costs a few 100 ms), long lines unwrapped (style.css).
const LONG_TEXT = 100_000;
// The server's request body limit, in bytes.
const MAX_BODY = Number(urls.maxBody) || Infinity;

// A compact JWE has five parts (protected header, encrypted key, IV, ciphertext, tag): jwe.js,
// loaded the first time one is pasted, decrypts it and shows its own panel.
const JWE_CLASSES = ["t-jwe-header", "t-jwe-key", "t-jwe-iv", "t-jwe-ct", "t-jwe-tag"];
const isJwe = (token) => token.trim().split(".").length === 5;
let jwe = null;

function paintToken(token) {
  const plain = token.length > LONG_TEXT;
  tokenEditor.classList.toggle("plain", plain);
  if (plain) {
    if (backdrop.firstChild) backdrop.replaceChildren();
    return;
  }
  const parts = token.split(".");
  // Same number of parts: change only the parts that changed (a keystroke changes one).
  // An unchanged token (a keystroke in the key box) costs nothing, not even a frame.
  if (backdrop.childNodes.length === parts.length * 2) {
    let changed = false;
    parts.forEach((part, index) => {
      const span = backdrop.childNodes[index * 2];
      if (span.textContent !== part) {
        setText(span, part); // the same text node, new text: less to lay out than a new node
        changed = true;
      }
    });
    if (changed) syncScroll();
    return;
  }
  const classes = parts.length === 5 ? JWE_CLASSES : ["t-header", "t-payload", "t-signature"];
  const nodes = [];
  parts.forEach((part, index) => {
    if (index > 0) nodes.push(document.createTextNode("."));
    const span = document.createElement("span");
    span.className = classes[index] || "t-extra";
    span.textContent = part;
    nodes.push(span);
  });
  // A trailing newline keeps the backdrop as tall as the textarea's text.
  nodes.push(document.createTextNode("\n"));
  backdrop.replaceChildren(...nodes);
  syncScroll();
}

/** Mark, in the coloured copy of the token, the character a problem points at (a bad base64url one). */
function markBadCharacter(data) {
  for (const marked of backdrop.querySelectorAll("mark")) marked.parentElement.textContent = marked.parentElement.textContent;
  const problem = data.problems.find((item) => Number.isInteger(item.position));
  const start = problem ? tokenBox.value.indexOf(data.token) : -1;
  if (start < 0) return;
  let offset = start + problem.position;
  for (const node of backdrop.childNodes) {
    const length = node.textContent.length;
    if (offset < length && node.nodeType === Node.ELEMENT_NODE) {
      const text = node.textContent;
      const mark = element("mark", "bad-char", text[offset]);
      mark.title = problem.message;
      node.replaceChildren(text.slice(0, offset), mark, text.slice(offset + 1));
      return;
    }
    offset -= length;
    if (offset < 0) return;
  }
}

// Reading scrollTop forces a layout: do it with the next frame, not while a keystroke waits.
function syncScroll() {
  requestAnimationFrame(() => { backdrop.scrollTop = tokenBox.scrollTop; });
}

function setEditor(box, text) {
  // Never overwrite the editor the user is typing in.
  if (document.activeElement === box) return;
  const value = text ?? "";
  if (box.value === value) return;
  box.classList.toggle("long-text", value.length > LONG_TEXT);
  box.value = value;
}

// A textarea shows hidden characters as they are (a right-to-left override still reverses what
// follows). The editors keep them, to re-sign exactly what the token holds; a warning below marks them.
const HIDDEN_COUNTED = 1000;
const HIDDEN_LINES = 5;
const EXCERPT_BEFORE = 30;
const EXCERPT_AFTER = 60;

function showHidden(box) {
  const target = $(`${box.id}-hidden`);
  const text = box.value;
  const found = hiddenIn(text, HIDDEN_COUNTED);
  if (!found.length) {
    if (target.firstChild) target.replaceChildren();
    return;
  }
  const count = found.length === HIDDEN_COUNTED ? `${HIDDEN_COUNTED.toLocaleString("en")} or more` : found.length;
  const noun = found.length === 1 ? "hidden character" : "hidden characters";
  const head = element("p", "hidden-head",
    `⚠ The ${box.id} holds ${count} ${noun} that the box above cannot show: text that reads as `
    + "one thing may be another. Here each one is marked:");
  const list = element("ul", "hidden-lines");
  for (const line of hiddenLines(text, found)) {
    const li = element("li", "", `line ${line.number}, column ${line.column}: `);
    li.append(excerpt(text, line));
    list.append(li);
  }
  patchChildren(target, [head, list]);
}

/** The first few lines that hold hidden characters: number, column of the first, where it is. */
function hiddenLines(text, found) {
  const lines = [];
  let number = 1;
  let lineStart = 0;
  let searched = 0;
  for (const { index } of found) {
    for (let at = text.indexOf("\n", searched); at !== -1 && at < index; at = text.indexOf("\n", at + 1)) {
      number += 1;
      lineStart = at + 1;
    }
    searched = index;
    if (lines.length && lines[lines.length - 1].number === number) continue;
    if (lines.length === HIDDEN_LINES) break;
    lines.push({ number, column: index - lineStart + 1, lineStart, index });
  }
  return lines;
}

/** The part of a line around its first hidden character, every hidden character marked. */
function excerpt(text, { lineStart, index }) {
  const found = text.indexOf("\n", index);
  const lineEnd = found === -1 ? text.length : found;
  let from = Math.max(lineStart, index - EXCERPT_BEFORE);
  let to = Math.min(lineEnd, index + EXCERPT_AFTER);
  // Never cut a surrogate pair in two: half of one would show as a hidden character.
  if (/[\udc00-\udfff]/.test(text[from]) && from > lineStart) from += 1;
  if (/[\ud800-\udbff]/.test(text[to - 1]) && to < lineEnd) to -= 1;
  const code = element("code");
  code.append(from > lineStart ? "…" : "", ...markHidden(text.slice(from, to)), to < lineEnd ? "…" : "");
  return code;
}

// The key box and encoding when last looked at: results for another key leave (onKeyChange).
let lastKey = JSON.stringify([keyBox.value, encoding.value]);

function noticeKey() {
  const now = JSON.stringify([keyBox.value, encoding.value]);
  if (now === lastKey) return;
  lastKey = now;
  document.dispatchEvent(new CustomEvent("debugger:key", { detail: currentKey() }));
}

/** Run `listener` whenever the key box or its encoding changes, typed or set by a button. */
export function onKeyChange(listener) {
  document.addEventListener("debugger:key", listener);
}

async function refresh() {
  noticeKey();
  const id = ++state.sent;
  const token = tokenBox.value;
  const key = keyBox.value;
  if (!token.trim()) {
    paintToken(token);
    state.shown = id;
    state.jwe = false;
    renderEmpty();
    return;
  }
  // Over the server's body limit: say so at once, without sending megabytes to be refused.
  if (token.length + key.length > MAX_BODY) {
    paintToken(token);
    state.shown = id;
    renderTooLarge(token.length + key.length);
    return;
  }
  if (isJwe(token)) {
    paintToken(token);
    state.shown = id;
    // Entering: clear what the signed token left; its times are unknown until it is decrypted.
    if (!state.jwe) {
      renderEmpty();
      renderTime({ status: "unknown", message: ENCRYPTED_TIMES, problems: [] }, false);
    }
    state.jwe = true;
    jwe ??= import("./jwe.js");
    (await jwe).show(token, key, encoding.value, () => state.sent === id);
    return;
  }
  state.jwe = false;
  // One request per keystroke: an unusable key comes back as key_error beside the decoded token
  // (report_key_error). No panel reads the token's parts (compact_answer: 1.4 MB less for 1 MiB).
  const answer = key
    ? post(urls.verifyUrl, { token, key, secret_encoding: encoding.value, ...verifyOptions, report_key_error: true, compact_answer: true })
    : post(urls.decodeUrl, { token, ...verifyOptions, compact_answer: true });
  paintToken(token); // while the server works
  let result;
  let keyError = null;
  try {
    result = await answer;
    if (result.ok && result.data.key_error) keyError = result.data.key_error;
  } catch {
    if (id >= state.shown) {
      state.shown = id;
      setText($("verdict"), "The debugger's local server is not answering. Is it still running?", "verdict area-summary bad");
    }
    return;
  }
  if (id < state.shown) return; // a newer answer is already on the page
  state.shown = id;
  render(result.data, key, keyError);
}

function renderTooLarge(size) {
  renderEmpty();
  const count = (n) => n.toLocaleString("en");
  const limit = `${count(MAX_BODY)} characters (${MAX_BODY / 1048576} MiB)`;
  setText($("verdict"), `✗ Too large: the token and key are ${count(size)} characters; the debugger takes at most ${limit}.`, "verdict area-summary bad");
}

/** Tell every panel about the answer now on the page (null data: no token). */
function announceResult(detail) {
  state.last = detail;
  const noEmbeddedKeys = !(detail.data && detail.data.embedded_keys);
  if ($("embedded-panel").hidden !== noEmbeddedKeys) $("embedded-panel").hidden = noEmbeddedKeys;
  document.dispatchEvent(new CustomEvent("debugger:result", { detail }));
}

/** Run `listener` on every answer, and at once on the one on the page (for modules loaded late). */
export function onResult(listener) {
  document.addEventListener("debugger:result", listener);
  // After the calling module has finished loading, so its constants are all defined.
  const last = state.last;
  if (last) queueMicrotask(() => listener(new CustomEvent("debugger:result", { detail: last })));
}

function renderEmpty() {
  announceResult({ data: null, key: keyBox.value, keyError: null });
  setEditor(headerBox, "");
  setEditor(payloadBox, "");
  showHidden(headerBox);
  showHidden(payloadBox);
  fillList($("notes"), [], () => {});
  fillList($("problems"), [], () => {});
  $("time").replaceChildren();
  setText($("key-error"), "");
  setKeyInfo("");
  setText($("verdict"), "Paste a token to decode it.", "verdict area-summary");
}

function render(data, key, keyError) {
  if (data.error) {
    setText($("verdict"), data.error.message, "verdict area-summary bad");
    return;
  }
  if (!state.pendingEdit) {
    setEditor(headerBox, data.header_text);
    setEditor(payloadBox, data.payload_text);
  }
  showHidden(headerBox);
  showHidden(payloadBox);
  fillList($("notes"), data.notes, (li, note) => { li.textContent = `ℹ ${note.message}`; });
  fillList($("problems"), data.problems, (li, problem) => {
    li.className = problem.severity;
    li.textContent = `${problem.severity === "error" ? "✗" : "⚠"} ${problem.message}`;
  });
  markBadCharacter(data);
  renderTime(data.time, data.signature_valid === true);
  renderVerdict(data, key, keyError);
  // Feature panels (their own modules) render from the same answer: no extra request.
  announceResult({ data, key, keyError });
}

// A valid time is green only once the signature is verified: before, it proves nothing.
const TIME_LOOK = { expired: "bad", not_yet_valid: "bad", invalid: "bad", no_exp: "warn", unknown: "info" };
const SKEW = Number(urls.clockSkew) || 0;
const ENCRYPTED_TIMES =
  "Unknown: the payload is encrypted and could not be read, so its times cannot be checked here.";

let shownTime = ""; // what the time box shows, as JSON: an answer that changes none of it costs no DOM work

function renderTime(time, verified) {
  const box = $("time");
  const look = time.status === "valid" ? (verified ? "ok" : "info") : TIME_LOOK[time.status] || "info";
  const icons = { ok: "✓", bad: "✗", warn: "⚠", info: "ℹ" };
  const details = [];
  for (const claim of ["nbf", "iat"]) {
    const info = time[claim];
    if (info && info.text && info.text !== time.message) details.push(`${claim}: ${info.text}`);
  }
  for (const problem of time.problems) {
    if (["iat_future", "milliseconds"].includes(problem.code)) details.push(`⚠ ${problem.message}`);
  }
  const plan = timelinePlan(time, SKEW);
  const view = JSON.stringify([look, time.message, details, plan]);
  if (view === shownTime && box.firstChild) return;
  shownTime = view;
  const list = element("ul", "time-detail");
  list.append(...details.map((text) => element("li", "", text)));
  const nodes = [element("p", `time-line ${look}`, `${icons[look]} ${time.message}`), list];
  if (plan) nodes.push(drawTimeline(plan));
  patchChildren(box, nodes); // the line's text changes every second, the rest seldom
}

// How each overall result (the answer's `result.code`) is coloured; any other code is a failure.
const RESULT_LOOK = { verified: "ok", verified_with_embedded_key: "warn", no_key: "" };
const ICONS = { ok: "✓", bad: "✗", warn: "⚠", "": "" };
/** The findings' severities, most severe first, as the server orders findings. */
export const SEVERITIES = JSON.parse(urls.severities || "[]");
const shownVerdict = { view: "", first: null };

function renderVerdict(data, key, keyError) {
  setText($("key-error"), keyError ? keyError.message : "");
  setKeyInfo(data.key ? keyDescription(data.key) : "");
  const result = data.result;
  const look = result.code in RESULT_LOOK ? RESULT_LOOK[result.code] : "bad";
  const counts = SEVERITIES.map((severity) => [severity, (data.findings || []).filter((f) => f.severity === severity).length])
    .filter(([, count]) => count);
  const className = look ? `verdict area-summary ${look}` : "verdict area-summary";
  const verdict = $("verdict");
  // Most keystrokes change nothing here. Another message written in the verdict replaces its first node.
  const view = JSON.stringify([className, result.message, result.next_step, counts]);
  if (view === shownVerdict.view && verdict.firstChild === shownVerdict.first) return;
  const nodes = [element("p", "verdict-head", `${ICONS[look]} ${result.message}`.trim())];
  if (result.next_step) nodes.push(element("p", "verdict-next", `Next: ${result.next_step}`));
  if (counts.length) nodes.push(findingCounts(counts));
  if (verdict.className !== className) verdict.className = className;
  patchChildren(verdict, nodes);
  shownVerdict.view = view;
  shownVerdict.first = verdict.firstChild;
}

/** "Findings: 1 high · 2 medium", each count (`[severity, count]`, worst first) a link to the findings. */
function findingCounts(counts) {
  const line = element("p", "verdict-counts", "Findings: ");
  for (const [severity, count] of counts) {
    const link = element("a", `sev-${severity}`, `${count} ${severity}`);
    link.href = "#findings-panel";
    if (line.childElementCount) line.append(" · ");
    line.append(link);
  }
  return line;
}

// Hidden while empty by its attribute: a rule on :empty would restyle it on every keystroke.
function setKeyInfo(text) {
  const info = $("key-info");
  setText(info, text);
  if (info.hidden !== !text) info.hidden = !text;
}

function keyDescription(key) {
  const bits = [`Key: ${key.description}`, `from ${key.source}`];
  if (key.kid) bits.push(`kid ${key.kid}`);
  return bits.join(" · ");
}

function clearEditMessages() {
  for (const id of ["header-error", "payload-error", "resign-status"]) setText($(id), "");
}

const DEFAULT_HEADER = JSON.stringify({ alg: "HS256", typ: "JWT" }, null, 2);

async function resign() {
  const id = ++state.edits;
  state.pendingEdit = true;
  clearEditMessages();
  const status = $("resign-status");
  // A payload typed into an empty page gets a plain JWT header to go with it.
  if (!headerBox.value.trim() && payloadBox.value.trim() && !tokenBox.value.trim()) {
    headerBox.value = DEFAULT_HEADER;
  }
  for (const [box, errorId, name] of [[headerBox, "header-error", "Header"], [payloadBox, "payload-error", "Payload"]]) {
    try {
      JSON.parse(box.value);
    } catch (err) {
      setText($(errorId), `${name} is not valid JSON: ${err.message}. The token keeps its last good value.`);
      return;
    }
  }
  if (!keyBox.value) {
    setText(status, "Paste a key or secret below to re-sign the token with your changes.");
    refresh();
    return;
  }
  const result = await post(urls.encodeUrl, {
    header_json: headerBox.value,
    payload_json: payloadBox.value,
    key: keyBox.value,
    secret_encoding: encoding.value,
  });
  if (id !== state.edits) return;
  // For the lesson bar: whether the edit was signed, or why not (the error code).
  const detail = { ok: result.ok, code: result.ok ? null : result.data.error.code };
  document.dispatchEvent(new CustomEvent("debugger:resigned", { detail }));
  if (!result.ok) {
    const error = result.data.error;
    const target = { header: "header-error", payload: "payload-error" }[error.field] || "resign-status";
    setText($(target), error.message);
    if (target === "resign-status") refresh(); // the verdict still follows the key box
    return;
  }
  state.pendingEdit = false;
  tokenBox.value = result.data.token;
  refresh();
}

/** Put a token (and optionally a key) into the debugger, as if the user had pasted it. */
export function loadToken(token, key) {
  state.pendingEdit = false;
  clearEditMessages();
  tokenBox.value = token;
  if (key !== undefined) keyBox.value = key;
  refresh();
}

/** Add a field to every verify request (undefined or "" removes it), then check again. */
export function setVerifyOption(name, value) {
  if (value === undefined || value === "") delete verifyOptions[name];
  else verifyOptions[name] = value;
  refresh();
}

/** The extra fields every verify request carries now (claim checks, detached content). */
export function currentOptions() {
  return { ...verifyOptions };
}

/** What the key box and the encoding selector hold now. */
export function currentKey() {
  return { key: keyBox.value, secret_encoding: encoding.value };
}

// The "Try an example" button and its demo keys live in samples.js.

tokenBox.addEventListener("input", () => {
  // A new token replaces any edit that was waiting for a key.
  state.pendingEdit = false;
  clearEditMessages();
  refresh();
});
tokenBox.addEventListener("scroll", () => { backdrop.scrollTop = tokenBox.scrollTop; });
const keyChanged = () => {
  noticeKey();
  return state.pendingEdit ? resign() : refresh();
};
keyBox.addEventListener("input", keyChanged);
encoding.addEventListener("change", keyChanged);
for (const box of [headerBox, payloadBox]) {
  box.addEventListener("input", () => {
    showHidden(box);
    resign();
  });
}
$("clear").addEventListener("click", () => {
  state.pendingEdit = false;
  clearEditMessages();
  tokenBox.value = "";
  keyBox.value = "";
  refresh();
  tokenBox.focus();
});

paintToken(tokenBox.value);
if (tokenBox.value) refresh();
