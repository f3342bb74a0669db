"""Callers' JSON Schemas through the real stack: refused at POST through Envoy with a 400
naming `schema`, never fetched, never a 5xx, and regexes on RE2 in the indexer and the worker."""
import json
import uuid

import httpx

from dev.replica.content import hn
from tests import page_readers as read
from tests.conftest import wait_terminal
from tests.scripted_llm import finish

HN = "https://news.ycombinator.com/"
TOP = hn.build_stories()[0]
# Exponential backtracking on any string that does not end in NUL (as the report sent it).
EVIL = "^(.|.)*\\u0000$"


def post(api, schema, task: str = "What is the title?", **extra) -> httpx.Response:
    return api.post("/v1/tasks", json={"endUserId": "alice", "task": task, "schema": schema, **extra})


def refusal(api, schema) -> str:
    response = post(api, schema)
    assert response.status_code == 400, response.text
    return response.json()["message"]


def counting_site(local_site) -> tuple[str, list[str]]:
    """A local server that records every path requested of it."""
    seen: list[str] = []
    return local_site(lambda path: (seen.append(path) or b'{"type": "string"}', [])), seen


def test_a_remote_ref_is_a_400_and_nothing_is_fetched(api, local_site):
    url, seen = counting_site(local_site)
    for ref in (f"{url}/latest/meta-data", f"{url}/s.json#/definitions/x"):
        message = refusal(api, {"type": "object", "properties": {"a": {"$ref": ref}}})
        assert message.startswith("schema: $ref at /properties/a: only references inside the schema"), message
    message = refusal(api, {"$id": f"{url}/root.json", "properties": {"a": {"$ref": "other.json"}}})
    assert message.startswith("schema: $ref at /properties/a"), message
    assert api.get("/v1/tasks").json().get("tasks", []) == []
    assert seen == []


def test_a_dangling_ref_is_a_400(api):
    message = refusal(api, {"properties": {"a": {"$ref": "#/definitions/nope"}}})
    assert message == "schema: $ref at /properties/a: '#/definitions/nope' points at nothing in the schema"


def test_an_unknown_dollar_schema_is_a_400(api):
    assert refusal(api, {"$schema": {}}).startswith("schema: $schema must be one of https://json-schema.org/")
    assert refusal(api, {"$schema": "http://json-schema.org/draft-03/schema#"}).startswith("schema: $schema")


def test_a_pattern_re2_cannot_compile_is_a_400_naming_its_path(api):
    message = refusal(api, {"properties": {"word": {"type": "string", "pattern": "^(?!bad)"}}})
    assert message.startswith("schema: not a valid JSON Schema at /properties/word/pattern"), message
    assert "RE2" in message


# Each: accepted (201) and then ends completed or schema_unsatisfiable, or refused with a 400
# naming `schema`. Never a 5xx, never internal_error.
NASTY = [
    {"$schema": {}}, {"$schema": 5}, {"$schema": None}, {"$schema": "https://json-schema.org/draft/2020-12/schema#"},
    {"$ref": "#"}, {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
    {"$defs": {"x": {"type": "object", "properties": {"next": {"$ref": "#/$defs/x"}}}}, "$ref": "#/$defs/x"},
    {"$defs": {"x": {"anyOf": [{"$ref": "#/$defs/x"}, {"type": "string"}]}}, "$ref": "#/$defs/x"},
    {"enum": list(range(5000))}, {"enum": ["a"] * 600}, {"type": 5}, {"type": "strin"}, {"type": []},
    {"$id": "http://evil.example/", "properties": {"a": {"$ref": "b.json"}}},
    {"$id": "http://evil.example/", "$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s"}}},
    {"$dynamicRef": "#meta"}, {"$dynamicAnchor": "meta", "properties": {"a": {"$dynamicRef": "#meta"}}},
    {"$schema": "https://json-schema.org/draft/2019-09/schema", "$recursiveAnchor": True, "$recursiveRef": "#"},
    {"properties": {"r": {"type": "string", "format": "regex"}}},
    {"properties": {"ünï cødé ✓": {"type": "string"}, "": {"type": "string"}, "$ref": {"type": "string"}}},
    {"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
    {"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": {"$ref": "#"}}},
    {"dependencies": 5}, {"properties": {"a": True, "b": False}}, {"not": True}, {"items": False}, {"allOf": []},
    {"properties": {"a": {"$ref": "#/properties"}}}, {"if": {"$ref": "#"}}, {"$anchor": "x", "$ref": "#x"},
    {"properties": {"t": {"pattern": EVIL}}}, {"patternProperties": {EVIL: {"type": "string"}}},
    {"propertyNames": {"pattern": EVIL}}, {"pattern": "(a)\\1"}, {"pattern": "\\"}, {"pattern": "(?P<n>a)"},
    {"required": "a"}, {"minLength": -1}, {"multipleOf": 0}, {"maximum": "1"},
    {"default": {"$ref": "http://169.254.169.254/"}}, {"contentSchema": {"$ref": "http://169.254.169.254/"}},
    {"$comment": "x" * 70_000}, {"properties": {str(i): {} for i in range(1100)}},
    {"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": True, "minimum": 1},
    {"$schema": "http://json-schema.org/draft-04/schema#", "definitions": {"a": {"id": "http://evil/"}}},
]
DATA = {"a": "x" * 40, "t": "y" * 40, "r": "(?=x)", "next": {"next": {}}}


def test_nasty_schemas_are_a_400_or_run_to_a_documented_end(api, llm, local_site):
    page = local_site(lambda path: (b"<title>plain</title><p>a page</p>", [])) + "/"
    script = llm.script(finish("done", DATA))
    findings, accepted = [], []
    for schema in NASTY:
        response = post(api, schema, task=f"Report ({script.marker})", startUrl=page)
        if response.status_code == 201:
            accepted.append((schema, response.json()["taskId"]))
        elif response.status_code != 400 or not response.json()["message"].startswith("schema: "):
            findings.append(f"{json.dumps(schema)[:120]} -> {response.status_code} {response.text[:200]}")
    for schema, task_id in accepted:
        record = wait_terminal(api, task_id, timeout=90)
        if record.get("errorCode") not in (None, "schema_unsatisfiable"):
            findings.append(f"{json.dumps(schema)[:120]} -> {record['status']} {record.get('errorCode')}: "
                            f"{record.get('error', '')[:200]}")
    assert not findings, "\n".join(findings)
    assert len(accepted) >= 10  # the list holds acceptable schemas too


def other_tenant_is_answered_from_the_index(stack) -> None:
    """Another business's indexed question is answered by the indexer (not the browser)."""
    other = json.loads(stack.admin("business", "create", f"other-{uuid.uuid4().hex[:6]}", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"},
                      timeout=30) as client:
        created = client.post("/v1/tasks", json={"endUserId": "bob", "task": "What is the title of the top story?",
                                                 "startUrl": HN})
        record = wait_terminal(client, created.json()["taskId"])
    assert record["status"] == "completed" and record["result"] == TOP.title, record
    assert "indexed" in record["stepSummaries"][1]["msg"], record["stepSummaries"]


def test_an_evil_pattern_is_answered_by_the_indexer_and_other_tenants_are_unaffected(stack, api):
    # Python's re tries the first branch on the title exponentially long before the empty one matches.
    schema = {"type": "object", "properties": {"title": {"type": "string", "pattern": EVIL + "|"}}, "required": ["title"]}
    created = post(api, schema, task="What is the title of the top story?", startUrl=HN)
    assert created.status_code == 201, created.text
    record = wait_terminal(api, created.json()["taskId"])
    assert record["status"] == "completed", record
    assert [s["type"] for s in record["stepSummaries"]] == ["discovery", "planning", "execution"], record
    assert record["structured_content"] == {"title": TOP.title}
    other_tenant_is_answered_from_the_index(stack)


def test_the_evil_pattern_is_evaluated_fast_by_the_indexer_and_the_worker(stack, api, llm):
    # The indexer reads the title, which does not match: it declines, and the browser path runs.
    schema = {"type": "object", "properties": {"title": {"type": "string", "pattern": EVIL}}, "required": ["title"]}
    question = "What is the title of the top story?"
    reader = read.reading(read.hn_title, lambda text: {"title": read.hn_title(text) + "!" * 40})

    def reply(prompt: str) -> dict:  # a long title first (no match), then a value that matches
        return finish("fixed", {"title": "fixed\u0000"}) if "did not match the schema" in prompt else reader(prompt)

    script = llm.script(reply, marker=question)
    try:
        created = post(api, schema, task=question, startUrl=HN)
        assert created.status_code == 201, created.text
        record = wait_terminal(api, created.json()["taskId"], timeout=90)
    finally:
        llm.drop(script)
    assert record["status"] == "completed", record
    assert record["stepSummaries"][0]["type"] == "navigation"  # not answered from the index
    assert record["structured_content"] == {"title": "fixed\u0000"}
    assert "does not match" in script.prompts[-1]  # the worker evaluated the pattern on the long title
    other_tenant_is_answered_from_the_index(stack)
