// The key panel: what the pasted key is, a key set entry by entry, the key tools (generate,
// convert, fetch a JWK Set), keys carried inside the token, and detached payloads.
// Keys, tokens and fetched key sets are hostile text: written with textContent only.

import { $, urls, post, setText, fillList, loadToken, currentKey, setVerifyOption } from "./app.js";

const panel = {
  data: null, // the last decode or verify answer
  inspected: null, // { text, encoding, answer } of the last /api/keys/inspect
  inspecting: 0,
  generated: null,
  collected: [],
};

const STATUS_TEXT = {
  matched: "✓ verified the signature",
  no_match: "✗ fits, but the signature does not match it",
  not_tried: "fits; not needed, another key matched first",
  candidate: "fits the token",
  other_kid: "not used: another kid",
  unfit: "✗ cannot be used for this token",
  unusable: "✗ unusable",
  usable: "",
};

function tokenText() {
  return $("token").value;
}

function useKey(text, encoding) {
  if (encoding) $("secret-encoding").value = encoding;
  loadToken(tokenText(), text);
}

// ---- What the key is -------------------------------------------------------------------

// What the panel last rendered from an answer, as JSON: an answer that changes none of it (most
// keystrokes in the token box) costs no DOM work.
const shown = { key: undefined, embedded: undefined };

document.addEventListener("debugger:result", (event) => {
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
});

function renderKey(data, key, keyError) {
  if (!key) {
    showSummary("Paste a key or secret to see what it is.", "kp-summary");
    showDetails(null, null, null);
    return;
  }
  if (keyError) {
    showSummary(`✗ ${keyError.message}`, "kp-summary bad");
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
    showSummary("The key is described once the token can be checked with it.", "kp-summary");
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

function showSummary(text, className) {
  setText($("key-summary"), text, className);
}

function kindText(info) {
  if (info.kind === "secret") return "HMAC secret";
  return info.curve ? `${info.kind} (${info.curve})` : info.kind;
}

function visibilityText(info) {
  if (info.private === null) return "secret: the same bytes sign and verify";
  return info.private ? "private: signs, and verifies with its public part" : "public: verifies only";
}

function showDetails(info, keySet, data) {
  const list = $("key-details");
  const rows = [];
  if (info) {
    showSummary(`${info.description}, from ${info.source}.`, "kp-summary");
    rows.push(["Kind", kindText(info)], ["Size", `${info.size} bits`]);
    rows.push(["Public or private", visibilityText(info)]);
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
    showSummary(`A JWK Set of ${keySet.entries.length} keys; none was chosen for this token.`, "kp-summary");
  }
  list.replaceChildren(...rows.flatMap(([name, value]) => {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    return [dt, dd];
  }));
  fillList($("key-warnings"), info && info.warnings ? info.warnings : [], (li, warning) => {
    li.className = "warning";
    li.textContent = `⚠ ${warning.message}`;
  });
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
    const head = document.createElement("span");
    head.textContent = `Key ${entry.index + 1}: ${facts.join(" · ")}`;
    const status = document.createElement("span");
    status.className = "kp-status";
    const label = STATUS_TEXT[entry.status] || "";
    status.textContent = entry.reason ? `${label}: ${entry.reason}` : label;
    li.append(head, status);
    if (entry.pyjwt) {
      const note = document.createElement("span");
      note.className = "kp-pyjwt";
      note.textContent = `⚠ ${entry.pyjwt}`;
      li.append(note);
    }
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

// ---- Generate ----------------------------------------------------------------------------

function sizeApplies() {
  return /^(RS|PS)/.test($("gen-alg").value);
}

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
  let result;
  try {
    result = await post(urls.keysGenerateUrl, body);
  } catch {
    result = { ok: false, data: { error: { message: "The debugger's local server is not answering." } } };
  } finally {
    clearInterval(timer);
    $("gen-progress").hidden = true;
    button.disabled = false;
  }
  if (!result.ok) {
    setText($("gen-error"), result.data.error.message);
    return;
  }
  showGenerated(result.data);
}

function showGenerated(generated) {
  panel.generated = generated;
  const secret = "secret" in generated;
  $("gen-output").hidden = false;
  setText($("gen-kid"), `${generated.alg} key generated. kid (its RFC 7638 thumbprint): ${generated.kid}`);
  setText($("gen-private-label"), secret ? "Secret (base64url)" : "Private key (PEM)");
  $("gen-private").value = secret ? generated.secret : generated.private_pem;
  $("gen-private-jwk").value = JSON.stringify(secret ? generated.jwk : generated.private_jwk, null, 2);
  for (const id of ["gen-public", "gen-public-label", "gen-public-jwk", "gen-public-jwk-label", "gen-use-public"]) {
    $(id).hidden = secret;
  }
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
  const payload = $("payload").value.trim() || "{}";
  const signing = generatedSigningKey();
  const result = await post(urls.encodeUrl, {
    header_json: JSON.stringify(header),
    payload_json: payload,
    ...signing,
  });
  if (!result.ok) {
    setText($("gen-error"), result.data.error.message);
    return;
  }
  setText($("gen-error"), "");
  $("secret-encoding").value = signing.secret_encoding;
  loadToken(result.data.token, signing.key);
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

// ---- Convert -----------------------------------------------------------------------------

function showCollected() {
  const count = panel.collected.length;
  setText($("collect-status"), count
    ? `${count} key${count === 1 ? "" : "s"} collected: choose a JWK Set and press Convert.`
    : "");
  $("collect-clear").hidden = count === 0;
}

async function convert() {
  const to = $("convert-to").value;
  const { key, secret_encoding: encoding } = currentKey();
  const keys = to.endsWith("jwk_set") && panel.collected.length ? panel.collected : [key];
  setText($("convert-error"), "");
  if (!keys[0]) {
    setText($("convert-error"), "Paste a key in the key box first.");
    return;
  }
  const result = await post(urls.keysConvertUrl, { keys, to, secret_encoding: encoding });
  if (!result.ok) {
    setText($("convert-error"), result.data.error.message);
    return;
  }
  $("convert-output").value = result.data.text;
}

$("convert-button").addEventListener("click", convert);
$("collect-button").addEventListener("click", () => {
  const { key } = currentKey();
  if (!key.trim()) {
    setText($("convert-error"), "Paste a key in the key box first.");
    return;
  }
  if (!panel.collected.includes(key)) panel.collected.push(key);
  showCollected();
});
$("collect-clear").addEventListener("click", () => {
  panel.collected = [];
  showCollected();
});
$("convert-use").addEventListener("click", () => {
  const text = $("convert-output").value;
  if (text) useKey(text, "utf-8");
});

// ---- Fetch a key set -----------------------------------------------------------------------

async function fetchKeySet() {
  const kind = $("jwks-kind").value;
  const source = $("jwks-source").value.trim();
  setText($("jwks-error"), "");
  if (!source) {
    setText($("jwks-error"), kind === "url" ? "Enter the key set's URL." : "Enter the issuer's URL.");
    return;
  }
  const button = $("jwks-button");
  button.disabled = true;
  setText($("jwks-status"), "Fetching…");
  let result;
  try {
    result = await post(urls.jwksFetchUrl, { [kind]: source });
  } catch {
    result = { ok: false, data: { error: { message: "The debugger's local server is not answering." } } };
  } finally {
    button.disabled = false;
  }
  if (!result.ok) {
    setText($("jwks-status"), "");
    setText($("jwks-error"), result.data.error.message);
    return;
  }
  const fetched = result.data;
  const via = fetched.discovery_url ? `, found through ${fetched.discovery_url}` : "";
  const warnings = fetched.warnings.map((warning) => ` ⚠ ${warning.message}`).join("");
  setText($("jwks-status"), `Fetched ${fetched.key_count} keys from ${fetched.url}${via}. They are now the key.${warnings}`);
  useKey(fetched.jwks_text, "utf-8");
}

$("jwks-button").addEventListener("click", fetchKeySet);
$("jwks-kind").addEventListener("change", () => {
  $("jwks-source").placeholder = $("jwks-kind").value === "url"
    ? "https://issuer.example/.well-known/jwks.json"
    : "https://issuer.example";
});

// ---- Keys inside the token -------------------------------------------------------------------

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
      for (const line of certificateLines(cert)) {
        const span = document.createElement("span");
        span.textContent = line;
        li.append(span);
      }
    });
    const problems = [...chain.problems];
    if (chain.chain_consistent) {
      problems.push("Each certificate is signed by the next, but no root you trust was checked.");
    }
    fillList($("x5c-problems"), problems, (li, problem) => {
      li.className = "warning";
      li.textContent = `⚠ ${problem}`;
    });
    $("x5c-use").disabled = !chain.leaf_pem;
  }
  const jwk = embedded.jwk;
  $("jwk-info").hidden = !jwk;
  if (jwk) {
    const thumb = jwk.thumbprint ? ` · thumbprint ${jwk.thumbprint}` : "";
    setText($("jwk-description"), jwk.description ? `${jwk.description}${thumb}` : "The jwk header cannot be read.");
    fillList($("jwk-problems"), jwk.problems, (li, problem) => {
      li.className = "warning";
      li.textContent = `⚠ ${problem}`;
    });
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

// ---- Detached and unencoded payloads ----------------------------------------------------------

const PAYLOAD_FORM_DEFAULT = $("payload-form").textContent;

function renderPayloadForm(data) {
  const form = data ? data.payload_form : null;
  const special = form && form.explanation;
  setText($("payload-form"), special ? form.explanation : PAYLOAD_FORM_DEFAULT, special ? "kp-note kp-highlight" : "kp-note");
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
  const { key, secret_encoding: encoding } = currentKey();
  const result = await post(urls.encodeUrl, {
    header_json: JSON.stringify(header),
    payload_raw: $("detached-payload").value,
    detached: true,
    key,
    secret_encoding: encoding,
  });
  if (!result.ok) {
    setText($("detached-error"), result.data.error.message);
    return;
  }
  setText($("detached-error"), "");
  loadToken(result.data.token);
}

$("detached-sign").addEventListener("click", signDetached);
