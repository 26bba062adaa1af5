// The lesson bar: shown above the debugger when the page is opened from /learn as /?lesson=<name>.
// The lesson's step is done in the debugger itself; this module checks each goal from what the
// debugger shows, and marks the lesson done (its name only, in progress.js) once all are met.
//
// It listens to these events, all dispatched on `document`:
//   debugger:result         (app.js) an answer rendered: { data, key, keyError }; data is null
//                           for an empty token box
//   debugger:resigned       (app.js) an edit of the header or claims signed anew, or refused:
//                           { ok, code }, code being the error code
//   debugger:key-generated  (keys.js) the key generator made a key: { alg, secret }, secret
//                           true for an HMAC secret, false for a key pair
//   debugger:decrypted      (jwe.js) the decrypt answer for an encrypted token, now on the page
//   debugger:code           (explain.js) the generated code now on the page: { python, flask, curl, … }
// Each goal's check is a pure function of one event's detail (and, for the answers typed into
// the bar, of the answer on the page). A goal once met stays met while the page is open.

import { $, loadToken, onResult } from "./app.js";
import { element } from "./ui.js";
import { markDone } from "./progress.js";

const bar = $("lesson-bar");
const slug = bar.dataset.slug;
const sampleTokens = [...bar.querySelectorAll("[data-token]")].map((button) => button.dataset.token);

const isSample = (data) => Boolean(data) && sampleTokens.includes(data.token);
const verified = (data) => Boolean(data) && data.signature_valid === true;
const claims = (data) => (data && data.payload && typeof data.payload === "object" ? data.payload : {});
const claimCheck = (data, name, ok) => Boolean(data) && data.claims.some((check) => check.claim === name && check.ok === ok);
const secondsLeft = (data) => claims(data).exp - Date.now() / 1000;

/** Decode one base64url part by hand: its base64 form, then its bytes read as UTF-8 JSON. */
export function decodePart(part) {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  let text;
  try {
    const bytes = Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { base64: padded, error: "This is not base64url text: copy the part between the two dots." };
  }
  try {
    return { base64: padded, text, json: JSON.parse(text) };
  } catch {
    return { base64: padded, text, error: "These bytes are not JSON: copy a whole part, from dot to dot." };
  }
}

// What the learner typed into the bar's own fields (lesson 1): checked against the page's answer.
const typed = { part: "", sub: "", alg: "" };

/** Each goal's check: the event it listens to, and whether that event's detail meets the goal. */
const CHECKS = {
  "sample-decoded": ["result", (data) => isSample(data) && Boolean(data.payload)],
  "part-decoded": ["typed", (data) => Boolean(data) && typed.part === data.token.split(".")[1] && !decodePart(typed.part).error],
  "sub-named": ["typed", (data) => isSample(data) && typed.sub === String(claims(data).sub)],
  "alg-named": ["typed", (data) => isSample(data) && typed.alg === String(data.header.alg)],

  "sample-verified": ["result", (data) => isSample(data) && verified(data)],
  tampered: ["result", (data) => Boolean(data) && data.signature_valid === false && tamperedSample(data.token)],
  "resigned-admin": ["result", (data) => verified(data) && claims(data).role === "admin"],

  "generated-hmac": ["key-generated", (key) => /^HS/.test(key.alg) && key.secret],
  "generated-rsa": ["key-generated", (key) => /^(RS|PS)/.test(key.alg)],
  "generated-ec": ["key-generated", (key) => /^ES/.test(key.alg)],
  "generated-eddsa": ["key-generated", (key) => /^(EdDSA|Ed25519|Ed448)$/.test(key.alg)],
  "verified-with-public": ["result", (data) => verified(data) && Boolean(data.key) && data.key.private === false],
  "public-cannot-sign": ["resigned", (answer) => answer.code === "private_key_required"],

  "expired-seen": ["result", (data) => isSample(data) && data.time.status === "expired"],
  "expires-in-five": ["result", (data) => verified(data) && data.time.status === "valid" && secondsLeft(data) >= 240 && secondsLeft(data) <= 360],

  "billing-verified": ["result", (data) => isSample(data) && verified(data)],
  "audience-refused": ["result", (data) => verified(data) && data.result.code === "claim_check_failed" && claimCheck(data, "aud", false)],
  "issuer-checked": ["result", (data) => verified(data) && claimCheck(data, "iss", true)],

  "set-verified": ["result", (data) => isSample(data) && verified(data) && Boolean(data.key_set)],
  "kid-missing": ["result", (data) => isSample(data) && data.result.code === "kid_not_found"],

  "header-readable": ["decrypted", (answer) => !answer.decrypted && Boolean(answer.alg && answer.enc) && answer.payload === null],
  decrypted: ["decrypted", (answer) => answer.decrypted && answer.payload !== null],

  "no-exp-seen": ["result", (data) => isSample(data) && verified(data) && data.time.status === "no_exp"],
  "exp-added": ["result", (data) => verified(data) && typeof claims(data).exp === "number" && data.time.status === "valid"],
  "code-right": ["code", (code) => code.python.includes("algorithms=[") && code.flask.includes("@jwt_required()")],
};

/** A sample token with its middle part changed and its signature kept: a forgery. */
function tamperedSample(token) {
  const [header, payload, signature] = token.split(".");
  return sampleTokens.some((sample) => {
    const parts = sample.split(".");
    return parts[0] === header && parts[2] === signature && parts[1] !== payload;
  });
}

const goals = [...bar.querySelectorAll("#lesson-goals li")];
const met = new Set();
let lastData = null;

function check(kind, detail) {
  let changed = false;
  for (const goal of goals) {
    const name = goal.dataset.check;
    const [on, test] = CHECKS[name] || [];
    if (on !== kind || met.has(name) || !test(detail)) continue;
    met.add(name);
    goal.classList.add("met");
    goal.querySelector(".goal-mark").textContent = "✓";
    goal.querySelector(".goal-state").textContent = " (done)";
    changed = true;
  }
  if (changed) showProgress();
}

function showProgress() {
  const progress = $("lesson-progress");
  if (met.size < goals.length) {
    progress.textContent = `${met.size} of ${goals.length} goals done.`;
    return;
  }
  markDone(slug);
  progress.className = "step-done";
  progress.textContent = "✓ Step done: this lesson is marked done on the Learn page.";
}

onResult((event) => {
  lastData = event.detail.data && !event.detail.data.error ? event.detail.data : null;
  check("result", lastData);
  check("typed", lastData);
});
document.addEventListener("debugger:resigned", (event) => check("resigned", event.detail));
document.addEventListener("debugger:key-generated", (event) => check("key-generated", event.detail));
document.addEventListener("debugger:decrypted", (event) => check("decrypted", event.detail));
document.addEventListener("debugger:code", (event) => check("code", event.detail));

// The lesson's own samples: put in the debugger only when their button is pressed.
for (const button of bar.querySelectorAll(".lesson-sample")) {
  button.addEventListener("click", () => {
    const { token, key } = button.dataset;
    if (key !== undefined) $("secret-encoding").value = "utf-8";
    loadToken(token ?? $("token").value, key);
  });
}

// ---- Tools some lessons need in the bar

function field(id, labelText, onInput) {
  const label = element("label", "field-label", labelText);
  label.htmlFor = id;
  const input = element("input");
  input.id = id;
  input.autocomplete = "off";
  input.addEventListener("input", () => onInput(input.value.trim()));
  return [label, input];
}

function handDecoder() {
  const steps = element("ol", "hand-steps");
  steps.setAttribute("aria-live", "polite");
  const [label, input] = field("lesson-part", "A part of the token to decode by hand", (value) => {
    typed.part = value;
    steps.replaceChildren();
    if (value) {
      const decoded = decodePart(value);
      steps.append(element("li", "", `As base64 (- becomes +, _ becomes /, = pads to a multiple of 4): ${decoded.base64}`));
      if (decoded.text !== undefined) steps.append(element("li", "", `Its bytes as UTF-8 text: ${decoded.text}`));
      steps.append(element("li", decoded.error ? "bad" : "", decoded.error || "Read as JSON: the names and values above."));
    }
    check("typed", lastData);
  });
  const [subLabel, sub] = field("lesson-sub", "The value of its sub claim", (value) => {
    typed.sub = value;
    check("typed", lastData);
  });
  const [algLabel, alg] = field("lesson-alg", "The algorithm its first part names", (value) => {
    typed.alg = value;
    check("typed", lastData);
  });
  return [label, input, steps, subLabel, sub, algLabel, alg];
}

function clock() {
  const line = element("p", "lesson-clock");
  const tick = () => {
    line.textContent = `Now, as a NumericDate: ${Math.floor(Date.now() / 1000)} (seconds since 1970-01-01 UTC).`;
  };
  tick();
  setInterval(tick, 1000);
  return [line];
}

const TOOLS = { "three-parts": handDecoder, times: clock };
if (TOOLS[slug]) $("lesson-tools").replaceChildren(...TOOLS[slug]());
