"""Typed declarations of JSON bodies: read a request from one, and describe it as JSON Schema.

A request is a frozen dataclass whose fields are made with `field()`; their annotations say the
JSON type (`str`, `bool`, `int`, `float`, `bytes` sent as base64, `list[str]`, unions of these,
`Any` for any JSON value), a `| None` or a default makes a field optional. `read()` turns a body
into an instance or raises `DebuggerError(INVALID_REQUEST, ..., field=name)`; `request_schema()`
gives the OpenAPI schema of the same fields, so the two cannot drift apart. `schema_of()` does the
same for an answer declared as a `TypedDict`.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import sys
import types
from collections.abc import Mapping
from functools import cache
from typing import (
    Annotated,
    Any,
    ClassVar,
    Literal,
    NotRequired,
    Required,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from ..errors import INVALID_REQUEST, DebuggerError

#: A JSON Schema object, or a request body before it is read: open JSON by definition.
Schema = dict[str, Any]

_ABOUT = "api"
#: The JSON Schema type of each Python type a field may have (bytes travel as base64 text).
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", bytes: "string"}
#: How error messages name the type a field must have.
_NAMES = {**_JSON_TYPES, list: "list", dict: "object"}


@dataclasses.dataclass(frozen=True)
class About:
    """What a field's annotation cannot say: its description, allowed values and limits."""

    description: str = ""
    choices: tuple[str, ...] = ()
    min_items: int | None = None


def field(
    description: str = "",
    *,
    default: Any = dataclasses.MISSING,
    choices: tuple[str, ...] = (),
    min_items: int | None = None,
) -> Any:
    """A request field; without `default` (and without `| None`) the request needs it."""
    about = About(description, choices, min_items)
    return dataclasses.field(default=default, metadata={_ABOUT: about})


@dataclasses.dataclass(frozen=True)
class AnyOf:
    """At least one of `names` must be given; when none is, the request needs `missing`."""

    names: tuple[str, ...]
    missing: str

    def check(self, given: Mapping[str, Any]) -> None:
        if not any(given.get(name) is not None for name in self.names):
            raise DebuggerError(
                INVALID_REQUEST, f'The request needs "{self.missing}".', field=self.missing
            )

    def schema(self) -> Schema:
        return {"anyOf": [{"required": [name]} for name in self.names]}


@dataclasses.dataclass(frozen=True)
class OneOf:
    """Exactly one of `names` must be given."""

    names: tuple[str, ...]

    def check(self, given: Mapping[str, Any]) -> None:
        if sum(given.get(name) is not None for name in self.names) != 1:
            quoted = " or ".join(f'"{name}"' for name in self.names)
            raise DebuggerError(INVALID_REQUEST, f"Give either {quoted}, not both.")

    def schema(self) -> Schema:
        return {"oneOf": [{"required": [name]} for name in self.names]}


class Request:
    """The base of request declarations: rules that tie several fields together."""

    rules: ClassVar[tuple[AnyOf | OneOf, ...]] = ()


@dataclasses.dataclass(frozen=True)
class Spec:
    """One field of a request, as declared."""

    name: str
    annotation: Any
    required: bool
    default: Any
    about: About

    def schema(self) -> Schema:
        schema = schema_of_type(self.annotation)
        if self.about.choices:
            schema["enum"] = list(self.about.choices)
        if self.about.min_items is not None:
            schema["minItems"] = self.about.min_items
        if self.default is not None:
            schema["default"] = self.default
        if self.about.description:
            schema["description"] = self.about.description
        return schema

    def read(self, value: Any) -> Any:
        value = _checked(self.name, self.annotation, value)
        if self.about.choices and value not in self.about.choices:
            choices = ", ".join(f'"{choice}"' for choice in self.about.choices)
            raise _invalid(self.name, f'"{self.name}" must be one of {choices}.')
        if self.about.min_items is not None and len(value) < self.about.min_items:
            least = self.about.min_items
            raise _invalid(self.name, f'"{self.name}" needs at least {least} item(s).')
        return value


_SPECS: dict[type[Request], tuple[Spec, ...]] = {}


def specs(request_type: type[Request]) -> tuple[Spec, ...]:
    """The fields a request declaration takes, the required ones first: the order of checks."""
    if request_type not in _SPECS:
        _SPECS[request_type] = _specs(request_type)
    return _SPECS[request_type]


def _specs(request_type: type[Request]) -> tuple[Spec, ...]:
    hints = get_type_hints(request_type)
    found = []
    for item in dataclasses.fields(request_type):  # type: ignore[arg-type]
        annotation, optional = _without_none(hints[item.name])
        required = item.default is dataclasses.MISSING and not optional
        default = None if item.default is dataclasses.MISSING else item.default
        about = item.metadata.get(_ABOUT, About())
        found.append(Spec(item.name, annotation, required, default, about))
    return tuple(sorted(found, key=lambda spec: not spec.required))


R = TypeVar("R", bound=Request)


def read(request_type: type[R], body: Mapping[str, Any]) -> R:
    """The request `body` as `request_type`; absent and null fields take their default."""
    given: Schema = {}
    for spec in specs(request_type):
        value = body.get(spec.name)
        if value is not None:
            given[spec.name] = spec.read(value)
        elif spec.required:
            raise _invalid(spec.name, f'The request needs "{spec.name}".')
    for rule in request_type.rules:
        rule.check(given)
    defaults = {spec.name: spec.default for spec in specs(request_type)}
    return request_type(**{**defaults, **given})


def request_schema(*request_types: type[Request]) -> Schema:
    """The JSON Schema of a body that carries the fields of all `request_types`."""
    properties: Schema = {}
    required: list[str] = []
    rules: list[Schema] = []
    for request_type in request_types:
        for spec in specs(request_type):
            properties[spec.name] = spec.schema()
            if spec.required:
                required.append(spec.name)
        rules.extend(rule.schema() for rule in request_type.rules)
    schema: Schema = {"type": "object", "required": required, "properties": properties}
    if len(rules) == 1:
        schema.update(rules[0])
    elif rules:
        schema["allOf"] = rules
    return schema


def schema_of(typed_dict: type) -> Schema:
    """The JSON Schema of a `TypedDict`: its keys, which are required, and the type of each.

    Extra keys are allowed: answers may gain fields, never lose them.
    """
    # `Required` and `NotRequired` are read here: when annotations are strings (PEP 563), Python
    # 3.11's TypedDict cannot see them, and counts every key of a total TypedDict as required.
    hints = get_type_hints(typed_dict, include_extras=True)
    required, properties = [], {}
    for name, hint in hints.items():
        marker = get_origin(hint)
        if marker in (Required, NotRequired):
            (hint,) = get_args(hint)
        if marker is Required or (
            marker is not NotRequired and name in typed_dict.__required_keys__  # type: ignore[attr-defined]
        ):
            required.append(name)
        properties[name] = schema_of_type(hint)
    return {"type": "object", "required": required, "properties": properties}


def schema_of_type(annotation: Any) -> Schema:
    """The JSON Schema of a Python annotation (see the module's docstring for what is known)."""
    if annotation is Any:
        return {}
    if get_origin(annotation) is Annotated:
        return schema_of_type(get_args(annotation)[0])
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    if annotation in _JSON_TYPES:
        schema = {"type": _JSON_TYPES[annotation]}
        return {**schema, "contentEncoding": "base64"} if annotation is bytes else schema
    if is_typeddict(annotation):
        return schema_of(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (list, tuple):
        return {"type": "array", "items": schema_of_type(args[0])}
    if origin is dict or annotation is dict:
        return {"type": "object"}
    if _is_union(annotation):
        return _union_schema([schema_of_type(arg) for arg in args])
    raise TypeError(f"No JSON Schema for {annotation!r}.")


def _union_schema(members: list[Schema]) -> Schema:
    """`{"type": [...]}` when the members differ only in type, `anyOf` otherwise."""
    if all(set(member) <= {"type", "items"} and "type" in member for member in members):
        merged: Schema = {"type": [member["type"] for member in members]}
        for member in members:
            if "items" in member:
                merged["items"] = member["items"]
        return merged
    return {"anyOf": members}


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """`X | None` is `X`, optional."""
    if _is_union(annotation) and type(None) in get_args(annotation):
        rest = tuple(arg for arg in get_args(annotation) if arg is not type(None))
        return (rest[0] if len(rest) == 1 else Union[rest]), True  # noqa: UP007
    return annotation, False


def _invalid(name: str, message: str) -> DebuggerError:
    return DebuggerError(INVALID_REQUEST, message, field=name)


def _checked(name: str, annotation: Any, value: Any) -> Any:
    """`value` when it has the JSON type of `annotation`, converted (base64 to bytes)."""
    if annotation is Any:
        return value
    members = _members(annotation)
    for member, kind in members:
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
            return _converted(name, member, value)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return _converted(name, member, value)
        if kind is int and isinstance(value, float) and value.is_integer():
            return int(value)  # JSON Schema counts 2.0 as an integer
        if kind is bytes and isinstance(value, str):
            return _converted(name, member, value)
    names = " or ".join(dict.fromkeys(_NAMES[kind] for _, kind in members))
    raise _invalid(name, f'"{name}" must be a {names}.')


# Read once per annotation: every request reads the same few, field by field.
@cache
def _members(annotation: Any) -> tuple[tuple[Any, Any], ...]:
    """Each member of `annotation` (itself, or each member of a union) with its runtime class."""
    members = get_args(annotation) if _is_union(annotation) else (annotation,)
    return tuple((member, get_origin(member) or member) for member in members)


@cache
def _list_item(annotation: Any) -> Any:
    """The item type of `list[X]`, else None."""
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def _converted(name: str, annotation: Any, value: Any) -> Any:
    if annotation is float and not abs(value) <= sys.float_info.max:
        # Refuses NaN, infinities and integers beyond any float (10**400), which overflow later.
        raise _invalid(name, f'"{name}" must be a finite number.')
    if annotation is bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (ValueError, binascii.Error) as err:
            raise _invalid(name, f'"{name}" is not valid base64.') from err
    item = _list_item(annotation)
    if item is not None:
        if not all(isinstance(entry, item) for entry in value):
            raise _invalid(name, f'"{name}" must be a list of {_NAMES[item]}s.')
    return value


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """A JSON POST endpoint: what it does, what it reads, and the name of its answer's schema."""

    summary: str
    reads: tuple[type[Request], ...]
    answer: str
