"""The labs, each solved with the debugger's own tools, and the fixed verifier refusing the same
forged token; the labs are off without LABS and answer only on loopback."""

from __future__ import annotations

import base64
import json
import secrets

import jwt
import pytest

from debugger.analysis.attacks import forge_variants
from debugger.analysis.weak_secrets import BUILTIN_SECRETS, find_builtin_secret
from debugger.jose.b64 import b64url
from debugger.teach import labs
from debugger.teach.lab_verifiers import LabRefused
from debugger.web.app import create_app
from debugger.web.labs import LabAdminPage

from ..conftest import assert_canonical_error


@pytest.fixture
def lab_app():
    return create_app({"TESTING": True, "LABS": True})


@pytest.fixture
def lab_client(lab_app):
    return lab_app.test_client()


def starting_token(client, name: str) -> str:
    response = client.get(f"/labs/{name}/token")
    assert response.status_code == 200
    return response.get_json()["token"]


def parts(token: str) -> tuple[dict, dict]:
    header, payload = (json.loads(base64.urlsafe_b64decode(p + "==")) for p in token.split(".")[:2])
    return header, payload


def as_admin(token: str) -> str:
    """The token with role admin in its payload and its old signature: what a learner types in
    the debugger's payload box before forging."""
    header_segment, payload_segment, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_segment + "=="))
    edited = b64url(json.dumps({**payload, "role": "admin"}).encode())
    return f"{header_segment}.{edited}.{signature}"


def variant(client, token: str, variant_id: str, public_key: str | None = None) -> str:
    body = {"token": token} if public_key is None else {"token": token, "public_key": public_key}
    response = client.post("/api/attacks", json=body)
    assert response.status_code == 200, response.get_json()
    return next(v["token"] for v in response.get_json()["variants"] if v["id"] == variant_id)


def encode(client, header: dict, payload: dict, key: str) -> str:
    body = {"header_json": json.dumps(header), "payload_json": json.dumps(payload), "key": key}
    response = client.post("/api/encode", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def forge_unverified(client, token: str) -> str:
    header, payload = parts(token)
    return encode(client, header, {**payload, "role": "admin"}, secrets.token_hex(32))


def forge_weak_secret(client, token: str) -> str:
    header_segment, payload_segment, signature = token.split(".")
    found = find_builtin_secret(
        f"{header_segment}.{payload_segment}".encode(),
        base64.urlsafe_b64decode(signature + "="),
        "HS256",
    )
    assert found is not None
    header, payload = parts(token)
    return encode(client, header, {**payload, "role": "admin"}, found.decode())


def forge_jku(client, token: str) -> str:
    url = "http://127.0.0.1/labs/jku-injection/attacker-jwks.json"
    forged = next(
        v
        for v in forge_variants(as_admin(token), jku_url=url)["variants"]
        if v["id"] == "jku-attacker"
    )
    published = client.post(url, json=forged["attacker_jwks"])
    assert published.status_code == 200
    return forged["token"]


def forge_alg_confusion(client, token: str) -> str:
    key_set = client.get("/labs/alg-confusion/jwks.json").get_json()
    rsa_jwk = next(k for k in key_set["keys"] if k["kty"] == "RSA")
    return variant(client, as_admin(token), "key-confusion", json.dumps(rsa_jwk))


def forge_alg_confusion_no_key(client, token: str) -> str:
    """Two starting tokens give the unpublished public key away; then the key-confusion variant."""
    name = "alg-confusion-no-key"
    assert client.get(f"/labs/{name}/jwks.json").status_code == 404
    second = starting_token(client, name)
    assert second != token
    body = {"token": token, "second_token": second}
    recovered = client.post("/api/recover-key", json=body)
    assert recovered.status_code == 200, recovered.get_json()
    return variant(client, as_admin(token), "key-confusion", recovered.get_json()["public_pem"])


def forge_x5c(client, token: str) -> str:
    key = client.post("/api/keys/generate", json={"alg": "ES256"}).get_json()["private_pem"]
    made = client.post("/api/keys/certificate", json={"key": key})
    assert made.status_code == 200, made.get_json()
    header, payload = parts(token)
    header = {**header, "x5c": made.get_json()["x5c"]}
    return encode(client, header, {**payload, "role": "admin"}, key)


FORGERS = {
    "unverified-signature": forge_unverified,
    "flawed-verification": lambda c, t: variant(c, as_admin(t), "null-signature"),
    "weak-secret": forge_weak_secret,
    "jwk-injection": lambda c, t: variant(c, as_admin(t), "embedded-jwk"),
    "jku-injection": forge_jku,
    "kid-traversal": lambda c, t: variant(c, as_admin(t), "kid-traversal"),
    "alg-confusion": forge_alg_confusion,
    "alg-confusion-no-key": forge_alg_confusion_no_key,
    "psychic-signature": lambda c, t: variant(c, as_admin(t), "psychic-signature"),
    "none-case": lambda c, t: variant(c, as_admin(t), "alg-None"),
    "x5c-trust": forge_x5c,
}


def test_every_lab_has_a_forger():
    assert set(FORGERS) == set(labs.BY_NAME)


@pytest.mark.parametrize("name", sorted(FORGERS))
def test_the_starting_token_is_accepted_but_not_as_admin(lab_client, name):
    token = starting_token(lab_client, name)
    response = lab_client.get(f"/labs/{name}/admin", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["solved"] is False
    assert response.get_json()["fixed_refusal"] is None
    assert "vulnerable_code" not in response.get_json()
    assert set(response.get_json()) == LabAdminPage.__required_keys__


@pytest.mark.parametrize("name", sorted(FORGERS))
def test_lab_is_solved_with_the_debuggers_tools_and_the_fix_refuses(lab_app, lab_client, name):
    forged = FORGERS[name](lab_client, starting_token(lab_client, name))
    response = lab_client.get(f"/labs/{name}/admin", headers={"Authorization": f"Bearer {forged}"})
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["granted"] is True and body["solved"] is True
    assert set(body) == LabAdminPage.__required_keys__ | LabAdminPage.__optional_keys__
    assert body["claims"]["role"] == "admin"
    lab = labs.BY_NAME[name]
    assert body["vulnerable_code"] == lab.vulnerable_source()
    assert body["fixed_code"].startswith("def fixed_")
    page = lab_client.get(f"/labs/{name}/").get_data(as_text=True)
    assert "The fixed verifier" in page and lab.fixed.__name__ in page
    keys = lab_app.extensions["debugger.labs"].keys
    with pytest.raises((jwt.InvalidTokenError, LabRefused)) as refused:
        lab.fixed(forged, keys)
    assert body["fixed_refusal"] == f"{type(refused.value).__name__}: {refused.value}"


@pytest.mark.parametrize("name", sorted(FORGERS))
def test_the_fixed_verifier_accepts_the_genuine_token(lab_app, lab_client, name):
    token = starting_token(lab_client, name)
    keys = lab_app.extensions["debugger.labs"].keys
    if name == "weak-secret":  # its fix is a strong secret: the genuine token is re-issued
        keys = labs.make_keys(keys.hmac_secret)
        token = labs.issue(labs.BY_NAME["unverified-signature"], keys, now=parts(token)[1]["iat"])
    assert labs.BY_NAME[name].fixed(token, keys)["role"] == "user"


def test_the_lab_without_an_exposed_key_publishes_none_of_its_key(lab_client):
    name = "alg-confusion-no-key"
    token = starting_token(lab_client, name)
    assert lab_client.get(f"/labs/{name}/jwks.json").status_code == 404
    for path in ("/labs/alg-confusion/jwks.json", "/labs/jku-injection/jwks.json"):
        for jwk in lab_client.get(path).get_json()["keys"]:
            assert jwt.PyJWK(jwk).key_type != "RSA" or not _verifies(token, jwk)


def _verifies(token: str, jwk: dict) -> bool:
    try:
        jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["RS256"])
    except jwt.InvalidTokenError:
        return False
    return True


def test_the_weak_secret_comes_from_the_builtin_list(lab_app, lab_client):
    starting_token(lab_client, "weak-secret")
    assert lab_app.extensions["debugger.labs"].keys.weak_secret in BUILTIN_SECRETS


def test_the_jku_lab_fetches_nothing_off_this_machine(lab_client):
    token = starting_token(lab_client, "jku-injection")
    url = "http://attacker.example/jwks.json"
    forged = next(
        v
        for v in forge_variants(as_admin(token), jku_url=url)["variants"]
        if v["id"] == "jku-attacker"
    )
    response = lab_client.get(
        "/labs/jku-injection/admin", headers={"Authorization": f"Bearer {forged['token']}"}
    )
    assert response.status_code == 401
    assert response.get_json()["solved"] is False


@pytest.mark.parametrize(
    "authorization",
    ("", "Basic abc", "Bearer ", "Bearer a.b", "Bearer !!.??.**", "Bearer " + "a" * 5000),
)
@pytest.mark.parametrize("name", sorted(FORGERS))
def test_bad_tokens_are_refused_with_401_never_500(lab_client, name, authorization):
    response = lab_client.get(f"/labs/{name}/admin", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.get_json()["granted"] is False


@pytest.mark.parametrize(
    "path", ("/labs/", "/labs/none-case/", "/labs/none-case/token", "/labs/none-case/admin")
)
def test_labs_answer_404_unless_turned_on(client, path):
    assert client.get(path).status_code == 404


def test_the_lab_page_links_to_the_debugger_that_reads_the_fragment(lab_client):
    page = lab_client.get("/labs/none-case/").get_data(as_text=True)
    assert 'id="open-in-debugger"' in page and 'data-debugger-url="/"' in page


def test_an_unknown_lab_is_404(lab_client):
    assert lab_client.get("/labs/no-such-lab/token").status_code == 404


def test_labs_refuse_requests_from_other_machines(lab_client):
    response = lab_client.get("/labs/none-case/token", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert_canonical_error(response, 403, "host_not_allowed")


def test_labs_refuse_requests_addressed_to_a_non_loopback_name():
    app = create_app({"TESTING": True, "LABS": True, "SERVER_HOST": "0.0.0.0", "SERVER_PORT": 8765})
    client = app.test_client()
    headers = {"Host": "192.0.2.1:8765"}
    assert client.get("/", headers=headers).status_code == 200
    assert_canonical_error(client.get("/labs/", headers=headers), 403, "host_not_allowed")


def test_every_lab_page_says_it_is_deliberately_insecure(lab_client):
    for path in ["/labs/", *(f"/labs/{name}/" for name in labs.BY_NAME)]:
        page = lab_client.get(path).get_data(as_text=True)
        assert "deliberately insecure" in page, path


def test_the_attacker_key_set_must_be_a_jwk_set(lab_client):
    url = "/labs/jku-injection/attacker-jwks.json"
    assert_canonical_error(lab_client.post(url, json=["not", "a", "set"]), 400, "bad_request")
    assert lab_client.get(url).get_json() == {"keys": []}
