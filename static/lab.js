// The lab page: fetch the starting token, send a forged one, show the two verifiers when solved.
const lab = document.getElementById("lab");

async function getToken() {
  const response = await fetch(lab.dataset.tokenUrl);
  const body = await response.json();
  const token = body.token || "";
  document.getElementById("start-token").value = token;
  // The debugger's page reads a token from the URL fragment, which never leaves the browser.
  const open = document.getElementById("open-in-debugger");
  open.href = `${lab.dataset.debuggerUrl}#token=${encodeURIComponent(token)}`;
  open.hidden = !token;
}

async function tryToken() {
  const token = document.getElementById("forged-token").value.trim();
  const response = await fetch(lab.dataset.adminUrl, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = await response.json();
  const result = document.getElementById("lab-result");
  result.textContent = `${response.status}: ${body.message || body.error || ""}`;
  result.className = body.solved ? "solved" : "refused";
  if (body.solved) {
    document.getElementById("vulnerable-code").textContent = body.vulnerable_code;
    document.getElementById("fixed-code").textContent = body.fixed_code;
    document.getElementById("lesson").textContent = body.lesson;
    document.getElementById("fixed-refusal").textContent = body.fixed_refusal
      ? `The fixed verifier refuses this token: ${body.fixed_refusal}`
      : "The fixed verifier accepts this token too.";
    document.getElementById("after").hidden = false;
  }
}

async function publishKeySet() {
  const box = document.getElementById("attacker-jwks");
  const result = document.getElementById("publish-result");
  const response = await fetch(box.dataset.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: box.value,
  });
  const body = await response.json();
  result.textContent = response.ok
    ? `Published ${body.keys.length} key(s).`
    : body.error?.message || "Not published.";
}

if (lab) {
  document.getElementById("publish-jwks")?.addEventListener("click", publishKeySet);
  document.getElementById("get-token").addEventListener("click", getToken);
  document.getElementById("try-token").addEventListener("click", tryToken);
}
