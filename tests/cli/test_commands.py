"""The terminal commands: `python -m debugger decode|verify|encode|keygen|lint`.

Each command runs in-process through the real entry point (`main`), and its output and exit
code are checked; `--json` output is compared byte for byte with the API's answer for the
same input. A few tests start the real process: a real terminal, an unwritable standard
output, what the commands import, and the README's shell session.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pty
import re
import shlex
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from ..conftest import ROOT, SECRET
from .conftest import cli

NOW = 1_800_000_000
HOUR = 3600


def in_real_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Start `python -m debugger ARGS` with standard output on a pseudo-terminal; its exit
    code and output."""
    environment = {**os.environ, "COLUMNS": "80", "TERM": "xterm"}
    environment.pop("NO_COLOR", None)
    environment.update(env or {})
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "debugger", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=60)
    process.stderr.close()
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


def assert_usage_error(result, code: str | None = None) -> None:
    """Exit 2 with exactly one line on stderr, no traceback, naming `code` when given."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    if code is not None:
        assert f"[{code}]" in lines[0], lines[0]


def token(claims: dict | None = None, key: str = SECRET, alg: str = "HS256", **headers) -> str:
    claims = {"sub": "alice", "exp": NOW + HOUR} if claims is None else claims
    return jwt.encode(claims, key, algorithm=alg, headers=headers or None)


def api(client, path: str, body: dict) -> bytes:
    return client.post(path, json=body).get_data()


# decode


def test_decode_shows_header_payload_signature_and_times():
    result = cli("decode", token(), "--now", str(NOW))
    assert result.returncode == 0, result.stderr
    assert '"alg": "HS256"' in result.stdout
    assert '"sub": "alice"' in result.stdout
    assert token().split(".")[2] in result.stdout
    assert "Expires in 1 hour" in result.stdout
    assert result.stderr == ""


def test_decode_reads_the_token_from_stdin_with_dash_or_a_pipe():
    by_argument = cli("decode", token(), "--now", str(NOW)).stdout
    assert cli("decode", "-", "--now", str(NOW), stdin=token() + "\n").stdout == by_argument
    assert cli("decode", "--now", str(NOW), stdin=token()).stdout == by_argument


@pytest.mark.parametrize(
    "pasted",
    (
        token(),
        token({"sub": "alice", "exp": NOW - 90}),
        "Bearer " + token({"name": "Zoë", "emoji": "🔑", "n": 1.0}),
        token().split(".")[0] + ".bad!payload." + token().split(".")[2],
        "only-one-part",
        token({"sub": "x"}, alg="none", key=None),
    ),
    ids=("valid", "expired", "bearer-unicode", "broken-part", "one-part", "alg-none"),
)
def test_decode_json_is_the_api_answer_byte_for_byte(client, pasted):
    result = cli("decode", pasted, "--now", str(NOW), "--json")
    assert result.stdout.encode() == api(client, "/api/decode", {"token": pasted, "now": NOW})


def test_decode_json_passes_leeway_and_a_fractional_now_like_the_api(client):
    pasted = token({"exp": NOW - 10})
    result = cli("decode", pasted, "--now", f"{NOW}.5", "--leeway", "30", "--json")
    body = {"token": pasted, "now": NOW + 0.5, "leeway": 30}
    assert result.stdout.encode() == api(client, "/api/decode", body)


def test_decode_accepts_an_iso_date_for_now(client):
    result = cli("decode", token(), "--now", "2027-01-15T08:00:00Z", "--json")
    assert json.loads(result.stdout)["time"]["now_utc"] == "2027-01-15 08:00:00 UTC"


def test_decode_exits_0_for_an_expired_token_and_1_for_one_it_cannot_read():
    assert cli("decode", token({"exp": NOW - 60}), "--now", str(NOW)).returncode == 0
    broken = cli("decode", "not.a.token!", "--now", str(NOW))
    assert broken.returncode == 1
    assert "bad_base64url" in broken.stdout


def test_decode_without_a_token_at_a_terminal_is_a_usage_error():
    assert_usage_error(cli("decode", stdin_terminal=True), "invalid_request")


def test_decode_of_empty_stdin_is_a_usage_error():
    assert_usage_error(cli("decode", stdin="  \n"), "invalid_request")


def test_decode_never_fails_on_findings_unless_fail_on_is_given():
    unsigned = token({"sub": "x"}, alg="none", key=None)
    shown = cli("decode", unsigned, "--now", str(NOW))
    assert shown.returncode == 0
    assert "CRITICAL" in shown.stdout and "alg-none" in shown.stdout
    assert cli("decode", unsigned, "--now", str(NOW), "--fail-on", "critical").returncode == 1
    no_exp = token({"sub": "x"})  # a no-exp finding, nothing critical
    assert cli("decode", no_exp, "--now", str(NOW), "--fail-on", "critical").returncode == 0
    assert cli("decode", no_exp, "--now", str(NOW), "--fail-on", "info").returncode == 1


# verify


def test_verify_exits_0_for_a_valid_token_and_names_the_key():
    result = cli("verify", token(), "--key", SECRET, "--now", str(NOW))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "INVALID" not in result.stdout
    assert "HMAC secret of 32 bytes" in result.stdout


@pytest.mark.parametrize(
    ("claims", "args", "reason"),
    (
        ({"exp": NOW + HOUR}, ("--key", SECRET[::-1]), "signature_mismatch"),
        ({"exp": NOW - 60}, ("--key", SECRET), "expired"),
        ({"nbf": NOW + 600}, ("--key", SECRET), "not_yet_valid"),
        ({"exp": "tomorrow"}, ("--key", SECRET), "invalid"),
        ({"exp": NOW + HOUR}, ("--key", SECRET, "--alg", "RS256"), "alg_not_allowed"),
    ),
    ids=("wrong-secret", "expired", "not-yet-valid", "bad-exp", "alg-not-allowed"),
)
def test_verify_exits_1_with_the_reason_when_the_token_is_invalid(claims, args, reason):
    result = cli("verify", token(claims), *args, "--now", str(NOW))
    assert result.returncode == 1, result.stdout + result.stderr
    result_line = next(line for line in result.stdout.splitlines() if line.startswith("Result"))
    assert "INVALID" in result_line and reason in result_line


def test_verify_fail_on_turns_findings_of_a_valid_token_into_exit_1():
    long_lived = token({"sub": "a", "iat": NOW, "exp": NOW + 90 * 24 * HOUR})
    args = ("verify", long_lived, "--key", SECRET, "--now", str(NOW))
    assert cli(*args).returncode == 0
    failed = cli(*args, "--fail-on", "high")
    assert failed.returncode == 1
    result_line = next(line for line in failed.stdout.splitlines() if line.startswith("Result"))
    assert "long-lifetime" in result_line
    assert cli(*args, "--fail-on", "critical").returncode == 0


def test_verify_leeway_accepts_a_token_that_expired_moments_ago():
    expired = token({"exp": NOW - 20})
    assert cli("verify", expired, "--key", SECRET, "--now", str(NOW)).returncode == 1
    assert (
        cli("verify", expired, "--key", SECRET, "--now", str(NOW), "--leeway", "30").returncode == 0
    )


def test_verify_alg_takes_repeated_and_comma_separated_lists(client):
    pasted = token()
    result = cli(
        "verify",
        pasted,
        "--key",
        SECRET,
        "--alg",
        "RS256,PS256",
        "--alg",
        "HS256",
        "--now",
        str(NOW),
        "--json",
    )
    body = {"token": pasted, "key": SECRET, "algorithms": ["RS256", "PS256", "HS256"], "now": NOW}
    assert result.returncode == 0
    assert result.stdout.encode() == api(client, "/api/verify", body)


def test_verify_json_is_the_api_answer_for_secrets_keys_and_key_sets(client, keypairs):
    pair = keypairs["RSA"]
    rsa_token = jwt.encode({"sub": "a", "exp": NOW + 60}, pair.private_pem, "RS256", {"kid": "k2"})
    jwk_one = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pair.private.public_key()))
    key_set = json.dumps(
        {"keys": [{**jwk_one, "kid": "k1", "n": "AQAB"}, {**jwk_one, "kid": "k2"}]}
    )
    cases = (
        (token(), SECRET, "utf-8"),
        (token(), base64.b64encode(SECRET.encode()).decode(), "base64"),
        (token(), SECRET[::-1], "utf-8"),
        (rsa_token, pair.public_pem, "utf-8"),
        (rsa_token, key_set, "utf-8"),
        (token(), pair.public_pem, "utf-8"),
    )
    for pasted, key, encoding in cases:
        result = cli(
            "verify",
            pasted,
            "--key",
            key,
            "--secret-encoding",
            encoding,
            "--now",
            str(NOW),
            "--json",
        )
        body = {"token": pasted, "key": key, "secret_encoding": encoding, "now": NOW}
        assert result.stdout.encode() == api(client, "/api/verify", body), key[:30]
        valid = json.loads(result.stdout)["signature_valid"]
        assert result.returncode == (0 if valid else 1)


def test_verify_reads_keys_from_files_the_environment_and_stdin(tmp_path, keypairs):
    pair = keypairs["P-256"]
    signed = jwt.encode({"sub": "a"}, pair.private_pem, "ES256")
    pem_file = tmp_path / "public.pem"
    pem_file.write_text(pair.public_pem)
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET + "\n")  # as `echo` writes it
    assert cli("verify", signed, "--key", f"@{pem_file}").returncode == 0
    assert cli("verify", token(), "--key", f"@{secret_file}", "--now", str(NOW)).returncode == 0
    env = {"JWT_SECRET": SECRET}
    assert (
        cli("verify", token(), "--key", "env:JWT_SECRET", "--now", str(NOW), env=env).returncode
        == 0
    )
    assert (
        cli("verify", token(), "--key", "-", "--now", str(NOW), stdin=SECRET + "\n").returncode == 0
    )


@pytest.mark.parametrize(
    "args",
    (
        ("--key", "@/no/such/file.pem"),
        ("--key", "env:JWT_DEBUGGER_UNSET_VARIABLE"),
        ("--key", "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"),
        ("--key", "zz", "--secret-encoding", "hex"),
    ),
    ids=("missing-file", "unset-variable", "bad-pem", "bad-hex"),
)
def test_verify_key_problems_are_one_line_and_exit_2(args):
    result = cli("verify", token(), *args)
    assert_usage_error(result)
    assert result.stdout == ""


def test_verify_json_error_is_the_api_error_body(client):
    bad_key = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
    result = cli("verify", token(), "--key", bad_key, "--json")
    assert_usage_error(result, "bad_key")
    expected = client.post("/api/verify", json={"token": token(), "key": bad_key})
    assert expected.status_code == 400
    assert result.stdout.encode() == expected.get_data()


def test_verify_cannot_read_both_token_and_key_from_stdin():
    assert_usage_error(cli("verify", "-", "--key", "-", stdin=token()), "invalid_request")


@pytest.mark.parametrize(
    "args",
    ((), ("--key", SECRET, "--jwks-url", "http://127.0.0.1:1/"), ("--bogus",)),
    ids=("no-key", "two-key-sources", "unknown-option"),
)
def test_verify_usage_mistakes_exit_2(args):
    result = cli("verify", token(), *args)
    assert_usage_error(result)
    assert result.stderr.startswith("jwt-debugger verify: error: ")


def test_verify_checks_a_detached_payload_given_with_payload(tmp_path, client):
    content = b'{"sub":"detached"}'
    detached = jwt.api_jws.PyJWS().encode(content, SECRET, "HS256", is_payload_detached=True)
    assert detached.split(".")[1] == ""
    assert cli("verify", detached, "--key", SECRET).returncode == 1
    payload_file = tmp_path / "payload.json"
    payload_file.write_bytes(content)
    result = cli(
        "verify",
        detached,
        "--key",
        SECRET,
        "--payload",
        f"@{payload_file}",
        "--json",
        "--now",
        str(NOW),
    )
    assert result.returncode == 0
    body = {"token": detached, "key": SECRET, "detached_payload": content.decode(), "now": NOW}
    assert result.stdout.encode() == api(client, "/api/verify", body)


CLAIM_CASES = (
    (("--aud", "orders"), {"audience": "orders"}, 0),
    (("--aud", "billing"), {"audience": "billing"}, 1),
    (("--aud", "billing", "--aud", "orders"), {"audience": ["billing", "orders"]}, 0),
    (("--iss", "https://issuer.example"), {"issuer": "https://issuer.example"}, 0),
    (("--iss", "https://other.example"), {"issuer": "https://other.example"}, 1),
    (("--sub", "alice"), {"subject": "alice"}, 0),
    (("--sub", "bob"), {"subject": "bob"}, 1),
    (("--require", "jti,iss"), {"required_claims": ["jti", "iss"]}, 1),
    (("--require", "iss", "--require", "aud"), {"required_claims": ["iss", "aud"]}, 0),
)


@pytest.mark.parametrize(("args", "fields", "exit_code"), CLAIM_CASES)
def test_verify_claim_checks_match_the_api(client, args, fields, exit_code):
    claims = {"sub": "alice", "aud": "orders", "iss": "https://issuer.example", "exp": NOW + 60}
    pasted = token(claims)
    result = cli("verify", pasted, "--key", SECRET, *args, "--now", str(NOW), "--json")
    assert result.returncode == exit_code, result.stdout
    body = {"token": pasted, "key": SECRET, "now": NOW, **fields}
    assert result.stdout.encode() == api(client, "/api/verify", body)
    failed = [c["code"] for c in json.loads(result.stdout)["claims"] if not c["ok"]]
    assert bool(failed) == bool(exit_code)


class _KeySetServer:
    """A local HTTP server that serves a JWK Set and an OpenID discovery document."""

    def __init__(self, jwks: dict) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the base class's name)
                documents = {
                    "/keys.json": jwks,
                    "/.well-known/openid-configuration": {
                        "issuer": owner.url,
                        "jwks_uri": owner.url + "/keys.json",
                    },
                }
                document = documents.get(self.path)
                data = json.dumps(document).encode()
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_verify_fetches_the_key_set_from_a_url_or_by_issuer_discovery(keypairs, client):
    pair = keypairs["Ed25519"]
    public_jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(pair.private.public_key()))
    jwks = {"keys": [{**public_jwk, "kid": "ed", "alg": "EdDSA"}]}
    signed = jwt.encode({"sub": "a"}, pair.private_pem, "EdDSA", {"kid": "ed"})
    with _KeySetServer(jwks) as server:
        by_url = cli("verify", signed, "--jwks-url", server.url + "/keys.json", "--now", str(NOW))
        assert by_url.returncode == 0, by_url.stdout + by_url.stderr
        assert server.url + "/keys.json" in by_url.stdout
        by_issuer = cli("verify", signed, "--issuer", server.url, "--json", "--now", str(NOW))
        assert by_issuer.returncode == 0, by_issuer.stderr
        answer = json.loads(by_issuer.stdout)
        assert answer["signature_valid"] and answer["key"]["kid"] == "ed"
        missing = cli("verify", signed, "--jwks-url", server.url + "/missing.json")
        assert_usage_error(missing, "fetch_http_status")


def test_verify_reports_an_unreachable_key_set_url_as_one_line():
    result = cli("verify", token(), "--jwks-url", "http://127.0.0.1:9/keys.json")
    assert_usage_error(result, "fetch_connection_refused")


# encode


def test_encode_prints_a_token_that_pyjwt_verifies_with_claims_from_options():
    result = cli(
        "encode",
        '{"sub":"alice"}',
        "--key",
        SECRET,
        "--exp",
        "+30m",
        "--nbf",
        "+0s",
        "-P",
        "admin=true",
        "-P",
        "role=editor",
        "-P",
        'aud=["a","b"]',
        "-P",
        "n=12",
        "--now",
        str(NOW),
    )
    assert result.returncode == 0, result.stderr
    issued = result.stdout.strip()
    assert result.stdout == issued + "\n"
    options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False}
    claims = jwt.decode(issued, SECRET, algorithms=["HS256"], audience="a", options=options)
    assert claims == {
        "sub": "alice",
        "admin": True,
        "role": "editor",
        "aud": ["a", "b"],
        "n": 12,
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 1800,
    }
    assert jwt.get_unverified_header(issued) == {"alg": "HS256", "typ": "JWT"}


@pytest.mark.parametrize(
    ("option", "expected"),
    (
        ("+2h", NOW + 2 * HOUR),
        ("+1d12h", NOW + 36 * HOUR),
        ("+1w", NOW + 7 * 24 * HOUR),
        ("=-5m", NOW - 300),
        ("2030-01-31", 1896048000),
        ("2030-01-31T12:00:00+02:00", 1896084000),
        ("1900000000", 1900000000),
    ),
)
def test_encode_exp_takes_durations_dates_and_seconds(option, expected):
    args = ("--exp" + option,) if option.startswith("=") else ("--exp", option)
    result = cli("encode", "--key", SECRET, *args, "--no-iat", "--now", str(NOW))
    assert result.returncode == 0, result.stderr
    assert jwt.decode(result.stdout.strip(), options={"verify_signature": False}) == {
        "exp": expected
    }


def test_encode_bad_time_is_a_usage_error():
    assert_usage_error(cli("encode", "--key", SECRET, "--exp", "soon"), "invalid_request")


def test_encode_iat_is_added_unless_present_and_forced_with_iat():
    def claims(*args):
        result = cli("encode", *args, "--key", SECRET, "--now", str(NOW))
        assert result.returncode == 0, result.stderr
        return jwt.decode(result.stdout.strip(), options={"verify_signature": False})

    assert claims('{"a":1}') == {"a": 1, "iat": NOW}
    assert claims('{"iat":5}') == {"iat": 5}
    assert claims('{"iat":5}', "--iat") == {"iat": NOW}
    assert claims('{"a":1}', "--no-iat") == {"a": 1}


def test_encode_json_is_the_api_answer_and_keeps_numbers_as_written(client):
    result = cli(
        "encode",
        '{"n": 3.0, "big": 12345678901234567890}',
        "--key",
        SECRET,
        "--exp",
        "+1h",
        "--now",
        str(NOW),
        "--json",
    )
    payload_json = f'{{"n":3.0,"big":12345678901234567890,"iat":{NOW},"exp":{NOW + HOUR}}}'
    body = {
        "header_json": '{"alg":"HS256","typ":"JWT"}',
        "payload_json": payload_json,
        "key": SECRET,
    }
    assert result.stdout.encode() == api(client, "/api/encode", body)


def test_encode_reads_the_payload_from_a_file_or_stdin(tmp_path):
    payload = tmp_path / "claims.json"
    payload.write_text('{\n  "sub": "file"\n}\n')
    from_file = cli("encode", f"@{payload}", "--key", SECRET, "--no-iat")
    from_stdin = cli("encode", "-", "--key", SECRET, "--no-iat", stdin='{"sub": "file"}')
    assert from_file.stdout == from_stdin.stdout
    assert jwt.decode(from_file.stdout.strip(), SECRET, algorithms=["HS256"]) == {"sub": "file"}


@pytest.mark.parametrize(
    ("pair_name", "alg"),
    (("RSA", "RS256"), ("P-384", "ES384"), ("secp256k1", "ES256K"), ("Ed25519", "EdDSA")),
)
def test_encode_takes_the_algorithm_from_the_private_key(tmp_path, keypairs, pair_name, alg):
    pair = keypairs[pair_name]
    key_file = tmp_path / "private.pem"
    key_file.write_text(pair.private_pem)
    result = cli("encode", '{"sub":"a"}', "--key", f"@{key_file}", "--no-iat")
    assert result.returncode == 0, result.stderr
    issued = result.stdout.strip()
    assert jwt.get_unverified_header(issued)["alg"] == alg
    assert jwt.decode(issued, pair.public_pem, algorithms=[alg]) == {"sub": "a"}


def test_encode_header_and_alg_options(keypairs):
    pair = keypairs["RSA"]
    result = cli(
        "encode",
        '{"sub":"a"}',
        "--key",
        pair.private_pem,
        "--alg",
        "PS384",
        "--header",
        '{"kid": "key-1", "typ": "at+jwt"}',
        "--no-iat",
    )
    assert result.returncode == 0, result.stderr
    issued = result.stdout.strip()
    assert jwt.get_unverified_header(issued) == {"alg": "PS384", "kid": "key-1", "typ": "at+jwt"}
    assert jwt.decode(issued, pair.public_pem, algorithms=["PS384"]) == {"sub": "a"}


def test_encode_alg_none_needs_no_key():
    result = cli("encode", '{"sub":"a"}', "--alg", "none", "--no-iat")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(".")
    assert jwt.decode(result.stdout.strip(), options={"verify_signature": False}) == {"sub": "a"}


@pytest.mark.parametrize(
    ("args", "code"),
    (
        (("{}",), "invalid_request"),
        (("{not json", "--key", SECRET), "invalid_json"),
        (("[1, 2]", "--key", SECRET, "--exp", "+1h"), "invalid_json"),
        (("{}", "--key", SECRET, "-P", "novalue"), "invalid_request"),
        (("{}", "--key", SECRET, "--alg", "HS999"), "unsupported_alg"),
        (("{}", "--key", SECRET, "--alg", "RS256"), "key_type_mismatch"),
    ),
    ids=("no-key", "bad-json", "claims-on-array", "bad-claim", "unknown-alg", "key-mismatch"),
)
def test_encode_errors_are_one_line_and_exit_2(args, code):
    result = cli("encode", *args)
    assert_usage_error(result, code)
    assert result.stdout == ""


def test_encode_claim_values_are_json_when_they_parse():
    result = cli(
        "encode",
        "--key",
        SECRET,
        "--no-iat",
        "-P",
        "n=1.50",
        "-P",
        "s=plain text",
        "-P",
        'q="123"',
        "-P",
        "e=",
        "-P",
        "z=null",
        "-P",
        "eq=a=b",
    )
    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False})
    assert claims == {"n": 1.5, "s": "plain text", "q": "123", "e": "", "z": None, "eq": "a=b"}


# keygen


@pytest.mark.parametrize("alg", ("RS256", "ES256", "ES512", "EdDSA", "Ed448"))
def test_keygen_writes_a_key_pair_that_signs_and_verifies(tmp_path, alg):
    out = tmp_path / "keys"
    result = cli("keygen", alg, "--out-dir", str(out))
    assert result.returncode == 0, result.stderr
    private, public = out / "private.pem", out / "public.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert str(private) in result.stdout and "BEGIN" not in result.stdout
    signed = cli("encode", '{"sub":"k"}', "--key", f"@{private}", "--no-iat")
    assert signed.returncode == 0, signed.stderr
    issued = signed.stdout.strip()
    pyjwt_alg = "EdDSA" if alg == "Ed448" else alg
    assert jwt.get_unverified_header(issued)["alg"] == pyjwt_alg
    assert jwt.decode(issued, public.read_text(), algorithms=[pyjwt_alg]) == {"sub": "k"}
    assert cli("verify", issued, "--key", f"@{public}").returncode == 0


def test_keygen_hmac_secret_to_a_file_and_as_jwk(tmp_path):
    result = cli("keygen", "HS384", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    secret_file = tmp_path / "secret.txt"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret = base64.urlsafe_b64decode(secret_file.read_text().strip() + "==")
    assert len(secret) == 48
    args = ("--key", f"@{secret_file}", "--secret-encoding", "base64url")
    issued = cli("encode", '{"sub":"s"}', *args, "--alg", "HS384", "--no-iat").stdout.strip()
    assert jwt.decode(issued, secret, algorithms=["HS384"]) == {"sub": "s"}
    jwk_dir = tmp_path / "jwk"
    assert cli("keygen", "HS256", "--format", "jwk", "--out-dir", str(jwk_dir)).returncode == 0
    jwk = json.loads((jwk_dir / "secret.jwk.json").read_text())
    assert jwk["kty"] == "oct" and jwk["alg"] == "HS256"
    assert stat.S_IMODE((jwk_dir / "secret.jwk.json").stat().st_mode) == 0o600


def test_keygen_jwk_files_hold_the_private_and_public_jwk(tmp_path):
    assert cli("keygen", "ES384", "--format", "jwk", "--out-dir", str(tmp_path)).returncode == 0
    private = json.loads((tmp_path / "private.jwk.json").read_text())
    public = json.loads((tmp_path / "public.jwk.json").read_text())
    assert "d" in private and "d" not in public and private["kid"] == public["kid"]
    assert stat.S_IMODE((tmp_path / "private.jwk.json").stat().st_mode) == 0o600
    signed = cli("encode", "--key", f"@{tmp_path / 'private.jwk.json'}", "--no-iat")
    assert signed.returncode == 0, signed.stderr
    public_key = jwt.algorithms.ECAlgorithm.from_jwk(public)
    assert jwt.decode(signed.stdout.strip(), public_key, algorithms=["ES384"]) == {}


def test_keygen_prints_pem_or_jwk_without_out_dir():
    pem = cli("keygen", "ES256")
    assert pem.returncode == 0
    assert (
        "-----BEGIN PRIVATE KEY-----" in pem.stdout and "-----BEGIN PUBLIC KEY-----" in pem.stdout
    )
    jwk = cli("keygen", "EdDSA", "--format", "jwk")
    assert jwk.returncode == 0 and '"crv": "Ed25519"' in jwk.stdout


def test_keygen_json_has_the_fields_of_the_api_answer(client):
    for alg in ("ES256", "HS512"):
        result = cli("keygen", alg, "--json")
        answer = json.loads(result.stdout)
        expected = client.post("/api/keys/generate", json={"alg": alg}).get_json()
        assert list(answer) == list(expected)
        assert answer["alg"] == alg and answer["kid"] != expected["kid"]


def test_keygen_size_sets_the_secret_length():
    answer = json.loads(cli("keygen", "HS256", "--size", "512", "--json").stdout)
    assert len(base64.urlsafe_b64decode(answer["secret"] + "==")) == 64


def test_keygen_never_overwrites_a_key(tmp_path):
    assert cli("keygen", "ES256", "--out-dir", str(tmp_path)).returncode == 0
    before = (tmp_path / "private.pem").read_text()
    result = cli("keygen", "ES256", "--out-dir", str(tmp_path))
    assert_usage_error(result, "invalid_request")
    assert (tmp_path / "private.pem").read_text() == before


@pytest.mark.parametrize(
    ("args", "code"),
    (
        (("XS256",), "unsupported_alg"),
        (("RS256", "--size", "1024"), "invalid_request"),
        (("ES256", "--size", "384"), "invalid_request"),
    ),
)
def test_keygen_errors_exit_2(args, code):
    assert_usage_error(cli("keygen", *args), code)


def test_keygen_json_and_out_dir_together_is_a_usage_error(tmp_path):
    result = cli("keygen", "ES256", "--json", "--out-dir", str(tmp_path))
    assert_usage_error(result)
    assert "not allowed with" in result.stderr
    assert not (tmp_path / "private.pem").exists()


# lint


def test_lint_lists_findings_and_fails_on_high_ones_by_default(client):
    unsigned = token({"sub": "x"}, alg="none", key=None)
    result = cli("lint", unsigned, "--now", str(NOW), "--json")
    findings = json.loads(result.stdout)["findings"]
    assert "alg-none" in {f["id"] for f in findings}
    assert result.returncode == 1
    decoded = client.post("/api/decode", json={"token": unsigned, "now": NOW}).get_json()
    assert findings == decoded["findings"]
    assert cli("lint", unsigned, "--now", str(NOW), "--fail-on", "never").returncode == 0


def test_lint_reads_the_token_from_a_pipe():
    unsigned = token({"sub": "x"}, alg="none", key=None)
    result = cli("lint", "--now", str(NOW), stdin=unsigned + "\n")
    assert result.returncode == 1 and "alg-none" in result.stdout


def test_lint_with_a_key_has_the_findings_of_verify(client):
    pasted = token(key="secret-secret-secret-secret-1234")
    result = cli(
        "lint", pasted, "--key", "secret-secret-secret-secret-1234", "--json", "--now", str(NOW)
    )
    body = {"token": pasted, "key": "secret-secret-secret-secret-1234", "now": NOW}
    verified = client.post("/api/verify", json=body).get_json()
    assert json.loads(result.stdout)["findings"] == verified["findings"]


def test_lint_wordlist_finds_the_secret(tmp_path, client):
    weak = "correct-horse-battery-staple-2024"
    pasted = token(key=weak)
    wordlist = tmp_path / "words.txt"
    wordlist.write_text(
        "".join(f"guess-{n:05d}-padding-padding-pad\n" for n in range(5000)) + weak + "\n"
    )
    result = cli("lint", pasted, "--wordlist", str(wordlist), "--now", str(NOW), "--json")
    answer = json.loads(result.stdout)
    assert answer["wordlist"]["found"] is True and answer["wordlist"]["line"] == 5001
    expected = client.post(
        "/api/secret-search",
        json={"token": pasted, "wordlist_base64": base64.b64encode(wordlist.read_bytes()).decode()},
    )
    assert answer["wordlist"] == expected.get_json()
    assert answer["findings"][0]["id"] == "weak-secret"
    assert "line 5001" in answer["findings"][0]["detail"]
    assert "weak-secret" in {f["id"] for f in answer["findings"]}
    assert result.returncode == 1
    readable = cli("lint", pasted, "--wordlist", str(wordlist), "--now", str(NOW))
    assert weak in readable.stdout and "line 5001" in readable.stdout


def test_lint_wordlist_is_not_held_to_the_servers_per_request_budget(tmp_path):
    from debugger.analysis.weak_secrets import max_secrets

    weak = "correct-horse-battery-staple-2024"
    pasted = token({"sub": "x", "pad": "p" * 300_000, "exp": NOW + HOUR}, key=weak)
    lines = max_secrets(len(pasted.rpartition(".")[0])) + 100
    wordlist = tmp_path / "words.txt"
    wordlist.write_bytes(b"".join(b"guess-%d\r\n" % n for n in range(lines)) + weak.encode())

    result = cli(
        "lint", "-", "--wordlist", str(wordlist), "--now", str(NOW), "--json", stdin=pasted
    )

    search = json.loads(result.stdout)["wordlist"]
    assert (search["found"], search["line"], search["tried"]) == (True, lines + 1, lines + 1)


def test_lint_wordlist_without_the_secret_and_for_a_non_hmac_token(tmp_path, keypairs):
    wordlist = tmp_path / "words.txt"
    wordlist.write_text("alpha\nbeta\n")
    pasted = token({"sub": "x", "exp": NOW + 60})
    result = cli("lint", pasted, "--wordlist", str(wordlist), "--now", str(NOW), "--json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["wordlist"]["found"] is False
    rsa_token = jwt.encode({"sub": "a"}, keypairs["RSA"].private_pem, "RS256")
    assert_usage_error(cli("lint", rsa_token, "--wordlist", str(wordlist)), "not_hmac_token")
    assert_usage_error(cli("lint", pasted, "--wordlist", str(tmp_path / "none.txt")))


# output: colour, NO_COLOR, hostile text


def test_colour_only_on_a_terminal_and_never_with_no_color():
    code, coloured = in_real_terminal("verify", token(), "--key", SECRET, "--now", str(NOW))
    assert code == 0 and "\x1b[" in coloured and "VALID" in coloured
    args = ("verify", token(), "--key", SECRET, "--now", str(NOW))
    code, plain, _ = cli(*args, terminal=True, env={"NO_COLOR": "1"})
    assert code == 0 and "\x1b" not in plain and "VALID" in plain
    piped = cli(*args)
    assert "\x1b" not in piped.stdout


def test_json_on_a_terminal_is_indented_and_the_same_value():
    code, shown, _ = cli("decode", token(), "--now", str(NOW), "--json", terminal=True)
    assert code == 0 and '\n  "header": {' in shown
    piped = cli("decode", token(), "--now", str(NOW), "--json").stdout
    assert json.loads(shown) == json.loads(piped)


HOSTILE = {
    "title": "\x1b]0;owned\x07\x1b[2J",
    "rtl": "abc\u202edcba",
    "c1": "\x9b31m",
    "zero": "a\u200bb",
}


def test_hostile_claims_cannot_reach_the_terminal_as_control_characters():
    pasted = token(HOSTILE)
    code, shown, _ = cli("decode", pasted, "--now", str(NOW), terminal=True)
    assert code == 0
    without_own_colours = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    for dangerous in ("\x1b", "\x07", "\u202e", "\x9b", "\u200b"):
        assert dangerous not in without_own_colours
    piped = cli("decode", pasted, "--now", str(NOW)).stdout
    assert "\\u202e" in piped and "\\u200b" in piped
    for dangerous in ("\x1b", "\x07", "\u202e", "\x9b", "\u200b"):
        assert dangerous not in piped


def test_a_token_with_bytes_that_are_not_utf8_is_reported_not_a_crash():
    # Python hands such an argument over as `os.fsdecode` does: the bytes as lone surrogates.
    result = cli("decode", os.fsdecode(b"eyJ\xff.e30."), "--now", str(NOW))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "bad_base64url" in result.stdout


class _ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away, as with `| head`."""

    def __init__(self, fileno: int) -> None:
        super().__init__()
        self.descriptor = fileno

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.descriptor


def test_a_closed_pipe_stops_output_quietly(tmp_path, capsys):
    from debugger.cli.parser import build_parser, run

    target = tmp_path / "stdout"
    with target.open("w") as file:
        args = build_parser().parse_args(["decode", token(), "--now", str(NOW)])
        assert run(args, stdout=_ClosedPipe(file.fileno())) == 0
    assert capsys.readouterr().err == ""


def test_output_that_cannot_be_written_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "debugger", "decode", token()],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert_usage_error(result)
    assert "internal error" not in result.stderr  # the user's disk, not a bug of the debugger


# the entry point


def test_a_token_given_without_a_command_points_to_decode():
    result = cli(token())
    assert result.returncode == 2
    assert "decode" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_command_is_a_usage_error():
    result = cli("frobnicate")
    assert_usage_error(result)
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize("command", ("decode", "verify", "encode", "keygen", "lint", "serve"))
def test_every_command_has_help(command):
    result = cli(command, "--help")
    assert result.returncode == 0 and result.stdout.startswith(f"usage: jwt-debugger {command}")


def test_the_terminal_commands_never_import_flask(keypairs):
    code = (
        "import json, sys\n"
        "from debugger.cli.parser import build_parser, run\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    run(build_parser().parse_args(argv))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'werkzeug', 'jinja2'}))"
    )
    invocations = [
        ["decode", token(), "--json"],
        ["verify", token(), "--key", SECRET],
        ["encode", "{}", "--key", SECRET, "--exp", "+1h"],
        ["keygen", "ES256"],
        ["lint", token(), "--fail-on", "never"],
    ]
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(invocations)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


# the README's examples


def _readme_blocks() -> list[tuple[str, str]]:
    """Every fenced block of the README, with the line just before it."""
    lines = (ROOT / "README.md").read_text().splitlines()
    blocks, index = [], 0
    while index < len(lines):
        if lines[index].startswith("```"):
            end = lines.index("```", index + 1)
            before = lines[index - 1] if index else ""
            blocks.append((before, "\n".join(lines[index + 1 : end])))
            index = end
        index += 1
    return blocks


def test_readme_shows_the_real_output_of_each_command_it_runs():
    shown = [block for _, block in _readme_blocks() if block.startswith("$ python -m debugger")]
    assert len(shown) >= 3
    for block in shown:
        command, _, output = block.partition("\n")
        result = cli(*shlex.split(command)[4:])
        assert result.returncode == 0, result.stderr
        assert result.stdout.rstrip("\n") == output, command


def test_readme_session_runs_with_the_exit_codes_it_shows(tmp_path):
    session = next(block for before, block in _readme_blocks() if before == "<!-- cli-session -->")
    script = ["cd " + shlex.quote(str(tmp_path))]
    commands = 0
    for number, line in enumerate(session.splitlines(), start=1):
        command, _, comment = line.partition("  # exit ")
        expected = int(comment.split(":")[0]) if comment else 0
        script.append(
            f"{command}\nstatus=$?\nif [ $status -ne {expected} ]; then "
            f'echo "line {number} exited $status, not {expected}: {shlex.quote(line)}"; exit 99; fi'
        )
        commands += 1
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A script, not a symbolic link: Python finds its virtual environment from the path it
    # was started by, and a link elsewhere would leave the environment's packages behind.
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert commands >= 10
    assert json.loads((tmp_path / "decoded.json").read_text())["payload"]["sub"] == "alice"
    assert stat.S_IMODE((tmp_path / "keys" / "private.pem").stat().st_mode) == 0o600


def _general_jws(*secrets: str) -> str:
    """A general JWS JSON serialization, pretty-printed, one HS256 signature per secret."""
    entries = []
    payload = ""
    for index, secret in enumerate(secrets):
        header, payload, signature = jwt.encode(
            {"sub": "a"}, secret, algorithm="HS256", headers={"kid": f"k{index}"}
        ).split(".")
        entries.append({"protected": header, "header": {"x": index}, "signature": signature})
    return json.dumps({"payload": payload, "signatures": entries}, indent=2)


def test_verify_prints_a_verdict_per_signature_of_a_json_serialization():
    token = _general_jws("a-wrong-secret-of-thirty-two-byt", SECRET)
    result = cli("verify", "-", "--key", SECRET, stdin=token)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first = next(line for line in lines if "signature 1 (HS256, kid k0)" in line)
    second = next(line for line in lines if "signature 2 (HS256, kid k1)" in line)
    assert "INVALID" in first
    assert "[signature_mismatch]" in first
    assert second.split()[0] == "valid"
    assert lines[0].split()[:2] == ["Signature", "valid"]


def test_verify_fails_a_json_serialization_with_no_valid_signature():
    token = _general_jws("a-wrong-secret-of-thirty-two-byt")
    result = cli("verify", "-", "--key", SECRET, stdin=token)
    assert result.returncode == 1
    assert "signature 1 (HS256, kid k0): [signature_mismatch]" in result.stdout


def test_decode_lists_each_signature_of_a_json_serialization_with_its_headers():
    result = cli("decode", "-", stdin=_general_jws(SECRET, SECRET))
    assert result.returncode == 0, result.stderr
    assert "Signatures (general JSON)" in result.stdout
    assert result.stdout.count("unprotected: {") == 2
    assert '"kid":"k1"' in result.stdout


def test_verify_explains_the_result_and_the_next_step_under_the_result_line():
    result = cli("verify", token({"exp": NOW + HOUR}), "--key", SECRET[::-1], "--now", str(NOW))
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Result"))
    assert "Invalid signature" in lines[at + 1]
    assert lines[at + 2].startswith("Next")


def test_recover_key_prints_the_public_key_that_signed_both_tokens(client):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=3, key_size=2048)  # quick: e = 3
    first = jwt.encode({"n": 1}, key, algorithm="RS256")
    second = jwt.encode({"n": 2}, key, algorithm="RS256")
    result = cli("recover-key", first, second)
    assert result.returncode == 0, result.stderr
    pkcs1 = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    assert "Recovered the 2048-bit RSA key (e = 3)" in result.stdout
    assert pkcs1.decode() in result.stdout
    as_json = cli("recover-key", first, second, "--json")
    body = {"token": first, "second_token": second}
    assert json.loads(as_json.stdout) == client.post("/api/recover-key", json=body).get_json()


def test_recover_key_refuses_an_hmac_token_with_a_usage_error():
    result = cli("recover-key", jwt.encode({"n": 1}, "s" * 32), "a.b.c")
    assert result.returncode == 2
    assert "[not_rsa_token]" in result.stderr
