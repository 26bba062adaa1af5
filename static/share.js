// Share links and the OAuth/OIDC redirect target: tokens travel in the URL fragment only, which
// browsers never send to a server; the page then takes it off the address bar and the history.
// A share link holds the token only, never the key or secret.

import { $, loadToken } from "./app.js";
import { announce, copyButton, element } from "./ui.js";

/** Fragment parameters that can hold a token, in the order they are preferred. */
export const TOKEN_PARAMETERS = ["token", "id_token", "access_token"];

const tokenBox = $("token");
const note = $("link-note");

// The token as the server cleaned it ("Bearer ", quotes, line breaks removed) for the box's text.
const cleaned = { from: "", token: "" };
document.addEventListener("debugger:result", (event) => {
  const data = event.detail.data;
  cleaned.from = tokenBox.value;
  cleaned.token = data && typeof data.token === "string" ? data.token : "";
});

function shareableToken() {
  const pasted = tokenBox.value;
  return cleaned.from === pasted && cleaned.token ? cleaned.token : pasted.trim();
}

export function shareLink(token) {
  return `${location.origin}${location.pathname}#token=${encodeURIComponent(token)}`;
}

copyButton($("share"), () => {
  const token = shareableToken();
  if (!token) {
    note.textContent = "Paste a token first: the link carries it.";
    return "";
  }
  note.textContent =
    "Link copied. It holds the token, never the key or secret: anyone who opens it can read the " +
    "claims, and use the token until it expires.";
  return shareLink(token);
}, { what: "Share link" });

function loadFromFragment() {
  const fragment = location.hash.replace(/^#/, "");
  if (!fragment) return;
  const params = new URLSearchParams(fragment);
  const found = TOKEN_PARAMETERS.filter((name) => params.get(name));
  const error = params.get("error");
  if (!found.length && !error) return; // some other fragment: leave it alone
  history.replaceState(null, "", location.pathname + location.search);
  if (error) {
    const description = params.get("error_description");
    note.textContent = `✗ The link carries an error instead of a token: ${error}${description ? ` (${description})` : ""}.`;
    if (!found.length) return;
  } else {
    note.replaceChildren();
  }
  const [first, ...others] = found;
  loadToken(params.get(first).trim());
  describeFragment(first, others, params);
}

function describeFragment(loaded, others, params) {
  const line = element("span", "", `Loaded the ${loaded} from the link (the link is no longer in the address bar).`);
  const nodes = [line];
  for (const name of others) {
    const button = element("button", "button-small", `Show the ${name}`);
    button.type = "button";
    button.addEventListener("click", () => {
      loadToken(params.get(name).trim());
      line.textContent = `Showing the ${name} from the link.`;
      announce(line.textContent);
    });
    nodes.push(" ", button);
  }
  if (note.textContent.startsWith("✗")) nodes.unshift(note.textContent, " ");
  note.replaceChildren(...nodes);
}

loadFromFragment();
window.addEventListener("hashchange", loadFromFragment);

// The note is about the token it describes: a new token or a cleared page drops it.
tokenBox.addEventListener("input", () => note.firstChild && note.replaceChildren());
$("clear").addEventListener("click", () => note.replaceChildren());
