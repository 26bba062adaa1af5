"""Known weak HMAC secrets, and a fast search for the one that signed a token.

The search computes HMAC by hand (RFC 2104) with `hashlib`: `H((K ^ opad) + H((K ^ ipad) + m))`.
That is about a third faster than `hmac.new` or `hmac.digest` per secret, which set up an OpenSSL
MAC context on every call, and it needs no separate code path for the empty secret, which PyJWT
refuses as a key.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from ..errors import NOT_HMAC_TOKEN, SEARCH_OVER_BUDGET, DebuggerError
from ..jose.algorithms import ALGORITHMS
from ..jose.pasted import parse

#: The HMAC algorithms: hash constructor and block size in bytes.
HMAC_HASHES: dict[str, tuple[Callable[..., Any], int]] = {
    spec.name: (getattr(hashlib, spec.hash_name), hashlib.new(spec.hash_name).block_size)
    for spec in ALGORITHMS.values()
    if spec.kind == "secret" and spec.hash_name is not None
}
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))

#: Trying one secret costs about as much as hashing this many more bytes of signing input
#: (the fixed work per secret: the two padded keys, two hash objects and their digests).
SECRET_COST_BYTES = 2048
#: The most work one bounded search may do: secrets tried x (signing-input bytes +
#: `SECRET_COST_BYTES`). At most about 1.1 s of CPU for HS384/HS512 and 0.5 s for HS256 on one
#: core of a current laptop: a 300-byte token may be tried against 340,000 secrets, a 1 MiB
#: token against 761.
SEARCH_WORK_BUDGET = 800_000_000
#: A bounded search stops after this many seconds and says how far it got.
SEARCH_SECONDS = 1.0
#: Between two looks at the clock the search does about this much work (about 1 ms).
_CLOCK_EVERY_BYTES = 1 << 20

#: Secrets that documentation, tutorials, framework defaults and sample code use. Tokens signed
#: with one of them can be forged by anyone; they are checked on every HS* token.
BUILTIN_SECRETS: tuple[bytes, ...] = tuple(
    secret.encode()
    for secret in (
        "",
        "secret",
        "your-256-bit-secret",
        "your-384-bit-secret",
        "your-512-bit-secret",
        "a-string-secret-at-least-256-bits-long",
        "secretkey",
        "secret-key",
        "secret_key",
        "secretKey",
        "SecretKey",
        "SECRET",
        "SECRET_KEY",
        "mysecret",
        "my-secret",
        "my_secret",
        "mySecret",
        "mysecretkey",
        "my-secret-key",
        "my_secret_key",
        "mySecretKey",
        "my_super_secret_key",
        "supersecret",
        "super-secret",
        "super_secret",
        "super-secret-key",
        "topsecret",
        "jwt",
        "jwtsecret",
        "jwt-secret",
        "jwt_secret",
        "jwtSecret",
        "JWT_SECRET",
        "jwt-secret-key",
        "jwt_secret_key",
        "jwtkey",
        "jwt-key",
        "your-secret",
        "your_secret",
        "your-secret-key",
        "your_secret_key",
        "yoursecretkey",
        "your_jwt_secret",
        "your-jwt-secret",
        "changeme",
        "change-me",
        "change_me",
        "changeit",
        "CHANGE_ME",
        "replace-me",
        "shhhhh",
        "shhhhhared-secret",
        "keyboard cat",
        "keyboard-cat",
        "AllYourBase",
        "NeverShareYourSecret",
        "not-so-secret",
        "notsecret",
        "secret123",
        "secret1",
        "s3cr3t",
        "s3cret",
        "password",
        "Password",
        "password123",
        "passw0rd",
        "pass",
        "admin",
        "root",
        "test",
        "testing",
        "test-secret",
        "dev",
        "development",
        "default",
        "example",
        "demo",
        "key",
        "private",
        "token",
        "auth",
        "hello",
        "qwerty",
        "letmein",
        "123",
        "1234",
        "12345",
        "123456",
        "1234567",
        "12345678",
        "123456789",
        "1234567890",
        "0123456789",
        "abc123",
        "HS256",
        "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
        "ThisIsMySecretKey",
        "thisismysecretkey",
        "this-is-a-secret",
        "thisisasecret",
        "this is a secret",
        "my super secret",
        "super secret key",
        "you-will-never-guess",
    )
)


@dataclass(frozen=True)
class SecretSearch:
    """How a search through a list of candidate secrets ended."""

    #: The first candidate that signs the token, or None.
    secret: bytes | None
    #: How many candidates were tried, the matching one included.
    tried: int
    #: False when the search stopped at its deadline before trying every candidate.
    complete: bool


def search_secret(
    signing_input: bytes,
    signature: bytes,
    alg: str,
    candidates: Sequence[bytes],
    *,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> SecretSearch:
    """Try `candidates` in order as the HMAC secret under `alg`, until one signs or `deadline`.

    `deadline` is a time on `clock`; the clock is read about once per millisecond of work.
    Raises `DebuggerError` (`not_hmac_token`) when `alg` is not HS256, HS384 or HS512.
    """
    hash_, block = _hmac_hash(alg)
    if len(signature) != hash_().digest_size:
        return SecretSearch(None, len(candidates), complete=True)
    step = max(1, _CLOCK_EVERY_BYTES // (len(signing_input) + SECRET_COST_BYTES))
    for start in range(0, len(candidates), step):
        # The first batch is always tried, so that every search gets somewhere.
        if start and deadline is not None and clock() >= deadline:
            return SecretSearch(None, start, complete=False)
        batch = candidates[start : start + step]
        found = _first_signing(hash_, block, signing_input, signature, batch)
        if found is not None:
            return SecretSearch(found, start + batch.index(found) + 1, complete=True)
    return SecretSearch(None, len(candidates), complete=True)


def find_secret(
    signing_input: bytes, signature: bytes, alg: str, candidates: Iterable[bytes]
) -> bytes | None:
    """The first candidate secret whose HMAC of `signing_input` under `alg` is `signature`.

    Raises `DebuggerError` (`not_hmac_token`) when `alg` is not HS256, HS384 or HS512.
    """
    return search_secret(signing_input, signature, alg, list(candidates)).secret


def _hmac_hash(alg: str) -> tuple[Callable[..., Any], int]:
    if alg not in HMAC_HASHES:
        raise DebuggerError(
            NOT_HMAC_TOKEN,
            f"A secret can only be searched for HS256, HS384 or HS512 tokens, not {alg[:40]!r}.",
            field="token",
        )
    return HMAC_HASHES[alg]


def _first_signing(
    hash_: Callable[..., Any],
    block: int,
    message: bytes,
    signature: bytes,
    candidates: Sequence[bytes],
) -> bytes | None:
    """The first candidate whose HMAC of `message` is `signature`."""
    ipad, opad = _IPAD, _OPAD
    for candidate in candidates:
        key = hash_(candidate).digest() if len(candidate) > block else candidate
        key = key.ljust(block, b"\0")
        inner = hash_(key.translate(ipad) + message).digest()
        if hash_(key.translate(opad) + inner).digest() == signature:
            return candidate
    return None


@functools.lru_cache(maxsize=32)
def find_builtin_secret(signing_input: bytes, signature: bytes, alg: str) -> bytes | None:
    """`find_secret` over `BUILTIN_SECRETS`, cheap enough for every keystroke.

    Each built-in secret's padded-key hash states are computed once per algorithm, so a token
    costs two hash copies and updates per secret instead of building both pads every time; and
    the last answers are kept, so typing a key beside an unchanged token costs nothing here.
    """
    if len(signature) != _hmac_hash(alg)[0]().digest_size:
        return None
    for secret, inner_start, outer_start in _builtin_states(alg):
        inner = inner_start.copy()
        inner.update(signing_input)
        outer = outer_start.copy()
        outer.update(inner.digest())
        if outer.digest() == signature:
            return secret
    return None


@functools.cache
def _builtin_states(alg: str) -> tuple[tuple[bytes, Any, Any], ...]:
    """Per built-in secret: the hash after `K ^ ipad` and the hash after `K ^ opad`."""
    hash_, block = HMAC_HASHES[alg]
    states = []
    for secret in BUILTIN_SECRETS:
        key = (hash_(secret).digest() if len(secret) > block else secret).ljust(block, b"\0")
        states.append((secret, hash_(key.translate(_IPAD)), hash_(key.translate(_OPAD))))
    return tuple(states)


def split_wordlist(data: bytes) -> list[bytes]:
    """One secret per line (LF or CRLF); an empty line is the empty secret."""
    return data.splitlines()


def read_wordlist(path: str | os.PathLike[str]) -> list[bytes]:
    """Read a wordlist file: one secret per line, as bytes, in file order."""
    with open(path, "rb") as wordlist:
        return split_wordlist(wordlist.read())


def describe_secret(secret: bytes) -> str:
    """A secret as people should see it: its text, or hex when it is not UTF-8."""
    if secret == b"":
        return "the empty secret"
    try:
        return repr(secret.decode("utf-8"))
    except UnicodeDecodeError:
        return f"hex {secret.hex()}"


class SearchReport(TypedDict):
    """How far a wordlist search got, and the secret when one line of it signed the token."""

    alg: str
    tried: int
    found: bool
    complete: bool
    searched_bytes: int
    line: int | None
    secret: str | None
    secret_hex: str | None
    description: str | None


def search_report(
    token: str,
    wordlist: bytes,
    *,
    work_budget: int | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> SearchReport:
    """Search `wordlist` (one secret per line) for the secret that signed `token`.

    With `work_budget`, a search costing more (see `SEARCH_WORK_BUDGET`) is refused before it
    starts; with `deadline`, it stops then and says how many lines and bytes it got through.
    """
    parsed = parse(token)
    alg = parsed.header.get("alg") if parsed.header else None
    readable = parsed.is_compact_jws and parsed.error() is None
    if not readable or not isinstance(alg, str) or alg not in HMAC_HASHES:
        raise DebuggerError(
            NOT_HMAC_TOKEN,
            "A secret can only be searched for a readable HS256, HS384 or HS512 token.",
            field="token",
        )
    signing_input = parsed.signing_input()
    words = split_wordlist(wordlist)
    if work_budget is not None:
        _check_budget(len(words), len(signing_input), work_budget)
    search = search_secret(
        signing_input, parsed.signature or b"", alg, words, deadline=deadline, clock=clock
    )
    secret = search.secret
    searched = len(wordlist)
    if not search.complete:
        searched = sum(map(len, wordlist.splitlines(keepends=True)[: search.tried]))
    return {
        "alg": alg,
        # As before deadlines: a finished search counts every line of the chunk.
        "tried": len(words) if search.complete else search.tried,
        "found": secret is not None,
        "complete": search.complete,
        "searched_bytes": searched,
        "line": search.tried if secret is not None else None,
        "secret": secret.decode("utf-8", "replace") if secret is not None else None,
        "secret_hex": secret.hex() if secret is not None else None,
        "description": describe_secret(secret) if secret is not None else None,
    }


def max_secrets(signing_input_bytes: int, work_budget: int = SEARCH_WORK_BUDGET) -> int:
    """How many secrets one search within `work_budget` may try for this size of token."""
    return work_budget // (signing_input_bytes + SECRET_COST_BYTES)


def _check_budget(secrets: int, signing_input_bytes: int, work_budget: int) -> None:
    allowed = max_secrets(signing_input_bytes, work_budget)
    if secrets > allowed:
        raise DebuggerError(
            SEARCH_OVER_BUDGET,
            f"This request asks to try {secrets:,} secrets against a token whose signed part "
            f"is {signing_input_bytes:,} bytes, but one request may try at most {allowed:,} "
            f"secrets for a token of this size. Send a shorter list, or split it into parts of "
            f"at most {allowed:,} lines and send them one after another.",
        )
