// The OAuth troubleshooter: each request is shown (secrets masked) before it is sent, and sent
// only when the user presses Send. Provider answers are hostile text: textContent only.

import { element, post } from "./ui.js";

const $ = (id) => document.getElementById(id);
const urls = document.body.dataset;

function show(id, visible) {
  $(id).hidden = !visible;
}

function status(text) {
  $("oauth-status").textContent = text;
}

function requestText(request) {
  if (!request || !request.method) return "";
  const headers = Object.entries(request.headers || {}).map(([n, v]) => `${n}: ${v}`);
  return [`${request.method} ${request.url}`, ...headers, "", request.body || ""].join("\n");
}

function client() {
  const body = {
    issuer: $("oauth-issuer").value.trim(),
    client_id: $("oauth-client-id").value.trim(),
    auth_method: $("oauth-auth-method").value,
  };
  const secret = $("oauth-client-secret").value;
  const key = $("oauth-assertion-key").value.trim();
  if (secret) body.client_secret = secret;
  if (key) body.client_assertion_key = key;
  return body;
}

// --- Discovery -------------------------------------------------------------------------------

const SHOWN_LISTS = [
  ["id_token_signing_alg_values_supported", "ID token algorithms"],
  ["code_challenge_methods_supported", "PKCE methods"],
  ["grant_types_supported", "Grant types"],
  ["token_endpoint_auth_methods_supported", "Client authentication"],
];

$("oauth-discover").addEventListener("click", async () => {
  $("oauth-discover-status").textContent = "Reading the metadata…";
  const { ok, data } = await post(urls.discoverUrl, { issuer: $("oauth-issuer").value.trim() });
  const list = $("oauth-metadata");
  list.replaceChildren();
  $("oauth-warnings").replaceChildren();
  if (!ok) {
    $("oauth-discover-status").textContent = `✗ ${data.error.message}`;
    return;
  }
  $("oauth-discover-status").textContent = `Metadata from ${data.metadata_url}`;
  for (const [name, url] of Object.entries(data.endpoints)) {
    if (url) list.append(element("dt", "", name), element("dd", "", url));
  }
  for (const [name, label] of SHOWN_LISTS) {
    list.append(element("dt", "", label), element("dd", "", data[name].join(", ") || "(not listed)"));
  }
  for (const warning of data.warnings) {
    const item = element("li", "warning", `⚠ ${warning.message}`);
    item.dataset.code = warning.code;
    $("oauth-warnings").append(item);
  }
});

// --- Preview, then send ----------------------------------------------------------------------

let pending = null;

async function previewThenSend(url, body, after) {
  show("oauth-diagnosis", false);
  const { ok, data } = await post(url, { ...body, preview: true });
  if (!ok) {
    status(`✗ ${data.error.message}`);
    return;
  }
  $("oauth-preview").textContent = requestText(data.request);
  pending = { url, body, after };
  show("oauth-pending", true);
  status("Check the request below, then press Send.");
  $("oauth-send").focus();
}

$("oauth-send").addEventListener("click", async () => {
  if (!pending) return;
  const { url, body, after } = pending;
  pending = null;
  show("oauth-pending", false);
  status("Sending…");
  const { ok, data } = await post(url, body);
  if (!ok) {
    status(`✗ ${data.error.message}`);
    return;
  }
  render(data);
  if (after) after(data);
});

$("oauth-cancel").addEventListener("click", () => {
  pending = null;
  show("oauth-pending", false);
  status("Nothing was sent.");
});

// --- Results ---------------------------------------------------------------------------------

function render(data) {
  $("oauth-request").textContent = requestText(data.request);
  $("oauth-response").textContent = data.sent ? JSON.stringify(data.response, null, 2) : "";
  if (data.error) status(`✗ ${data.error.message}`);
  else if (data.sent) status(`The provider answered HTTP ${data.status}.`);
  const diagnosis = data.diagnosis;
  show("oauth-diagnosis", Boolean(diagnosis));
  if (diagnosis) {
    const said = diagnosis.error_description ? ` (“${diagnosis.error_description}”)` : "";
    $("oauth-explanation").textContent = `${diagnosis.error}${said}: ${diagnosis.explanation}`;
    $("oauth-explanation").dataset.code = diagnosis.code;
    $("oauth-fix").textContent = `Fix: ${diagnosis.fix}`;
  }
  renderTokens(data);
}

const TOKEN_NAMES = ["id_token", "access_token", "refresh_token"];

function renderTokens(data) {
  const box = $("oauth-tokens");
  const response = data.response || {};
  const found = TOKEN_NAMES.filter((name) => typeof response[name] === "string");
  if (!found.length) return;
  box.replaceChildren();
  for (const name of found) {
    const token = response[name];
    const block = element("div", "oauth-token");
    block.dataset.token = name;
    block.append(element("h3", "", name));
    const value = element("textarea");
    value.readOnly = true;
    value.rows = 3;
    value.value = token;
    value.setAttribute("aria-label", name);
    block.append(value);
    const actions = element("div", "ex-row");
    if (token.split(".").length >= 3) {
      // The fragment never reaches a server: the debugger page reads and then clears it.
      const open = element("a", "", "Open in the debugger");
      open.href = `${urls.debuggerUrl}#${name}=${encodeURIComponent(token)}`;
      actions.append(open);
    }
    actions.append(...tokenActions(name, token));
    block.append(actions);
    const checks = { id_token: data.id_token_checks, access_token: data.access_token_checks }[name];
    if (checks) block.append(checklist(checks));
    box.append(block);
  }
  if (typeof response.refresh_token === "string") $("oauth-refresh-token").value = response.refresh_token;
}

function tokenActions(name, token) {
  const made = [];
  const add = (label, run) => {
    const button = element("button", "", label);
    button.type = "button";
    button.addEventListener("click", run);
    made.push(button);
  };
  if (name === "access_token") {
    add("UserInfo", () => previewThenSend(urls.userinfoUrl, {
      issuer: $("oauth-issuer").value.trim(), access_token: token,
    }));
  }
  if (name !== "id_token") {
    const hint = { token, token_type_hint: name };
    add("Introspect", () => previewThenSend(urls.introspectUrl, { ...client(), ...hint }));
    add("Revoke", () => previewThenSend(urls.revokeUrl, { ...client(), ...hint }));
  }
  return made;
}

function checklist(checks) {
  const list = element("ul", "oauth-checks");
  for (const check of checks) {
    const mark = check.passed === true ? "✓" : check.passed === false ? "✗" : "–";
    const item = element("li", "", `${mark} ${check.message}`);
    item.dataset.code = check.code;
    item.dataset.passed = String(check.passed);
    list.append(item);
  }
  return list;
}

// --- Grants ----------------------------------------------------------------------------------

$("oauth-sign-in").addEventListener("click", async () => {
  const body = { ...client(), scope: $("oauth-scope").value.trim() || "openid" };
  const resource = $("oauth-resource").value.trim();
  if (resource) body.extra = { resource };
  const { ok, data } = await post(urls.startUrl, body);
  if (!ok) {
    status(`✗ ${data.error.message}`);
    return;
  }
  $("oauth-preview").textContent = `GET ${data.authorization_url}`;
  show("oauth-pending", true);
  pending = null;
  status(`The browser will go to the provider, then back to ${data.redirect_uri}.`);
  const go = $("oauth-send");
  const proceed = () => {
    go.removeEventListener("click", proceed);
    location.assign(data.authorization_url);
  };
  go.addEventListener("click", proceed);
  go.focus();
});

function tokenBody(grantType) {
  const body = { ...client(), grant_type: grantType };
  const scope = $("oauth-scope").value.trim();
  const resource = $("oauth-resource").value.trim();
  if (scope) body.scope = scope;
  if (resource) body.resource = resource;
  return body;
}

$("oauth-client-credentials").addEventListener("click", () => {
  previewThenSend(urls.tokenUrl, tokenBody("client_credentials"));
});

$("oauth-refresh").addEventListener("click", () => {
  const body = { ...tokenBody("refresh_token"), refresh_token: $("oauth-refresh-token").value.trim() };
  delete body.resource;
  previewThenSend(urls.tokenUrl, body);
});

$("oauth-device").addEventListener("click", () => {
  const body = { ...client(), scope: $("oauth-scope").value.trim() };
  previewThenSend(urls.deviceUrl, body, (data) => {
    if (!data.device_id) return;
    $("oauth-user-code").textContent = data.user_code || "";
    const link = $("oauth-verification");
    link.textContent = data.verification_uri || "";
    link.href = data.verification_uri_complete || data.verification_uri || "";
    $("oauth-interval").textContent = String(data.interval);
    show("oauth-device-box", true);
    poll(data.device_id, data.interval);
  });
});

function poll(deviceId, seconds) {
  setTimeout(async () => {
    const { ok, data } = await post(urls.devicePollUrl, { device_id: deviceId });
    if (!ok) {
      status(`✗ ${data.error.message}`);
      show("oauth-device-box", false);
      return;
    }
    $("oauth-interval").textContent = String(data.next_poll_seconds);
    if (data.sent) render(data);
    if (data.done) show("oauth-device-box", false);
    else poll(deviceId, data.next_poll_seconds);
  }, seconds * 1000);
}

// --- Back from the provider ------------------------------------------------------------------

async function takeResult() {
  const match = location.hash.match(/^#result=([A-Za-z0-9_-]+)$/);
  if (!match) return;
  history.replaceState(null, "", location.pathname);
  const { ok, data } = await post(urls.resultUrl, { result_id: match[1] });
  if (!ok) {
    status(`✗ ${data.error.message}`);
    return;
  }
  if (data.issuer) $("oauth-issuer").value = data.issuer;
  if (data.client_id) $("oauth-client-id").value = data.client_id;
  render(data);
}

takeResult();
