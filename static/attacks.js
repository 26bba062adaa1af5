// The attack lab: forged variants of the current token, made by the local server on request
// (never sent anywhere else), each with what it exploits and a button that loads it back into
// the debugger so the user sees how a correct verifier rejects it.

import { $, urls, post, setText, fillList, loadToken, currentKey } from "./app.js";

const forgeButton = $("attacks-forge");
const status = $("attacks-status");
const list = $("attacks");

let currentToken = "";

document.addEventListener("debugger:result", (event) => {
  const data = event.detail.data;
  currentToken = data ? data.token || "" : "";
  forgeButton.disabled = !currentToken;
});

forgeButton.addEventListener("click", async () => {
  if (!currentToken) return;
  const body = { token: currentToken };
  const key = currentKey().key;
  if (key.trim()) body.public_key = key;
  setText(status, "Forging variants…");
  let result;
  try {
    result = await post(urls.attacksUrl, body);
  } catch {
    setText(status, "The debugger's local server is not answering.");
    return;
  }
  if (!result.ok) {
    setText(status, result.data.error.message);
    fillList(list, [], () => {});
    return;
  }
  const { variants, skipped } = result.data;
  const notes = skipped.map((item) => `Not forged (${item.id}): ${item.reason}`);
  setText(status, [`${variants.length} forged variants of the token.`, ...notes].join(" "));
  fillList(list, variants, renderVariant);
});

function paragraph(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function renderVariant(li, variant) {
  li.className = "attack";
  const title = document.createElement("h3");
  title.textContent = variant.title;
  const token = document.createElement("code");
  token.className = "attack-token";
  token.textContent = variant.token;
  const load = document.createElement("button");
  load.type = "button";
  load.className = "button";
  load.textContent = "Load into the debugger";
  load.setAttribute("aria-label", `Load "${variant.title}" into the debugger`);
  load.addEventListener("click", () => {
    loadToken(variant.token);
    $("token").scrollIntoView({ block: "center" });
  });
  li.append(
    title,
    paragraph("attack-explanation", variant.explanation),
    paragraph("attack-refs", `Known as: ${variant.references.join(", ")}. Finding: ${variant.finding}.`),
    token,
  );
  if (variant.attacker_jwks) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "The key set the attacker would publish";
    const jwks = document.createElement("pre");
    jwks.className = "attack-jwks";
    jwks.textContent = JSON.stringify(variant.attacker_jwks, null, 2);
    details.append(summary, jwks);
    li.append(details);
  }
  li.append(load);
}
