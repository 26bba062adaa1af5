"""Claims at the edges: integers beyond any date, and objects and arrays nested very deep.

Every endpoint and terminal command answers them with a clear message and the rest of the
answer, never a 500, an OverflowError or a RecursionError.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import json
import time

import pytest

from debugger.cli.parser import main
from debugger.errors import INVALID_JSON
from debugger.jose.jsontext import MAX_DEPTH
from debugger.teach.demo import DEMO_SECRET

from .conftest import SECRET, assert_canonical_error

NOW = 1_800_000_000
HUGE = 10**309 - 1  # 309 nines: more than any float, so math.isfinite() overflowed on it
BEYOND_ANY_DATE = (("exp", HUGE), ("exp", -HUGE), ("nbf", HUGE), ("iat", HUGE))
BEYOND_IDS = ("exp", "negative exp", "nbf", "iat")
# Claims nested as the report found them (330 to 950 levels), the deepest the parser reads
# (the claims object is a level of its own) and one more.
DEPTHS = (330, 600, 950, MAX_DEPTH - 1, MAX_DEPTH)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload_text: str, secret: str = SECRET, header: str = '{"alg":"HS256"}') -> str:
    signing_input = f"{b64url(header.encode())}.{b64url(payload_text.encode())}"
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def times_text(claim: str, value: int, now: int = NOW) -> str:
    claims = {"sub": "1", "iat": now - 60, "exp": now + 3600, claim: value}
    return json.dumps(claims)


def nested(depth: int) -> str:
    """A claim holding arrays `depth` deep, inside the claims object."""
    return '{"sub": "1", "deep": ' + "[" * depth + "]" * depth + "}"


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """`main(argv)` in this process: its exit code, standard output and standard error."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    out, err = capsys.readouterr()
    return stopped.value.code, out, err


def problem_codes(answer: dict, part: str) -> set[str]:
    return {problem["code"] for problem in answer["problems"] if problem["part"] == part}


# Integers beyond any date


@pytest.mark.parametrize(("claim", "value"), BEYOND_ANY_DATE, ids=BEYOND_IDS)
@pytest.mark.parametrize("path", ("/api/decode", "/api/verify"))
def test_an_integer_beyond_any_date_is_an_invalid_time_and_the_rest_is_answered(
    client, path, claim, value
):
    token = signed(times_text(claim, value))
    response = client.post(path, json={"token": token, "key": SECRET, "now": NOW})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    problems = [(p["code"], p["claim"]) for p in answer["time"]["problems"]]
    assert ("invalid_numericdate", claim) in problems
    for other in {"exp", "iat"} - {claim}:  # the other times are still read
        assert answer["time"][other]["utc"] is not None
    assert "numericdate-invalid" in {finding["id"] for finding in answer["findings"]}
    rows = {row["name"]: row for row in answer["explain"]["payload"]}
    assert rows[claim]["time"] is None and rows["sub"]["known"]
    if path == "/api/verify":
        assert answer["signature_valid"] is True


@pytest.mark.parametrize(("claim", "value"), BEYOND_ANY_DATE, ids=BEYOND_IDS)
def test_explain_writes_code_for_a_token_with_an_integer_beyond_any_date(client, claim, value):
    token = signed(times_text(claim, value))
    response = client.post("/api/explain", json={"token": token, "key": SECRET})
    assert response.status_code == 200, response.get_data(as_text=True)
    code = response.get_json()["code"]
    ast.parse(code["python"])
    ast.parse(code["flask"])


@pytest.mark.parametrize(("claim", "value"), BEYOND_ANY_DATE, ids=BEYOND_IDS)
def test_demo_api_refuses_a_time_beyond_any_date_with_a_reason(client, claim, value):
    token = signed(times_text(claim, value, now=int(time.time())), DEMO_SECRET)
    response = client.get("/demo/protected", headers={"Authorization": f"Bearer {token}"})
    if claim == "iat":  # a verifier ignores a bad iat, as PyJWT does
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        assert response.status_code == 401, response.get_data(as_text=True)
        assert response.get_json()["error"]["reason"] == "invalid"


@pytest.mark.parametrize(("claim", "value"), BEYOND_ANY_DATE, ids=BEYOND_IDS)
@pytest.mark.parametrize("command", (["decode"], ["verify", "--key", SECRET], ["lint"]))
def test_terminal_commands_report_an_integer_beyond_any_date(capsys, command, claim, value):
    token = signed(times_text(claim, value))
    argv = [command[0], token, *command[1:], "--now", str(NOW)]
    code, out, err = run_cli([*argv, "--json"], capsys)
    assert code in (0, 1) and err == "", err
    answer = json.loads(out)
    assert "numericdate-invalid" in {finding["id"] for finding in answer["findings"]}
    if command[0] != "lint":
        problems = [(p["code"], p["claim"]) for p in answer["time"]["problems"]]
        assert ("invalid_numericdate", claim) in problems
    code, out, err = run_cli(argv, capsys)
    assert code in (0, 1) and err == "" and out, err


# Nesting


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("path", ("/api/decode", "/api/verify", "/api/explain"))
def test_a_deeply_nested_claim_is_refused_by_the_parser_or_read_whole(client, path, depth):
    token = signed(nested(depth))
    response = client.post(path, json={"token": token, "key": SECRET, "now": NOW})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    readable = depth < MAX_DEPTH
    if path == "/api/explain":
        for language in ("python", "flask"):
            ast.parse(answer["code"][language])
        assert ("'deep'" in answer["code"]["python"]) is readable
        return
    if path == "/api/verify":
        assert answer["signature_valid"] is True
    assert ("not_json" in problem_codes(answer, "payload")) is not readable
    assert isinstance(answer["payload"], dict) is readable


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deeply_nested_header_is_reported_not_a_crash(client, depth):
    header = '{"alg": "HS256", "deep": ' + "[" * depth + "]" * depth + "}"
    token = signed('{"sub": "1"}', header=header)
    response = client.post("/api/decode", json={"token": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert ("not_json" in problem_codes(response.get_json(), "header")) is (depth >= MAX_DEPTH)


@pytest.mark.parametrize("depth", DEPTHS)
def test_demo_api_takes_claims_up_to_the_depth_limit(client, depth):
    token = signed(nested(depth), DEMO_SECRET)
    response = client.get("/demo/protected", headers={"Authorization": f"Bearer {token}"})
    if depth < MAX_DEPTH:
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        assert response.status_code == 401, response.get_data(as_text=True)
        assert response.get_json()["error"]["reason"] == "not_claims"


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("given_as", ("text", "object"))
def test_encode_refuses_a_payload_nested_beyond_the_limit(client, depth, given_as):
    text = nested(depth)
    # As an object, very deep JSON is refused by the request parser itself before this check.
    payload = text if given_as == "text" else json.loads(text)
    if given_as == "object" and depth > 600:
        return
    body = {"header": {"alg": "HS256"}, "payload": payload, "key": SECRET}
    response = client.post("/api/encode", json=body)
    if depth < MAX_DEPTH:
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        error = assert_canonical_error(response, 400, INVALID_JSON)
        assert error["field"] == "payload"


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("command", (["decode"], ["verify", "--key", SECRET], ["lint"]))
def test_terminal_commands_read_or_refuse_a_deeply_nested_claim(capsys, command, depth):
    token = signed(nested(depth))
    code, out, err = run_cli([command[0], token, *command[1:], "--json"], capsys)
    assert code in (0, 1) and err == "", err
    answer = json.loads(out)
    if command[0] != "lint":
        assert ("not_json" in problem_codes(answer, "payload")) is (depth >= MAX_DEPTH)
    code, out, err = run_cli([command[0], token, *command[1:]], capsys)
    assert code in (0, 1) and err == "" and out, err


@pytest.mark.parametrize("depth", DEPTHS)
def test_terminal_encode_refuses_a_payload_nested_beyond_the_limit(capsys, depth):
    code, out, err = run_cli(["encode", nested(depth), "--key", SECRET, "--json"], capsys)
    if depth < MAX_DEPTH:
        assert code == 0 and err == "", err
    else:
        assert code == 2 and json.loads(out)["error"]["code"] == INVALID_JSON


@pytest.mark.parametrize("command", (["decode"], ["lint"], ["verify", "--key", SECRET]))
def test_terminal_now_beyond_any_date_is_a_usage_error(capsys, command):
    token = signed(times_text("exp", NOW))
    code, _, err = run_cli([command[0], token, *command[1:], "--now", "9" * 309], capsys)
    assert code == 2 and "--now" in err and "Traceback" not in err
