"""The weak-secret search: the built-in list, the fast HMAC search, wordlists and the endpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random

import pytest

from debugger.analysis.weak_secrets import (
    BUILTIN_SECRETS,
    describe_secret,
    find_secret,
    read_wordlist,
    search_report,
    split_wordlist,
)
from debugger.errors import DebuggerError

from ..conftest import SECRET, assert_canonical_error

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs_token(secret: bytes, alg: str = "HS256", payload: bytes = b'{"sub":"ada"}') -> str:
    header = json.dumps({"alg": alg}).encode()
    signing_input = f"{b64url(header)}.{b64url(payload)}"
    signature = hmac.new(secret, signing_input.encode(), HASHES[alg]).digest()
    return f"{signing_input}.{b64url(signature)}"


def generated_list(size: int, seed: int) -> list[bytes]:
    """Random secrets of every length from 0 to 200 bytes: shorter and longer than a block."""
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 201)) for _ in range(size)]


@pytest.mark.parametrize("alg", ("HS256", "HS384", "HS512"))
def test_find_secret_agrees_with_hmac_for_every_length_of_secret(alg):
    words = generated_list(300, seed=len(alg))
    message = b"header.payload"
    for index in (0, 7, 150, 299):
        secret = words[index]
        signature = hmac.new(secret, message, HASHES[alg]).digest()
        found = find_secret(message, signature, alg, words)
        assert found is not None
        # The first candidate with the same MAC is the secret itself (or an equal copy of it).
        assert hmac.new(found, message, HASHES[alg]).digest() == signature
        assert words.index(found) <= index


@pytest.mark.parametrize(
    "secret", (b"", b"k" * 64, b"k" * 65, b"k" * 128, b"k" * 129, "ü".encode())
)
@pytest.mark.parametrize("alg", ("HS256", "HS512"))
def test_find_secret_handles_block_size_edges_and_the_empty_secret(alg, secret):
    message = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ"
    signature = hmac.new(secret, message, HASHES[alg]).digest()
    assert find_secret(message, signature, alg, [b"other", secret, b"later"]) == secret


def test_find_secret_returns_none_when_no_candidate_signs():
    message = b"a.b"
    signature = hmac.digest(b"not in the list", message, "sha256")
    assert find_secret(message, signature, "HS256", generated_list(200, seed=1)) is None


def test_find_secret_takes_any_iterable_of_candidates():
    message = b"a.b"
    signature = hmac.digest(b"needle", message, "sha256")
    candidates = (word for word in [b"hay", b"stack", b"needle"])
    assert find_secret(message, signature, "HS256", candidates) == b"needle"


def test_find_secret_rejects_a_signature_of_the_wrong_length_without_trying():
    message = b"a.b"
    truncated = hmac.digest(b"secret", message, "sha256")[:16]
    assert find_secret(message, truncated, "HS256", [b"secret"]) is None


@pytest.mark.parametrize("alg", ("RS256", "none", "ES256", "hs256"))
def test_find_secret_refuses_algorithms_that_are_not_hmac(alg):
    with pytest.raises(DebuggerError) as err:
        find_secret(b"a.b", b"x" * 32, alg, [b"secret"])
    assert err.value.code == "not_hmac_token"


def test_builtin_list_holds_the_well_known_defaults_once_each():
    defaults = (b"", b"secret", b"your-256-bit-secret", b"a-string-secret-at-least-256-bits-long")
    for secret in defaults:
        assert secret in BUILTIN_SECRETS
    assert len(set(BUILTIN_SECRETS)) == len(BUILTIN_SECRETS)
    assert SECRET.encode() not in BUILTIN_SECRETS


def test_builtin_list_finds_a_token_signed_with_a_tutorial_secret():
    token = hs_token(b"your-256-bit-secret")
    signing_input, _, signature = token.rpartition(".")
    decoded = base64.urlsafe_b64decode(signature + "=")
    assert find_secret(signing_input.encode(), decoded, "HS256", BUILTIN_SECRETS) == (
        b"your-256-bit-secret"
    )


def test_read_wordlist_reads_crlf_lines_and_a_leading_empty_line_as_the_empty_secret(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(b"\r\nsecret\r\nwith space \r\n\xff\xfebinary\r\nlast")
    assert read_wordlist(path) == [b"", b"secret", b"with space ", b"\xff\xfebinary", b"last"]


def test_split_wordlist_reads_lf_lines_and_ignores_a_final_newline():
    assert split_wordlist(b"a\nb\n") == [b"a", b"b"]
    assert split_wordlist(b"") == []


def test_read_wordlist_and_find_secret_work_together(tmp_path):
    words = generated_list(1000, seed=3)
    secret = b"the-one-that-signed"
    path = tmp_path / "list.txt"
    path.write_bytes(b"\r\n".join([w.replace(b"\n", b"").replace(b"\r", b"") for w in words]))
    path.write_bytes(path.read_bytes() + b"\r\n" + secret + b"\r\n")
    message = b"x.y"
    signature = hmac.digest(secret, message, "sha256")
    assert find_secret(message, signature, "HS256", read_wordlist(path)) == secret


@pytest.mark.parametrize(
    ("secret", "shown"),
    ((b"", "the empty secret"), (b"secret", "'secret'"), (b"\xff\x00", "hex ff00")),
)
def test_describe_secret_shows_text_or_hex(secret, shown):
    assert describe_secret(secret) == shown


def chunk(words: list[bytes]) -> bytes:
    return b"\r\n".join(words) + b"\r\n"


def chunk_base64(words: list[bytes]) -> str:
    return base64.b64encode(chunk(words)).decode()


def test_search_report_gives_the_secret_and_its_line():
    result = search_report(hs_token(b"found-me", "HS384"), chunk([b"a", b"b", b"found-me", b"c"]))
    assert result["found"] is True
    assert (result["alg"], result["line"], result["tried"]) == ("HS384", 3, 4)
    assert result["secret"] == "found-me"
    assert result["secret_hex"] == b"found-me".hex()


def test_search_report_reports_a_binary_secret_in_hex():
    secret = b"\xff\xfe\x00raw"
    result = search_report(hs_token(secret), b"x\n" + secret)
    assert result["found"] is True
    assert result["secret_hex"] == secret.hex()
    assert result["description"] == f"hex {secret.hex()}"


def test_search_report_says_how_many_were_tried_when_nothing_matches():
    words = [os.urandom(8).hex().encode() for _ in range(50)]
    result = search_report(hs_token(os.urandom(32)), chunk(words))
    assert result == {
        "alg": "HS256",
        "tried": 50,
        "found": False,
        "complete": True,
        "searched_bytes": len(chunk(words)),
        "line": None,
        "secret": None,
        "secret_hex": None,
        "description": None,
    }


@pytest.mark.parametrize(
    "token",
    (
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.",
        "not a token",
        "eyJhbGciOiJIUzI1NiJ9.!!!.c2ln",
        "eyJhbGciOlsiSFMyNTYiXX0.eyJzdWIiOiJhZGEifQ.c2ln",
    ),
)
def test_search_report_needs_a_readable_hmac_token(token):
    with pytest.raises(DebuggerError) as err:
        search_report(token, chunk([b"secret"]))
    assert err.value.code == "not_hmac_token"


def test_secret_search_endpoint_finds_the_secret(client):
    body = {
        "token": hs_token(b"secret"),
        "wordlist_base64": chunk_base64([b"", b"nope", b"secret"]),
    }
    result = client.post("/api/secret-search", json=body).get_json()
    assert result["found"] is True and result["line"] == 3 and result["secret"] == "secret"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    (
        ({"wordlist_base64": "c2VjcmV0"}, 400, "invalid_request"),
        ({"token": hs_token(b"x")}, 400, "invalid_request"),
        ({"token": hs_token(b"x"), "wordlist_base64": "not base64!"}, 400, "invalid_request"),
        ({"token": hs_token(b"x"), "wordlist_base64": ["a"]}, 400, "invalid_request"),
        ({"token": "a.b.c", "wordlist_base64": "c2VjcmV0"}, 400, "not_hmac_token"),
    ),
)
def test_secret_search_endpoint_refuses_bad_requests(client, body, status, code):
    assert_canonical_error(client.post("/api/secret-search", json=body), status, code)


@pytest.mark.parametrize("alg", ("HS256", "HS384", "HS512"))
def test_find_builtin_secret_agrees_with_find_secret_for_every_builtin_secret(alg):
    from debugger.analysis.weak_secrets import find_builtin_secret

    digest = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}[alg]
    message = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0"
    for secret in (*BUILTIN_SECRETS, b"not-a-builtin-secret-0123456789"):
        signature = hmac.digest(secret, message, digest)
        expected = find_secret(message, signature, alg, BUILTIN_SECRETS)
        assert find_builtin_secret(message, signature, alg) == expected
        assert expected == (secret if secret in BUILTIN_SECRETS else None)


def test_find_builtin_secret_refuses_what_find_secret_refuses():
    from debugger.analysis.weak_secrets import find_builtin_secret

    assert find_builtin_secret(b"a.b", b"short", "HS256") is None
    with pytest.raises(DebuggerError) as raised:
        find_builtin_secret(b"a.b", b"x" * 32, "RS256")
    assert raised.value.code == "not_hmac_token"


class TickingClock:
    """A clock that moves one second on every reading, and counts its readings."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return float(self.readings)


def test_search_secret_stops_at_its_deadline_and_says_how_far_it_got():
    from debugger.analysis.weak_secrets import search_secret

    words = [f"guess-{n}".encode() for n in range(20_000)]
    message = b"x" * 50_000  # a big token: the clock is read every few secrets
    signature = hmac.digest(words[-1], message, "sha256")
    clock = TickingClock()

    search = search_secret(message, signature, "HS256", words, deadline=3.0, clock=clock)

    assert search.complete is False and search.secret is None
    assert 0 < search.tried < len(words)
    assert clock.readings == 3
    rest = search_secret(message, signature, "HS256", words[search.tried :])
    assert rest.complete is True and rest.secret == words[-1]
    assert search.tried + rest.tried == len(words)


def test_search_secret_tries_a_first_batch_even_past_its_deadline():
    from debugger.analysis.weak_secrets import search_secret

    words = [f"guess-{n}".encode() for n in range(5000)]
    signature = hmac.digest(words[0], b"a.b", "sha256")
    search = search_secret(b"a.b", signature, "HS256", words, deadline=0.0, clock=TickingClock())
    assert search.secret == words[0] and search.tried == 1 and search.complete is True


def test_search_secret_without_a_deadline_never_reads_the_clock():
    from debugger.analysis.weak_secrets import search_secret

    def no_clock() -> float:
        raise AssertionError("the clock was read")

    words = generated_list(3000, seed=5)
    signature = hmac.digest(words[-1], b"x" * 20_000, "sha256")
    search = search_secret(b"x" * 20_000, signature, "HS256", words, clock=no_clock)
    assert search.secret == words[-1] and search.complete is True


def test_search_report_at_its_deadline_points_at_the_first_untried_line():
    words = [f"guess-{n}".encode() for n in range(3000)]
    data = b"".join(word + (b"\r\n", b"\n", b"\r")[n % 3] for n, word in enumerate(words))
    token = hs_token(b"the-last", payload=b'{"pad":"' + b"x" * 40_000 + b'"}')
    data += b"the-last"

    result = search_report(token, data, deadline=2.0, clock=TickingClock())

    assert result["complete"] is False and result["found"] is False
    assert 0 < result["tried"] < len(words)
    rest = data[result["searched_bytes"] :]
    assert split_wordlist(rest) == [*words[result["tried"] :], b"the-last"]
    finished = search_report(token, rest)
    assert finished["complete"] is True and finished["found"] is True
    assert result["tried"] + finished["line"] == len(words) + 1


def test_search_report_within_the_work_budget_searches_every_line():
    from debugger.analysis.weak_secrets import max_secrets

    token = hs_token(b"last-line")
    signing_input = token.rpartition(".")[0].encode()
    allowed = max_secrets(len(signing_input), work_budget=100_000)
    words = [f"guess-{n}".encode() for n in range(allowed - 1)] + [b"last-line"]

    result = search_report(token, chunk(words), work_budget=100_000)

    assert result["found"] is True and result["line"] == allowed


def test_search_report_refuses_more_lines_than_the_work_budget_allows_before_trying():
    from debugger.analysis.weak_secrets import max_secrets

    def no_clock() -> float:
        raise AssertionError("the search started")

    token = hs_token(b"secret")
    allowed = max_secrets(len(token.rpartition(".")[0]), work_budget=100_000)
    words = [b"secret"] * (allowed + 1)
    with pytest.raises(DebuggerError) as raised:
        search_report(token, chunk(words), work_budget=100_000, deadline=0.0, clock=no_clock)
    assert raised.value.code == "search_over_budget"


def test_work_budget_lets_a_normal_token_try_every_line_of_a_full_page_chunk():
    from debugger.analysis.weak_secrets import max_secrets

    # The page sends at most 256 KiB per request: at most 262,145 lines, all empty.
    token = hs_token(b"x", payload=json.dumps({"sub": "a" * 600, "iat": 1}).encode())
    assert max_secrets(len(token.rpartition(".")[0])) > 256 * 1024 + 1
