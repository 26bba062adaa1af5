// Security findings, most severe first, from every answer. The wordlist is sent in chunks (progress,
// Cancel), each within the server's work limit. Findings quote hostile text: textContent only.

import { $, urls, setText, fillList, loadToken, SEVERITIES } from "./app.js";
import { element } from "./ui.js";
import { suggestFold } from "./fold.js";

const CHUNK_BYTES = 256 * 1024;
const LF = 10;
const CR = 13;
// The server's limit on one request: lines x (signing-input bytes + cost of one secret).
const WORK_BUDGET = Number(urls.searchWorkBudget) || Infinity;
const SECRET_COST_BYTES = Number(urls.secretCostBytes) || 0;
// The server's request body limit, in bytes.
const MAX_BODY = Number(urls.maxBody) || Infinity;

const list = $("findings");
const summary = $("findings-summary");
const fileInput = $("wordlist-file");
const searchButton = $("wordlist-search");
const cancelButton = $("wordlist-cancel");
const progress = $("wordlist-progress");
const status = $("wordlist-status");
const useSecret = $("wordlist-use");

let currentToken = "";
let search = null; // the AbortController of the running search
let shown; // the findings on the page, as JSON: an answer that changes none of them costs no DOM work

let searchedToken = ""; // the token the search status and "Verify with the secret found" are about
let unread = false; // the payload could not be read: findings can speak only of the rest

document.addEventListener("debugger:result", (event) => {
  const data = event.detail.data;
  currentToken = (data && data.token) || "";
  unread = Boolean(data && data.time && data.time.status === "unknown");
  // A search result holds for the token it searched, and for no other.
  if (currentToken !== searchedToken) forgetSearch();
  render(data ? data.findings || [] : null);
});

function forgetSearch() {
  if (search) search.abort();
  searchedToken = "";
  setText(status, "");
  // Only what changes is written: each write costs a style pass.
  if (progress.value !== 0) progress.value = 0;
  if (!useSecret.hidden) useSecret.hidden = true;
  useSecret.onclick = null;
}

function render(findings) {
  const view = JSON.stringify([findings, unread]);
  if (view === shown) return;
  shown = view;
  const sorted = [...(findings || [])].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  );
  if (!findings) {
    setText(summary, "Paste a token to check it for security problems.", "findings-summary");
  } else if (!sorted.length && unread) {
    setText(summary, "Nothing could be checked in the payload: it could not be read.", "findings-summary");
  } else if (!sorted.length) {
    setText(summary, "No findings: nothing dangerous was found in this token.", "findings-summary ok");
  } else {
    const worst = sorted[0].severity;
    const count = sorted.length === 1 ? "1 finding" : `${sorted.length} findings`;
    setText(summary, `${count}, the most severe ${worst}.`, `findings-summary sev-${worst}`);
  }
  // Open while a high or critical finding stands (unless the user chose otherwise).
  const top = sorted.length ? sorted[0].severity : "";
  suggestFold($("findings-fold"), top === "critical" || top === "high");
  fillList(list, sorted, (li, finding) => {
    li.className = `finding sev-${finding.severity}`;
    const head = element("p", "finding-head");
    head.append(
      element("span", "finding-severity", finding.severity), " ",
      element("strong", "", finding.title), " ",
      element("code", "finding-id", finding.id),
    );
    li.append(head, element("p", "finding-detail", finding.detail));
  });
}

// ---- Wordlist search

searchButton.addEventListener("click", startSearch);
cancelButton.addEventListener("click", () => search && search.abort());

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** How many lines and bytes one request may carry for `token`, within the server's limits. */
function chunkLimits(token) {
  const encoder = new TextEncoder();
  const signed = encoder.encode(token.slice(0, token.lastIndexOf("."))).length;
  // base64 turns 3 bytes into 4; the token and the JSON around them come on top.
  const room = Math.floor(((MAX_BODY - encoder.encode(token).length - 1024) * 3) / 4);
  return {
    lines: Math.max(1, Math.floor(WORK_BUDGET / (signed + SECRET_COST_BYTES))),
    bytes: Math.max(1, Math.min(CHUNK_BYTES, room)),
  };
}

/** Whether a line ends at `i`, as the server splits lines: LF, CRLF (at its LF) or CR alone. */
function endsLine(bytes, i) {
  return bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF);
}

/** Where the chunk starting at `start` ends: just after a line end, within `limits`. */
function chunkEnd(bytes, start, limits) {
  const stop = Math.min(bytes.length, start + limits.bytes);
  let lines = 0;
  let cut = start;
  for (let i = start; i < stop; i += 1) {
    if (endsLine(bytes, i)) {
      cut = i + 1;
      lines += 1;
      if (lines === limits.lines) return cut;
    }
  }
  if (stop === bytes.length) return bytes.length; // the last line may have no line end
  if (cut > start) return cut;
  // One line longer than the byte limit: it goes whole, alone.
  for (let i = stop; i < bytes.length; i += 1) {
    if (endsLine(bytes, i)) return i + 1;
  }
  return bytes.length;
}

// Like app.js's post(), but cancellable.
async function searchChunk(token, chunk, signal) {
  const response = await fetch(urls.secretSearchUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token, wordlist_base64: toBase64(chunk) }),
    signal,
  });
  let data;
  try {
    data = await response.json();
  } catch {
    data = { error: { message: `The server answered ${response.status}.` } };
  }
  return { ok: response.ok, data };
}

function setSearching(running) {
  searchButton.disabled = running;
  cancelButton.disabled = !running;
}

async function startSearch() {
  const file = fileInput.files[0];
  useSecret.hidden = true;
  if (!file) {
    setText(status, "Choose a wordlist file first: one secret per line.");
    return;
  }
  if (!currentToken) {
    setText(status, "Paste an HS256, HS384 or HS512 token first.");
    return;
  }
  const token = currentToken;
  searchedToken = token;
  const controller = new AbortController();
  search = controller;
  setSearching(true);
  progress.value = 0;
  let tried = 0;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const limits = chunkLimits(token);
    let offset = 0;
    while (offset < bytes.length) {
      controller.signal.throwIfAborted(); // Cancel: no further chunk goes out
      const end = chunkEnd(bytes, offset, limits);
      const result = await searchChunk(token, bytes.subarray(offset, end), controller.signal);
      if (searchedToken !== token) return;
      if (!result.ok) {
        setText(status, result.data.error.message);
        return;
      }
      if (result.data.found) {
        showFound(token, result.data, tried + result.data.line, file.name);
        progress.value = end / bytes.length;
        return;
      }
      tried += result.data.tried;
      // The server stops at its time limit and says how far it got: the rest goes again.
      offset += result.data.complete === false ? result.data.searched_bytes : end - offset;
      progress.value = offset / bytes.length;
      const percent = Math.round((100 * offset) / bytes.length);
      setText(status, `Searching: ${tried.toLocaleString()} secrets tried (${percent}%).`);
    }
    progress.value = 1;
    setText(status, `Not found: none of the ${tried.toLocaleString()} secrets in ${file.name} signs this token.`);
  } catch {
    if (searchedToken !== token) return; // the token changed: the search is forgotten
    setText(status, controller.signal.aborted
      ? `Cancelled after ${tried.toLocaleString()} secrets.`
      : "The search stopped: the debugger's local server is not answering.");
  } finally {
    if (search === controller) search = null;
    setSearching(false);
  }
}

function showFound(token, result, line, fileName) {
  setText(
    status,
    `Found: the token is signed with ${result.description} (line ${line.toLocaleString()} of ${fileName}). `
      + "Anyone with this list can forge tokens: change the secret.",
  );
  const hex = Array.from(new TextEncoder().encode(result.secret), (b) => b.toString(16).padStart(2, "0")).join("");
  // Only a secret that is UTF-8 text (and not empty) can go into the key box as it is.
  useSecret.hidden = result.secret === "" || hex !== result.secret_hex;
  // The key box gets the secret; the token stays the one in the box (the one searched).
  useSecret.onclick = () => {
    if (currentToken === token) loadToken(currentToken, result.secret);
  };
}
