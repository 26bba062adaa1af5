// The key panel and its tools, keys carried inside the token, and detached payloads.
// Keys, tokens and fetched key sets are hostile text: written with textContent only.

import {
  $, urls, post, setText, fillList, loadToken, currentKey, setVerifyOption, onResult, onKeyChange,
} from "./app.js";
import { copyButton, downloadText, element } from "./ui.js";
import "./recover.js";

const panel = {
  data: null, // the last decode or verify answer
  inspected: null, // { text, encoding, answer } of the last /api/keys/inspect
  inspecting: 0,
  generated: null,
  converting: 0, // counts conversions and key changes: an older conversion's answer is dropped
  convertedTo: null, // what the conversion on the page was converted to
  collected: [], // the keys of the set being built: { description, kid, thumbprint, kty, jwk }
  building: 0,
  certificate: null, // { key, answer } of the last self-signed certificate
};

const STATUS_TEXT = {
  matched: "✓ verified the signature",
  no_match: "✗ fits, but the signature does not match it",
  not_tried: "fits; not needed, another key matched first",
  candidate: "fits the token",
  other_kid: "not used: another kid",
  unfit: "✗ cannot be used for this token",
  unusable: "✗ unusable",
};

const NO_KEY = "Paste a key in the key box first.";

function useKey(key, encoding, token = $("token").value) {
  $("secret-encoding").value = encoding;
  loadToken(token, key);
}

function warning(li, text) {
  li.className = "warning";
  li.textContent = `⚠ ${text}`;
}

/** Show the error of a failed answer in `errorId` (or clear it); true when the answer failed. */
function failed(result, errorId) {
  setText($(errorId), result.ok ? "" : result.data.error.message);
  return !result.ok;
}

/** post(), with a server that does not answer reported like any other error. */
async function request(url, body) {
  try {
    return await post(url, body);
  } catch {
    return { ok: false, data: { error: { message: "The debugger's local server is not answering." } } };
  }
}

// ---- What the key is

// What the panel last rendered, as JSON: an answer that changes none of it costs no DOM work.
const shown = { key: undefined, embedded: undefined };

onResult((event) => {
  const { data, key, keyError } = event.detail;
  panel.data = data;
  const keyView = data && (data.key || data.key_set)
    ? JSON.stringify([key, keyError, data.key, data.key_set, data.reason && data.reason.code, data.signature_valid])
    : null;
  if (keyView === null || keyView !== shown.key) renderKey(data, key, keyError);
  shown.key = keyView;
  const embeddedView = JSON.stringify(data ? data.embedded_keys ?? null : null);
  if (embeddedView !== shown.embedded) renderEmbedded(data);
  shown.embedded = embeddedView;
  renderPayloadForm(data);
  forgetCertificate(key);
});

function renderKey(data, key, keyError) {
  if (!key || keyError) {
    if (keyError) showSummary(`✗ ${keyError.message}`, "kp-summary bad");
    else showSummary("Paste a key or secret to see what it is.");
    showDetails(null, null, null);
    return;
  }
  if (data && (data.key || data.key_set)) {
    showDetails(data.key, data.key_set, data);
    return;
  }
  const { secret_encoding: encoding } = currentKey();
  const cached = panel.inspected;
  if (cached && cached.text === key && cached.encoding === encoding) {
    showDetails(cached.answer, cached.answer.key_set, null);
  } else if (data === null) {
    // The token box is empty, so app.js sent nothing: this is the one request for the keystroke.
    inspect(key, encoding);
  } else {
    showSummary("The key is described once the token can be checked with it.");
    showDetails(null, null, null);
  }
}

async function inspect(text, encoding) {
  const id = ++panel.inspecting;
  let result;
  try {
    result = await post(urls.keysInspectUrl, { key: text, secret_encoding: encoding });
  } catch {
    return;
  }
  if (id !== panel.inspecting || currentKey().key !== text) return;
  if (!result.ok) {
    showSummary(`✗ ${result.data.error.message}`, "kp-summary bad");
    showDetails(null, null, null);
    return;
  }
  panel.inspected = { text, encoding, answer: result.data };
  showDetails(result.data, result.data.key_set, null);
}

function showSummary(text, className = "kp-summary") {
  setText($("key-summary"), text, className);
}

function showDetails(info, keySet, data) {
  const rows = [];
  if (info) {
    showSummary(`${info.description}, from ${info.source}.`);
    const kind = info.kind === "secret" ? "HMAC secret" : info.curve ? `${info.kind} (${info.curve})` : info.kind;
    const visibility = info.private === null
      ? "secret: the same bytes sign and verify"
      : info.private ? "private: signs, and verifies with its public part" : "public: verifies only";
    rows.push(["Kind", kind], ["Size", `${info.size} bits`], ["Public or private", visibility]);
    rows.push(["kid", info.kid ?? "none"], ["Thumbprint (RFC 7638)", info.thumbprint || "—"]);
    if (info.algorithms) rows.push(["Algorithms", info.algorithms.join(", ")]);
    for (const name of ["alg", "use"]) if (info[name]) rows.push([`JWK ${name}`, info[name]]);
    const cert = info.certificate;
    if (cert) {
      rows.push(["Certificate subject", cert.subject], ["Certificate issuer", cert.issuer]);
      rows.push(["Valid", `${cert.not_before} to ${cert.not_after}`]);
      rows.push(["SHA-256 fingerprint", cert.sha256_fingerprint]);
    }
  } else if (keySet) {
    showSummary(`A JWK Set of ${keySet.entries.length} keys; none was chosen for this token.`);
  }
  const terms = rows.flatMap(([name, value]) => [element("dt", "", name), element("dd", "", value)]);
  $("key-details").replaceChildren(...terms);
  const warnings = info && info.warnings ? info.warnings : [];
  fillList($("key-warnings"), warnings.map((item) => item.message), warning);
  showKeySet(keySet, data);
}

function showKeySet(keySet, data) {
  $("key-set").hidden = !keySet;
  if (!keySet) return;
  setText($("key-set-summary"), keySetSummary(keySet, data));
  fillList($("key-set-entries"), keySet.entries, (li, entry) => {
    li.className = `kp-entry ${entry.status || ""}`;
    const facts = [entry.kty || "no kty"];
    if (entry.crv) facts.push(entry.crv);
    if (entry.alg) facts.push(`alg ${entry.alg}`);
    facts.push(entry.kid ? `kid ${entry.kid}` : "no kid");
    const label = STATUS_TEXT[entry.status] || "";
    li.append(
      element("span", "", `Key ${entry.index + 1}: ${facts.join(" · ")}`),
      element("span", "kp-status", entry.reason ? `${label}: ${entry.reason}` : label),
    );
    if (entry.pyjwt) li.append(element("span", "kp-pyjwt", `⚠ ${entry.pyjwt}`));
  });
}

function keySetSummary(keySet, data) {
  const count = keySet.entries.length;
  if (!data) {
    const unusable = keySet.unusable.length;
    return `${count} keys; ${count - unusable} usable${unusable ? `, ${unusable} unusable (see why below)` : ""}.`;
  }
  if (data.reason && data.reason.code === "kid_not_found") {
    const kids = keySet.kids.length ? keySet.kids.join(", ") : "none";
    return `✗ The token's kid "${keySet.token_kid}" is not in this set. The kids it has: ${kids}.`;
  }
  const named = keySet.token_kid ? `kid "${keySet.token_kid}"` : "no kid";
  if (data.signature_valid && keySet.used !== null) {
    const entry = keySet.entries[keySet.used];
    const kid = entry.kid ? ` (kid ${entry.kid})` : "";
    const among = keySet.fitting > 1 ? ` ${keySet.fitting} keys fit the token (it has ${named}); this one matched.` : "";
    return `✓ Key ${keySet.used + 1} of ${count}${kid} verified the signature.${among}`;
  }
  return `${count} keys; ${keySet.fitting} fit the token (it has ${named}), and none verified it.`;
}

// ---- Generate

const sizeApplies = () => /^(RS|PS)/.test($("gen-alg").value);

$("gen-alg").addEventListener("change", () => { $("gen-size").disabled = !sizeApplies(); });

async function generate() {
  const alg = $("gen-alg").value;
  const body = { alg };
  if (sizeApplies()) body.size = Number($("gen-size").value);
  const what = body.size ? `an RSA ${body.size}-bit key` : `a ${alg} key`;
  const button = $("gen-button");
  const started = performance.now();
  const tick = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setText($("gen-progress-text"), `Generating ${what}… ${seconds} s. The page stays usable meanwhile.`);
  };
  button.disabled = true;
  setText($("gen-error"), "");
  $("gen-progress").hidden = false;
  tick();
  const timer = setInterval(tick, 200);
  const result = await request(urls.keysGenerateUrl, body);
  clearInterval(timer);
  $("gen-progress").hidden = true;
  button.disabled = false;
  if (!failed(result, "gen-error")) showGenerated(result.data);
}

function showGenerated(generated) {
  panel.generated = generated;
  // For the lesson bar: which algorithm, and a secret or a key pair (never the key itself).
  const detail = { alg: generated.alg, secret: "secret" in generated };
  document.dispatchEvent(new CustomEvent("debugger:key-generated", { detail }));
  const secret = "secret" in generated;
  $("gen-output").hidden = false;
  setText($("gen-kid"), `${generated.alg} key generated. kid (its RFC 7638 thumbprint): ${generated.kid}`);
  setText($("gen-private-label"), secret ? "Secret (base64url)" : "Private key (PEM)");
  setText($("gen-private-jwk-label"), secret ? "Secret as a JWK" : "Private JWK");
  for (const [id, what] of [["gen-private", secret ? "the secret" : "the private PEM"],
    ["gen-private-jwk", secret ? "the secret as a JWK" : "the private JWK"]]) {
    for (const span of document.querySelectorAll(`[data-save="${id}"] [data-what]`)) setText(span, ` ${what}`);
  }
  $("gen-private").value = secret ? generated.secret : generated.private_pem;
  $("gen-private-jwk").value = JSON.stringify(secret ? generated.jwk : generated.private_jwk, null, 2);
  for (const id of ["gen-public", "gen-public-label", "gen-public-jwk", "gen-public-jwk-label", "gen-use-public"]) {
    $(id).hidden = secret;
  }
  for (const id of ["gen-public", "gen-public-jwk"]) document.querySelector(`[data-save="${id}"]`).hidden = secret;
  if (!secret) {
    $("gen-public").value = generated.public_pem;
    $("gen-public-jwk").value = JSON.stringify(generated.public_jwk, null, 2);
  }
}

function generatedSigningKey() {
  const generated = panel.generated;
  return "secret" in generated
    ? { key: generated.secret, secret_encoding: "base64url" }
    : { key: generated.private_pem, secret_encoding: "utf-8" };
}

function editedHeader() {
  try {
    const header = JSON.parse($("header").value);
    if (header && typeof header === "object" && !Array.isArray(header)) return header;
  } catch {
    // An empty or broken header editor: start from a plain JWT header.
  }
  return { typ: "JWT" };
}

async function signWithGenerated() {
  const generated = panel.generated;
  if (!generated) return;
  const header = { ...editedHeader(), alg: generated.alg, kid: generated.kid };
  const signing = generatedSigningKey();
  const result = await post(urls.encodeUrl, {
    header_json: JSON.stringify(header),
    payload_json: $("payload").value.trim() || "{}",
    ...signing,
  });
  if (!failed(result, "gen-error")) useKey(signing.key, signing.secret_encoding, result.data.token);
}

$("gen-button").addEventListener("click", generate);
$("gen-sign").addEventListener("click", signWithGenerated);
$("gen-use-private").addEventListener("click", () => {
  if (!panel.generated) return;
  const signing = generatedSigningKey();
  useKey(signing.key, signing.secret_encoding);
});
$("gen-use-public").addEventListener("click", () => {
  if (panel.generated && panel.generated.public_pem) useKey(panel.generated.public_pem, "utf-8");
});

// ---- Self-signed certificate

async function makeCertificate() {
  const { key, secret_encoding: encoding } = currentKey();
  if (!key.trim()) {
    setText($("cert-error"), NO_KEY);
    return;
  }
  const body = { key, secret_encoding: encoding };
  const subject = $("cert-subject").value.trim();
  if (subject) body.subject = subject;
  const result = await request(urls.keysCertificateUrl, body);
  if (currentKey().key !== key) return; // the key changed meanwhile
  $("cert-output").hidden = failed(result, "cert-error");
  if (!result.ok) return;
  panel.certificate = { key, answer: result.data };
  const cert = result.data.certificate;
  setText($("cert-summary"), `${cert.subject}, issued by itself (${cert.key}), valid from ${cert.not_before} to ${cert.not_after}.`);
  $("cert-pem").value = result.data.certificate_pem;
}

// A certificate holds for the key it was made for: a new key (or Clear) takes it off the page.
function forgetCertificate(key) {
  if (!panel.certificate || panel.certificate.key === key) return;
  panel.certificate = null;
  $("cert-output").hidden = true;
  $("cert-pem").value = "";
}

$("cert-button").addEventListener("click", makeCertificate);
$("cert-x5c").addEventListener("click", () => {
  if (!panel.certificate) return;
  const box = $("header");
  box.value = JSON.stringify({ ...editedHeader(), x5c: panel.certificate.answer.x5c }, null, 2);
  // As if typed: the page re-signs the edited header with the key in the key box.
  box.dispatchEvent(new Event("input"));
});

// ---- Copy and download: every output of the key tools, saved on this machine only

const PEM = "application/x-pem-file";
const JWK = "application/jwk+json";

/** The file name and type each output is saved as. */
const SAVED_AS = {
  "gen-private": () => ("secret" in panel.generated
    ? [`${generatedName()}-secret.txt`, "text/plain"]
    : [`${generatedName()}-private.pem`, PEM]),
  "gen-public": () => [`${generatedName()}-public.pem`, PEM],
  "gen-private-jwk": () => ("secret" in panel.generated
    ? [`${generatedName()}-secret.jwk.json`, JWK]
    : [`${generatedName()}-private.jwk.json`, JWK]),
  "gen-public-jwk": () => [`${generatedName()}-public.jwk.json`, JWK],
  "convert-output": () => CONVERTED_AS[panel.convertedTo] || ["key.txt", "text/plain"],
  "set-output": () => ($("set-public").checked
    ? ["public-jwks.json", "application/jwk-set+json"]
    : ["jwks.json", "application/jwk-set+json"]),
};

const CONVERTED_AS = {
  jwk: ["key.jwk.json", JWK],
  public_jwk: ["public.jwk.json", JWK],
  pem: ["key.pem", PEM],
  public_pem: ["public.pem", PEM],
  jwk_set: ["jwks.json", "application/jwk-set+json"],
  public_jwk_set: ["public-jwks.json", "application/jwk-set+json"],
};

const generatedName = () => panel.generated.alg.toLowerCase();

for (const row of document.querySelectorAll("[data-save]")) {
  const box = $(row.dataset.save);
  const label = () => document.querySelector(`label[for="${box.id}"]`).textContent;
  copyButton(row.querySelector("[data-copy]"), () => box.value, { what: label });
  row.querySelector("[data-download]").addEventListener("click", () => {
    if (!box.value) return;
    const [name, type] = SAVED_AS[box.id]();
    downloadText(name, type, box.value);
  });
}

// ---- Convert: what the key box holds now

// A conversion holds for the key it converted: a new key, a new encoding or Clear take it away,
// and its error with it. A conversion still under way for an older key is dropped.
onKeyChange(() => {
  panel.converting += 1;
  panel.convertedTo = null;
  $("convert-output").value = "";
  setText($("convert-error"), "");
});

async function convert() {
  const to = $("convert-to").value;
  const { key, secret_encoding: encoding } = currentKey();
  if (!key.trim()) {
    setText($("convert-error"), NO_KEY);
    return;
  }
  const id = ++panel.converting;
  setText($("convert-error"), "");
  const result = await request(urls.keysConvertUrl, { keys: [key], to, secret_encoding: encoding });
  if (id !== panel.converting) return; // the key changed meanwhile
  const ok = !failed(result, "convert-error");
  panel.convertedTo = ok ? to : null;
  $("convert-output").value = ok ? result.data.text : "";
}

$("convert-button").addEventListener("click", convert);
$("convert-use").addEventListener("click", () => {
  const text = $("convert-output").value;
  if (text) useKey(text, "utf-8");
});

// ---- Build a JWK Set: a list of keys of its own, made one key at a time

// Each key is kept as its JWK (private parts as given), so that the set does not depend on the
// key box or its encoding once the key is in the list.
async function addToSet() {
  const { key, secret_encoding: encoding } = currentKey();
  if (!key.trim()) {
    setText($("collect-status"), NO_KEY);
    return;
  }
  const result = await request(urls.keysConvertUrl, { keys: [key], to: "jwk_set", secret_encoding: encoding });
  if (!result.ok) {
    setText($("collect-status"), `Not added: ${result.data.error.message}`);
    return;
  }
  const added = [];
  const already = [];
  result.data.keys.forEach((described, index) => {
    const jwk = result.data.value.keys[index];
    const row = panel.collected.findIndex((item) => item.thumbprint === described.thumbprint);
    if (row === -1) {
      panel.collected.push({ ...described, kty: jwk.kty, jwk: JSON.stringify(jwk) });
      added.push(described.description);
    } else {
      already.push(`${described.description} is already key ${row + 1}`);
    }
  });
  const said = [added.length ? `Added: ${added.join("; ")}.` : "", already.length ? `${already.join("; ")}.` : ""];
  setText($("collect-status"), said.filter(Boolean).join(" "));
  showCollected();
}

function removeFromSet(index) {
  const [removed] = panel.collected.splice(index, 1);
  setText($("collect-status"), `Removed: ${removed.description}.`);
  showCollected();
}

function showCollected() {
  const collected = panel.collected;
  fillList($("collected"), collected.map((item, index) => ({ ...item, index })), (li, item) => {
    li.className = "kp-entry";
    const named = item.kid === null ? `no kid; thumbprint ${item.thumbprint}` : `kid ${item.kid}`;
    li.append(element("span", "", `Key ${item.index + 1}: ${item.kty} · ${item.description} · ${named}`));
    if (item.kid !== null) li.append(element("span", "kp-status", `RFC 7638 thumbprint ${item.thumbprint}`));
    const remove = element("button", "button-small", "Remove");
    remove.type = "button";
    remove.append(element("span", "visually-hidden", ` key ${item.index + 1}`));
    remove.addEventListener("click", () => removeFromSet(item.index));
    li.append(remove);
  });
  $("collected").hidden = collected.length === 0;
  $("collected-empty").hidden = collected.length > 0;
  $("collect-clear").hidden = collected.length === 0;
  buildSet();
}

/** Work the JWK Set out again from the list: what is shown always matches the list. */
async function buildSet() {
  const id = ++panel.building;
  const keys = panel.collected.map((item) => item.jwk);
  setText($("set-error"), "");
  if (!keys.length) {
    $("set-result").hidden = true;
    $("set-output").value = "";
    return;
  }
  const to = $("set-public").checked ? "public_jwk_set" : "jwk_set";
  const result = await request(urls.keysConvertUrl, { keys, to });
  if (id !== panel.building) return; // the list changed meanwhile
  const ok = !failed(result, "set-error");
  $("set-result").hidden = !ok;
  $("set-output").value = ok ? result.data.text : "";
}

function forgetCollected() {
  panel.collected = [];
  setText($("collect-status"), "");
  showCollected();
}

$("collect-button").addEventListener("click", addToSet);
$("set-public").addEventListener("change", buildSet);
$("collect-clear").addEventListener("click", forgetCollected);
// Clear empties the page: the list goes too.
$("clear").addEventListener("click", forgetCollected);
$("set-use").addEventListener("click", () => {
  const text = $("set-output").value;
  if (text) useKey(text, "utf-8");
});

// ---- Fetch a key set

async function fetchKeySet() {
  const kind = $("jwks-kind").value;
  const source = $("jwks-source").value.trim();
  if (!source) {
    setText($("jwks-error"), kind === "url" ? "Enter the key set's URL." : "Enter the issuer's URL.");
    return;
  }
  setText($("jwks-error"), "");
  const button = $("jwks-button");
  button.disabled = true;
  setText($("jwks-status"), "Fetching…");
  const result = await request(urls.jwksFetchUrl, { [kind]: source });
  button.disabled = false;
  if (failed(result, "jwks-error")) {
    setText($("jwks-status"), "");
    return;
  }
  const fetched = result.data;
  const via = fetched.discovery_url ? `, found through ${fetched.discovery_url}` : "";
  const warnings = fetched.warnings.map((item) => ` ⚠ ${item.message}`).join("");
  setText($("jwks-status"), `Fetched ${fetched.key_count} keys from ${fetched.url}${via}. They are now the key.${warnings}`);
  useKey(fetched.jwks_text, "utf-8");
}

$("jwks-button").addEventListener("click", fetchKeySet);
$("jwks-kind").addEventListener("change", () => {
  $("jwks-source").placeholder = $("jwks-kind").value === "url"
    ? "https://issuer.example/.well-known/jwks.json"
    : "https://issuer.example";
});

// ---- Keys inside the token

function certificateLines(cert) {
  if (cert.error) return [cert.error];
  const role = cert.index === 0 ? " (leaf: the signing key)" : "";
  const validity = { expired: " (expired)", not_yet_valid: " (not valid yet)" }[cert.validity] || "";
  return [
    `Certificate ${cert.index + 1}${role}: ${cert.subject}`,
    `Issuer: ${cert.issuer}`,
    `Valid: ${cert.not_before} to ${cert.not_after}${validity}`,
    `SHA-256 fingerprint: ${cert.sha256_fingerprint}`,
    `Key: ${cert.key}${cert.self_signed ? " · self-signed" : ""}`,
  ];
}

function renderEmbedded(data) {
  const embedded = data ? data.embedded_keys : null;
  $("embedded-panel").hidden = !embedded;
  if (!embedded) return;
  setText($("embedded-trust"), `⚠ ${embedded.trust}`);
  const chain = embedded.x5c;
  $("x5c-info").hidden = !chain;
  if (chain) {
    fillList($("x5c-chain"), chain.certificates, (li, cert) => {
      li.className = "kp-entry";
      li.append(...certificateLines(cert).map((line) => element("span", "", line)));
    });
    const problems = [...chain.problems];
    if (chain.chain_consistent) {
      problems.push("Each certificate is signed by the next, but no root you trust was checked.");
    }
    fillList($("x5c-problems"), problems, warning);
    $("x5c-use").disabled = !chain.leaf_pem;
  }
  const jwk = embedded.jwk;
  $("jwk-info").hidden = !jwk;
  if (jwk) {
    const thumb = jwk.thumbprint ? ` · thumbprint ${jwk.thumbprint}` : "";
    setText($("jwk-description"), jwk.description ? `${jwk.description}${thumb}` : "The jwk header cannot be read.");
    fillList($("jwk-problems"), jwk.problems, warning);
    $("jwk-use").disabled = !jwk.description;
  }
}

$("x5c-use").addEventListener("click", () => {
  const chain = panel.data && panel.data.embedded_keys && panel.data.embedded_keys.x5c;
  if (chain && chain.leaf_pem) useKey(chain.leaf_pem, "utf-8");
});
$("jwk-use").addEventListener("click", () => {
  const header = panel.data && panel.data.header;
  if (header && header.jwk) useKey(JSON.stringify(header.jwk, null, 2), "utf-8");
});

// ---- Detached and unencoded payloads

const PAYLOAD_FORM_DEFAULT = $("payload-form").textContent;

function renderPayloadForm(data) {
  const special = data && data.payload_form && data.payload_form.explanation;
  setText($("payload-form"), special || PAYLOAD_FORM_DEFAULT, special ? "note kp-highlight" : "note");
}

$("detached-payload").addEventListener("input", () => {
  setVerifyOption("detached_payload", $("detached-payload").value || undefined);
});

async function signDetached() {
  const header = editedHeader();
  if (!header.alg) header.alg = "HS256";
  const crit = Array.isArray(header.crit) ? header.crit.filter((name) => name !== "b64") : [];
  delete header.b64;
  if ($("detached-unencoded").checked) {
    header.b64 = false;
    crit.push("b64");
  }
  if (crit.length) header.crit = crit;
  else delete header.crit;
  const result = await post(urls.encodeUrl, {
    header_json: JSON.stringify(header),
    payload_raw: $("detached-payload").value,
    detached: true,
    ...currentKey(),
  });
  if (!failed(result, "detached-error")) loadToken(result.data.token);
}

$("detached-sign").addEventListener("click", signDetached);
