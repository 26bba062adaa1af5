"""Check real API answers against the published OpenAPI document."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from debugger.errors import ERROR_CODES
from debugger.web.openapi import document

DOCUMENT = document()
DOCUMENT_URI = "urn:jwt-debugger:openapi"
REGISTRY = Registry().with_resource(
    DOCUMENT_URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
)


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def validator(*parts: str) -> Draft202012Validator:
    """A validator for the schema at a JSON pointer into the document."""
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/{_pointer(*parts)}"}, registry=REGISTRY)


def request_validator(path: str) -> Draft202012Validator:
    """The validator of a POST endpoint's request body."""
    return validator("paths", path, "post", "requestBody", "content", "application/json", "schema")


def response_validator(path: str, method: str, status: int) -> Draft202012Validator:
    """The validator of an answer with this status: its own entry, or its class (`4XX`)."""
    responses = DOCUMENT["paths"][path][method]["responses"]
    key = str(status) if str(status) in responses else f"{str(status)[0]}XX"
    assert key in responses, f"{method.upper()} {path} does not document status {status}"
    return validator(
        "paths", path, method, "responses", key, "content", "application/json", "schema"
    )


def schema_problems(check: Draft202012Validator, value: Any) -> list[str]:
    """Every way `value` breaks the schema, as readable lines (empty when it conforms)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}"
        for error in check.iter_errors(value)
    ]


def assert_documented_answer(path: str, method: str, response) -> Any:
    """No 5xx, no cookie, no CORS header, JSON that matches the schema; errors in the one shape."""
    status = response.status_code
    text = response.get_data(as_text=True)
    assert status < 500, text[:500]
    assert "Set-Cookie" not in response.headers
    assert not [name for name in response.headers.keys() if name.lower().startswith("access-")]
    assert response.mimetype == "application/json", (status, response.mimetype)
    body = response.get_json()
    problems = schema_problems(response_validator(path, method, status), body)
    assert not problems, f"{method.upper()} {path} -> {status}: {problems[:5]}\n{text[:500]}"
    if status >= 400:
        assert body["error"]["code"] in ERROR_CODES
    return body
