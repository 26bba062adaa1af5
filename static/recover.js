// Key tools: recover the RSA public key that signed two tokens (the one in the token box and a
// second one), computed by the local server. Tokens and keys are written with textContent/value.

import { $, urls, post, setText, loadToken } from "./app.js";

let recovering = false;

async function recover() {
  if (recovering) return;
  const first = $("token").value.trim();
  const second = $("recover-second").value.trim();
  if (!first || !second) {
    setText($("recover-error"), "Paste a token in the token box and a second token of the same key here.");
    return;
  }
  setText($("recover-error"), "");
  $("recover-output").hidden = true;
  recovering = true;
  $("recover-button").disabled = true;
  setText($("recover-status"), "Recovering the key… this takes up to a minute for a 2048-bit key.");
  let result;
  try {
    result = await post(urls.recoverKeyUrl, { token: first, second_token: second });
  } catch {
    result = { ok: false, data: { error: { message: "The debugger's local server is not answering." } } };
  }
  recovering = false;
  $("recover-button").disabled = false;
  if (!result.ok) {
    setText($("recover-status"), "");
    setText($("recover-error"), result.data.error.message);
    return;
  }
  const key = result.data;
  setText($("recover-status"), `Recovered the ${key.bits}-bit RSA key (e = ${key.exponent}) that signed both ${key.alg} tokens. ${key.note}`);
  $("recover-spki").value = key.public_pem;
  $("recover-pkcs1").value = key.pkcs1_pem;
  $("recover-jwk").value = JSON.stringify(key.jwk);
  $("recover-output").hidden = false;
}

$("recover-button").addEventListener("click", recover);
$("recover-use").addEventListener("click", () => {
  const pem = $("recover-spki").value;
  if (pem) {
    $("secret-encoding").value = "utf-8";
    loadToken($("token").value, pem);
  }
});
