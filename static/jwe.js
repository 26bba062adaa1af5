// An encrypted token (compact JWE, five parts): its parts, the decryption, the plaintext, the
// inner token's signature and how the token was decrypted. Loaded by app.js only when a token
// with five parts is pasted. Every value is hostile text: written with textContent only.

import { $, post, setText, urls } from "./app.js";
import { element } from "./ui.js";

const PARTS = [
  ["protected", "t-jwe-header", "protected header"],
  ["encrypted_key", "t-jwe-key", "encrypted key"],
  ["iv", "t-jwe-iv", "IV"],
  ["ciphertext", "t-jwe-ct", "ciphertext"],
  ["tag", "t-jwe-tag", "tag"],
];

const KEY_ROLES = {
  RSA: "the recipient's RSA private key",
  ECDH: "the recipient's EC or OKP private key",
  PBES2: "the password",
  secret: "the shared secret key",
};

let panel = null;
let innerKey = null;
let asked = null;

function build() {
  const verdict = $("verdict");
  panel = element("div", "jwe-panel");
  panel.id = "jwe-panel";
  const legend = element("p", "legend jwe-legend");
  legend.setAttribute("aria-hidden", "true");
  PARTS.forEach(([, className, name], index) => {
    if (index) legend.append(" . ");
    legend.append(element("span", `swatch ${className}`, name));
  });
  const legendSlot = document.querySelector(".legend");
  if (legendSlot) legendSlot.after(legend);
  panel.legend = legend;

  const roles = element("p", "note jwe-roles");
  roles.id = "jwe-roles";
  const parts = element("dl", "jwe-parts");
  parts.setAttribute("aria-label", "The five parts of the encrypted token");
  const heading = element("h3", "", "Plaintext");
  const plain = element("pre", "jwe-plaintext");
  plain.tabIndex = 0;
  plain.setAttribute("aria-label", "Decrypted plaintext");
  const time = element("p", "time-line");

  const nested = element("div", "jwe-nested");
  const label = element("label", "field-label", "Verification key");
  label.htmlFor = "jwe-inner-key";
  innerKey = element("textarea");
  innerKey.id = "jwe-inner-key";
  innerKey.rows = 3;
  innerKey.autocomplete = "off";
  innerKey.placeholder = "The issuer's public key (or shared secret) that signed the inner token";
  innerKey.setAttribute("aria-describedby", "jwe-inner-verdict");
  const innerVerdict = element("p", "verdict");
  innerVerdict.id = "jwe-inner-verdict";
  innerVerdict.setAttribute("aria-live", "polite");
  nested.append(element("h3", "", "Inner token"), label, innerKey, innerVerdict);
  innerKey.addEventListener("input", () => { if (asked) request(); });

  const walk = element("details", "jwe-walkthrough");
  walk.append(element("summary", "", "How this token is decrypted"), element("ol"), element("p", "jwe-values"));

  panel.append(roles, parts, heading, plain, time, nested, walk);
  Object.assign(panel, { roles, parts, heading, plain, time, nested, innerVerdict, walk });
  verdict.after(panel);
}

// The key box's heading says what the key does: verify a signature, or decrypt.
function retitle(encrypted) {
  const heading = $("key").closest(".part-signature")?.querySelector("h3");
  if (!heading) return;
  heading.dataset.signedTitle ??= heading.textContent;
  setText(heading, encrypted ? "Decrypt (and verify the inner token)" : heading.dataset.signedTitle);
}

/** Show the token as an encrypted token and decrypt it; `current()` is false once it is stale. */
export function show(token, key, secretEncoding, current) {
  if (!panel) build();
  retitle(true);
  panel.hidden = false;
  panel.legend.hidden = false;
  const mainLegend = document.querySelector(".legend:not(.jwe-legend)");
  if (mainLegend) mainLegend.hidden = true;
  asked = { token, key, secretEncoding, current };
  request();
}

/** Back to a signed token: hide what belongs to encrypted tokens. */
export function hide() {
  asked = null;
  if (!panel) return;
  retitle(false);
  panel.hidden = true;
  panel.legend.hidden = true;
  const mainLegend = document.querySelector(".legend:not(.jwe-legend)");
  if (mainLegend) mainLegend.hidden = false;
}

// Any other answer on the page (a signed token, an empty box) hides the encrypted-token panel.
document.addEventListener("debugger:result", hide);

// One request at a time: keystrokes that come while it runs are folded into the next request,
// so a key pasted line by line costs two round trips, not one per line.
let running = false;

async function request() {
  if (running) return;
  running = true;
  try {
    while (asked) {
      const sentFor = asked;
      const { token, key, secretEncoding } = sentFor;
      if (!key) {
        setText($("verdict"), "Paste the decryption key in “Key or secret” to decrypt this encrypted token (JWE).", "verdict");
      }
      const body = { token, key, secret_encoding: secretEncoding };
      const inner = innerKey.value;
      if (inner) body.inner_key = inner;
      let result;
      try {
        result = await post(urls.decryptUrl, body);
      } catch {
        result = { data: { error: { message: "The debugger's local server is not answering." } } };
      }
      if (asked === sentFor && innerKey.value === inner) {
        if (sentFor.current()) render(result.data, key);
        return;
      }
    }
  } finally {
    running = false;
  }
}

function render(data, key) {
  const verdict = $("verdict");
  if (data.error) {
    setText(verdict, `✗ ${data.error.message}`, "verdict bad");
    return;
  }
  // For the lesson bar: the decrypt answer now on the page.
  document.dispatchEvent(new CustomEvent("debugger:decrypted", { detail: data }));
  renderRoles(data.alg);
  renderParts(data.parts);
  if (key) {
    const head = data.decrypted ? "✓ Decrypted" : "✗ Not decrypted";
    const detail = data.decrypted
      ? `${data.alg} / ${data.enc}${data.key ? `, with the ${data.key.description}` : ""}.`
      : `${data.reason_code}: ${data.reason}`;
    verdict.className = data.decrypted ? "verdict ok" : "verdict bad";
    verdict.replaceChildren(head, element("span", "verdict-detail", detail));
  }
  const nested = data.nested;
  const shown = nested ? nested.payload : data.payload;
  setText(panel.heading, nested ? "Plaintext: a signed token, its claims" : shown ? "Plaintext: claims" : "Plaintext");
  if (shown) setText(panel.plain, JSON.stringify(shown, null, 2));
  else if (data.plaintext !== null) setText(panel.plain, data.plaintext);
  else if (data.plaintext_b64 !== null) setText(panel.plain, `(not text; base64url) ${data.plaintext_b64}`);
  else setText(panel.plain, "(nothing decrypted yet)");
  const time = nested ? nested.time : data.time;
  const kinds = { valid: "ok", expired: "bad", not_yet_valid: "bad", invalid: "bad", no_exp: "warn" };
  const icons = { ok: "✓", bad: "✗", warn: "⚠" };
  if (time) setText(panel.time, `${icons[kinds[time.status]]} ${time.message}`, `time-line ${kinds[time.status]}`);
  else setText(panel.time, "", "time-line");
  panel.nested.hidden = !nested;
  if (nested) renderInner(nested);
  renderWalkthrough(data.walkthrough);
}

function renderRoles(alg) {
  let decryptWith = "the recipient's private key, or the shared secret or password";
  if (alg) {
    if (alg.startsWith("RSA")) decryptWith = KEY_ROLES.RSA;
    else if (alg.startsWith("ECDH")) decryptWith = KEY_ROLES.ECDH;
    else if (alg.startsWith("PBES2")) decryptWith = KEY_ROLES.PBES2;
    else decryptWith = KEY_ROLES.secret;
  }
  setText(panel.roles,
    `An encrypted token (JWE). Decrypt it with ${decryptWith} in “Key or secret”; a signed token `
    + "inside is verified with the issuer's public key in “Verification key”.");
}

function renderParts(parts) {
  const rows = [];
  PARTS.forEach(([name, className, title], index) => {
    const part = parts[index];
    const size = !part ? "missing" : part.bytes === null ? "not base64url" : `${part.bytes} bytes`;
    rows.push(element("dt", className, title), element("dd", "", size));
  });
  panel.parts.replaceChildren(...rows);
}

function renderInner(nested) {
  const box = panel.innerVerdict;
  if (nested.signature_valid) {
    const key = nested.key ? `, with the ${nested.key.description}` : "";
    box.className = "verdict ok";
    box.replaceChildren("✓ Signature verified", element("span", "verdict-detail", `${nested.alg}${key}.`));
  } else {
    box.className = innerKey.value ? "verdict bad" : "verdict";
    const head = innerKey.value ? "✗ Invalid signature" : "The inner token is signed: paste the issuer's key above to verify it.";
    box.replaceChildren(head, element("span", "verdict-detail", nested.reason ? nested.reason.message : ""));
  }
}

function renderWalkthrough(walk) {
  panel.walk.hidden = !walk;
  if (!walk) return;
  const icons = { true: "✓", false: "✗", null: "·" };
  const items = walk.steps.map((step) => {
    const li = element("li", step.ok === false ? "bad" : "");
    li.append(element("strong", "", `${icons[step.ok]} ${step.title}: `), step.detail);
    return li;
  });
  const values = panel.walk.querySelector(".jwe-values");
  values.replaceChildren();
  const facts = [
    ["CEK", walk.cek_bytes === null ? "not obtained" : `${walk.cek_bytes} bytes (${walk.key_step})`],
    ["AAD", `${walk.aad_bytes} bytes: ${walk.aad}`],
    ["IV", walk.iv],
    ["Tag", walk.tag],
  ];
  if (walk.computed_tag) facts.push(["Computed tag", walk.computed_tag]);
  facts.push(["Tag check", walk.tag_verified === null ? "not run" : walk.tag_verified ? "match" : "mismatch"]);
  for (const [name, value] of facts) {
    values.append(element("span", "jwe-value-name", `${name}: `), element("code", "", value), element("br"));
  }
  panel.walk.querySelector("ol").replaceChildren(...items);
}
