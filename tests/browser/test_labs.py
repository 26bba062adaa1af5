"""A learner solves each lab in the real server with the debugger page's own tools: the starting
token opens in the debugger, the page's tools forge a token with role admin, and the lab page
takes it, shows the two verifiers and that the fixed one refuses the same token."""

from __future__ import annotations

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from debugger.analysis.weak_secrets import BUILTIN_SECRETS
from debugger.teach import labs

from ..conftest import open_panels

#: The pages' tools answer within a few seconds; an RSA key takes longest to generate.
TIMEOUT_MS = 15_000


@pytest.fixture
def learner(learner_context, labs_server):
    """The learner's window: the lab page, and the debugger tabs it opens."""
    learner_context.set_default_timeout(TIMEOUT_MS)
    return learner_context


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def header_of(token: str) -> dict:
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))


def start_lab(learner, server, name: str):
    """Open the lab, get its starting token and open that in the debugger: (lab, debugger)."""
    lab = learner.new_page()
    lab.goto(f"{server.url}labs/{name}/")
    expect(lab.get_by_role("alert")).to_contain_text("deliberately insecure")
    expect(lab.locator("#after")).to_be_hidden()
    lab.get_by_role("button", name="Get the starting token").click()
    start = lab.get_by_label("Starting token")
    expect(start).not_to_have_value("")
    token = start.input_value()
    assert claims_of(token)["role"] == "user"
    with learner.expect_page() as opened:
        lab.get_by_role("link", name="Open in the debugger").click()
    debugger = opened.value
    debugger.wait_for_load_state()
    expect(debugger.get_by_label("Encoded token")).to_have_value(token)
    # The token came in the fragment, and the page took it off the address bar.
    assert debugger.url == server.url
    expect(debugger.locator("#link-note")).to_contain_text("Loaded the token from the link")
    open_panels(debugger)
    return lab, debugger


def expect_verified(debugger) -> None:
    expect(debugger.locator("#verdict")).to_have_class(re.compile(r"\bok\b"))


def edit_role_to_admin(debugger) -> str:
    """Change role to admin in the Payload editor; the page re-signs with the key in the key
    box. Waits until the re-signed token is decoded and verified; returns it."""
    payload = debugger.get_by_label("Payload")
    claims = json.loads(payload.input_value())
    payload.fill(json.dumps({**claims, "role": "admin"}, indent=2))
    token_box = debugger.get_by_label("Encoded token")
    debugger.wait_for_function(
        """() => {
          const part = document.getElementById("token").value.split(".")[1] || "";
          try {
            return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))).role === "admin";
          } catch {
            return false;
          }
        }"""
    )
    expect_verified(debugger)
    return token_box.input_value()


def use_own_key(debugger, alg: str) -> None:
    """Generate a key for `alg` with the key tools and put it in the key box."""
    debugger.locator("#gen-alg").select_option(alg)
    debugger.get_by_role("button", name="Generate key").click()
    expect(debugger.locator("#gen-output")).to_be_visible()
    expect(debugger.locator("#gen-kid")).to_contain_text(f"{alg} key generated")
    debugger.get_by_role("button", name="Put the key in the key box", exact=True).click()
    expect(debugger.get_by_label("Key or secret")).to_have_value(
        debugger.locator("#gen-private").input_value()
    )


def forge_with_attack_lab(debugger, title: str) -> str:
    """Press Forge in the attack lab and load the variant called `title` into the debugger, as
    a learner does before copying it; returns the variant's token."""
    debugger.get_by_role("button", name="Forge attack variants").click()
    expect(debugger.locator("#attacks-status")).to_contain_text("forged variants of the token")
    variant = debugger.locator("#attacks > li").filter(
        has=debugger.get_by_role("heading", name=title, exact=True)
    )
    shown = variant.locator("code.attack-token").inner_text()
    variant.get_by_role("button", name=f'Load "{title}" into the debugger').click()
    token_box = debugger.get_by_label("Encoded token")
    expect(token_box).to_have_value(shown)
    return token_box.input_value()


def send_on_the_lab_page(lab, name: str, forged: str, refusal: str) -> None:
    """Paste the forged token on the lab page: solved, both verifiers shown, the fix refuses."""
    assert claims_of(forged)["role"] == "admin"
    lab.bring_to_front()
    lab.get_by_label("Forged token").fill(forged)
    lab.get_by_role("button", name=f"Send to /labs/{name}/admin").click()
    expect(lab.locator("#lab-result")).to_contain_text("200: Welcome, administrator")
    expect(lab.locator("#after")).to_be_visible()
    chosen = labs.BY_NAME[name]
    expect(lab.locator("#vulnerable-code")).to_contain_text(f"def {chosen.vulnerable.__name__}(")
    expect(lab.locator("#fixed-code")).to_contain_text(f"def {chosen.fixed.__name__}(")
    expect(lab.locator("#fixed-refusal")).to_have_text(
        f"The fixed verifier refuses this token: {refusal}"
    )


BAD_SIGNATURE = "InvalidSignatureError: Signature verification failed"
ALG_NOT_ALLOWED = "InvalidAlgorithmError: The specified alg value is not allowed"


def test_unverified_signature_any_secret_re_signs_the_edited_payload(learner, labs_server):
    lab, debugger = start_lab(learner, labs_server, "unverified-signature")
    debugger.get_by_label("Key or secret").fill("any secret at all will do")
    forged = edit_role_to_admin(debugger)
    send_on_the_lab_page(lab, "unverified-signature", forged, BAD_SIGNATURE)
    lab.goto(labs_server.url + "labs/")
    expect(lab.locator("#lab-list li").filter(has_text="Unverified signature")).to_contain_text(
        "solved"
    )


def test_weak_secret_found_by_the_wordlist_search_then_re_signed(learner, labs_server):
    lab, debugger = start_lab(learner, labs_server, "weak-secret")
    # The debugger's own list of tutorial secrets finds it on every decode...
    expect(debugger.locator("#findings")).to_contain_text("weak-secret")
    # ...and so does a wordlist search, which then puts the secret in the key box.
    words = [b"password", b"letmein", *BUILTIN_SECRETS, b"correct horse battery staple"]
    debugger.get_by_label("Wordlist file").set_input_files(
        {"name": "secrets.txt", "mimeType": "text/plain", "buffer": b"\n".join(words)}
    )
    debugger.get_by_role("button", name="Search the wordlist").click()
    expect(debugger.locator("#wordlist-status")).to_contain_text("Found:")
    debugger.get_by_role("button", name="Verify with the secret found").click()
    expect_verified(debugger)
    assert debugger.get_by_label("Key or secret").input_value().encode() in BUILTIN_SECRETS
    forged = edit_role_to_admin(debugger)
    send_on_the_lab_page(lab, "weak-secret", forged, BAD_SIGNATURE)


@pytest.mark.parametrize(
    ("name", "own_key", "title", "refusal"),
    (
        ("flawed-verification", "RS256", "Original header, empty signature", BAD_SIGNATURE),
        (
            "jwk-injection",
            "ES256",
            "Signed with a fresh key, embedded in the header (jwk)",
            BAD_SIGNATURE,
        ),
        (
            "kid-traversal",
            "HS256",
            "kid path traversal to /dev/null, empty secret",
            "InvalidTokenError: unknown kid",
        ),
        ("psychic-signature", "ES256", "ES256 psychic signature (r = s = 0)", BAD_SIGNATURE),
        ("none-case", "HS256", 'alg "None", no signature', ALG_NOT_ALLOWED),
    ),
)
def test_lab_solved_with_an_attack_lab_variant(learner, labs_server, name, own_key, title, refusal):
    lab, debugger = start_lab(learner, labs_server, name)
    # First a token with role admin, signed with the learner's own key (the issuer's is secret).
    use_own_key(debugger, own_key)
    edit_role_to_admin(debugger)
    forged = forge_with_attack_lab(debugger, title)
    send_on_the_lab_page(lab, name, forged, refusal)


def test_alg_confusion_with_the_published_public_key(learner, labs_server):
    lab, debugger = start_lab(learner, labs_server, "alg-confusion")
    use_own_key(debugger, "RS256")
    edit_role_to_admin(debugger)
    # The issuer's public keys are public: open them and paste them in the key box.
    published = learner.new_page()
    published.goto(labs_server.url + "labs/alg-confusion/jwks.json")
    key_set = published.locator("body").inner_text()
    assert [key["kty"] for key in json.loads(key_set)["keys"]] == ["RSA", "EC"]
    published.close()
    debugger.get_by_label("Key or secret").fill(key_set)
    expect(debugger.locator("#key-summary")).to_contain_text("JWK Set")
    forged = forge_with_attack_lab(debugger, "HS256 signed with the public key as secret")
    assert header_of(forged)["alg"] == "HS256"
    send_on_the_lab_page(lab, "alg-confusion", forged, ALG_NOT_ALLOWED)


def test_x5c_trust_with_a_self_signed_certificate_from_the_key_tools(learner, labs_server):
    lab, debugger = start_lab(learner, labs_server, "x5c-trust")
    use_own_key(debugger, "ES256")
    debugger.get_by_label("Common name").fill("Mallory")
    debugger.get_by_role("button", name="Make a self-signed certificate").click()
    expect(debugger.locator("#cert-summary")).to_contain_text("CN=Mallory, issued by itself")
    expect(debugger.get_by_label("Certificate (PEM)")).to_have_value(
        re.compile("^-----BEGIN CERTIFICATE-----")
    )
    debugger.get_by_role("button", name="Put it in the token's x5c and re-sign").click()
    expect(debugger.locator("#x5c-chain")).to_contain_text("CN=Mallory")
    forged = edit_role_to_admin(debugger)
    assert (
        header_of(forged)["x5c"]
        != header_of(lab.get_by_label("Starting token").input_value())["x5c"]
    )
    send_on_the_lab_page(lab, "x5c-trust", forged, BAD_SIGNATURE)


def test_the_labs_are_not_there_without_the_labs_option(page, server):
    for path in ("labs/", "labs/none-case/", "labs/none-case/token", "labs/none-case/admin"):
        assert page.request.get(server.url + path).status == 404, path
    expect(page.get_by_role("link", name="Learn")).to_be_visible()
    expect(page.get_by_role("link", name="Labs")).to_have_count(0)
    page.get_by_role("link", name="Learn").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Labs")).to_have_count(0)
