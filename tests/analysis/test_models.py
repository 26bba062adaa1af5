"""The typed models match the answers: every field sent is declared, every field declared is sent.

Each answer is walked against its TypedDict, into nested sections, lists and unions. Across the
answers of a test every field of every model met must be seen at least once, so a field added to
the answer but not to its model fails, and so does a field declared but never sent.
"""

from __future__ import annotations

import json
import types
import typing
from collections import defaultdict
from typing import (
    Any,
    Literal,
    NotRequired,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from debugger.analysis.report import DecodeReport, KeyErrorReport, VerifyReport
from tests import certificates

NOW = 1_750_000_000
CLAIMS = {"sub": "alice", "aud": "orders", "iat": NOW - 60, "exp": NOW + 600, "nbf": "soon"}


def declared(model: type) -> dict[str, tuple[Any, bool]]:
    """Each field of a TypedDict: its type and whether it is required.

    (`__optional_keys__` cannot tell with postponed annotations, so the hints are read.)
    """
    fields = {}
    for name, hint in get_type_hints(model, include_extras=True).items():
        required = get_origin(hint) is not NotRequired
        fields[name] = (hint if required else get_args(hint)[0], required)
    return fields


Seen = dict[type, set[str]]


def mismatches(value: Any, hint: Any, path: str, seen: Seen) -> list[str]:
    """What in `value` does not fit `hint`; the fields of each model met are added to `seen`."""
    if hint is Any:
        return []
    if is_typeddict(hint):
        return _object_mismatches(value, hint, path, seen)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        tried = []
        for option in get_args(hint):
            option_seen: Seen = defaultdict(set)
            found = mismatches(value, option, path, option_seen)
            if not found:
                for model, names in option_seen.items():
                    seen[model] |= names
                return []
            tried.append(found)
        return min(tried, key=len)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not a list"]
        (item,) = get_args(hint)
        return [m for i, v in enumerate(value) for m in mismatches(v, item, f"{path}[{i}]", seen)]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{path}: {value!r} is not an object"]
    if hint is type(None):
        return [] if value is None else [f"{path}: {value!r} is not null"]
    if origin is Literal:
        allowed = get_args(hint)
        return [] if value in allowed else [f"{path}: {value!r} is not one of {allowed}"]
    if hint is float:
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is int:
        fits = isinstance(value, int) and not isinstance(value, bool)
    else:
        fits = isinstance(value, hint)
    return [] if fits else [f"{path}: {value!r} is not {hint.__name__}"]


def _object_mismatches(value: Any, model: type, path: str, seen: Seen) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: {value!r} is not an object ({model.__name__})"]
    fields = declared(model)
    found = [
        f"{path}.{name}: sent, not declared in {model.__name__}"
        for name in value
        if name not in fields
    ]
    found += [
        f"{path}.{name}: required by {model.__name__}, not sent"
        for name, (_, required) in fields.items()
        if required and name not in value
    ]
    for name, item in value.items():
        if name in fields:
            found += mismatches(item, fields[name][0], f"{path}.{name}", seen)
    seen[model] |= set(value) & set(fields)
    return found


def assert_answers_fit(answers: list[tuple[dict, Any]]) -> None:
    """Each answer fits its model, and every field of every model met was sent at least once."""
    seen: Seen = defaultdict(set)
    for body, model in answers:
        assert mismatches(body, model, "answer", seen) == []
    never_sent = {
        model.__name__: sorted(set(declared(model)) - names)
        for model, names in seen.items()
        if set(declared(model)) - names
    }
    assert never_sent == {}


def _pem(key) -> tuple[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _answer(client, path: str, body: dict) -> dict:
    response = client.post(path, json={"now": NOW, **body})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_decode_and_verify_answers_have_exactly_the_fields_of_their_models(client, keypairs):
    secret = "a-long-random-secret-of-32-bytes"
    hs256 = jwt.encode(CLAIMS, secret, algorithm="HS256")
    rsa = keypairs["RSA"]
    rs256 = jwt.encode(CLAIMS, rsa.private, algorithm="RS256")
    leaf_key, chain = certificates.chain()
    x5c = [*certificates.x5c(chain), "not base64!"]
    embedded_jwk = json.loads(ECAlgorithm.to_jwk(leaf_key.public_key()))
    es256 = certificates.es256_token(
        {"alg": "ES256", "x5c": x5c, "jwk": embedded_jwk}, CLAIMS, leaf_key
    )
    rsa_jwk = {**json.loads(RSAAlgorithm.to_jwk(rsa.private.public_key())), "kid": "rsa"}
    rsa_jwk.update(alg="RS256", use="sig", key_ops=["verify"])
    ec_jwk = {**json.loads(ECAlgorithm.to_jwk(keypairs["P-256"].private.public_key())), "kid": "ec"}
    jwks = json.dumps({"keys": [ec_jwk, rsa_jwk, {"kty": "unknown", "kid": "x"}, 5]})
    leaf_pem = chain[0].public_bytes(serialization.Encoding.PEM).decode()
    protected, payload, signature = hs256.split(".")
    general = json.dumps(
        {"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}
    )

    assert_answers_fit(
        [
            (_answer(client, "/api/decode", {"token": hs256}), DecodeReport),
            (_answer(client, "/api/decode", {"token": general}), DecodeReport),
            (_answer(client, "/api/verify", {"token": general, "key": secret}), VerifyReport),
            (
                _answer(
                    client,
                    "/api/verify",
                    {
                        "token": general,
                        "key": "%%",
                        "secret_encoding": "hex",
                        "report_key_error": True,
                    },
                ),
                KeyErrorReport,
            ),
            (_answer(client, "/api/decode", {"token": "eyJ!.e30.sig"}), DecodeReport),
            (_answer(client, "/api/decode", {"token": es256}), DecodeReport),
            (_answer(client, "/api/verify", {"token": hs256, "key": secret}), VerifyReport),
            (_answer(client, "/api/verify", {"token": hs256, "key": "wrong"}), VerifyReport),
            (_answer(client, "/api/verify", {"token": rs256, "key": jwks}), VerifyReport),
            (_answer(client, "/api/verify", {"token": es256, "key": leaf_pem}), VerifyReport),
            (
                _answer(
                    client,
                    "/api/verify",
                    {
                        "token": " " + hs256,
                        "key": "%%",
                        "secret_encoding": "hex",
                        "report_key_error": True,
                        "audience": "orders",
                        "required_claims": ["jti"],
                    },
                ),
                KeyErrorReport,
            ),
        ]
    )


def test_a_field_the_model_does_not_declare_or_never_sends_is_reported():
    class Part(typing.TypedDict):
        name: str
        size: NotRequired[int]

    seen: Seen = defaultdict(set)
    found = mismatches({"name": "a", "extra": 1}, Part, "answer", seen)
    assert found == ["answer.extra: sent, not declared in Part"]
    assert mismatches({"size": 1}, Part, "answer", seen) == [
        "answer.name: required by Part, not sent"
    ]
    assert mismatches({"name": 5}, Part, "answer", seen) == ["answer.name: 5 is not str"]
    with pytest.raises(AssertionError, match="Part"):
        assert_answers_fit([({"name": "a"}, Part)])
