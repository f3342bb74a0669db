"""Callers' JSON Schemas (services/common/schemas.py): what is refused and why, RE2 regexes,
and that no reference is ever fetched."""
import http.server
import threading
import time

import jsonschema
import pytest
import referencing.exceptions

from services.common import schemas
from services.common.schema_validator import DRAFTS, build, to_re2

# The pattern from the report: catastrophic backtracking on any string that does not end in NUL.
EVIL = "^(.|.)*\\u0000$"


def refusal(schema) -> str:
    with pytest.raises(schemas.BadSchema) as caught:
        schemas.check(schema)
    return str(caught.value)


def fan_out(levels: int) -> dict:
    """Each definition applies the next one twice: 2**levels evaluations of the last."""
    defs = {f"a{i}": {"allOf": [{"$ref": f"#/$defs/a{i + 1}"}, {"$ref": f"#/$defs/a{i + 1}"}]} for i in range(levels)}
    return {"$defs": {**defs, f"a{levels}": {"type": "string"}}, "$ref": "#/$defs/a0"}


@pytest.mark.parametrize("schema, words", [
    ({"properties": {"a": {"$ref": "http://127.0.0.1:9/latest/meta-data"}}}, ["$ref at /properties/a", "inside the schema"]),
    ({"properties": {"a": {"$ref": "other.json#/x"}}}, ["$ref at /properties/a", "inside the schema"]),
    ({"$id": "http://evil.example/", "properties": {"a": {"$ref": "b.json"}}}, ["$ref at /properties/a"]),
    ({"properties": {"a": {"$ref": "#/definitions/nope"}}}, ["$ref at /properties/a", "points at nothing"]),
    ({"$defs": {"x": {"$anchor": "x"}}, "$ref": "#x"}, ["$ref at (root)", "inside the schema"]),
    ({"properties": {"pattern": {"type": "string"}, "a": {"$ref": "#/properties"}}}, ["$ref at /properties/a", "subschema"]),
    ({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}, ["$ref", "endless loop"]),
    ({"$ref": "#"}, ["$ref at (root)", "endless loop"]),
    ({"anyOf": [{"not": {"$ref": "#"}}]}, ["endless loop"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": {"$ref": "#"}}}, ["endless loop"]),
    (fan_out(16), ["expands to more than"]),
    ({"$dynamicRef": "#meta"}, ["$dynamicRef at (root)", "not supported"]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$recursiveRef": "#"}, ["$recursiveRef"]),
    ({"$schema": {}}, ["$schema must be one of"]),
    ({"$schema": "http://json-schema.org/draft-03/schema#"}, ["$schema must be one of"]),
    ({"$schema": "http://evil.example/schema"}, ["$schema must be one of"]),
    ({"properties": {"a": {"$schema": "http://json-schema.org/draft-04/schema#"}}}, ["$schema at /properties/a"]),
    ({"properties": {"a": {"$id": "http://evil.example/a", "$ref": "#/x"}}}, ["$id at /properties/a"]),
    ({"type": 5}, ["not a valid JSON Schema at /type"]),
    ({"properties": {"a": {"pattern": "(?=x)"}}}, ["/properties/a/pattern", "RE2"]),
    ({"properties": {"a": {"pattern": "(a)\\1"}}}, ["/properties/a/pattern", "RE2"]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "patternProperties": {"(?<=a)b": {}}},
     ["/patternProperties", "RE2"]),
    ({"pattern": "a" * 513}, ["at most 512"]),
    ({"pattern": "((a{100}){100}){100}"}, ["RE2"]),
    ({"anyOf": [{"pattern": f"^{i}$"} for i in range(65)]}, ["65 regular expressions"]),
    ({"enum": list(range(513))}, ["enum at (root)", "at most 512"]),
    ({"properties": {f"p{i}": {"type": "string"} for i in range(600)}}, ["keys; at most 1024"]),
    ({"description": "x" * 70_000}, ["at most 64 KiB"]),
    ({"patternProperties": {"^a": {}}, "unevaluatedProperties": False}, ["unevaluatedProperties"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "$defs": {"x": {"type": 5}},
      "properties": {"a": {"$ref": "#/$defs/x"}}}, ["/$defs/x/type"]),
])
def test_refusals_say_where_and_why(schema, words):
    message = refusal(schema)
    for word in words:
        assert word in message, message


def test_nesting_deeper_than_32_is_refused():
    schema: dict = {"type": "string"}
    for _ in range(33):
        schema = {"items": schema}
    assert "nested at most 32" in refusal(schema)


@pytest.mark.parametrize("schema", [
    {"type": "object", "properties": {"title": {"type": "string", "pattern": EVIL}}},
    {"$defs": {"node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
     "$ref": "#/$defs/node"},
    {"$id": "https://example.com/person.schema.json", "$defs": {"name": {"type": "string"}},
     "properties": {"first": {"$ref": "#/$defs/name"}}},
    {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"a b": {"type": "integer"}},
     "properties": {"n": {"$ref": "#/definitions/a%20b"}}},
    {"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"id": {"type": "string"}}},
    {"properties": {"héllo ✓": {"type": "string", "pattern": "^\\p{L}+$"}}},
    {"properties": {"a": True, "b": False}, "items": False},
    {"format": "regex"},
    fan_out(10),
])
def test_accepted(schema):
    schemas.check(schema)


def test_evil_pattern_is_evaluated_in_linear_time():
    validator = schemas.compiled('{"properties": {"t": {"type": "string", "pattern": "^(.|.)*\\\\u0000$"}}}')
    began = time.perf_counter()
    assert schemas.problems(validator, {"t": "a" * 100_000}) != []
    assert schemas.problems(validator, {"t": "a" * 1000 + "\x00"}) == []
    # A backtracking engine needs about 2**30 steps for the first string alone; RE2 takes microseconds.
    assert time.perf_counter() - began < 5


def test_pattern_properties_and_additional_properties_use_re2():
    validator = schemas.compiled('{"patternProperties": {"^(a|a)*$": {"type": "integer"}}, '
                                 '"additionalProperties": false}')
    errors = schemas.problems(validator, {"a" * 60 + "!": 1, "aa": "x"})
    assert any("does not match any of the regexes" in e for e in errors), errors
    assert any(e.startswith("/aa:") for e in errors), errors


def test_format_regex_is_checked_with_re2():
    validator = schemas.compiled('{"format": "regex"}')
    assert schemas.problems(validator, "(?=lookahead)") == ["(root): '(?=lookahead)' is not a 'regex'"]
    assert schemas.problems(validator, "^(a+)+$") == []


def test_ecma_unicode_escapes_become_re2_escapes():
    assert to_re2("^\\u00e9\\\\u0041$") == "^\\x{00e9}\\\\u0041$"


def test_a_root_dollar_schema_does_not_switch_to_python_regexes():
    # Evaluating the root again (here through "#") would make jsonschema pick its plain
    # class for the named draft, whose `pattern` is Python's backtracking `re`.
    schema = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": '
              '{"t": {"pattern": "^(.|.)*\\\\u0000$"}, "again": {"$ref": "#"}}}')
    validator = schemas.compiled(schema)
    began = time.perf_counter()
    assert schemas.problems(validator, {"again": {"t": "a" * 64}}) != []
    assert time.perf_counter() - began < 5


def test_data_errors_name_the_path():
    validator = schemas.compiled('{"properties": {"n": {"type": "integer"}}, "required": ["n", "m"]}')
    assert schemas.problems(validator, {"n": "x"}) == ["/n: 'x' is not of type 'integer'",
                                                       "(root): 'm' is a required property"]


def test_embedded_copy_follows_its_new_place():
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/s",
              "$defs": {"n": {"type": "integer"}}, "properties": {"a": {"$ref": "#/$defs/n"}, "b": {"$ref": "#"}}}
    inner = schemas.embedded(schema, "/properties/data")
    assert inner == {"$defs": {"n": {"type": "integer"}},
                     "properties": {"a": {"$ref": "#/properties/data/$defs/n"}, "b": {"$ref": "#/properties/data"}}}
    outer = {"type": "object", "properties": {"data": inner}}
    assert not jsonschema.Draft202012Validator(outer).is_valid({"data": {"a": "not a number"}})


@pytest.fixture
def listener():
    """An HTTP server that counts the requests it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = b'{"type": "integer"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_the_listener_sees_what_plain_jsonschema_fetches(listener):
    """The control: jsonschema's default registry retrieves a remote $ref."""
    url, seen = listener
    with pytest.warns(DeprecationWarning):
        assert not jsonschema.Draft202012Validator({"$ref": f"{url}/latest/meta-data"}).is_valid("x")
    assert seen == ["/latest/meta-data"]


def test_no_reference_is_ever_fetched(listener):
    url, seen = listener
    schema = {"properties": {"a": {"$ref": f"{url}/latest/meta-data"}}}
    assert "$ref at /properties/a" in refusal(schema)
    for draft in DRAFTS:  # even a validator built without the checks cannot retrieve
        with pytest.raises(referencing.exceptions.Unresolvable):
            build(draft, schema).is_valid({"a": 1})
    assert seen == []
