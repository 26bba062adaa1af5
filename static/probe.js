// Send the token to the user's API, scan it for the attacks it should reject, find tokens in any
// text. Nothing leaves this page without a button press; what will be sent is shown first, masked.
// Answers are hostile text: written with textContent only.

import { $, urls, post, setText, loadToken, currentKey, onResult } from "./app.js";
import { downloadText, element } from "./ui.js";

const field = (id) => $(id);
const preview = field("probe-preview");
const sendButton = field("probe-send");
const startButton = field("scan-start");
const stopButton = field("scan-stop");
let token = "";
let scanController = null;
let lastScan = null;

// Loaded when its panel first opens: onResult replays the answer already on the page.
onResult((event) => {
  const data = event.detail.data;
  token = data ? data.token || "" : "";
  refreshPreview();
});

function headers() {
  const found = {};
  for (const line of field("probe-headers").value.split("\n")) {
    const at = line.indexOf(":");
    if (at > 0) found[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return found;
}

function request() {
  const body = {
    url: field("probe-url").value.trim(),
    method: field("probe-method").value,
    placement: field("probe-placement").value,
    headers: headers(),
  };
  if (token) body.token = token;
  const name = field("probe-name").value.trim();
  if (name) body.name = name;
  if (field("probe-body").value) body.body = field("probe-body").value;
  if (field("probe-dpop").checked) body.dpop_key = currentKey().key;
  return body;
}

let previewed = 0;
async function refreshPreview() {
  const body = request();
  const ticket = ++previewed;
  if (!body.url) {
    setText(preview, "Type the API's URL to see what will be sent.");
    sendButton.disabled = startButton.disabled = true;
    return;
  }
  const result = await post(urls.probePreviewUrl, body);
  if (ticket !== previewed) return;
  if (!result.ok) {
    setText(preview, result.data.error.message);
    sendButton.disabled = startButton.disabled = true;
    return;
  }
  const sent = result.data.sent;
  const lines = [`${sent.method} ${sent.url}`, ...sent.headers.map(([n, v]) => `${n}: ${v}`)];
  if (sent.body !== null) lines.push("", sent.body);
  setText(preview, lines.join("\n"));
  sendButton.disabled = false;
  startButton.disabled = !(token && field("scan-confirm").checked) || scanController !== null;
}

for (const id of ["probe-url", "probe-method", "probe-placement", "probe-name", "probe-headers",
  "probe-body", "probe-dpop", "scan-confirm"]) {
  field(id).addEventListener("input", refreshPreview);
  field(id).addEventListener("change", refreshPreview);
}

sendButton.addEventListener("click", async () => {
  setText(field("probe-status"), "Sending…");
  const result = await post(urls.probeUrl, request());
  const list = field("probe-explanations");
  list.replaceChildren();
  if (!result.ok) {
    setText(field("probe-status"), result.data.error.message);
    return;
  }
  const answer = result.data;
  if (answer.status === null) {
    setText(field("probe-status"), `No answer: ${answer.reason.message}`);
    setText(field("probe-answer"), "");
    return;
  }
  setText(field("probe-status"), `HTTP ${answer.status} ${answer.status_text} in ${answer.elapsed_ms} ms`);
  for (const item of answer.explanations) list.append(element("li", "", item.message));
  const head = answer.header_list.map(([n, v]) => `${n}: ${v}`).join("\n");
  const more = answer.body_truncated ? "\n… (only the first 64 KiB were read)" : "";
  setText(field("probe-answer"), `${head}\n\n${answer.body}${more}`);
});

function summary(report) {
  const lines = [];
  if (!report.judged) {
    lines.push(`The genuine token got ${report.baseline.status ?? "no answer"}: the scan needs a token the API accepts.`);
  } else if (!report.signature_checked) {
    lines.push("The API accepted a token whose signature was changed: it does not verify signatures at all.");
  }
  const taken = report.results.filter((r) => r.accepted && r.attack !== "corrupted-signature");
  if (taken.length) lines.push(`The API accepted these forged tokens: ${taken.map((r) => r.attack).join(", ")}.`);
  else if (report.judged && report.signature_checked) lines.push("The API refused every forged token that was sent.");
  if (report.stopped) lines.push("The scan was stopped before every attack was sent.");
  return lines;
}

function render(report) {
  report.summary = summary(report);
  report.vulnerable = report.results.some((r) => r.accepted);
  field("scan-summary").replaceChildren(...report.summary.map((line) => element("li", "", line)));
  const rows = report.results.map((r) => {
    const row = element("tr", r.accepted ? "accepted" : "");
    row.append(element("td", "", r.attack), element("td", "", String(r.status ?? "no answer")),
      element("td", "", r.accepted ? "yes" : "no"));
    return row;
  });
  field("scan-results").tBodies[0].replaceChildren(...rows);
  field("scan-results").hidden = false;
}

startButton.addEventListener("click", async () => {
  const base = { ...request(), confirm: field("scan-confirm").checked, key: currentKey().key };
  delete base.dpop_key;
  const jku = field("scan-jku").value.trim();
  if (jku) base.jku_url = jku;
  scanController = new AbortController();
  startButton.disabled = true;
  stopButton.disabled = false;
  const status = field("scan-status");
  const call = async (body) => {
    const response = await fetch(urls.probeAttacksUrl, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), signal: scanController.signal,
    });
    return { ok: response.ok, data: await response.json() };
  };
  try {
    setText(status, "Sending the genuine token and a copy with a changed signature…");
    const first = await call({ ...base, attacks: ["corrupted-signature"] });
    if (!first.ok) throw new Error(first.data.error.message);
    const report = { ...first.data, stopped: false };
    const forged = await post(urls.attacksUrl, { token: base.token, public_key: base.key || null });
    const ids = forged.ok ? forged.data.variants.map((v) => v.id) : [];
    ids.push("expired-resigned");
    render(report);
    if (report.judged) {
      for (const [index, id] of ids.entries()) {
        setText(status, `Sending ${id} (${index + 1} of ${ids.length})…`);
        const step = await call({ ...base, attacks: [id], baseline_status: report.baseline.status });
        if (!step.ok) throw new Error(step.data.error.message);
        report.results.push(...step.data.results);
        report.skipped.push(...step.data.skipped);
        render(report);
      }
    }
    setText(status, "Scan finished.");
    lastScan = report;
  } catch (err) {
    if (err.name === "AbortError") {
      setText(status, "Stopped: nothing more is sent.");
    } else {
      setText(status, err.message);
    }
  } finally {
    scanController = null;
    stopButton.disabled = true;
    field("scan-json").disabled = field("scan-markdown").disabled = !lastScan;
    refreshPreview();
  }
});

stopButton.addEventListener("click", () => {
  if (scanController) scanController.abort();
});

function markdown(report) {
  const sent = preview.textContent.split("\n")[0];
  const lines = [`# JWT attack scan of ${sent}`, "", ...report.summary.map((l) => `- ${l}`), "",
    `Genuine token: ${report.baseline.status ?? "no answer"}`, "",
    "| Attack | Status | Accepted |", "| --- | --- | --- |",
    ...report.results.map((r) => `| ${r.attack} | ${r.status ?? "no answer"} | ${r.accepted ? "**yes**" : "no"} |`)];
  if (report.skipped.length) lines.push("", "Not sent:", "", ...report.skipped.map((s) => `- ${s.id}: ${s.reason}`));
  return lines.join("\n") + "\n";
}

field("scan-json").addEventListener("click", () => {
  const { markdown: _, ...report } = lastScan;
  downloadText("jwt-scan.json", "application/json", JSON.stringify(report, null, 2));
});
field("scan-markdown").addEventListener("click", () => downloadText("jwt-scan.md", "text/markdown", markdown(lastScan)));

field("extract-run").addEventListener("click", async () => {
  const list = field("extract-list");
  const result = await post(urls.extractUrl, { text: field("extract-text").value });
  if (!result.ok) {
    list.replaceChildren(element("li", "", result.data.error.message));
    return;
  }
  if (!result.data.tokens.length) {
    list.replaceChildren(element("li", "", "No JWT or JWE found."));
    return;
  }
  list.replaceChildren(...result.data.tokens.map((found) => {
    const form = found.serialization === "compact" ? "" : ` (${found.serialization} JSON serialization)`;
    const item = element("li", "", `${found.kind}${form} in ${found.where}: ${found.verdict} `);
    const button = element("button", "", "Load");
    button.type = "button";
    button.addEventListener("click", () => loadToken(found.token));
    item.append(button);
    return item;
  }));
});
