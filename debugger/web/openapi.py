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
from ..analysis.attacks import ForgedVariants
from ..analysis.extract import Extracted
from ..analysis.jwe_report import DecryptReport
from ..analysis.key_recovery import RecoveredKey
from ..analysis.keyinfo import KeyInspection
from ..analysis.report import DecodeReport, VerifyReport
from ..analysis.scan import ScanAnswer
from ..analysis.weak_secrets import SearchReport
from ..errors import ERROR_CODES
from ..jose.certs import SelfSignedCertificate
from ..jose.conversions import Converted
from ..jose.dpop import DpopCheck
from ..jose.jwe_encrypt import Encrypted
from ..jose.keygen import GeneratedKey
from ..jose.sign import Encoded
from ..net.jwks import FetchedJwks
from ..net.oauth import ProviderMetadata
from ..net.oauth_flow import AuthorizationStart
from ..net.probe import Previewed, ProbeAnswer
from ..teach.explain import ExplainReport
from .fields import Endpoint, Schema, request_schema, schema_of_type
from .oauth_service import DevicePoll, DeviceStart, TokenResult
from .requests import ENDPOINTS

JSON = "application/json"


_NULLABLE_STRING = {"type": ["string", "null"]}
_ANY: Schema = {}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], properties: Schema, **extra: Any) -> Schema:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _nullable(name: str) -> Schema:
    return {"oneOf": [_ref(name), {"type": "null"}]}


_STRINGS = {"type": "array", "items": {"type": "string"}}

#: The error answer, the same for every endpoint; the others come from the core's TypedDicts.
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
}

#: Answers whose schema is made from the TypedDict the core returns: one place to change.
GENERATED_ANSWERS: dict[str, Any] = {
    "DecodeResponse": DecodeReport,
    "VerifyResponse": VerifyReport,
    "ExplainResponse": ExplainReport,
    "EncodeResponse": Encoded,
    "AttacksResponse": ForgedVariants,
    "SecretSearchResponse": SearchReport,
    "RecoverKeyResponse": RecoveredKey,
    "KeyInspectResponse": KeyInspection,
    "KeyGenerateResponse": GeneratedKey,
    "KeyConvertResponse": Converted,
    "KeyCertificateResponse": SelfSignedCertificate,
    "JwksFetchResponse": FetchedJwks,
    "DecryptResponse": DecryptReport,
    "EncryptResponse": Encrypted,
    "ProbeResponse": ProbeAnswer,
    "ProbePreviewResponse": Previewed,
    "ProbeAttacksResponse": ScanAnswer,
    "ExtractResponse": Extracted,
    "DpopCheckResponse": DpopCheck,
    "OAuthDiscoverResponse": ProviderMetadata,
    "OAuthStartResponse": AuthorizationStart,
    "OAuthTokenResponse": TokenResult,
    "OAuthDeviceResponse": DeviceStart,
    "OAuthDevicePollResponse": DevicePoll,
}
ANSWER_SCHEMAS.update({name: schema_of_type(model) for name, model in GENERATED_ANSWERS.items()})


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
