"""Known weak HMAC secrets, and a fast search for the one that signed a token.

The search computes HMAC by hand (RFC 2104) with `hashlib`: `H((K ^ opad) + H((K ^ ipad) + m))`.
That is about a third faster than `hmac.new` or `hmac.digest` per secret, which set up an OpenSSL
MAC context on every call, and it needs no separate code path for the empty secret, which PyJWT
refuses as a key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import INVALID_REQUEST, NOT_HMAC_TOKEN, DebuggerError
from ..jose.tokens import parse

#: The HMAC algorithms: hash constructor and block size in bytes.
HMAC_HASHES: dict[str, tuple[Callable[..., Any], int]] = {
    "HS256": (hashlib.sha256, 64),
    "HS384": (hashlib.sha384, 128),
    "HS512": (hashlib.sha512, 128),
}
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))

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


def find_secret(
    signing_input: bytes, signature: bytes, alg: str, candidates: Iterable[bytes]
) -> bytes | None:
    """The first candidate secret whose HMAC of `signing_input` under `alg` is `signature`.

    Raises `DebuggerError` (`not_hmac_token`) when `alg` is not HS256, HS384 or HS512.
    """
    if alg not in HMAC_HASHES:
        raise DebuggerError(
            NOT_HMAC_TOKEN,
            f"A secret can only be searched for HS256, HS384 or HS512 tokens, not {alg[:40]!r}.",
            field="token",
        )
    hash_, block = HMAC_HASHES[alg]
    if len(signature) != hash_().digest_size:
        return None
    ipad, opad, message = _IPAD, _OPAD, signing_input
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
    if alg not in HMAC_HASHES:
        return find_secret(signing_input, signature, alg, ())  # raises not_hmac_token
    if len(signature) != HMAC_HASHES[alg][0]().digest_size:
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


def search_report(token: str, wordlist_base64: str) -> dict[str, Any]:
    """Search one chunk of a wordlist (base64 of its bytes) for the secret that signed `token`."""
    parsed = parse(token)
    alg = parsed.header.get("alg") if parsed.header else None
    readable = parsed.is_compact_jws and parsed.error() is None
    if not readable or not isinstance(alg, str) or alg not in HMAC_HASHES:
        raise DebuggerError(
            NOT_HMAC_TOKEN,
            "A secret can only be searched for a readable HS256, HS384 or HS512 token.",
            field="token",
        )
    try:
        data = base64.b64decode(wordlist_base64, validate=True)
    except ValueError as err:
        raise DebuggerError(
            INVALID_REQUEST, '"wordlist_base64" is not valid base64.', field="wordlist_base64"
        ) from err
    words = split_wordlist(data)
    secret = find_secret(parsed.signing_input(), parsed.signature or b"", alg, words)
    return {
        "alg": alg,
        "tried": len(words),
        "found": secret is not None,
        "line": words.index(secret) + 1 if secret is not None else None,
        "secret": secret.decode("utf-8", "replace") if secret is not None else None,
        "secret_hex": secret.hex() if secret is not None else None,
        "description": describe_secret(secret) if secret is not None else None,
    }
