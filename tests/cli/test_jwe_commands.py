"""The decrypt and encrypt commands, in process: exit codes, --json equal to the API answer."""

from __future__ import annotations

import io
import json

from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from debugger.cli.parser import build_parser, run

NOW = 1_800_000_000
SECRET = "k" * 32


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(build_parser().parse_args(list(argv)), stdout=out)
    return code, out.getvalue()


def test_encrypt_then_decrypt_exits_0_and_shows_the_claims():
    code, token = cli("encrypt", '{"sub":"alice"}', "--key", SECRET, "--alg", "dir")
    assert code == 0 and token.count(".") == 4
    code, text = cli("decrypt", token.strip(), "--key", SECRET, "--now", str(NOW))
    assert code == 0
    assert '"sub":"alice"' in text


def test_decrypt_with_a_wrong_key_exits_1_naming_the_reason():
    _, token = cli("encrypt", "{}", "--key", SECRET, "--alg", "A256KW")
    code, text = cli("decrypt", token.strip(), "--key", "x" * 32)
    assert code == 1
    assert "wrong_key" in text


def test_decrypt_json_equals_the_api_answer(client):
    _, token = cli(
        "encrypt", '{"sub":"a"}', "--key", "pw", "--alg", "PBES2-HS256+A128KW", "--sign-key", SECRET
    )
    code, text = cli(
        "decrypt", token.strip(), "--key", "pw", "--inner-key", SECRET, "--now", str(NOW), "--json"
    )
    api = client.post(
        "/api/decrypt", json={"token": token.strip(), "key": "pw", "inner_key": SECRET, "now": NOW}
    )
    assert code == 0
    assert json.loads(text) == api.get_json()


def test_decrypt_exits_1_when_the_inner_signature_fails():
    _, token = cli("encrypt", "{}", "--key", SECRET, "--alg", "dir", "--sign-key", "s" * 32)
    code, _ = cli("decrypt", token.strip(), "--key", SECRET, "--inner-key", "t" * 32)
    assert code == 1


def test_encrypt_usage_errors_exit_2():
    code, text = cli("encrypt", "{}", "--key", SECRET, "--alg", "nope", "--json")
    assert code == 2
    assert json.loads(text)["error"]["code"] == "unsupported_alg"


def test_decrypt_prints_each_recipient_of_a_json_serialization():
    ours, theirs = (jwcrypto_jwk.JWK.generate(kty="oct", size=128) for _ in range(2))
    message = jwcrypto_jwe.JWE(b'{"sub":"alice"}', '{"enc":"A128GCM"}')
    message.add_recipient(theirs, '{"alg":"A128KW","kid":"theirs"}')
    message.add_recipient(ours, '{"alg":"A128KW","kid":"ours"}')
    code, text = cli("decrypt", message.serialize(), "--key", ours.export(), "--now", str(NOW))
    assert code == 0
    lines = text.splitlines()
    first = next(line for line in lines if "recipient 1 (A128KW, kid theirs)" in line)
    second = next(line for line in lines if "recipient 2 (A128KW, kid ours)" in line)
    assert first.split()[0] == "NO" and "[wrong_key]" in first
    assert second.split()[0] == "yes"
    assert '"sub":"alice"' in text
