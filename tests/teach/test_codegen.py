"""Generated code runs: the PyJWT script and the Flask app are executed against the token."""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import io
import json
import os
import shlex
import subprocess
import sys
import time
import tokenize

import jwt
import pytest

from debugger.jose.claims import ClaimChecks
from debugger.jose.keys import read_key
from debugger.jose.pasted import parse
from debugger.jose.verify import check_signature
from debugger.teach.codegen import CURL_REFUSED, MISTAKES, CodeInputs, generate

from ..conftest import ALG_KEYS, SECRET

LONG_SECRET = SECRET * 2  # 64 bytes: no key-length warning for any HS algorithm


def code_for(token: str, key_text: str | None, **options) -> dict:
    parsed = parse(token)
    encoding = options.pop("secret_encoding", "utf-8")
    key = None
    if key_text is not None:
        ring = read_key(key_text, encoding)
        key = check_signature(parsed, ring).key or ring.keys[0]
    return generate(CodeInputs(parsed, key, key_text or "", encoding, **options))


def run_python(code: str, tmp_path) -> str:
    script = tmp_path / "generated.py"
    script.write_text(code)
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def verified_claims(output: str) -> dict:
    assert output.startswith("Verified. Claims:\n"), output
    body = output.split("\n", 1)[1].split("\nNew token:")[0]
    return json.loads(body)


def new_token(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("New token: ")]
    assert len(lines) == 1, output
    return lines[0].removeprefix("New token: ")


def fresh_claims(**extra) -> dict:
    now = int(time.time())
    return {"sub": "1234567890", "name": "Ada Lovelace", "iat": now, "exp": now + 600, **extra}


def test_python_code_verifies_an_hs256_token_and_signs_a_new_one(tmp_path):
    claims = fresh_claims()
    token = jwt.encode(claims, LONG_SECRET)
    output = run_python(code_for(token, LONG_SECRET)["python"], tmp_path)
    assert verified_claims(output) == claims
    again = jwt.decode(new_token(output), LONG_SECRET, algorithms=["HS256"])
    assert again["sub"] == claims["sub"] and again["name"] == claims["name"]
    assert again["exp"] - again["iat"] == 600  # the same lifetime, and exp is in the payload


@pytest.mark.parametrize("encoding", ["base64", "base64url", "hex"])
def test_python_code_decodes_an_encoded_secret_the_same_way(tmp_path, encoding):
    raw = os.urandom(64)
    text = {
        "base64": base64.b64encode(raw).decode(),
        "base64url": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
        "hex": raw.hex(),
    }[encoding]
    claims = fresh_claims()
    token = jwt.encode(claims, raw, algorithm="HS512")
    code = code_for(token, text, secret_encoding=encoding)
    assert code["algorithms"] == ["HS512"]
    output = run_python(code["python"], tmp_path)
    assert verified_claims(output) == claims
    jwt.decode(new_token(output), raw, algorithms=["HS512"])


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "ES384", "ES512", "ES256K", "EdDSA"])
def test_python_code_verifies_with_the_public_key_and_signs_with_the_private_one(
    tmp_path, keypairs, alg
):
    pair = keypairs[ALG_KEYS[alg]]
    claims = fresh_claims()
    token = jwt.encode(claims, pair.private_pem, algorithm=alg)
    public = code_for(token, pair.public_pem)
    assert public["algorithms"] == [alg]
    output = run_python(public["python"], tmp_path)
    assert verified_claims(output) == claims
    assert "New token:" not in output  # a public key cannot sign
    private_output = run_python(code_for(token, pair.private_pem)["python"], tmp_path)
    assert verified_claims(private_output) == claims
    jwt.decode(new_token(private_output), pair.public_pem, algorithms=[alg])


def test_python_code_for_a_jwk_set_uses_the_key_with_the_kid(tmp_path, keypairs):
    pair = keypairs["RSA"]
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pair.private.public_key()))
    jwks = json.dumps({"keys": [{**jwk, "kid": "r1"}]})
    claims = fresh_claims(aud=["api://orders", "api://billing"], iss="https://issuer.example/")
    token = jwt.encode(claims, pair.private_pem, algorithm="RS256", headers={"kid": "r1"})
    code = code_for(token, jwks)
    assert verified_claims(run_python(code["python"], tmp_path)) == claims


@pytest.mark.parametrize(
    ("token_claims", "key", "checks", "error"),
    (
        (fresh_claims(exp=int(time.time()) - 600), LONG_SECRET, {}, "ExpiredSignatureError"),
        (
            fresh_claims(),
            "a-different-secret-of-sixty-four-bytes-" + "0" * 25,
            {},
            "InvalidSignatureError",
        ),
        (
            fresh_claims(aud="api://orders"),
            LONG_SECRET,
            {"audience": "api://billing"},
            "InvalidAudienceError",
        ),
        (
            fresh_claims(iss="https://a.example"),
            LONG_SECRET,
            {"issuer": "https://b.example"},
            "InvalidIssuerError",
        ),
        (fresh_claims(), LONG_SECRET, {"subject": "someone"}, "InvalidSubjectError"),
        (fresh_claims(), LONG_SECRET, {"required": ("jti",)}, "MissingRequiredClaimError"),
    ),
)
def test_python_code_rejects_what_the_debugger_rejects(tmp_path, token_claims, key, checks, error):
    token = jwt.encode(token_claims, LONG_SECRET)
    code = code_for(token, key, checks=ClaimChecks(**checks))
    output = run_python(code["python"], tmp_path)
    assert output.startswith(f"Rejected: {error}"), output


def test_python_code_takes_the_algorithm_from_the_key_not_the_header(tmp_path, keypairs):
    # An HS256 token "signed" with the bytes of an RSA public key: the key-confusion attack.
    pair = keypairs["RSA"]
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(fresh_claims()).encode()).rstrip(b"=").decode()
    mac = hmac.new(pair.public_pem.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    token = f"{header}.{payload}.{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"
    code = code_for(token, pair.public_pem)
    assert "HS256" not in code["algorithms"] and "RS256" in code["algorithms"]
    assert run_python(code["python"], tmp_path).startswith("Rejected: InvalidAlgorithmError")


def test_hostile_claim_values_stay_data_in_the_generated_code(tmp_path):
    claims = fresh_claims(
        note="\"\"\" ''' \\ \n print('pwned') #",
        **{"odd'key\"": "${HOME} $(id) `id`"},
    )
    token = jwt.encode(claims, LONG_SECRET, headers={"kid": "k'\"1\n"})
    code = code_for(token, LONG_SECRET)
    output = run_python(code["python"], tmp_path)
    assert verified_claims(output) == claims
    assert "pwned" not in output.splitlines()  # the text was never run as code
    jwt.decode(new_token(output), LONG_SECRET, algorithms=["HS256"])


def test_python_code_avoids_the_tutorial_mistakes():
    code = code_for(jwt.encode(fresh_claims(), LONG_SECRET), LONG_SECRET)["python"]
    statements = [line.split("#", 1)[0] for line in code.splitlines()]
    assert "import jwt" in statements
    assert not any("pyjwt" in line or "utcnow" in line for line in statements)
    assert not any("create_signing_key" in line for line in statements)
    assert any("datetime.now(tz=timezone.utc)" in line for line in statements)
    assert any(line.strip().startswith('payload["exp"] =') for line in statements)
    assert {m["code"] for m in MISTAKES} >= {
        "module_name",
        "create_signing_key",
        "exp_not_in_payload",
        "utcnow_deprecated",
        "jwt_required_parentheses",
    }


FLASK_DRIVER = """
import json, runpy, sys
namespace = runpy.run_path(sys.argv[1], run_name="generated_app")
client = namespace["app"].test_client()
for header in json.loads(sys.argv[2]):
    response = client.get("/protected", headers=header)
    print(json.dumps({"status": response.status_code, "body": response.get_json()}))
"""


def run_flask(code: str, headers: list[dict], tmp_path) -> list[dict]:
    app_file = tmp_path / "generated_app.py"
    app_file.write_text(code)
    result = subprocess.run(
        [sys.executable, "-c", FLASK_DRIVER, str(app_file), json.dumps(headers)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("alg", ["HS256", "RS256", "ES256", "EdDSA"])
def test_flask_code_accepts_this_token_and_refuses_others(tmp_path, keypairs, alg):
    claims = fresh_claims(aud="api://orders", iss="https://issuer.example/")
    if alg == "HS256":
        key, signer = LONG_SECRET, LONG_SECRET
    else:
        pair = keypairs[ALG_KEYS[alg]]
        key, signer = pair.public_pem, pair.private_pem
    token = jwt.encode(claims, signer, algorithm=alg)
    code = code_for(token, key)
    assert "@jwt_required()" in code["flask"]
    curl = shlex.split(code["curl"])
    assert curl[:3] == ["curl", "-i", "-H"] and curl[3] == f"Authorization: Bearer {token}"
    name, _, value = curl[3].partition(": ")  # the header exactly as curl sends it
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    accepted, missing, refused = run_flask(
        code["flask"],
        [{name: value}, {}, {"Authorization": f"Bearer {tampered}"}],
        tmp_path,
    )
    assert accepted["status"] == 200, accepted
    assert {name: accepted["body"]["claims"][name] for name in claims} == claims
    assert missing["status"] == 401
    assert refused["status"] == 422


def test_flask_code_for_a_token_without_sub_uses_another_identity_claim(tmp_path):
    claims = {"client_id": "svc-42", "exp": int(time.time()) + 600}
    token = jwt.encode(claims, LONG_SECRET)
    code = code_for(token, LONG_SECRET)
    [accepted] = run_flask(code["flask"], [{"Authorization": f"Bearer {token}"}], tmp_path)
    assert accepted["status"] == 200 and accepted["body"]["claims"]["client_id"] == "svc-42"


def test_curl_command_quotes_a_hostile_token_as_one_argument():
    token = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.'; rm -rf ~ #.sig"
    code = code_for(token, None, url="http://127.0.0.1:8765/demo/protected")
    assert shlex.split(code["curl"]) == [
        "curl",
        "-i",
        "-H",
        f"Authorization: Bearer {token}",
        "http://127.0.0.1:8765/demo/protected",
    ]


def rfc9864_token(claims: dict, private_pem: str, alg: str) -> str:
    """A token whose header names the curve (alg Ed25519 or Ed448), which PyJWT 2 lacks."""
    jws = jwt.PyJWS()
    jws.register_algorithm(alg, jwt.algorithms.OKPAlgorithm())
    return jws.encode(json.dumps(claims).encode(), private_pem, algorithm=alg)


@pytest.mark.parametrize("alg", ["Ed25519", "Ed448"])
def test_generated_code_verifies_a_token_whose_alg_names_the_curve(tmp_path, keypairs, alg):
    pair = keypairs[ALG_KEYS[alg]]
    claims = fresh_claims()
    token = rfc9864_token(claims, pair.private_pem, alg)
    code = code_for(token, pair.private_pem)
    assert code["algorithms"] == [alg]
    output = run_python(code["python"], tmp_path)
    assert verified_claims(output) == claims
    fresh = new_token(output)
    assert jwt.get_unverified_header(fresh)["alg"] == alg
    jws = jwt.PyJWS()
    jws.register_algorithm(alg, jwt.algorithms.OKPAlgorithm())
    assert json.loads(jws.decode(fresh, pair.public_pem, algorithms=[alg]))["sub"] == claims["sub"]
    [accepted, refused] = run_flask(
        code_for(token, pair.public_pem)["flask"],
        [{"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {token[:-4]}AAAA"}],
        tmp_path,
    )
    assert accepted["status"] == 200 and accepted["body"]["claims"]["sub"] == claims["sub"]
    assert refused["status"] == 422


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(signing_input: str) -> str:
    return b64url(hmac.new(LONG_SECRET.encode(), signing_input.encode(), hashlib.sha256).digest())


def test_python_code_verifies_an_unencoded_attached_payload(tmp_path):
    # RFC 7797: b64 false, the content sits in the token as it is (it may not hold a period).
    header = b64url(b'{"alg":"HS256","b64":false,"crit":["b64"]}')
    token = f"{header}.$02.{hs256(f'{header}.$02')}"
    code = code_for(token, LONG_SECRET)
    assert run_python(code["python"], tmp_path) == "Verified. Content:\n$02\n"
    assert "cannot protect" in code["flask"]
    forged = f"{header}.$03.{hs256(f'{header}.$02')}"
    assert run_python(code_for(forged, LONG_SECRET)["python"], tmp_path).startswith("Rejected:")


@pytest.mark.parametrize("unencoded", [True, False])
def test_python_code_verifies_a_detached_payload_given_apart(tmp_path, unencoded):
    content = "It's a dangerous business, Frodo, going out your door."
    header = b64url(json.dumps({"alg": "HS256", "b64": False, "crit": ["b64"]}).encode())
    if not unencoded:
        header = b64url(b'{"alg":"HS256"}')
    covered = content if unencoded else b64url(content.encode())
    token = f"{header}..{hs256(f'{header}.{covered}')}"
    code = code_for(token, LONG_SECRET, detached_payload=content)
    assert run_python(code["python"], tmp_path) == f"Verified. Content:\n{content}\n"
    other = code_for(token, LONG_SECRET, detached_payload=content + "!")
    assert run_python(other["python"], tmp_path).startswith("Rejected:")
    placeholder = code_for(token, LONG_SECRET)["python"]
    assert 'content = b"the detached content"' in placeholder


# Hostile text wherever a value reaches generated code: it stays one literal, never code.

HOSTILE_TEXTS = (
    'x\rprint("INJECTED")\r#',
    "x\nprint('INJECTED')\n#",
    "x\u2028print('INJECTED')\u2029#",
    "x\u202e#)'DETCEJNI'(tnirp",
    '"""\nprint("INJECTED")\n"""',
    "'''\nprint('INJECTED')\n'''",
    "\\'; print('INJECTED'); #\\",
    "$(print INJECTED) `print INJECTED`; print('INJECTED') '",
)
HOSTILE_PLACES = (
    "claim name",
    "claim values",
    "header values",
    "header values, public key",
    "claim checks",
    "url",
    "secret",
    "detached content",
    "detached content, base64url",
    "unencoded payload",
)


def unencoded_token(content: str, *, detached: bool) -> str:
    header = b64url(json.dumps({"alg": "HS256", "b64": False, "crit": ["b64"]}).encode())
    signature = hs256(f"{header}.{content}")
    return f"{header}..{signature}" if detached else f"{header}.{content}.{signature}"


def hostile_code(place: str, text: str, keypairs) -> tuple[dict, str, str]:
    """The code generated with `text` in `place`, the token and the URL it was made for."""
    exp = int(time.time()) + 600
    token, key, options = jwt.encode(fresh_claims(), LONG_SECRET), LONG_SECRET, {}
    if place == "claim name":  # no sub: the first claim becomes flask's identity claim
        token = jwt.encode({text: 1, "exp": exp}, LONG_SECRET)
    elif place == "claim values":
        claims = {"sub": text, "aud": text, "iss": text, "note": [text, {text: text}]}
        token = jwt.encode({**claims, "exp": exp}, LONG_SECRET)
    elif place == "header values":  # PyJWT sorts the header: "zz" keeps the names' order
        token = jwt.encode(fresh_claims(), LONG_SECRET, headers={"kid": text, f"zz{text}": [text]})
    elif place == "header values, public key":  # the signing call is only shown, commented out
        pair = keypairs["RSA"]
        headers = {"kid": text, f"zz{text}": [text]}
        token = jwt.encode(fresh_claims(), pair.private_pem, algorithm="RS256", headers=headers)
        key = pair.public_pem
    elif place == "claim checks":
        options["checks"] = ClaimChecks(
            audience=[text], issuer=text, subject=text, required=(text,)
        )
    elif place == "url":
        options["url"] = text
    elif place == "secret":
        key = text + LONG_SECRET
        token = jwt.encode(fresh_claims(), key)
    elif place == "detached content":
        token = unencoded_token("covered", detached=True)
        options["detached_payload"] = text
    elif place == "detached content, base64url":
        header = b64url(b'{"alg":"HS256"}')
        token = f"{header}..{hs256(f'{header}.{b64url(text.encode())}')}"
        options["detached_payload"] = text
    elif place == "unencoded payload":
        token = unencoded_token(text, detached=False)
    url = options.get("url", "http://127.0.0.1:5000/protected")
    return code_for(token, key, **options), token, url


def code_shape(tree: ast.AST) -> str:
    """The program's structure with every literal's value blanked out."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.value = None
    return ast.dump(tree)


def comments(code: str) -> list[str]:
    readline = io.StringIO(code).readline
    return [t.string for t in tokenize.generate_tokens(readline) if t.type == tokenize.COMMENT]


def literal_texts(tree: ast.AST) -> list[str]:
    values = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
    return [v.decode("utf-8", "surrogatepass") if isinstance(v, bytes) else v for v in values]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
@pytest.mark.parametrize("place", HOSTILE_PLACES)
def test_hostile_text_anywhere_is_one_literal_in_the_generated_code(keypairs, place, text):
    hostile, token, url = hostile_code(place, text, keypairs)
    benign, _, _ = hostile_code(place, "plain", keypairs)
    for language in ("python", "flask"):
        code = hostile[language]
        # No character that could end a line, or hide or reorder text, anywhere in the program.
        assert all(line.isprintable() for line in code.split("\n")), code
        tree = ast.parse(code)
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        printed = [ast.unparse(call) for call in calls if ast.unparse(call.func) == "print"]
        assert not any("INJECTED" in call and "'INJECTED'" not in call for call in printed)
        # Exactly the statements, names and comments of the same code for harmless text.
        assert code_shape(tree) == code_shape(ast.parse(benign[language])), code
        assert comments(code) == comments(benign[language])
        assert all(comment.isprintable() for comment in comments(code))
    # The text itself is kept, as data (a claim value, a secret, the content to verify).
    if place != "url":
        kept = literal_texts(ast.parse(hostile["python"]))
        assert any(text in value for value in kept if isinstance(value, str)), hostile["python"]
    if token.isprintable() and url.isprintable():
        assert shlex.split(hostile["curl"]) == [
            "curl",
            "-i",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ]
    else:  # a control character would act when pasted into a terminal: no command at all
        assert hostile["curl"] == CURL_REFUSED
        assert all(line.isprintable() for line in CURL_REFUSED.split("\n"))


@pytest.mark.parametrize(
    "url",
    (
        "http://127.0.0.1:5000/p'; print INJECTED; '",
        "http://127.0.0.1:5000/$(id)`id`;id",
        'http://127.0.0.1:5000/"\\"',
    ),
)
def test_curl_command_quotes_shell_metacharacters_in_the_url(url):
    token = jwt.encode(fresh_claims(), LONG_SECRET)
    curl = code_for(token, LONG_SECRET, url=url)["curl"]
    assert shlex.split(curl) == ["curl", "-i", "-H", f"Authorization: Bearer {token}", url]


def test_flask_code_for_the_reported_claim_name_runs_no_injected_code(tmp_path):
    # A carriage return shows as nothing on the page: the comment looked harmless, and ran.
    name = 'x\rprint("INJECTED")\r#'
    token = jwt.encode({name: 1, "exp": int(time.time()) + 600}, LONG_SECRET)
    code = code_for(token, LONG_SECRET)["flask"]
    [accepted] = run_flask(code, [{"Authorization": f"Bearer {token}"}], tmp_path)
    assert accepted["status"] == 200 and accepted["body"]["claims"][name] == 1
