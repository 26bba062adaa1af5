// The Explain and demo API panels. Values from the token are hostile text: textContent only.

import { $, urls, post, setText, fillList, loadToken, currentKey, currentOptions, setVerifyOption, onResult } from "./app.js";
import { copyText, element, markHidden, markedElement } from "./ui.js";

const walkthroughPanel = $("walkthrough-panel");
const codePanel = $("code-panel");
const state = { data: null, keyError: null, explained: "", timer: 0, requestId: 0 };
const NOT_ANSWERING = "The debugger's local server is not answering.";
let tipCount = 0;

const showValue = (value) => (typeof value === "string" ? value : JSON.stringify(value));
// The payload editor holds every value whole; a table cell shows the start of a long one (laying
// out a megabyte in a cell costs a tenth of a second, for text nobody reads there).
const CELL_CHARS = 300;

function cellText(value) {
  const text = showValue(value);
  if (text.length <= CELL_CHARS) return text;
  // Never cut a surrogate pair in two: half an emoji would show as a hidden character.
  const end = /[\ud800-\udbff]/.test(text[CELL_CHARS - 1]) ? CELL_CHARS - 1 : CELL_CHARS;
  return `${text.slice(0, end)}… (${text.length.toLocaleString("en")} characters in all)`;
}

// ---- claims table (names and values show hidden characters as markers: markHidden in ui.js)

function nameCell(row) {
  const cell = element("th");
  cell.scope = "row";
  const id = `claim-tip-${++tipCount}`;
  const term = markedElement("button", "ex-term", row.name);
  term.type = "button";
  term.setAttribute("aria-describedby", id);
  const tip = element("span", "ex-tip", `${row.title}: ${row.description}`);
  tip.id = id;
  tip.setAttribute("role", "tooltip");
  cell.append(term, tip);
  return cell;
}

function timeLines(time) {
  const list = element("ul", "ex-times");
  const local = new Date(time.value * 1000);
  const never = "beyond any calendar date";
  list.append(
    element("li", "", `UTC: ${time.utc || never}`),
    element("li", "", `Local: ${Number.isNaN(local.getTime()) ? never : local.toLocaleString()}`),
    element("li", "", `Relative: ${time.relative}`),
  );
  if (time.milliseconds) list.append(element("li", "warn", "⚠ This looks like milliseconds, not seconds."));
  return list;
}

function valueCell(row, value) {
  const cell = element("td", "ex-value");
  cell.append(markedElement("code", "", cellText(value)));
  if (row.time) cell.append(timeLines(row.time));
  return cell;
}

function meaningCell(row) {
  const cell = element("td", "ex-meaning");
  const link = element("a", "", row.source);
  link.href = row.url;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  cell.append(element("strong", "", row.title), ` ${row.description} `, link);
  return cell;
}

function renderClaims(data) {
  const body = $("claims-rows");
  tipCount = 0;
  const rows = [];
  for (const part of data && data.explain ? ["header", "payload"] : []) {
    for (const row of data.explain[part] || []) {
      const tr = element("tr", `ex-row-${part}`);
      tr.dataset.name = row.name;
      tr.append(nameCell(row), valueCell(row, data[part] ? data[part][row.name] : null), meaningCell(row));
      rows.push(tr);
    }
  }
  // A keystroke rarely changes the claims: leave an unchanged table alone (no relayout).
  const shown = body.children;
  if (shown.length === rows.length && rows.every((row, i) => row.isEqualNode(shown[i]))) return;
  body.replaceChildren(...rows);
}

// ---- hints and claim checks

function renderHints(data) {
  fillList($("hints"), (data && data.hints) || [], (li, hint) => {
    li.dataset.code = hint.code;
    li.append(...markHidden(`💡 ${hint.message}`));
  });
}

function renderChecks(data) {
  fillList($("claim-checks"), (data && data.claims) || [], (li, check) => {
    li.className = check.ok ? "ok" : "bad";
    li.dataset.claim = check.claim;
    const actual = check.actual === null ? "(none)" : showValue(check.actual);
    li.append(
      markedElement("span", "ex-check-result", `${check.ok ? "✓ passed" : "✗ failed"}: ${check.claim}`),
      markedElement("span", "", ` expected ${showValue(check.expected)}, actual ${actual}. ${check.message}`),
    );
  });
}

function readChecks() {
  const list = (id) => $(id).value.split(",").map((item) => item.trim()).filter(Boolean);
  const text = (id) => $(id).value.trim() || undefined;
  const audience = list("check-audience");
  const required = list("check-required");
  const leeway = $("check-leeway").value.trim();
  return {
    audience: audience.length > 1 ? audience : audience[0],
    issuer: text("check-issuer"),
    subject: text("check-subject"),
    required_claims: required.length ? required : undefined,
    leeway: leeway && Number.isFinite(Number(leeway)) ? Number(leeway) : undefined,
  };
}

// ---- walkthrough and code (fetched only while a panel is open)

function explainBody() {
  const { key, secret_encoding } = currentKey();
  const body = { token: state.data.token, secret_encoding, ...currentOptions(), ...readChecks() };
  if (key && !state.keyError) body.key = key;
  return body;
}

function scheduleExplain(delay) {
  clearTimeout(state.timer);
  if (walkthroughPanel.open || codePanel.open) state.timer = setTimeout(fetchExplain, delay);
}

async function fetchExplain() {
  if (!state.data || !state.data.token) {
    setText($("walkthrough"), "Paste a token to see how its signature is checked.");
    $("code-snippets").replaceChildren();
    return;
  }
  const body = explainBody();
  const signature = JSON.stringify(body);
  if (signature === state.explained) return;
  state.explained = signature;
  const id = ++state.requestId;
  let result;
  try {
    result = await post(urls.explainUrl, body);
  } catch {
    state.explained = "";
    setText($("code-error"), NOT_ANSWERING);
    return;
  }
  if (id !== state.requestId) return;
  if (!result.ok) {
    state.explained = "";
    setText($("walkthrough"), result.data.error.message);
    setText($("code-error"), result.data.error.message);
    return;
  }
  setText($("code-error"), "");
  renderWalkthrough(result.data.walkthrough);
  renderCode(result.data.code);
}

function hexWithMark(hex, index) {
  const code = element("code", "ex-hex");
  if (index == null || index * 2 >= hex.length) {
    code.textContent = hex;
  } else {
    const at = index * 2;
    code.append(hex.slice(0, at), element("mark", "ex-diff", hex.slice(at, at + 2)), hex.slice(at + 2));
  }
  return code;
}

function definition(list, term, value) {
  if (value == null || value === "") return;
  const dd = element("dd");
  dd.append(element("code", "ex-hex", String(value)));
  list.append(element("dt", "", term), dd);
}

const METHOD_FIELDS = {
  hmac: [["HMAC computed with your secret", "computed_mac"]],
  rsa_pkcs1v15: [
    ["Expected DigestInfo (hash name + hash)", "expected_digest_info"],
    ["Recovered block (s^e mod n)", "recovered.block"],
    ["Recovered DigestInfo", "recovered.digest_info"],
    ["Recovered hash", "recovered.hash"],
  ],
  rsa_pss: [
    ["Hash of the signing input (mHash)", "message_hash"],
    ["Encoded message (s^e mod n)", "recovered.encoded_message"],
    ["H from the signature", "recovered.hash"],
    ["Salt", "recovered.salt"],
    ["H′ computed", "computed_hash"],
  ],
  ecdsa: [["Curve", "curve"], ["r", "r"], ["s", "s"], ["x of u1·G + u2·Q, mod n", "computed_x"]],
  eddsa: [["Public key A", "public_key"], ["R", "r"], ["S", "s"], ["k (hash of R ‖ A ‖ signing input)", "k"]],
};

function pick(object, path) {
  return path.split(".").reduce((value, name) => (value ? value[name] : undefined), object);
}

function renderWalkthrough(walk) {
  const box = $("walkthrough");
  if (!walk.available) {
    box.replaceChildren(element("p", "note", walk.message));
    return;
  }
  const steps = element("dl", "ex-steps");
  definition(steps, "Algorithm", walk.alg);
  definition(steps, "Key", walk.key.description);
  definition(steps, "Signing input: base64url(header) + \".\" + base64url(payload)", walk.signing_input);
  definition(steps, "Length of the signing input", `${walk.signing_input_length} bytes`);
  if (walk.hash) definition(steps, `${walk.hash} of the signing input`, walk.signing_input_hash);
  definition(steps, `Token signature (${walk.signature_length} bytes)`, walk.signature);
  for (const [label, path] of METHOD_FIELDS[walk.method] || []) definition(steps, label, pick(walk, path));
  const nodes = [element("p", "", walk.explanation || ""), steps];
  const comparison = walk.comparison;
  if (comparison) {
    const block = element("div", `ex-compare ${comparison.equal ? "ok" : "bad"}`);
    block.setAttribute("role", "group");
    block.setAttribute("aria-label", "Comparison");
    const verdict = comparison.equal
      ? `✓ Equal: the ${comparison.what} matches.`
      : `✗ They differ, first at byte ${comparison.first_difference} (highlighted).`;
    block.append(element("p", "ex-compare-verdict", verdict));
    for (const side of ["expected", "actual"]) {
      const hex = hexWithMark(comparison[side], comparison.first_difference);
      block.append(element("p", "", comparison[`${side}_label`]), hex);
    }
    nodes.push(block);
  }
  if (walk.notes && walk.notes.length) {
    const notes = element("ul", "messages problems");
    for (const note of walk.notes) notes.append(element("li", "warning", `⚠ ${note}`));
    nodes.push(notes);
  }
  const result = walk.valid ? "✓ The signature holds." : "✗ The signature does not hold.";
  nodes.push(element("p", `ex-result ${walk.valid ? "ok" : "bad"}`, result));
  box.replaceChildren(...nodes);
}

function snippet(title, text, id) {
  const heading = element("h3", "", title);
  heading.id = `${id}-title`;
  const button = element("button", "", `Copy ${title}`);
  button.type = "button";
  const status = element("span", "ex-copy-status");
  status.setAttribute("aria-live", "polite");
  button.addEventListener("click", async () => {
    setText(status, (await copyText(text)) ? "Copied." : "Copy failed: select the code and copy it by hand.");
  });
  const head = element("div", "ex-snippet-head");
  head.append(heading, button, status);
  const pre = element("pre", "ex-code");
  pre.id = id;
  pre.setAttribute("aria-labelledby", heading.id);
  pre.append(element("code", "", text));
  const block = element("div");
  block.append(head, pre);
  return block;
}

function renderCode(code) {
  $("code-snippets").replaceChildren(
    snippet("Python (PyJWT)", code.python, "code-python"),
    snippet("Flask (flask-jwt-extended 4)", code.flask, "code-flask"),
    snippet("curl", code.curl, "code-curl"),
  );
  fillList($("mistakes"), code.mistakes, (li, mistake) => {
    li.dataset.code = mistake.code;
    li.textContent = mistake.message;
  });
  // For the lesson bar: the code now on the page.
  document.dispatchEvent(new CustomEvent("debugger:code", { detail: code }));
}

// ---- the demo API

async function sendToDemo() {
  const token = (state.data && state.data.token) || $("token").value.trim();
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const request = [`GET ${urls.demoUrl} HTTP/1.1`, `Host: ${location.host}`];
  if (token) request.push(`Authorization: Bearer ${token}`);
  setText($("demo-request"), request.join("\n"));
  $("demo-exchange").hidden = false;
  const box = $("demo-response");
  let response;
  try {
    response = await fetch(urls.demoUrl, { headers, cache: "no-store" });
  } catch {
    setText(box, NOT_ANSWERING);
    return;
  }
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`];
  for (const name of ["Content-Type", "WWW-Authenticate"]) {
    const value = response.headers.get(name);
    if (value) lines.push(`${name}: ${value}`);
  }
  let body;
  try {
    body = JSON.stringify(await response.json(), null, 2);
  } catch {
    body = "(no JSON body)";
  }
  setText(box, `${lines.join("\n")}\n\n${body}`, `demo-http ${response.ok ? "ok" : "bad"}`);
}

async function signWithDemoKey() {
  const secret = $("demo-key").textContent.trim();
  let payload = $("payload").value;
  try {
    JSON.parse(payload);
  } catch {
    const now = Math.floor(Date.now() / 1000);
    payload = JSON.stringify({ sub: "demo-user", name: "Ada Lovelace", iat: now, exp: now + 3600 });
  }
  const header = '{"alg":"HS256","typ":"JWT"}';
  const result = await post(urls.encodeUrl, { header_json: header, payload_json: payload, key: secret });
  if (!result.ok) {
    $("demo-exchange").hidden = false;
    setText($("demo-response"), result.data.error.message);
    return;
  }
  $("secret-encoding").value = "utf-8";
  loadToken(result.data.token, secret);
}

// ---- wiring

onResult((event) => {
  const { data, keyError } = event.detail;
  state.data = data && !data.error ? data : null;
  state.keyError = keyError;
  renderClaims(state.data);
  renderHints(state.data);
  renderChecks(state.data);
  // The walkthrough and code are for the token and key they were made from: a change takes them
  // off the page at once, and an open panel fetches them again.
  const current = state.data && state.data.token ? JSON.stringify(explainBody()) : "";
  if (state.explained && current !== state.explained) {
    state.explained = "";
    state.requestId += 1;
    $("walkthrough").replaceChildren();
    $("code-snippets").replaceChildren();
    $("mistakes").replaceChildren();
    setText($("code-error"), "");
  }
  scheduleExplain(400);
});

for (const panel of [walkthroughPanel, codePanel]) {
  panel.addEventListener("toggle", () => {
    if (panel.open) {
      state.explained = "";
      scheduleExplain(0);
    }
  });
}
// Each edit changes one option, and setVerifyOption checks again once: one request per keystroke.
const CHECK_FIELDS = {
  "check-audience": "audience",
  "check-issuer": "issuer",
  "check-subject": "subject",
  "check-required": "required_claims",
  "check-leeway": "leeway",
};
for (const [id, name] of Object.entries(CHECK_FIELDS)) {
  $(id).addEventListener("input", () => setVerifyOption(name, readChecks()[name]));
}
$("demo-send").addEventListener("click", sendToDemo);
$("demo-sign").addEventListener("click", signWithDemoKey);
