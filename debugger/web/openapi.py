"""The OpenAPI document of the JSON API, served at /api/openapi.json.

A test keeps it in step with the code: every route under /api/ is described here and every path
described here is a route, and real answers validate against the schemas. Response objects list
the fields the API promises; answers may carry more (fields are added, never removed).
"""

from __future__ import annotations

import copy
from typing import Any

from .. import __version__
from ..analysis.weak_secrets import SEARCH_SECONDS, SEARCH_WORK_BUDGET, SECRET_COST_BYTES
from ..errors import ERROR_CODES, JWE_REASON_CODES

JSON = "application/json"

_NULLABLE_STRING = {"type": ["string", "null"]}
_ANY: dict[str, Any] = {}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _nullable(name: str) -> dict[str, Any]:
    return {"oneOf": [_ref(name), {"type": "null"}]}


_CLOCK = {
    "now": {"type": "number", "description": "Seconds since 1970 to check times against."},
    "leeway": {"type": "number", "description": "Seconds of leeway for exp and nbf."},
}
_SECRET_ENCODING = {"enum": ["utf-8", "base64", "base64url", "hex"], "default": "utf-8"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
#: The claim checks decode, verify and explain take (see debugger/claims.py).
_CHECKS = {
    "audience": {
        "type": ["string", "array"],
        "items": {"type": "string"},
        "description": "Passes when any of these is in the token's aud.",
    },
    "issuer": {"type": "string"},
    "subject": {"type": "string"},
    "required_claims": _STRINGS,
}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        ["error"],
        {
            "error": _object(
                ["code", "message"],
                {
                    "code": {"enum": list(ERROR_CODES)},
                    "message": {"type": "string", "minLength": 1},
                    "field": {"type": "string"},
                },
            )
        },
        additionalProperties=False,
    ),
    "DecodeRequest": _object(["token"], {"token": {"type": "string"}, **_CLOCK, **_CHECKS}),
    "VerifyRequest": _object(
        ["token"],
        {
            "token": {"type": "string"},
            "key": {"type": "string", "description": "A secret, PEM, JWK or JWK Set."},
            "use_embedded_key": {
                "enum": ["x5c", "jwk"],
                "description": "Verify with the key the token's header carries instead of `key`.",
            },
            "secret_encoding": _SECRET_ENCODING,
            "algorithms": {"type": "array", "items": {"type": "string"}},
            "detached_payload": {"type": "string"},
            "report_key_error": {
                "type": "boolean",
                "description": "When the key cannot be used, answer 200 with the decode report, "
                "signature_valid false and key_error, instead of a 400 error.",
            },
            **_CLOCK,
            **_CHECKS,
        },
        anyOf=[{"required": ["key"]}, {"required": ["use_embedded_key"]}],
    ),
    "ExplainRequest": _object(
        ["token"],
        {
            "token": {"type": "string"},
            "key": {"type": "string", "description": "Without it, no walkthrough."},
            "secret_encoding": _SECRET_ENCODING,
            "algorithms": _STRINGS,
            "detached_payload": {"type": "string"},
            "url": {"type": "string", "description": "Where the curl command sends the token."},
            **_CLOCK,
            **_CHECKS,
        },
    ),
    "EncodeRequest": _object(
        ["key"],
        {
            "header": {"type": "object"},
            "payload": {"type": "object"},
            "header_json": {"type": "string", "description": "Header JSON text, as written."},
            "payload_json": {"type": "string", "description": "Payload JSON text, as written."},
            "payload_raw": {"type": "string", "description": "A payload of any text, as is."},
            "detached": {"type": "boolean", "description": "Leave the payload part empty."},
            "key": {"type": "string"},
            "secret_encoding": _SECRET_ENCODING,
        },
        allOf=[
            {"anyOf": [{"required": ["header"]}, {"required": ["header_json"]}]},
            {
                "anyOf": [
                    {"required": ["payload"]},
                    {"required": ["payload_json"]},
                    {"required": ["payload_raw"]},
                ]
            },
        ],
    ),
    "AttacksRequest": _object(
        ["token"], {"token": {"type": "string"}, "public_key": {"type": "string"}}
    ),
    "SecretSearchRequest": _object(
        ["token", "wordlist_base64"],
        {
            "token": {"type": "string"},
            "wordlist_base64": {
                "type": "string",
                "description": "One chunk of a wordlist file, base64 of its bytes. A chunk may "
                f"hold at most {SEARCH_WORK_BUDGET:,} / (signing-input bytes + "
                f"{SECRET_COST_BYTES:,}) lines (search_over_budget otherwise); the search "
                f"stops after {SEARCH_SECONDS:g} s and says how far it got.",
            },
        },
    ),
    "KeyInspectRequest": _object(
        ["key"], {"key": {"type": "string"}, "secret_encoding": _SECRET_ENCODING, **_CLOCK}
    ),
    "KeyGenerateRequest": _object(
        ["alg"],
        {
            "alg": {"type": "string", "description": "The algorithm the key is for."},
            "size": {"type": "integer", "description": "RSA modulus or HMAC secret bits."},
            "curve": {"type": "string", "description": "For ECDH-ES: P-256, ..., X25519, X448."},
        },
    ),
    "KeyConvertRequest": _object(
        ["to"],
        {
            "to": {"type": "string", "description": "jwk, pem, public_jwk, jwk_set, ..."},
            "key": {"type": "string"},
            "keys": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "secret_encoding": _SECRET_ENCODING,
        },
        anyOf=[{"required": ["key"]}, {"required": ["keys"]}],
    ),
    "JwksFetchRequest": _object(
        [],
        {
            "url": {"type": "string", "description": "The JWK Set URL."},
            "issuer": {"type": "string", "description": "An issuer to discover the URL from."},
        },
        oneOf=[{"required": ["url"]}, {"required": ["issuer"]}],
    ),
    "Note": _object(
        ["code", "message"], {"code": {"type": "string"}, "message": {"type": "string"}}
    ),
    "Problem": _object(
        ["part", "code", "severity", "message"],
        {
            "part": {"type": "string"},
            "code": {"type": "string"},
            "severity": {"enum": ["error", "warning"]},
            "message": {"type": "string"},
            "position": {"type": "integer", "minimum": 0},
        },
    ),
    "Part": _object(
        ["name", "encoded"],
        {"name": {"enum": ["header", "payload", "signature"]}, "encoded": {"type": "string"}},
    ),
    "TimeClaim": _object(
        ["value", "text"],
        {
            "value": _ANY,
            "text": {"type": "string"},
            "utc": _NULLABLE_STRING,
            "relative": {"type": "string"},
        },
    ),
    "Time": _object(
        ["status", "message", "now", "now_utc", "leeway", "exp", "nbf", "iat", "problems"],
        {
            "status": {"enum": ["valid", "expired", "not_yet_valid", "no_exp", "invalid"]},
            "message": {"type": "string"},
            "now": {"type": "number"},
            "now_utc": _NULLABLE_STRING,
            "leeway": {"type": "number"},
            "exp": _nullable("TimeClaim"),
            "nbf": _nullable("TimeClaim"),
            "iat": _nullable("TimeClaim"),
            "problems": {
                "type": "array",
                "items": _object(
                    ["code", "message"],
                    {
                        "code": {
                            "enum": [
                                "expired",
                                "not_yet_valid",
                                "iat_future",
                                "invalid_numericdate",
                                "milliseconds",
                            ]
                        },
                        "message": {"type": "string"},
                        "claim": {"type": "string"},
                    },
                ),
            },
        },
    ),
    "KeyInfo": _object(
        ["type", "kind", "description", "source", "private", "can_sign", "size", "curve", "kid"],
        {
            "type": {"enum": ["oct", "RSA", "EC", "OKP"]},
            "kind": {"enum": ["secret", "RSA", "EC", "OKP"]},
            "description": {"type": "string"},
            "source": {"type": "string"},
            "private": {"type": ["boolean", "null"]},
            "can_sign": {"type": "boolean"},
            "size": {"type": "integer", "minimum": 0},
            "curve": _NULLABLE_STRING,
            "kid": _NULLABLE_STRING,
            "alg": {"type": "string"},
            "use": {"type": "string"},
            "key_ops": {"type": "array", "items": {"type": "string"}},
            "certificate": {"type": "object"},
        },
    ),
    "KeySet": _object(
        ["kids", "size", "unusable"],
        {
            "kids": {"type": "array", "items": {"type": "string"}},
            "size": {"type": "integer", "minimum": 1},
            "unusable": {
                "type": "array",
                "items": _object(
                    ["index", "kid", "reason"],
                    {"index": {"type": "integer"}, "kid": _ANY, "reason": {"type": "string"}},
                ),
            },
        },
    ),
    "DecodeResponse": _object(
        [
            "token",
            "header",
            "payload",
            "signature",
            "header_text",
            "payload_text",
            "signature_bytes",
            "parts",
            "alg",
            "notes",
            "problems",
            "time",
            "kind",
            "serialization",
        ],
        {
            "token": {"type": "string"},
            "kind": {"enum": ["JWS", "JWE"], "description": "JWE for five parts."},
            "serialization": {"const": "compact"},
            "header": {"type": ["object", "null"]},
            "payload": {
                "type": ["object", "string", "null"],
                "description": "The claims object; text when it is not a JSON object.",
            },
            "signature": {"type": "string"},
            "header_text": _NULLABLE_STRING,
            "payload_text": _NULLABLE_STRING,
            "signature_bytes": {"type": ["integer", "null"], "minimum": 0},
            "parts": {"type": "array", "items": _ref("Part"), "maxItems": 3},
            "alg": {"description": "The header's alg, whatever JSON value it is."},
            "notes": {"type": "array", "items": _ref("Note")},
            "problems": {"type": "array", "items": _ref("Problem")},
            "time": _ref("Time"),
            "explain": _object(
                ["header", "payload"],
                {
                    "header": {"type": "array", "items": _ref("ExplainRow")},
                    "payload": {"type": "array", "items": _ref("ExplainRow")},
                },
            ),
            "hints": {"type": "array", "items": _ref("Note")},
            "claims": {"type": "array", "items": _ref("ClaimCheck")},
        },
    ),
    "ExplainRow": _object(
        ["name", "known", "title", "description", "source", "url"],
        {
            "name": {"type": "string"},
            "known": {"type": "boolean"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "source": {"type": "string"},
            "url": {"type": "string"},
            "time": {"type": ["object", "null"]},
        },
    ),
    "ClaimCheck": _object(
        ["claim", "ok", "code", "expected", "actual", "message"],
        {
            "claim": {"type": "string"},
            "ok": {"type": "boolean"},
            "code": {
                "enum": ["aud_mismatch", "iss_mismatch", "sub_mismatch", "missing_claim", None]
            },
            "expected": _ANY,
            "actual": _ANY,
            "message": {"type": "string"},
        },
    ),
    "ExplainResponse": _object(
        ["walkthrough", "code"],
        {
            "walkthrough": _object(
                ["available", "valid"],
                {
                    "available": {"type": "boolean"},
                    "valid": {"type": "boolean"},
                    "message": {"type": "string"},
                    "signing_input": {"type": "string"},
                    "signing_input_length": {"type": "integer", "minimum": 0},
                    "comparison": {"type": "object"},
                },
            ),
            "code": _object(
                ["algorithms", "python", "flask", "curl", "mistakes"],
                {
                    "algorithms": _STRINGS,
                    "python": {"type": "string"},
                    "flask": {"type": "string"},
                    "curl": {"type": "string"},
                    "mistakes": {"type": "array", "items": _ref("Note")},
                },
            ),
        },
    ),
    "VerifyResponse": {
        "allOf": [
            _ref("DecodeResponse"),
            _object(
                ["signature_valid", "alg", "key", "key_set"],
                {
                    "signature_valid": {"type": "boolean"},
                    "alg": _NULLABLE_STRING,
                    "reason": _object(
                        ["code", "message"],
                        {"code": {"type": "string"}, "message": {"type": "string"}},
                    ),
                    "key": _nullable("KeyInfo"),
                    "key_set": _nullable("KeySet"),
                    "key_error": _object(
                        ["code", "message"],
                        {
                            "code": {"enum": list(ERROR_CODES)},
                            "message": {"type": "string"},
                            "field": {"type": "string"},
                        },
                        description="Only with report_key_error: why the key cannot be used.",
                    ),
                },
            ),
        ]
    },
    "AttacksResponse": _object(
        ["variants", "skipped"],
        {
            "variants": {"type": "array", "items": {"type": "object"}},
            "skipped": {"type": "array", "items": {"type": "object"}},
        },
    ),
    "SecretSearchResponse": _object(
        ["alg", "tried", "found", "complete", "searched_bytes"],
        {
            "alg": {"type": "string"},
            "tried": {"type": "integer", "minimum": 0},
            "found": {"type": "boolean"},
            "complete": {
                "type": "boolean",
                "description": "False when the search stopped at its time limit: send the rest "
                "of the chunk, from searched_bytes on, in another request.",
            },
            "searched_bytes": {
                "type": "integer",
                "minimum": 0,
                "description": "How many bytes of the chunk the lines tried cover.",
            },
        },
    ),
    "KeyInspectResponse": _object(
        ["is_set", "keys", "key_set"],
        {
            "is_set": {"type": "boolean"},
            "keys": {"type": "array", "items": {"type": "object"}, "minItems": 1},
            "key_set": {"type": ["object", "null"]},
        },
    ),
    "KeyGenerateResponse": _object(
        ["alg", "kid"], {"alg": {"type": "string"}, "kid": {"type": "string"}}
    ),
    "KeyConvertResponse": _object(
        ["to", "text", "value", "kids"],
        {
            "to": {"type": "string"},
            "text": {"type": "string"},
            "value": {"type": ["object", "null"]},
            "kids": {"type": "array", "items": {"type": "string"}},
        },
    ),
    "JwksFetchResponse": _object(
        ["jwks", "url", "key_count", "kids", "warnings"],
        {
            "jwks": {"type": "object"},
            "url": {"type": "string"},
            "key_count": {"type": "integer", "minimum": 0},
            "kids": {"type": "array", "items": {"type": "string"}},
            "warnings": {"type": "array", "items": _ref("Note")},
        },
    ),
    "EncodeResponse": _object(
        ["token", "alg", "key"],
        {"token": {"type": "string"}, "alg": {"type": "string"}, "key": _nullable("KeyInfo")},
    ),
}

SCHEMAS.update(
    {
        "DecryptRequest": _object(
            ["token", "key"],
            {
                "token": {"type": "string", "description": "A compact JWE (five parts)."},
                "key": {
                    "type": "string",
                    "description": "PEM, JWK, JWK Set (chosen by kid), secret or password.",
                },
                "inner_key": {
                    "type": "string",
                    "description": "The key to verify a nested (signed, then encrypted) token.",
                },
                "secret_encoding": _SECRET_ENCODING,
                **_CLOCK,
                **_CHECKS,
            },
        ),
        "JwePart": _object(
            ["name", "encoded", "bytes"],
            {
                "name": {"enum": ["protected", "encrypted_key", "iv", "ciphertext", "tag"]},
                "encoded": {"type": "string"},
                "bytes": {"type": ["integer", "null"], "minimum": 0},
            },
        ),
        "EncryptionKeyInfo": _object(
            ["type", "kind", "description", "source", "private", "size", "curve", "kid"],
            {
                "type": {"enum": ["oct", "RSA", "EC", "OKP"]},
                "kind": {"enum": ["secret", "RSA", "EC", "OKP"]},
                "description": {"type": "string"},
                "source": {"type": "string"},
                "private": {"type": ["boolean", "null"]},
                "size": {"type": "integer", "minimum": 0},
                "curve": _NULLABLE_STRING,
                "kid": _NULLABLE_STRING,
            },
        ),
        "DecryptResponse": _object(
            [
                "kind",
                "serialization",
                "decrypted",
                "reason_code",
                "reason",
                "header",
                "alg",
                "enc",
                "parts",
                "key",
                "plaintext",
                "plaintext_b64",
                "payload",
                "nested",
                "time",
                "claims",
                "findings",
            ],
            {
                "kind": {"const": "JWE"},
                "serialization": {"const": "compact"},
                "decrypted": {"type": "boolean"},
                "reason_code": {"enum": [*JWE_REASON_CODES, None]},
                "reason": {"type": "string"},
                "header": {"type": ["object", "null"]},
                "alg": _NULLABLE_STRING,
                "enc": _NULLABLE_STRING,
                "parts": {"type": "array", "items": _ref("JwePart"), "maxItems": 5},
                "key": _nullable("EncryptionKeyInfo"),
                "plaintext": {**_NULLABLE_STRING, "description": "When it is UTF-8 text."},
                "plaintext_b64": {**_NULLABLE_STRING, "description": "base64url of the bytes."},
                "payload": {
                    "type": ["object", "null"],
                    "description": "The claims, when the plaintext is a JSON object.",
                },
                "nested": {
                    "oneOf": [_ref("VerifyResponse"), {"type": "null"}],
                    "description": "The verify answer for a nested token (checked with "
                    "inner_key; reason no_inner_key without it).",
                },
                "time": _nullable("Time"),
                "claims": {"type": "array", "items": _ref("ClaimCheck")},
                "findings": {"type": "array", "items": {"type": "object"}},
            },
        ),
        "EncryptRequest": _object(
            ["header", "key"],
            {
                "header": _object(
                    ["alg", "enc"],
                    {"alg": {"type": "string"}, "enc": {"type": "string"}, "zip": {"const": "DEF"}},
                ),
                "key": {
                    "type": "string",
                    "description": "The recipient's key, secret or password.",
                },
                "payload": {"type": "object", "description": "Claims to encrypt (or to sign)."},
                "plaintext": {"type": "string", "description": "Any text to encrypt, as is."},
                "sign": _object(
                    ["header", "key"],
                    {"header": {"type": "object"}, "key": {"type": "string"}},
                    description="Sign the payload first and encrypt the token (cty JWT).",
                ),
                "secret_encoding": _SECRET_ENCODING,
            },
        ),
        "EncryptResponse": _object(
            ["token", "header", "alg", "enc", "key", "inner_token"],
            {
                "token": {"type": "string"},
                "header": {"type": "object"},
                "alg": {"type": "string"},
                "enc": {"type": "string"},
                "key": _ref("EncryptionKeyInfo"),
                "inner_token": _NULLABLE_STRING,
            },
        ),
    }
)


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {JSON: {"schema": schema}}}


def _errors() -> dict[str, Any]:
    described = {"description": "An error in the canonical shape.", **_json_content(_ref("Error"))}
    return {"4XX": described, "5XX": described}


def post(summary: str, request: str, response: str) -> dict[str, Any]:
    """A JSON POST operation taking the `request` schema and answering the `response` schema."""
    return {
        "post": {
            "summary": summary,
            "requestBody": {"required": True, **_json_content(_ref(request))},
            "responses": {
                "200": {"description": "The answer.", **_json_content(_ref(response))},
                **_errors(),
            },
        }
    }


PATHS: dict[str, Any] = {
    "/api/decode": post("Decode a token without a key.", "DecodeRequest", "DecodeResponse"),
    "/api/verify": post(
        "Decode a token and verify its signature with a key or secret.",
        "VerifyRequest",
        "VerifyResponse",
    ),
    "/api/explain": post(
        "How the signature is checked, step by step, and code that does the same.",
        "ExplainRequest",
        "ExplainResponse",
    ),
    "/api/encode": post(
        "Sign a header and payload with a key or secret.", "EncodeRequest", "EncodeResponse"
    ),
    "/api/keys/inspect": post(
        "Describe a key or key set, with its public JWK and PEM.",
        "KeyInspectRequest",
        "KeyInspectResponse",
    ),
    "/api/keys/generate": post(
        "Generate a key or secret for an algorithm.", "KeyGenerateRequest", "KeyGenerateResponse"
    ),
    "/api/keys/convert": post(
        "Convert keys between PEM, JWK and JWK Set.", "KeyConvertRequest", "KeyConvertResponse"
    ),
    "/api/jwks/fetch": post(
        "Fetch a JWK Set from a URL or discover it from an issuer.",
        "JwksFetchRequest",
        "JwksFetchResponse",
    ),
    "/api/attacks": post(
        "Forge the classic attack variants of a token.", "AttacksRequest", "AttacksResponse"
    ),
    "/api/secret-search": post(
        "Try one chunk of a wordlist as the HMAC secret of a token.",
        "SecretSearchRequest",
        "SecretSearchResponse",
    ),
    "/api/decrypt": post(
        "Decrypt a compact JWE with a key, key set, secret or password.",
        "DecryptRequest",
        "DecryptResponse",
    ),
    "/api/encrypt": post(
        "Encrypt claims, text or a signed token as a compact JWE.",
        "EncryptRequest",
        "EncryptResponse",
    ),
    "/api/openapi.json": {
        "get": {
            "summary": "This document.",
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    **_json_content({"type": "object"}),
                },
                **_errors(),
            },
        }
    },
}

_DESCRIPTION = (
    "The local JWT debugger's API. Every request must be addressed to the host and port the "
    "debugger listens on; a POST from a page of another origin is refused (403), and POST "
    "bodies must be sent as application/json (415 otherwise), at most 2 MiB (413)."
)


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of every endpoint under /api/."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "JWT Debugger API", "version": __version__, "description": _DESCRIPTION},
        "paths": copy.deepcopy(PATHS),
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
