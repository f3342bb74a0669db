"""A caller's schema as a graph of subschemas, for the checks no meta-schema makes.

Nodes are the subschemas at positions the draft evaluates (and the entries of `$defs` /
`definitions`); edges go to the subschemas evaluated on the same instance ("in place":
allOf, not, if, `$ref`, …) or on a part of it (properties, items, …). From that:
- every `$ref` is local (`#` or `#/…`), resolves, and points at a subschema;
- no `$ref` chain comes back to where it started without entering a property or an item
  (jsonschema would recurse until the stack runs out);
- reuse through `$ref` does not multiply the work beyond a bound (`expanded_size`).
"""
from typing import Any

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema.protocols import Validator

from services.common.schema_validator import NO_RETRIEVAL

# keyword -> does it apply its subschema(s) to a part of the instance (True) or to the
# instance itself (False); None: definitions, not applied from where they stand.
POSITIONS = {
    "allOf": False, "anyOf": False, "oneOf": False, "not": False, "if": False, "then": False, "else": False,
    "dependentSchemas": False, "dependencies": False,
    "properties": True, "patternProperties": True, "additionalProperties": True, "propertyNames": True,
    "unevaluatedProperties": True, "items": True, "prefixItems": True, "additionalItems": True,
    "contains": True, "unevaluatedItems": True,
    "$defs": None, "definitions": None,
}
MAPS = {"properties", "patternProperties", "dependentSchemas", "dependencies", "$defs", "definitions"}
UNSUPPORTED = ("$dynamicRef", "$recursiveRef")
# Drafts whose meta-schema does not know `$defs` (jsonschema still resolves pointers into it).
OLD_DRAFT_SCHEMAS = ("draft-04", "draft-06", "draft-07")


class BadSchema(ValueError):
    """A caller's schema that is refused; the message says where and why (without `schema: `)."""


class Graph:
    def __init__(self, draft: type[Validator], schema: Any) -> None:
        self.draft = draft
        self.root = schema
        self.spec = referencing.jsonschema.specification_with(draft.META_SCHEMA["$schema"])
        resource = self.spec.create_resource(schema)
        base = resource.id() or ""
        self.resolver = NO_RETRIEVAL.with_resource(base, resource).resolver(base_uri=base)
        self.paths: dict[int, str] = {}
        self.nodes: dict[int, dict[str, Any]] = {}
        self.edges: dict[int, list[tuple[int, bool]]] = {}
        self.refs: list[tuple[int, str, object]] = []
        self.keywords: set[str] = set()
        self.loose: list[tuple[str, object]] = []  # `$defs` entries an old draft's meta-schema did not check

    # --- walking the document ---

    def walk(self) -> None:
        if isinstance(self.root, dict):
            self._visit(self.root, "")

    def _visit(self, node: dict[str, Any], path: str) -> None:
        self.paths[id(node)] = path
        self.nodes[id(node)] = node
        self.edges[id(node)] = []
        self._keywords(node, path)
        for keyword, value in node.items():
            if keyword not in POSITIONS:
                continue
            applies = POSITIONS[keyword]
            if applies is not None and keyword not in self.draft.VALIDATORS:
                continue  # not a keyword of this draft: jsonschema never evaluates it
            for where, child in self._children(keyword, value, f"{path}/{escape(keyword)}"):
                if applies is None and keyword == "$defs" and self._old_draft():
                    self.loose.append((where, child))
                if isinstance(child, dict):
                    self._visit(child, where)
                    if applies is not None:
                        self.edges[id(node)].append((id(child), applies))

    @staticmethod
    def _children(keyword: str, value: Any, path: str) -> list[tuple[str, Any]]:
        if keyword in MAPS and isinstance(value, dict):
            return [(f"{path}/{escape(k)}", v) for k, v in value.items() if isinstance(v, (dict, bool))]
        if isinstance(value, list):
            return [(f"{path}/{i}", v) for i, v in enumerate(value) if isinstance(v, (dict, bool))]
        return [(path, value)] if isinstance(value, (dict, bool)) else []

    def _keywords(self, node: dict[str, Any], path: str) -> None:
        where = path or "(root)"
        self.keywords.update(node)
        for keyword in UNSUPPORTED:
            if keyword in node:
                raise BadSchema(f"{keyword} at {where} is not supported; use $ref to a definition (#/$defs/…)")
        if path and "$schema" in node:
            raise BadSchema(f"$schema at {where}: only the root may name a draft")
        if path and self.spec.id_of(node) is not None:
            raise BadSchema(f"$id at {where}: only the root may have an $id (references resolve against it)")
        if "$ref" in node:
            self.refs.append((id(node), where, node["$ref"]))

    def _old_draft(self) -> bool:
        return any(name in self.draft.META_SCHEMA["$schema"] for name in OLD_DRAFT_SCHEMAS)

    def schemas(self) -> list[tuple[str, dict[str, Any]]]:
        """(path, subschema) for every object subschema found."""
        return [(self.paths[key], node) for key, node in self.nodes.items()]

    def uses(self, keyword: str) -> bool:
        return keyword in self.keywords

    def unchecked_shapes(self) -> list[tuple[str, object]]:
        """(path, subschema) of `$defs` entries the draft's meta-schema did not check."""
        return self.loose

    # --- references ---

    def check_refs(self, limit: int) -> None:
        if len(self.refs) > limit:
            raise BadSchema(f"has {len(self.refs)} $ref keywords; at most {limit} are allowed")
        for key, where, ref in self.refs:
            target = self._resolve(where, ref)
            if isinstance(target, bool):
                continue
            if id(target) not in self.nodes:
                assert isinstance(ref, str)  # _resolve refused anything else
                raise BadSchema(f"$ref at {where} must point at a subschema (such as #/$defs/name), "
                                     f"not {ref[:120]!r}")
            self.edges[key].append((id(target), False))

    def _resolve(self, where: str, ref: object) -> object:
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            shown = ref[:120] if isinstance(ref, str) else ref
            raise BadSchema(f"$ref at {where}: only references inside the schema (\"#\" or \"#/…\", "
                                 f"such as #/$defs/name) are allowed, not {shown!r}")
        try:
            return self.resolver.lookup(ref).contents
        except referencing.exceptions.Unresolvable:
            raise BadSchema(f"$ref at {where}: {ref[:120]!r} points at nothing in the schema") from None

    # --- what evaluation would do ---

    def check_loops(self) -> None:
        """No cycle of in-place edges (only a `$ref` can close one)."""
        done: set[int] = set()
        for start in self.nodes:
            if start in done:
                continue
            on_path, stack = {start}, [(start, iter(self._in_place(start)))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    on_path.discard(node)
                    done.add(node)
                elif child in on_path:
                    raise BadSchema(f"$ref at {self.paths[node] or '(root)'} leads back to "
                                         f"{self.paths[child] or '(root)'} without entering a property or item "
                                         "(an endless loop)")
                elif child not in done:
                    on_path.add(child)
                    stack.append((child, iter(self._in_place(child))))

    def _in_place(self, node: int) -> list[int]:
        return [child for child, descends in self.edges[node] if not descends]

    def expanded_size(self, limit: int) -> int:
        """Subschemas evaluated with every `$ref` expanded (a recursion back up counts once);
        stops counting past `limit`."""
        if not isinstance(self.root, dict):
            return 1
        size: dict[int, int] = {}
        root = id(self.root)
        on_path, stack = {root}, [(root, iter(self.edges[root]))]
        size[root] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                stack.pop()
                on_path.discard(node)
                if stack:
                    parent = stack[-1][0]
                    size[parent] = min(limit + 1, size[parent] + size[node])
                continue
            child = nxt[0]
            if child in on_path:
                size[node] += 1
            elif child in size:
                size[node] = min(limit + 1, size[node] + size[child])
            else:
                size[child] = 1
                on_path.add(child)
                stack.append((child, iter(self.edges[child])))
        return size[root]


def escape(name: str) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")
