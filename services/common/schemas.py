"""Callers' JSON Schemas: the one place that checks them and validates data with them.

`check` runs at POST (the gateway answers 400 `schema: …` with its message) and again
wherever a schema is used (`compiled`), so a schema stored before a rule existed cannot
reach jsonschema unchecked either. Validation itself is `schema_validator`: RE2 regexes,
no retrieval of references. The limits are the constants below (docs/security.md, "Schemas").
"""
import copy
import functools
import itertools
import json
from collections.abc import Iterable
from typing import Any

import jsonschema
import referencing.exceptions
from jsonschema.protocols import Validator

from services.common.schema_graph import BadSchema as BadSchema  # re-exported: callers catch schemas.BadSchema
from services.common.schema_graph import Graph, escape
from services.common.schema_validator import FORMAT_CHECKER, RegexError, build, regex

MAX_BYTES = 64 * 1024       # the schema as compact JSON
MAX_DEPTH = 32              # nesting of objects and arrays
MAX_KEYS = 1024             # object members in the whole document (keywords, property names, …)
MAX_ENUM = 512              # values of one enum
MAX_PATTERNS = 64           # pattern and patternProperties expressions in all
MAX_PATTERN_CHARS = 512     # one expression
MAX_REFS = 256              # $ref keywords in all
MAX_EXPANDED = 5000         # subschemas evaluated in place, with every $ref expanded

DRAFT_URIS: dict[str, type[Validator]] = {
    "https://json-schema.org/draft/2020-12/schema": jsonschema.Draft202012Validator,
    "https://json-schema.org/draft/2019-09/schema": jsonschema.Draft201909Validator,
    "http://json-schema.org/draft-07/schema": jsonschema.Draft7Validator,
    "http://json-schema.org/draft-06/schema": jsonschema.Draft6Validator,
    "http://json-schema.org/draft-04/schema": jsonschema.Draft4Validator,
}
DEFAULT_DRAFT: type[Validator] = jsonschema.Draft202012Validator
# Sample instances every accepted schema is evaluated against once: nothing may raise.
SAMPLES: tuple[object, ...] = (None, True, 0, 1.5, "", "a", [], [None], {}, {"a": None})


def draft_of(schema: Any) -> type[Validator]:
    """The draft `$schema` names (absent: 2020-12); BadSchema for anything else."""
    if not isinstance(schema, dict) or "$schema" not in schema:
        return DEFAULT_DRAFT
    uri = schema["$schema"]
    if not isinstance(uri, str) or uri.rstrip("#") not in DRAFT_URIS:
        shown = json.dumps(uri)[:80]
        raise BadSchema(f"$schema must be one of {', '.join(DRAFT_URIS)} (or absent), not {shown}")
    return DRAFT_URIS[uri.rstrip("#")]


def check(schema: Any) -> type[Validator]:
    """Raises BadSchema unless `schema` is within the limits and safe to evaluate; returns its draft."""
    if not isinstance(schema, (dict, bool)):
        raise BadSchema("must be a JSON object")
    if len(json.dumps(schema, separators=(",", ":")).encode()) > MAX_BYTES:
        raise BadSchema(f"must be at most {MAX_BYTES // 1024} KiB")
    if depth(schema) > MAX_DEPTH:
        raise BadSchema(f"must be nested at most {MAX_DEPTH} levels deep")
    if (keys := count_keys(schema)) > MAX_KEYS:
        raise BadSchema(f"has {keys} keys; at most {MAX_KEYS} are allowed")
    draft = draft_of(schema)
    _check_meta(draft, schema)
    graph = Graph(draft, schema)
    graph.walk()
    _check_keywords(graph)
    graph.check_refs(MAX_REFS)
    graph.check_loops()
    if graph.expanded_size(MAX_EXPANDED) > MAX_EXPANDED:
        raise BadSchema(f"expands to more than {MAX_EXPANDED} subschemas through its $ref uses; "
                        "reuse fewer definitions in one place")
    for path, shape in graph.unchecked_shapes():
        _check_meta(draft, shape, path)
    _dry_run(build(draft, without_dialect(schema)))
    return draft


def _check_meta(draft: type[Validator], schema: Any, path: str = "") -> None:
    try:
        draft.check_schema(schema, format_checker=FORMAT_CHECKER)
    except jsonschema.SchemaError as exc:
        where = path + pointer(exc.absolute_path) or "(root)"
        reason = exc.message[:300]
        if isinstance(exc.cause, RegexError):
            reason = f"{json.dumps(exc.instance)[:120]} is not a regular expression RE2 accepts ({exc.cause})"
        raise BadSchema(f"not a valid JSON Schema at {where}: {reason}") from None


def _check_keywords(graph: Graph) -> None:
    patterns = 0
    for path, node in graph.schemas():
        if isinstance(node.get("enum"), list) and len(node["enum"]) > MAX_ENUM:
            raise BadSchema(f"enum at {path or '(root)'} has {len(node['enum'])} values; at most {MAX_ENUM} are allowed")
        found = [(f"{path}/pattern", node["pattern"])] if isinstance(node.get("pattern"), str) else []
        if isinstance(node.get("patternProperties"), dict):
            found += [(f"{path}/patternProperties", p) for p in node["patternProperties"]]
        for where, pattern in found:
            _check_pattern(where, pattern)
        patterns += len(found)
    if patterns > MAX_PATTERNS:
        raise BadSchema(f"has {patterns} regular expressions; at most {MAX_PATTERNS} are allowed")
    if graph.uses("unevaluatedProperties") and graph.uses("patternProperties"):
        raise BadSchema("unevaluatedProperties cannot be combined with patternProperties "
                        "(use additionalProperties)")


def _check_pattern(where: str, pattern: str) -> None:
    if len(pattern) > MAX_PATTERN_CHARS:
        raise BadSchema(f"pattern at {where} is {len(pattern)} characters; at most {MAX_PATTERN_CHARS} are allowed")
    try:
        regex(pattern)
    except RegexError as exc:
        raise BadSchema(f"pattern at {where} is not a regular expression RE2 accepts: {exc}") from None


def _dry_run(validator: Validator) -> None:
    for sample in SAMPLES:
        try:
            validator.is_valid(sample)
        except referencing.exceptions.Unresolvable as exc:
            raise BadSchema(f"$ref cannot be resolved: {str(exc)[:200]}") from None
        except (RecursionError, LookupError, TypeError, ValueError, jsonschema.exceptions.UnknownType) as exc:
            raise BadSchema(f"cannot be evaluated: {type(exc).__name__}: {str(exc)[:200]}") from None


def without_dialect(schema: Any) -> Any:
    """The schema without its root `$schema`: jsonschema would otherwise switch to its
    plain validator class (Python regexes) whenever it evaluates the root again."""
    if isinstance(schema, dict) and "$schema" in schema:
        return {k: v for k, v in schema.items() if k != "$schema"}
    return schema


@functools.lru_cache(maxsize=128)
def compiled(schema_json: str) -> Validator:
    """The safe validator for a schema stored as JSON text; BadSchema if it is refused."""
    try:
        schema = json.loads(schema_json)
    except ValueError:
        raise BadSchema("is not JSON") from None
    return build(check(schema), without_dialect(schema))


def embedded(schema: Any, at: str) -> Any:
    """A copy of `schema` to place at JSON Pointer `at` inside another schema: its local
    `$ref`s point there, and it has no root `$schema` / `$id` of its own."""
    inner = copy.deepcopy(without_dialect(schema))
    if not isinstance(inner, dict):
        return inner
    for keyword in ("$id", "id"):
        inner.pop(keyword, None)
    graph = Graph(draft_of(schema), inner)
    graph.walk()
    for _, node in graph.schemas():
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            node["$ref"] = "#" + at + node["$ref"][1:]
    return inner


def problems(validator: Validator, instance: Any, limit: int = 5) -> list[str]:
    """What is wrong with `instance` ("path: message"); [] when it conforms. BadSchema if the
    schema itself cannot be evaluated (never expected after `check`)."""
    try:
        errors = [f"{pointer(e.absolute_path) or '(root)'}: {e.message[:160]}"
                  for e in itertools.islice(validator.iter_errors(instance), limit)]
    except (referencing.exceptions.Unresolvable, RecursionError, TypeError, jsonschema.exceptions.UnknownType) as exc:
        raise BadSchema(f"cannot be evaluated: {type(exc).__name__}") from None
    return errors


def depth(value: Any, level: int = 1) -> int:
    if isinstance(value, dict):
        return max((depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((depth(v, level + 1) for v in value), default=level)
    return level - 1 if level > 1 else level


def count_keys(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(count_keys(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_keys(v) for v in value)
    return 0


def pointer(path: Iterable[object]) -> str:
    """A JSON Pointer for an error's path ("" for the root)."""
    return "".join("/" + escape(str(p)) for p in path)
