"""The OpenAPI document of the JSON API, served at /api/openapi.json.

A test keeps it in step with the code: every route under /api/ is described here and every path
described here is a route, and real answers validate against the schemas. The request schemas
come from the declarations in `requests` that the views read requests with. Response objects
list the fields the API promises; answers may carry more (fields are added, never removed).
"""

from __future__ import annotations

import copy
from typing import Any

from .. import __version__
from ..codes import JWE_REASON_CODES, RESULT_CODES
from ..errors import ERROR_CODES
from .fields import request_schema
from .requests import ENDPOINTS, Endpoint

JSON = "application/json"

#: A JSON Schema or OpenAPI object: open JSON, as the OpenAPI specification defines it.
Schema = dict[str, Any]

_NULLABLE_STRING = {"type": ["string", "null"]}
_ANY: Schema = {}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], properties: Schema, **extra: Any) -> Schema:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _nullable(name: str) -> Schema:
    return {"oneOf": [_ref(name), {"type": "null"}]}


_STRINGS = {"type": "array", "items": {"type": "string"}}

#: The answers' schemas, written by hand until the core declares its answers as TypedDicts.
ANSWER_SCHEMAS: Schema = {
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
            "status": {
                "enum": ["valid", "expired", "not_yet_valid", "no_exp", "invalid", "unknown"]
            },
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
            "result",
            "time",
            "kind",
            "serialization",
        ],
        {
            "result": _object(
                ["code", "message", "next_step"],
                {
                    "code": {"enum": list(RESULT_CODES)},
                    "message": {"type": "string"},
                    "next_step": _NULLABLE_STRING,
                },
                description="The overall result in one line and the most useful next step.",
            ),
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

ANSWER_SCHEMAS.update(
    {
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


def _json_content(schema: Schema) -> Schema:
    return {"content": {JSON: {"schema": schema}}}


def _errors() -> Schema:
    described = {"description": "An error in the canonical shape.", **_json_content(_ref("Error"))}
    return {"4XX": described, "5XX": described}


def _request_name(endpoint: Endpoint) -> str:
    """`DecodeRequest`: the name of the first declaration the endpoint reads."""
    return endpoint.reads[0].__name__


def post(summary: str, request: str, response: str) -> Schema:
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


#: Each request's schema, from the declaration the endpoint reads the request with.
REQUEST_SCHEMAS = {
    _request_name(endpoint): request_schema(*endpoint.reads) for endpoint in ENDPOINTS.values()
}
SCHEMAS = {**ANSWER_SCHEMAS, **REQUEST_SCHEMAS}

PATHS: Schema = {
    **{
        path: post(endpoint.summary, _request_name(endpoint), endpoint.answer)
        for path, endpoint in ENDPOINTS.items()
    },
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


def document() -> Schema:
    """The OpenAPI 3.1 description of every endpoint under /api/."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "JWT Debugger API", "version": __version__, "description": _DESCRIPTION},
        "paths": copy.deepcopy(PATHS),
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
