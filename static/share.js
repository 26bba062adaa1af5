// Share links and the OAuth/OIDC redirect target: tokens travel in the URL fragment only.
// Browsers never send the fragment to a server, so loading a token from it sends nothing in a URL;
// the page then removes the fragment from the address bar and the history entry. A share link
// holds the token only, never the key or secret.

import { $, loadToken } from "./app.js";
import { announce, copyButton } from "./ui.js";

/** Fragment parameters that can hold a token, in the order they are preferred. */
export const TOKEN_PARAMETERS = ["token", "id_token", "access_token"];

const tokenBox = $("token");
const note = $("link-note");

// The token as the server cleaned it (no "Bearer " prefix, quotes or line breaks), from the
// latest answer; the box's own text until the first answer arrives.
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

/** This page's address with the token in the fragment (`#token=...`). */
export function shareLink(token) {
  const here = new URL(window.location.href);
  here.hash = "";
  here.search = "";
  return `${here.href}#token=${encodeURIComponent(token)}`;
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

/** Read a token from the fragment, load it, and take the fragment off the address bar. */
function loadFromFragment() {
  const fragment = window.location.hash.replace(/^#/, "");
  if (!fragment) return;
  const params = new URLSearchParams(fragment);
  const found = TOKEN_PARAMETERS.filter((name) => params.get(name));
  const error = params.get("error");
  if (!found.length && !error) return; // some other fragment: leave it alone
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
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
  const line = document.createElement("span");
  line.textContent = `Loaded the ${loaded} from the link (the link is no longer in the address bar).`;
  const nodes = [line];
  for (const name of others) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small";
    button.textContent = `Show the ${name}`;
    button.addEventListener("click", () => {
      loadToken(params.get(name).trim());
      line.textContent = `Showing the ${name} from the link.`;
      announce(`Showing the ${name} from the link.`);
    });
    nodes.push(" ", button);
  }
  if (note.textContent.startsWith("✗")) nodes.unshift(note.textContent, " ");
  note.replaceChildren(...nodes);
}

loadFromFragment();
window.addEventListener("hashchange", loadFromFragment);

// The note is about the token it describes: a new token or a cleared page drops it.
tokenBox.addEventListener("input", () => note.replaceChildren());
$("clear").addEventListener("click", () => note.replaceChildren());
