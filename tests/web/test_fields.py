"""Request declarations: reading a body into typed values, and the JSON Schema of the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NotRequired, Required, TypedDict

import pytest
from jsonschema import Draft202012Validator

from debugger.errors import DebuggerError
from debugger.web.fields import AnyOf, OneOf, Request, field, read, request_schema, schema_of


@dataclass(frozen=True, kw_only=True)
class Sample(Request):
    name: str = field("A name.")
    count: int | None = field()
    ratio: float = field(default=0)
    flag: bool = field(default=False)
    tags: list[str] | None = field(min_items=1)
    either: str | list[str] | None = field()
    colour: str = field(default="red", choices=("red", "blue"))
    data: bytes | None = field()
    anything: Any = field(default=None)


@dataclass(frozen=True, kw_only=True)
class Choice(Request):
    a: str | None = field()
    b: str | None = field()
    c: str | None = field()

    rules = (AnyOf(("a", "b"), missing="a"), OneOf(("b", "c")))


def test_read_gives_typed_values_and_defaults():
    body = {"name": "n", "count": 3.0, "ratio": 2, "tags": ["x"], "data": "AAE=", "anything": [1]}
    sample = read(Sample, body)
    assert sample == Sample(
        name="n", count=3, ratio=2, tags=["x"], either=None, data=b"\x00\x01", anything=[1]
    )
    assert type(sample.count) is int
    assert (sample.colour, sample.flag) == ("red", False)


@pytest.mark.parametrize(
    ("body", "field_name"),
    (
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": 1}, "name"),
        ({"name": "n", "count": True}, "count"),
        ({"name": "n", "count": 1.5}, "count"),
        ({"name": "n", "ratio": True}, "ratio"),
        ({"name": "n", "ratio": float("nan")}, "ratio"),
        ({"name": "n", "ratio": 10**400}, "ratio"),
        ({"name": "n", "flag": 1}, "flag"),
        ({"name": "n", "tags": []}, "tags"),
        ({"name": "n", "tags": [1]}, "tags"),
        ({"name": "n", "tags": "x"}, "tags"),
        ({"name": "n", "either": 5}, "either"),
        ({"name": "n", "either": ["a", 5]}, "either"),
        ({"name": "n", "colour": "green"}, "colour"),
        ({"name": "n", "data": "a!"}, "data"),
        ({"name": "n", "data": 5}, "data"),
    ),
)
def test_read_refuses_a_field_and_names_it(body, field_name):
    with pytest.raises(DebuggerError) as raised:
        read(Sample, body)
    assert (raised.value.code, raised.value.field) == ("invalid_request", field_name)


@pytest.mark.parametrize(
    ("body", "field_name"),
    (({}, "a"), ({"c": "x"}, "a"), ({"a": "x"}, None), ({"b": "x", "c": "x"}, None)),
)
def test_read_applies_the_rules_that_tie_fields_together(body, field_name):
    with pytest.raises(DebuggerError) as raised:
        read(Choice, body)
    assert (raised.value.code, raised.value.field) == ("invalid_request", field_name)


def test_read_accepts_what_the_rules_allow():
    assert read(Choice, {"a": "x", "b": "y"}).b == "y"


def test_request_schema_describes_the_declared_fields():
    schema = request_schema(Sample)
    assert schema["required"] == ["name"]
    properties = schema["properties"]
    assert properties["name"] == {"type": "string", "description": "A name."}
    assert properties["count"] == {"type": "integer"}
    assert properties["tags"] == {"type": "array", "items": {"type": "string"}, "minItems": 1}
    assert properties["either"] == {"type": ["string", "array"], "items": {"type": "string"}}
    assert properties["colour"] == {"type": "string", "enum": ["red", "blue"], "default": "red"}
    assert properties["data"] == {"type": "string", "contentEncoding": "base64"}
    assert properties["anything"] == {}


def test_request_schema_puts_one_rule_at_the_top_and_several_under_all_of():
    assert "allOf" not in request_schema(Sample) and "anyOf" not in request_schema(Sample)
    assert request_schema(Choice.__mro__[0])["allOf"]
    several = request_schema(Choice)
    assert several["allOf"] == [
        {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
        {"oneOf": [{"required": ["b"]}, {"required": ["c"]}]},
    ]


class Position(TypedDict):
    line: int
    column: NotRequired[int]


class Answer(TypedDict):
    status: Literal["ok", "bad"]
    score: float
    note: str | None
    tags: list[str]
    where: Position
    extra: NotRequired[dict[str, Any]]


def test_schema_of_a_typed_dict():
    assert schema_of(Answer) == {
        "type": "object",
        "required": ["status", "score", "note", "tags", "where"],
        "properties": {
            "status": {"enum": ["ok", "bad"]},
            "score": {"type": "number"},
            "note": {"type": ["string", "null"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "where": {
                "type": "object",
                "required": ["line"],
                "properties": {"line": {"type": "integer"}, "column": {"type": "integer"}},
            },
            "extra": {"type": "object"},
        },
    }


def test_schema_of_a_typed_dict_checks_values_of_that_shape():
    check = Draft202012Validator(schema_of(Answer))
    good = {"status": "ok", "score": 1, "note": None, "tags": [], "where": {"line": 1}}
    assert check.is_valid(good)
    assert check.is_valid({**good, "more": True})
    for broken in ({**good, "status": "fine"}, {**good, "where": {}}, {**good, "tags": [1]}):
        assert not check.is_valid(broken)


def test_schema_of_refuses_a_type_it_cannot_describe():
    class Odd(TypedDict):
        values: set[int]

    with pytest.raises(TypeError):
        schema_of(Odd)


class Partial(TypedDict, total=False):
    code: Required[str]
    hint: str


def test_schema_of_reads_required_in_a_typed_dict_that_is_not_total():
    schema = schema_of(Partial)
    assert schema["required"] == ["code"]
    assert set(schema["properties"]) == {"code", "hint"}
