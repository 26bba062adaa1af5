"""The key panel as a user meets it: generate, sign and verify; key sets; x5c; detached content."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm
from playwright.sync_api import expect

from ..certificates import chain, es256_token, x5c
from ..conftest import SECRET, open_panels
from ..rfc_vectors import RFC7520_PAYLOAD, RFC_VECTORS

VERIFIED = "Signature verified"
INVALID = "Invalid signature"


@pytest.fixture(autouse=True)
def _panels_open(page):
    """The secondary panels are folded by default: these tests read and use them open."""
    open_panels(page)


def paste(page, token: str, key: str | None = None) -> None:
    page.get_by_label("Encoded token").fill(token)
    if key is not None:
        page.get_by_label("Key or secret").fill(key)


def verdict(page):
    return page.locator("#verdict")


def keys_panel(page):
    return page.locator("#keys-panel")


def public_pem(private) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


# ---- generate -> sign -> verify -------------------------------------------------------------


@pytest.mark.parametrize("alg", ("ES256", "PS256", "EdDSA"))
def test_user_generates_a_key_signs_the_token_and_verifies_it(page, alg):
    paste(page, jwt.encode({"sub": "ada"}, SECRET))
    panel = keys_panel(page)
    panel.get_by_label("Algorithm", exact=True).select_option(alg)
    panel.get_by_role("button", name="Generate key").click()
    public = panel.get_by_label("Public key (PEM)")
    expect(public).to_have_value(re.compile("^-----BEGIN PUBLIC KEY-----"))

    panel.get_by_role("button", name="Sign the token with this key").click()

    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(verdict(page)).to_contain_text(alg)
    token = page.get_by_label("Encoded token").input_value()
    header = jwt.get_unverified_header(token)
    public_jwk = json.loads(panel.get_by_label("Public JWK").input_value())
    assert header["kid"] == public_jwk["kid"]
    assert jwt.decode(token, public.input_value(), algorithms=[alg]) == {"sub": "ada"}
    expect(panel.locator("#key-details")).to_contain_text(public_jwk["kid"])

    panel.get_by_role("button", name="Use its public part").click()
    expect(page.get_by_label("Key or secret")).to_have_value(public.input_value())
    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(panel.locator("#key-details")).to_contain_text("public: verifies only")


def test_user_generates_an_hmac_secret_and_signs_with_it(page):
    paste(page, jwt.encode({"n": 1}, SECRET))
    panel = keys_panel(page)
    panel.get_by_label("Algorithm", exact=True).select_option("HS512")
    panel.get_by_role("button", name="Generate key").click()
    secret_box = panel.get_by_label("Secret (base64url)")
    expect(secret_box).not_to_have_value("")
    expect(panel.get_by_label("Public key (PEM)")).to_be_hidden()

    panel.get_by_role("button", name="Sign the token with this key").click()

    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(page.locator("#secret-encoding")).to_have_value("base64url")
    secret = secret_box.input_value()
    raw = jwt.utils.base64url_decode(secret)
    assert len(raw) == 64
    token = page.get_by_label("Encoded token").input_value()
    assert jwt.decode(token, raw, algorithms=["HS512"]) == {"n": 1}


def test_rsa_4096_generation_shows_progress_and_the_page_stays_usable(page):
    page.evaluate(
        """() => {
            const progress = document.getElementById("gen-progress");
            window.sawProgress = false;
            new MutationObserver(() => { if (!progress.hidden) window.sawProgress = true; })
              .observe(progress, { attributes: true });
        }"""
    )
    panel = keys_panel(page)
    panel.get_by_label("Algorithm", exact=True).select_option("RS256")
    panel.get_by_label("RSA size").select_option("4096")
    panel.get_by_role("button", name="Generate key").click()
    expect(panel.get_by_role("button", name="Generate key")).to_be_disabled()

    # While the key is generated, the debugger keeps decoding what is pasted.
    paste(page, jwt.encode({"sub": "meanwhile"}, SECRET), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)

    public = panel.get_by_label("Public key (PEM)")
    expect(public).not_to_have_value("", timeout=120_000)
    assert page.evaluate("window.sawProgress") is True
    expect(panel.locator("#gen-progress")).to_be_hidden()
    loaded = serialization.load_pem_public_key(public.input_value().encode())
    assert loaded.key_size == 4096


# ---- key sets --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def set_keys():
    return {
        "e1": ec.generate_private_key(ec.SECP256R1()),
        "e2": ec.generate_private_key(ec.SECP256R1()),
        "ed": ed448.Ed448PrivateKey.generate(),
    }


def jwk_set(set_keys) -> str:
    keys = [
        {**ECAlgorithm.to_jwk(set_keys["e1"].public_key(), as_dict=True), "kid": "e1"},
        {**ECAlgorithm.to_jwk(set_keys["e2"].public_key(), as_dict=True), "kid": "e2"},
        {**OKPAlgorithm.to_jwk(set_keys["ed"].public_key(), as_dict=True), "kid": "ed"},
        {"kty": "XYZ", "kid": "odd"},
    ]
    return json.dumps({"keys": keys}, indent=2)


def test_user_pastes_a_key_set_and_sees_which_key_verified(page, set_keys):
    token = jwt.encode({"sub": "a"}, set_keys["e2"], algorithm="ES256")

    paste(page, token, jwk_set(set_keys))

    expect(verdict(page)).to_contain_text(VERIFIED)
    panel = keys_panel(page)
    expect(panel.locator("#key-set-summary")).to_contain_text("Key 2 of 4")
    expect(panel.locator("#key-set-summary")).to_contain_text("2 keys fit")
    entries = panel.get_by_role("list", name="Keys in the set", exact=True).get_by_role("listitem")
    expect(entries).to_have_count(4)
    expect(entries.nth(0)).to_contain_text("does not match")
    expect(entries.nth(1)).to_contain_text("verified the signature")
    expect(entries.nth(2)).to_contain_text("PyJWT")
    expect(entries.nth(3)).to_contain_text("unusable")


def test_user_pastes_a_key_set_without_the_tokens_kid_and_sees_the_kids_there(page, set_keys):
    token = jwt.encode({}, set_keys["e1"], algorithm="ES256", headers={"kid": "rotated-away"})

    paste(page, token, jwk_set(set_keys))

    expect(verdict(page)).to_contain_text(INVALID)
    summary = keys_panel(page).locator("#key-set-summary")
    expect(summary).to_contain_text("rotated-away")
    expect(summary).to_contain_text("e1, e2, ed")


def test_key_panel_describes_a_key_before_any_token_and_warns_on_weak_rsa(page):
    weak = rsa.generate_private_key(65537, 1024)

    page.get_by_label("Key or secret").fill(public_pem(weak))

    panel = keys_panel(page)
    expect(panel.locator("#key-summary")).to_contain_text("RSA 1024-bit public key")
    expect(panel.get_by_role("list", name="Key warnings")).to_contain_text("1024 bits")
    details = panel.locator("#key-details")
    expect(details).to_contain_text("Thumbprint (RFC 7638)")
    expect(details).to_contain_text("public: verifies only")


def test_user_converts_the_key_in_the_box(page, set_keys):
    panel = keys_panel(page)
    page.get_by_label("Key or secret").fill(public_pem(set_keys["e1"]))
    panel.get_by_label("Convert the key to").select_option("public_jwk")
    panel.get_by_role("button", name="Convert", exact=True).click()
    output = panel.get_by_label("Converted key")
    expect(output).to_have_value(re.compile('"crv": "P-256"'))

    converted = output.input_value()

    panel.get_by_role("button", name="Use as the key").click()

    expect(page.get_by_label("Key or secret")).to_have_value(converted)
    expect(output).to_have_value("")  # it was the old key's; the key box holds it now
    page.get_by_label("Encoded token").fill(jwt.encode({}, set_keys["e1"], algorithm="ES256"))
    expect(verdict(page)).to_contain_text(VERIFIED)


# ---- copy and download: saved on this machine, nothing sent ----------------------------------


@pytest.fixture
def clipboard(page, server):
    """Let the page write to the clipboard, as a user's browser does; read it back."""
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/")
    )
    return lambda: page.evaluate("navigator.clipboard.readText()")


def copy_and_download(page, button_suffix: str, clipboard) -> tuple[str, str, str]:
    """Press Copy and Download for one output: what was copied, the file's name and text."""
    panel = keys_panel(page)
    # The button says "✓ Copied" for a moment (and so is not found by its name meanwhile).
    copy = panel.get_by_role("button", name=f"Copy {button_suffix}", exact=True).element_handle()
    copy.click()
    page.wait_for_function("button => button.textContent === '✓ Copied'", arg=copy)
    expect(page.locator("#announcer")).to_have_text(re.compile("copied"))
    copied = clipboard()
    with page.expect_download() as download:
        panel.get_by_role("button", name=f"Download {button_suffix}", exact=True).click()
    saved = download.value
    with open(saved.path(), encoding="utf-8") as file:
        return copied, saved.suggested_filename, file.read()


def test_user_copies_and_downloads_each_part_of_a_generated_key_pair(page, clipboard):
    panel = keys_panel(page)
    panel.get_by_label("Algorithm", exact=True).select_option("ES256")
    panel.get_by_role("button", name="Generate key").click()
    expect(panel.get_by_label("Public key (PEM)")).not_to_have_value("")

    for suffix, box, name in (
        ("the private PEM", "#gen-private", "es256-private.pem"),
        ("the public PEM", "#gen-public", "es256-public.pem"),
        ("the private JWK", "#gen-private-jwk", "es256-private.jwk.json"),
        ("the public JWK", "#gen-public-jwk", "es256-public.jwk.json"),
    ):
        shown = panel.locator(box).input_value()
        assert copy_and_download(page, suffix, clipboard) == (shown, name, shown), suffix

    private = serialization.load_pem_private_key(
        panel.locator("#gen-private").input_value().encode(), None
    )
    public_jwk = json.loads(panel.locator("#gen-public-jwk").input_value())
    assert "d" not in public_jwk
    assert isinstance(private, ec.EllipticCurvePrivateKey)


def test_user_copies_and_downloads_a_generated_hmac_secret(page, clipboard):
    panel = keys_panel(page)
    panel.get_by_label("Algorithm", exact=True).select_option("HS256")
    panel.get_by_role("button", name="Generate key").click()
    secret = panel.get_by_label("Secret (base64url)")
    expect(secret).not_to_have_value("")

    copied, name, text = copy_and_download(page, "the secret", clipboard)
    assert (copied, name, text) == (secret.input_value(), "hs256-secret.txt", secret.input_value())
    copied, name, text = copy_and_download(page, "the secret as a JWK", clipboard)
    assert name == "hs256-secret.jwk.json" and copied == text
    assert json.loads(text)["k"] == secret.input_value()
    expect(panel.get_by_role("button", name="Copy the public PEM", exact=True)).to_be_hidden()


def test_user_copies_and_downloads_a_conversion(page, set_keys, clipboard):
    panel = keys_panel(page)
    page.get_by_label("Key or secret").fill(public_pem(set_keys["e1"]))
    panel.get_by_label("Convert the key to").select_option("public_jwk")
    panel.get_by_role("button", name="Convert", exact=True).click()
    output = panel.get_by_label("Converted key")
    expect(output).to_have_value(re.compile('"kty": "EC"'))

    copied, name, text = copy_and_download(page, "the conversion", clipboard)

    assert (copied, name, text) == (output.input_value(), "public.jwk.json", output.input_value())


# ---- a conversion belongs to the key it was made from -------------------------------------------


def convert_to(page, to: str) -> None:
    panel = keys_panel(page)
    panel.get_by_label("Convert the key to").select_option(to)
    panel.get_by_role("button", name="Convert", exact=True).click()


def test_a_new_key_takes_the_old_conversion_and_its_error_away(page, set_keys):
    panel = keys_panel(page)
    output = panel.get_by_label("Converted key")
    error = panel.locator("#convert-error")
    key_box = page.get_by_label("Key or secret")
    # A token the page cannot read: the key panel hears of no new answer, only of the key.
    page.get_by_label("Encoded token").fill("eyJhbGciOi.not-a-token")

    convert_to(page, "jwk")
    expect(error).to_contain_text("Paste a key")
    key_box.fill(public_pem(set_keys["e1"]))
    expect(error).to_have_text("")

    convert_to(page, "public_jwk")
    expect(output).to_have_value(re.compile('"kty": "EC"'))
    key_box.fill(public_pem(set_keys["e2"]))
    expect(output).to_have_value("")

    key_box.fill("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----")
    convert_to(page, "jwk")
    expect(error).not_to_have_text("")
    key_box.fill(public_pem(set_keys["e2"]))
    expect(error).to_have_text("")


def test_a_new_secret_encoding_takes_the_old_conversion_away(page):
    panel = keys_panel(page)
    page.get_by_label("Key or secret").fill("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAw")
    convert_to(page, "jwk")
    output = panel.get_by_label("Converted key")
    expect(output).to_have_value(re.compile('"kty": "oct"'))

    # The same text read as base64url is another secret: the JWK shown would be wrong.
    page.locator("#secret-encoding").select_option("base64url")

    expect(output).to_have_value("")
    convert_to(page, "jwk")
    expect(output).to_have_value(re.compile('"k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAw"'))


# ---- building a JWK Set: a list of its own -------------------------------------------------------


def test_user_builds_a_jwk_set_key_by_key_and_removes_one(page, set_keys, clipboard):
    panel = keys_panel(page)
    key_box = page.get_by_label("Key or secret")
    rows = panel.get_by_role("list", name="Keys in the set you are building").get_by_role(
        "listitem"
    )
    output = panel.get_by_label("The JWK Set built from the list")
    e1_jwk = {**ECAlgorithm.to_jwk(set_keys["e1"].public_key(), as_dict=True), "kid": "e1"}
    ed_private = (
        set_keys["ed"]
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    expect(panel.locator("#collected-empty")).to_be_visible()

    key_box.fill(json.dumps(e1_jwk))
    panel.get_by_role("button", name="Add the key to the set").click()
    expect(rows).to_have_count(1)
    key_box.fill(ed_private)
    panel.get_by_role("button", name="Add the key to the set").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("EC · P-256 public key · kid e1")
    expect(rows.nth(0)).to_contain_text("RFC 7638 thumbprint")
    expect(rows.nth(1)).to_contain_text("OKP · Ed448 private key · no kid; thumbprint ")
    expect(panel.locator("#collect-status")).to_contain_text("Added: Ed448 private key")

    # The list is not a result for the key box: a new key, or none, leaves it as it is.
    key_box.fill("")
    expect(rows).to_have_count(2)
    built = json.loads(output.input_value())
    assert [key["kty"] for key in built["keys"]] == ["EC", "OKP"]
    assert "d" not in built["keys"][1]  # public parts only, unless asked
    panel.get_by_label("Only their public parts").uncheck()
    expect(output).to_have_value(re.compile('"d": '))

    # The same key again, in another form, is not added twice.
    key_box.fill(public_pem(set_keys["e1"]))
    panel.get_by_role("button", name="Add the key to the set").click()
    expect(panel.locator("#collect-status")).to_contain_text("already key 1")
    expect(rows).to_have_count(2)

    panel.get_by_role("button", name="Remove key 1").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Ed448")
    expect(output).not_to_have_value(re.compile('"EC"'))
    copied, name, text = copy_and_download(page, "the JWK Set", clipboard)
    assert name == "jwks.json" and copied == text == output.input_value()
    assert [key["kty"] for key in json.loads(text)["keys"]] == ["OKP"]

    panel.get_by_role("button", name="Use the set as the key").click()
    token = jwt.encode({}, set_keys["ed"], algorithm="EdDSA")
    page.get_by_label("Encoded token").fill(token)
    expect(verdict(page)).to_contain_text(VERIFIED)

    page.get_by_role("button", name="Clear", exact=True).click()
    expect(rows).to_have_count(0)
    expect(panel.locator("#collected-empty")).to_be_visible()
    expect(panel.locator("#set-result")).to_be_hidden()


def test_a_set_with_two_keys_of_one_kid_says_so_until_one_is_removed(page, set_keys):
    panel = keys_panel(page)
    key_box = page.get_by_label("Key or secret")
    for name in ("e1", "e2"):
        jwk = {**ECAlgorithm.to_jwk(set_keys[name].public_key(), as_dict=True), "kid": "same"}
        key_box.fill(json.dumps(jwk))
        panel.get_by_role("button", name="Add the key to the set").click()
        expect(panel.locator("#collect-status")).to_contain_text("Added")
    expect(panel.locator("#set-error")).to_contain_text("same")
    expect(panel.locator("#set-result")).to_be_hidden()

    panel.get_by_role("button", name="Remove key 2").click()

    expect(panel.locator("#set-error")).to_have_text("")
    expect(panel.get_by_label("The JWK Set built from the list")).to_have_value(
        re.compile('"kid": "same"')
    )


# ---- fetching a key set ------------------------------------------------------------------------


@pytest.fixture
def jwks_http(set_keys) -> Iterator[tuple[str, list[str]]]:
    body = jwk_set(set_keys).encode()
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (base class name)
            pass

        def do_GET(self):  # noqa: N802 (http.server's naming)
            requests.append(self.path)
            self.send_response(200 if self.path == "/jwks.json" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_user_fetches_a_key_set_with_the_button_and_only_then(page, set_keys, jwks_http):
    base, requests = jwks_http
    token = jwt.encode(
        {"iss": base}, set_keys["e2"], algorithm="ES256", headers={"jku": f"{base}/jwks.json"}
    )
    paste(page, token)
    expect(page.locator("#header")).to_have_value(re.compile(re.escape("jku")))
    assert requests == []  # nothing is fetched because the token names a URL

    panel = keys_panel(page)
    panel.get_by_label("Key set URL or issuer").fill(f"{base}/jwks.json")
    panel.get_by_role("button", name="Fetch key set").click()

    expect(panel.locator("#jwks-status")).to_contain_text("Fetched 4 keys")
    expect(verdict(page)).to_contain_text(VERIFIED)
    assert requests == ["/jwks.json"]


def test_a_failed_fetch_says_why(page, jwks_http):
    base, _ = jwks_http
    panel = keys_panel(page)
    panel.get_by_label("Key set URL or issuer").fill(f"{base}/missing")
    panel.get_by_role("button", name="Fetch key set").click()
    expect(panel.locator("#jwks-error")).to_contain_text("404")


# ---- keys inside the token -----------------------------------------------------------------------


def test_user_sees_the_x5c_chain_and_verifies_with_the_leaf_certificate(page):
    leaf_key, certificates = chain()
    token = es256_token({"alg": "ES256", "x5c": x5c(certificates)}, {"sub": "a"}, leaf_key)

    paste(page, token)

    embedded = page.locator("#embedded-panel")
    expect(embedded).to_be_visible()
    open_panels(page)  # the panel appears with the token, folded like the others
    expect(embedded).to_contain_text("proves nothing")
    chain_list = embedded.get_by_role("list", name="Certificate chain", exact=True)
    items = chain_list.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("CN=leaf.example")
    expect(items.nth(0)).to_contain_text("SHA-256 fingerprint")
    embedded.get_by_role("button", name="Verify with the leaf certificate").click()

    expect(page.get_by_label("Key or secret")).to_have_value(
        re.compile(re.escape("BEGIN CERTIFICATE"))
    )
    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(keys_panel(page).locator("#key-details")).to_contain_text("CN=leaf.example")


def test_user_makes_a_self_signed_certificate_only_for_a_private_key(page, keypairs):
    page.get_by_label("Key or secret").fill(keypairs["P-256"].public_pem)
    page.get_by_role("button", name="Make a self-signed certificate").click()
    expect(page.locator("#cert-error")).to_contain_text("private")
    expect(page.locator("#cert-output")).to_be_hidden()
    page.get_by_label("Key or secret").fill(keypairs["P-256"].private_pem)
    page.get_by_role("button", name="Make a self-signed certificate").click()
    expect(page.locator("#cert-error")).to_have_text("")
    expect(page.locator("#cert-summary")).to_contain_text("CN=Self-signed test certificate")
    certificate = page.get_by_label("Certificate (PEM)").input_value()
    # Verifying with the certificate is verifying with the key it was made for.
    token = es256_token({"alg": "ES256"}, {"sub": "a"}, keypairs["P-256"].private)
    paste(page, token, certificate)
    expect(verdict(page)).to_contain_text(VERIFIED)
    # A new key takes the certificate of the old one off the page.
    expect(page.locator("#cert-output")).to_be_hidden()


# ---- detached and unencoded payloads -------------------------------------------------------------


def test_user_verifies_rfc7520_detached_example_by_giving_the_content(page):
    vector = next(v for v in RFC_VECTORS if v["name"] == "rfc7520-4.5-hs256-detached")

    paste(page, vector["token"], vector["key"])

    expect(verdict(page)).to_contain_text(INVALID)
    expect(page.locator("#payload-form")).to_contain_text("detached")
    page.get_by_label("Detached content").fill(RFC7520_PAYLOAD)
    expect(verdict(page)).to_contain_text(VERIFIED)
    # The walkthrough and the generated code use the content too.
    page.get_by_text("How this signature is checked").click()
    expect(page.locator("#walkthrough")).to_contain_text("Equal: the HMAC matches")
    page.get_by_text("Code: PyJWT, Flask and curl").click()
    snippets = page.locator("#code-snippets")
    expect(snippets).to_contain_text('content = b"It\\xe2\\x80\\x99s a dangerous')


def test_user_signs_detached_unencoded_content(page):
    paste(page, jwt.encode({"sub": "a"}, SECRET), SECRET)
    expect(verdict(page)).to_contain_text(VERIFIED)
    content = "Pay 10. Thank you,  twice spaced"
    page.get_by_label("Detached content").fill(content)
    page.get_by_label("Unencoded (b64: false, RFC 7797)").check()
    page.get_by_role("button", name="Sign with the payload detached").click()

    expect(page.get_by_label("Encoded token")).to_have_value(re.compile(re.escape("..")))
    expect(verdict(page)).to_contain_text(VERIFIED)
    token = page.get_by_label("Encoded token").input_value()
    assert jwt.get_unverified_header(token)["b64"] is False
    decoded = jwt.api_jws.PyJWS().decode_complete(
        token, SECRET, algorithms=["HS256"], detached_payload=content.encode()
    )
    assert decoded["payload"] == content.encode()


def test_pasted_unencoded_payload_keeps_its_spaces(page):
    header = {"alg": "HS256", "b64": False, "crit": ["b64"]}
    jws = jwt.api_jws.PyJWS()
    detached = jws.encode(b"a  b c", SECRET, algorithm="HS256", headers=header)
    head, _, signature = detached.split(".")
    attached = f"{head}.a  b c.{signature}"

    paste(page, f"{attached[:12]}\n{attached[12:]}", SECRET)

    expect(verdict(page)).to_contain_text(VERIFIED)
    expect(page.locator("#payload-form")).to_contain_text("RFC 7797")
