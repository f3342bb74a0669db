"""jsonschema validators that are safe to run on a caller's schema.

- Regular expressions (`pattern`, `patternProperties` and the `additionalProperties` that
  depends on it, `format: regex`) run on RE2, a linear-time engine; never on Python's
  backtracking `re`.
- References resolve only inside the schema (and jsonschema's bundled meta-schemas): the
  registry's retrieve function refuses every URI, so no `$ref` ever causes a request.

`services.common.schemas` checks a schema before it is accepted and is what callers use;
this module only builds the validator classes.
"""
import functools
from collections.abc import Iterator
from typing import Any, NoReturn

import jsonschema
import re2
import referencing
import referencing.exceptions
from jsonschema import ValidationError
from jsonschema.protocols import Validator

# RE2 memory per compiled expression: a pattern that needs more is refused (at POST).
RE2_MAX_MEM = 1 << 20
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_OPTIONS.max_mem = RE2_MAX_MEM


class RegexError(ValueError):
    """A regular expression RE2 cannot compile (or a value it cannot read)."""


def to_re2(pattern: str) -> str:
    """JSON Schema patterns are ECMA-262 regexes: their `\\uHHHH` escapes are RE2's `\\x{HHHH}`."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and pattern[i + 1:i + 2] == "u" and _is_hex(pattern[i + 2:i + 6]):
            out.append("\\x{" + pattern[i + 2:i + 6] + "}")
            i += 6
        else:
            out.append(pattern[i:i + 2] if pattern[i] == "\\" else pattern[i])
            i += 2 if pattern[i] == "\\" else 1
    return "".join(out)


def _is_hex(text: str) -> bool:
    return len(text) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in text)


@functools.lru_cache(maxsize=512)
def regex(pattern: str) -> Any:
    """The RE2 program for a pattern; RegexError if RE2 cannot compile it."""
    try:
        return re2.compile(to_re2(pattern), _OPTIONS)
    except (re2.error, UnicodeError, TypeError) as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RegexError(reason) from None


def search(pattern: str, text: str) -> bool:
    """JSON Schema semantics: the pattern may match anywhere in the string."""
    try:
        return regex(pattern).search(text) is not None
    except UnicodeError:  # a lone surrogate: no UTF-8 form, so no match
        return False


def refuse_retrieval(uri: str) -> NoReturn:
    """No schema is ever fetched: a reference to anything outside the schema is unresolvable."""
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs field; mypy sees KeyError's init


NO_RETRIEVAL: referencing.Registry[Any] = referencing.Registry(retrieve=refuse_retrieval)  # type: ignore[call-arg]  # attrs alias mypy cannot see


def _pattern(validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Validator, patterns: dict[str, Any], instance: Any,
                        schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if search(pattern, name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _extras(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return [name for name in instance
            if name not in properties and not any(search(pattern, name) for pattern in patterns)]


def _additional_properties(validator: Validator, additional: Any, instance: Any,
                           schema: dict[str, Any]) -> Iterator[ValidationError]:
    """jsonschema's own, except that patternProperties are matched with RE2."""
    if not validator.is_type(instance, "object"):
        return
    extras = _extras(instance, schema)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        if "patternProperties" in schema:
            patterns = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            yield ValidationError(f"{', '.join(repr(e) for e in sorted(extras))} "
                                  f"{'does' if len(extras) == 1 else 'do'} not match any of the regexes: {patterns}")
        else:
            yield ValidationError(f"Additional properties are not allowed ({', '.join(map(repr, sorted(extras)))} "
                                  f"{'was' if len(extras) == 1 else 'were'} unexpected)")


def _is_regex(value: object) -> bool:
    if isinstance(value, str):
        regex(value)  # raises RegexError: the format checker reports it as not a regex
    return True


FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("regex", raises=RegexError)(_is_regex)

DRAFTS = (jsonschema.Draft202012Validator, jsonschema.Draft201909Validator, jsonschema.Draft7Validator,
          jsonschema.Draft6Validator, jsonschema.Draft4Validator)

SAFE = {
    draft: jsonschema.validators.extend(draft, {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    })
    for draft in DRAFTS
}


def build(draft: type[Validator], schema: Any) -> Validator:
    """A validator of `draft`'s rules with RE2 regexes, no retrieval and the RE2 format checker.
    `schema` must not carry `$schema` (jsonschema would switch to the plain class on it)."""
    return SAFE[draft](schema, registry=NO_RETRIEVAL, format_checker=FORMAT_CHECKER)
