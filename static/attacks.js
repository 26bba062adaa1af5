// The attack lab: forged variants of the current token, made by the local server and sent nowhere
// else, each with a button that loads it into the debugger to see a correct verifier reject it.

import { $, urls, post, setText, fillList, loadToken, currentKey, onResult } from "./app.js";
import { element } from "./ui.js";

const forgeButton = $("attacks-forge");
const status = $("attacks-status");
const list = $("attacks");

let currentToken = "";
let forgedFor = ""; // the token the variants on the page were forged from

onResult((event) => {
  const data = event.detail.data;
  currentToken = data ? data.token || "" : "";
  forgeButton.disabled = !currentToken;
  // Variants of an earlier token are not variants of this one.
  if (forgedFor && forgedFor !== currentToken) {
    forgedFor = "";
    setText(status, "");
    list.replaceChildren();
  }
});

forgeButton.addEventListener("click", async () => {
  if (!currentToken) return;
  const token = currentToken;
  const body = { token };
  const key = currentKey().key;
  if (key.trim()) body.public_key = key;
  const jku = $("attacks-jku").value.trim();
  if (jku) body.jku_url = jku;
  setText(status, "Forging variants…");
  let result;
  try {
    result = await post(urls.attacksUrl, body);
  } catch {
    setText(status, "The debugger's local server is not answering.");
    return;
  }
  if (token !== currentToken) return; // the token changed while the variants were made
  forgedFor = token;
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

function renderVariant(li, variant) {
  li.className = "attack";
  // Named by its content, not aria-label: a title such as "…embedded in the header (jwk)" must
  // not become a label that the page's "Header" box shares.
  const load = element("button", "", "Load");
  load.type = "button";
  load.append(element("span", "visually-hidden", ` "${variant.title}"`), " into the debugger");
  load.addEventListener("click", () => {
    loadToken(variant.token);
    $("token").scrollIntoView({ block: "center" });
  });
  li.append(
    element("h3", "", variant.title),
    element("p", "", variant.explanation),
    element("p", "attack-refs", `Known as: ${variant.references.join(", ")}. Finding: ${variant.finding}.`),
    element("code", "attack-token", variant.token),
  );
  if (variant.attacker_jwks) {
    const details = element("details");
    details.append(
      element("summary", "", "The key set the attacker would publish"),
      element("pre", "attack-jwks", JSON.stringify(variant.attacker_jwks, null, 2)),
    );
    li.append(details);
  }
  li.append(load);
}
