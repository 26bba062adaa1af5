"""The baseline for the API budget: a bare Flask route that only calls `jwt.decode`.

It is served the way the debugger is (waitress with the debugger's settings, quiet, on
loopback), so the difference between the two is the debugger's own
work: its checks of each request, parsing, findings, explanations and a bigger answer.

    python -m bench.baseline   # prints its URL; POST /verify {"token", "key"}; GET /page

`GET /page` is the leanest page that does what the debugger's page does on a keystroke: one
request to `/verify`, then the verdict written into the page. Typing into it measures what the
browser and the machine cost before any of the debugger's own work. `GET /client-page` does
the same with no request at all: the HS256 signature is checked in the page with WebCrypto, the
browser's limit for a page that shows a verdict per keystroke.
"""

from __future__ import annotations

import socket
from typing import Any

import jwt
from flask import Flask, request
from waitress.server import create_server

from debugger.web.app import MAX_BODY_BYTES, MAX_HEADER_BYTES
from debugger.web.server import server_settings

LEAN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lean page</title></head>
<body>
<textarea id="token" rows="4" cols="80"></textarea>
<textarea id="key" rows="2" cols="80"></textarea>
<div id="verdict" role="status"></div>
<script>
const token = document.getElementById("token");
const key = document.getElementById("key");
const verdict = document.getElementById("verdict");
let sent = 0;
let shown = 0;
async function refresh() {
  const id = ++sent;
  const response = await fetch("/verify", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({token: token.value, key: key.value}),
  });
  const data = await response.json();
  if (id < shown) return;
  shown = id;
  verdict.className = data.signature_valid ? "verdict ok" : "verdict bad";
  verdict.textContent = data.signature_valid ? "Signature verified" : "Invalid signature";
  document.dispatchEvent(new CustomEvent("debugger:result", {detail: {data}}));
}
token.addEventListener("input", refresh);
key.addEventListener("input", refresh);
</script>
</body></html>
"""

CLIENT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Client-only page</title></head>
<body>
<textarea id="token" rows="4" cols="80"></textarea>
<textarea id="key" rows="2" cols="80"></textarea>
<div id="verdict" role="status"></div>
<script>
const token = document.getElementById("token");
const key = document.getElementById("key");
const verdict = document.getElementById("verdict");
const utf8 = new TextEncoder();
const bytes = (b64url) => Uint8Array.from(
  atob(b64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
let sent = 0;
let shown = 0;
async function verify(text, secret) {
  const dot = text.lastIndexOf(".");
  const hmac = await crypto.subtle.importKey(
    "raw", utf8.encode(secret), {name: "HMAC", hash: "SHA-256"}, false, ["verify"]);
  const signature = bytes(text.slice(dot + 1));
  return crypto.subtle.verify("HMAC", hmac, signature, utf8.encode(text.slice(0, dot)));
}
async function refresh() {
  const id = ++sent;
  let valid = false;
  try {
    valid = await verify(token.value.trim(), key.value);
  } catch {
    valid = false;
  }
  if (id < shown) return;
  shown = id;
  verdict.className = valid ? "verdict ok" : "verdict bad";
  verdict.textContent = valid ? "Signature verified" : "Invalid signature";
  document.dispatchEvent(new CustomEvent("debugger:result", {detail: {valid}}));
}
token.addEventListener("input", refresh);
key.addEventListener("input", refresh);
</script>
</body></html>
"""


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/ready")
    def ready() -> str:
        return "ok"

    @app.get("/page")
    def page() -> str:
        return LEAN_PAGE

    @app.get("/client-page")
    def client_page() -> str:
        return CLIENT_PAGE

    @app.post("/verify")
    def verify() -> dict[str, Any]:
        body = request.get_json()
        try:
            claims = jwt.decode(body["token"], body["key"], algorithms=["HS256"])
        except jwt.PyJWTError as err:
            return {"signature_valid": False, "error": type(err).__name__}
        return {"signature_valid": True, "payload": claims}

    return app


def main() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    settings = server_settings(MAX_BODY_BYTES, MAX_HEADER_BYTES)
    server = create_server(create_app(), sockets=[listener], **settings)
    print(f"Baseline running at http://127.0.0.1:{listener.getsockname()[1]}/", flush=True)
    server.run()  # returns on Ctrl-C


if __name__ == "__main__":
    main()
