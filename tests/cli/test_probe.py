"""`probe`, `scan` and `extract` against real APIs on 127.0.0.1: exit codes, the answers the API
gives, and hostile text escaped."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from flask import Flask

from debugger.cli.probe_parser import PLACEMENT_NAMES
from debugger.net.probe import PLACEMENTS

from ..target_apis import (
    accepts_alg_none,
    correct,
    make_api,
    no_verification,
    public_key_as_hmac_secret,
    serve,
)
from .conftest import cli


@pytest.fixture(scope="module")
def rsa_keys(keypairs):
    return keypairs["RSA"]


@pytest.fixture
def api(rsa_keys):
    with serve(make_api(correct, rsa_keys.public_pem)) as base:
        yield base


def token_for(keys, **claims):
    return jwt.encode(
        {"sub": "alice", "exp": int(time.time()) + 600, **claims},
        keys.private_pem,
        algorithm="RS256",
    )


def test_the_parser_names_the_core_s_placements():
    assert PLACEMENT_NAMES == PLACEMENTS


def test_probe_shows_the_status_and_exits_0_for_an_accepted_token(api, rsa_keys):
    token = token_for(rsa_keys)
    result = cli("probe", f"{api}/resource", "--token", "env:TOKEN", env={"TOKEN": token})
    assert result.returncode == 0, result.stderr
    assert "Answer: HTTP 200 OK" in result.stdout
    assert '"sub":"alice"' in result.stdout.replace(" ", "")
    assert token not in result.stdout  # the request is shown with the token masked


def test_probe_explains_the_www_authenticate_challenge_and_exits_1(api, rsa_keys):
    expired = jwt.encode({"exp": int(time.time()) - 3600}, rsa_keys.private_pem, algorithm="RS256")
    result = cli("probe", f"{api}/resource", "--token", expired)
    assert result.returncode == 1, result.stderr
    assert "Answer: HTTP 401 UNAUTHORIZED" in result.stdout
    assert 'WWW-Authenticate: Bearer realm="api", error="invalid_token"' in result.stdout
    assert "What it means" in result.stdout
    assert "token_expired (claim exp):" in result.stdout


def test_probe_json_is_the_api_s_answer(client, api, rsa_keys):
    token = token_for(rsa_keys, scope="read")
    result = cli("probe", f"{api}/scoped", "--token", token, "--json")
    answer = json.loads(result.stdout)
    expected = client.post("/api/probe", json={"url": f"{api}/scoped", "token": token}).get_json()
    assert result.returncode == 1
    assert set(answer) == set(expected)
    for name in ("sent", "status", "body", "www_authenticate", "explanations"):
        assert answer[name] == expected[name], name
    assert answer["explanations"][0]["code"] == "scope_missing"


def test_probe_places_the_token_and_sends_headers_and_body(api, tmp_path):
    body_file = tmp_path / "body.txt"
    body_file.write_text("hello\n")
    result = cli(
        "probe",
        f"{api}/echo",
        "--token",
        "tok-123",
        "--placement",
        "cookie",
        "--name",
        "session",
        "--method",
        "POST",
        "--header",
        "X-Extra: 1",
        "--header",
        "X-Api-Key: env:API_KEY",
        "--body",
        f"@{body_file}",
        "--json",
        env={"API_KEY": "k-secret-1"},
    )
    assert result.returncode == 0, result.stderr
    echoed = json.loads(json.loads(result.stdout)["body"])
    assert echoed["cookies"]["session"] == "tok-123"
    assert echoed["method"] == "POST" and echoed["body"] == "hello"
    assert echoed["headers"]["X-Extra"] == "1" and echoed["headers"]["X-Api-Key"] == "k-secret-1"


def test_probe_escapes_control_and_bidi_characters_in_the_answer():
    app = Flask(__name__)
    app.get("/")(lambda: "\x1b]0;pwned\x07 \u202eevil")
    with serve(app) as base:
        result = cli("probe", base)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b]0;pwned\\x07 \\u202eevil" in result.stdout


def test_probe_without_an_answer_says_why_and_exits_1():
    result = cli("probe", "http://127.0.0.1:1/x", "--token", "t")
    assert result.returncode == 1
    assert "No answer [fetch_connection_refused]" in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    (
        (("--header", "no colon here"), "invalid_request"),
        (("--method", "GE T"), "invalid_request"),
        (("--token", "env:NOT_SET_ANYWHERE"), "invalid_request"),
    ),
)
def test_bad_probe_input_exits_2_with_the_error_code(args, code):
    result = cli("probe", "http://127.0.0.1:9/", *args, "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == code
    assert f"[{code}]" in result.stderr


def test_probe_refuses_a_url_that_is_not_http():
    result = cli("probe", "file:///etc/passwd")
    assert result.returncode == 2
    assert "[fetch_bad_url]" in result.stderr


def test_scan_without_yes_refuses_and_sends_nothing(rsa_keys):
    hits: list[str] = []
    app = make_api(correct, rsa_keys.public_pem)
    app.before_request(lambda: hits.append("hit"))
    with serve(app) as base:
        result = cli("scan", f"{base}/resource", "--token", token_for(rsa_keys))
    assert result.returncode == 2
    assert "[scan_not_confirmed]" in result.stderr
    assert "Scan only systems you are allowed to test." in result.stderr
    assert hits == []


def _accepted(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.strip().startswith("ACCEPTED")}


@pytest.mark.parametrize(
    ("check", "accepted"),
    (
        (accepts_alg_none, {"alg-none", "alg-None", "alg-NONE", "alg-nOnE"}),
        (public_key_as_hmac_secret, {"key-confusion"}),
    ),
)
def test_scan_reports_exactly_the_accepted_variants_and_exits_1(rsa_keys, check, accepted):
    with serve(make_api(check, rsa_keys.public_pem)) as base:
        args = ("scan", f"{base}/resource", "--token", token_for(rsa_keys))
        shown = cli(*args, "--key", rsa_keys.public_pem, "--yes")
        answer = json.loads(cli(*args, "--key", rsa_keys.public_pem, "--yes", "--json").stdout)
    assert shown.returncode == 1, shown.stderr
    assert _accepted(shown.stdout) == accepted
    assert {r["attack"] for r in answer["results"] if r["accepted"]} == accepted
    assert answer["vulnerable"] is True and answer["signature_checked"] is True


def test_scan_of_an_api_that_verifies_nothing_says_so(rsa_keys):
    with serve(make_api(no_verification, rsa_keys.public_pem)) as base:
        result = cli("scan", f"{base}/resource", "--token", token_for(rsa_keys), "--yes")
    assert result.returncode == 1
    assert "it does not verify signatures at all" in result.stdout
    assert "corrupted-signature" in _accepted(result.stdout)


def test_scan_of_the_correct_api_exits_0_with_every_variant_refused(api, rsa_keys):
    result = cli(
        "scan",
        f"{api}/resource",
        "--token",
        token_for(rsa_keys),
        "--key",
        "-",
        "--yes",
        stdin=rsa_keys.public_pem,
    )
    assert result.returncode == 0, result.stderr
    assert _accepted(result.stdout) == set()
    assert "  refused  key-confusion (HTTP 401): " in result.stdout
    assert "The API refused every forged token that was sent." in result.stdout


def test_scan_markdown_is_the_api_s_report(api, rsa_keys):
    result = cli("scan", f"{api}/resource", "--token", token_for(rsa_keys), "--yes", "--markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# JWT attack scan of GET {api}/resource\n")
    assert "| alg-none | 401 | no |" in result.stdout


def test_scan_with_a_token_the_api_refuses_judges_nothing_and_exits_2(api):
    refused = jwt.encode({"sub": "x"}, "not-the-key-not-the-key-not-the-key!", algorithm="HS256")
    result = cli("scan", f"{api}/resource", "--token", refused, "--yes", "--json")
    assert result.returncode == 2
    answer = json.loads(result.stdout)
    assert answer["judged"] is False and answer["vulnerable"] is False


def test_extract_finds_the_token_in_a_curl_command_on_stdin(client, rsa_keys):
    token = token_for(rsa_keys)
    text = f"curl -H 'Authorization: Bearer {token}' https://api.example/x\n"
    shown = cli("extract", stdin=text)
    as_json = cli("extract", "-", "--json", stdin=text)
    assert shown.returncode == 0, shown.stderr
    assert "1. JWS in Authorization header (line 1)" in shown.stdout
    assert token in shown.stdout and "RS256, not expired" in shown.stdout
    expected = client.post("/api/extract", json={"text": text}).get_json()
    assert json.loads(as_json.stdout) == expected


def test_extract_shows_a_json_serialization_as_written(rsa_keys):
    protected, payload, signature = token_for(rsa_keys).split(".")
    signed = {"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}
    written = json.dumps(signed, indent=2)
    shown = cli("extract", stdin=f"HTTP/1.1 200 OK\n\n{written}\n")
    assert shown.returncode == 0, shown.stderr
    assert "1. JWS (general JSON serialization) in text (line 3)" in shown.stdout
    assert "\n".join(f"   {line}" for line in written.splitlines()) in shown.stdout


def test_extract_reads_a_har_file(tmp_path, rsa_keys):
    token = token_for(rsa_keys)
    har = {
        "log": {
            "entries": [
                {
                    "request": {
                        "url": "https://api.example/x",
                        "headers": [{"name": "Authorization", "value": f"Bearer {token}"}],
                        "cookies": [{"name": "id_token", "value": token}],
                    }
                }
            ]
        }
    }
    path = tmp_path / "session.har"
    path.write_text(json.dumps(har))
    result = cli("extract", str(path), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["tokens"]
    assert [entry["token"] for entry in found] == [token]
    assert found[0]["places"] == 2
    assert found[0]["where"].startswith("Authorization (log.entries[0].request.headers[0])")


def test_extract_escapes_hostile_context_and_exits_1_without_tokens(rsa_keys):
    token = token_for(rsa_keys)
    hostile = cli("extract", stdin=json.dumps({"a\u202eb\x1b": token}))
    assert hostile.returncode == 0
    assert "\u202e" not in hostile.stdout and "\x1b" not in hostile.stdout
    assert "a\\u202eb\\x1b" in hostile.stdout
    nothing = cli("extract", stdin="no tokens here")
    assert nothing.returncode == 1 and nothing.stdout == "No token found.\n"


def test_extract_needs_a_file_or_a_pipe():
    result = cli("extract", stdin_terminal=True)
    assert result.returncode == 2
    assert "[invalid_request]" in result.stderr
    missing = cli("extract", "no-such-file.har")
    assert missing.returncode == 2 and "[invalid_request]" in missing.stderr
