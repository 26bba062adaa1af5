"""jsontext: strict parsing, and pretty/compact formatting that keeps every literal as written."""

from __future__ import annotations

import json

import pytest

from debugger.errors import INVALID_JSON, DebuggerError
from debugger.jose import jsontext


def _invalid(text: str, **kwargs) -> DebuggerError:
    with pytest.raises(DebuggerError) as caught:
        jsontext.loads(text, **kwargs)
    assert caught.value.code == INVALID_JSON
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ('{"a": 1}', {"a": 1}),
        ("  [1, 2.5, true, null]\n", [1, 2.5, True, None]),
        ('"text"', "text"),
        ("-0", 0),
        ('{"a": {"b": []}}', {"a": {"b": []}}),
    ),
)
def test_loads_reads_valid_json(text, expected):
    assert jsontext.loads(text) == expected


@pytest.mark.parametrize(
    "text",
    ("NaN", "Infinity", "-Infinity", '{"exp": NaN}', "[1, Infinity]", '{"a": -Infinity}'),
)
def test_loads_rejects_nan_and_infinity(text):
    _invalid(text)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    (
        ('{"a": 1,\n  }', 2, 3),
        ('{\n  "a": [1, 2,]\n}', 2, 14),
        ("[1, 2\n\n  3]", 3, 3),
        ("\n\n  nul", 3, 3),
    ),
)
def test_loads_names_line_and_column_of_syntax_error(text, line, column):
    error = _invalid(text)
    assert f"line {line}, column {column}" in error.message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    (
        ('{"a": 1}\n x', 2, 2),
        ('{"a": 1} {"b": 2}', 1, 10),
        ("[1] ]", 1, 5),
        ('"a" "b"', 1, 5),
    ),
)
def test_loads_rejects_trailing_text_with_its_position(text, line, column):
    error = _invalid(text)
    assert f"line {line}, column {column}" in error.message


def test_loads_accepts_surrounding_white_space():
    assert jsontext.loads(' \t\r\n{"a": 1} \n\t') == {"a": 1}


@pytest.mark.parametrize("text", ("", "   ", "\n"))
def test_loads_rejects_empty_text(text):
    _invalid(text)


@pytest.mark.parametrize(
    "text",
    ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000, "[" * 100_000),
)
def test_loads_reports_deep_nesting_as_invalid_json_not_recursion_error(text):
    _invalid(text)


def test_loads_error_carries_the_field_name():
    error = _invalid("{", field="header")
    assert error.field == "header"
    assert error.to_dict()["field"] == "header"
    assert error.to_dict()["code"] == INVALID_JSON


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("1e400", "1e400"),
        ('{"exp": 1e400}', {"exp": "1e400"}),
        ('{"exp": -1E+999}', {"exp": "-1E+999"}),
    ),
)
def test_loads_keeps_a_number_too_large_for_a_float_as_its_literal_text(text, expected):
    assert jsontext.loads(text) == expected


def test_loads_keeps_large_integers_exact():
    assert jsontext.loads('{"n": 12345678901234567890}')["n"] == 12345678901234567890


# Literals that json.loads + json.dumps would rewrite.
LITERALS = (
    "12345678901234567890",
    "12345678901234567890.0",
    "3.0",
    "1E+2",
    "1e-7",
    "-0",
    "-0.0",
    '"\\u003c"',
    '"a\\"b,}"',
    '"x: [1, 2], {y}"',
    '"back\\\\"',
    '"\\ud83d\\ude00"',
    '"caf\u00e9"',
    "{}",
    "[]",
    "true",
    "null",
)


@pytest.mark.parametrize("literal", LITERALS)
def test_pretty_keeps_literals_exactly_as_written(literal):
    text = '{"value": ' + literal + ', "list": [' + literal + "]}"
    pretty = jsontext.pretty(text)
    assert f'"value": {literal},' in pretty
    assert f"\n    {literal}\n" in pretty
    assert jsontext.loads(pretty) == jsontext.loads(text)


@pytest.mark.parametrize("literal", LITERALS)
def test_compact_keeps_literals_exactly_as_written(literal):
    text = '{ "value" :  ' + literal + ' ,\n  "list": [ ' + literal + " ] }"
    assert jsontext.compact(text) == '{"value":' + literal + ',"list":[' + literal + "]}"


def test_pretty_indents_nested_structures():
    text = '{"a":1,"b":[true,{"c":null}],"d":{}}'
    expected = [
        "{",
        '  "a": 1,',
        '  "b": [',
        "    true,",
        "    {",
        '      "c": null',
        "    }",
        "  ],",
        '  "d": {}',
        "}",
    ]
    assert jsontext.pretty(text) == "\n".join(expected)


def test_pretty_uses_the_given_indent():
    assert jsontext.pretty('{"a":[1]}', indent="\t") == '{\n\t"a": [\n\t\t1\n\t]\n}'


@pytest.mark.parametrize("text", ("{}", "[]", " { } ", "[ ]"))
def test_pretty_keeps_empty_containers_on_one_line(text):
    assert jsontext.pretty(text) == text.replace(" ", "")


def test_pretty_and_compact_keep_duplicate_members_in_order():
    text = '{"a": 1, "b": 2, "a": 3}'
    pretty = jsontext.pretty(text)
    assert pretty == '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}'
    assert jsontext.compact(text) == '{"a":1,"b":2,"a":3}'


def test_pretty_keeps_white_space_inside_strings():
    text = '{"s": "two  spaces\\tand: a, comma"}'
    assert jsontext.pretty(text) == '{\n  "s": "two  spaces\\tand: a, comma"\n}'
    assert jsontext.compact(text) == '{"s":"two  spaces\\tand: a, comma"}'


ROUND_TRIP = (
    '{"sub":"1234567890","name":"John Doe","iat":1516239022}',
    '{"n":12345678901234567890,"f":3.0,"e":1E+2,"s":"\\u003c","q":"a\\"b,}"}',
    '{"a":{},"b":[],"c":[{}],"d":[[]],"e":{"f":{"g":[1,[2,[3]]]}}}',
    '{"a":1,"a":2}',
    '[1,"two",null,true,false,-0.5e10]',
    '"just a string"',
    "12345678901234567890",
)


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_compact_of_pretty_gives_back_the_compact_text(text):
    assert jsontext.compact(jsontext.pretty(text)) == text


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_pretty_output_is_valid_json_with_the_same_value(text):
    pretty = jsontext.pretty(text)
    assert json.loads(pretty) == json.loads(text)
    assert jsontext.pretty(jsontext.compact(pretty)) == pretty


def test_dumps_keeps_member_order_and_non_ascii_text():
    assert jsontext.dumps({"b": 1, "a": "caf\u00e9"}) == '{"b":1,"a":"caf\u00e9"}'


def _nested(depth: int) -> str:
    return '{"a":' * (depth - 1) + "[]" + "}" * (depth - 1)


def test_loads_reads_objects_and_arrays_nested_up_to_the_limit():
    value = jsontext.loads(_nested(jsontext.MAX_DEPTH), field="payload")
    depth = 1
    while value != []:
        value, depth = value["a"], depth + 1
    assert depth == jsontext.MAX_DEPTH


@pytest.mark.parametrize("depth", (jsontext.MAX_DEPTH + 1, 330, 600, 950))
def test_loads_refuses_json_nested_beyond_the_limit(depth):
    assert _invalid(_nested(depth), field="payload").field == "payload"


def test_brackets_inside_strings_do_not_count_towards_the_depth():
    text = json.dumps({"a": "[{" * 1000})
    assert jsontext.loads(text) == {"a": "[{" * 1000}


def test_check_depth_takes_wide_values_and_refuses_deep_ones():
    jsontext.check_depth({"a": [[1, {"b": []}]] * 10_000})
    deep: list = []
    for _ in range(10_000):  # deeper than recursion could walk
        deep = [deep]
    with pytest.raises(DebuggerError) as caught:
        jsontext.check_depth(deep, field="payload")
    assert caught.value.code == INVALID_JSON and caught.value.field == "payload"


@pytest.mark.parametrize("value", (1, "text", None, True, 2.5))
def test_check_depth_takes_a_value_that_is_not_a_container(value):
    jsontext.check_depth(value)
