"""Validates tasks against task.schema.json, packaged with this module (the very file in schemas/).

A small validator for the JSON Schema constructs that schema uses (type, const, enum, required, properties,
patternProperties, additionalProperties, propertyNames, items, pattern, minimum, minLength, maxLength), so the
package needs nothing but pika. Patterns are ECMA-262 as in JSON Schema: '$' matches only at the very end.
'format' is an annotation, as in draft 2020-12 by default. tests/test_schema.py holds it to the verdicts of the
Java validator on schemas/examples/.
"""
import functools
import json
import pathlib
import re

_SCHEMA_FILE = pathlib.Path(__file__).with_name("task.schema.json")
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: not isinstance(v, bool) and (isinstance(v, int) or isinstance(v, float) and v.is_integer()),
    "number": lambda v: not isinstance(v, bool) and isinstance(v, (int, float)),
}


@functools.lru_cache(maxsize=None)
def task_schema():
    return json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))


def task_problems(task):
    """The schema's complaints about a task, one readable line each ('/chunk: must be at least 0'); empty when valid."""
    problems = []
    _validate(task, task_schema(), "", problems)
    return problems


@functools.lru_cache(maxsize=None)
def _pattern(pattern):
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _validate(value, schema, where, problems):
    here = where or "task"
    if "type" in schema and not _TYPES[schema["type"]](value):
        problems.append("%s: %s found, %s expected" % (here, _type_name(value), schema["type"]))
        return
    if "const" in schema and value != schema["const"]:
        problems.append("%s: must be %s, not %s" % (here, json.dumps(schema["const"]), json.dumps(value)))
    if "enum" in schema and value not in schema["enum"]:
        problems.append("%s: must be one of %s" % (here, json.dumps(schema["enum"])))
    if isinstance(value, str):
        _validate_string(value, schema, here, problems)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append("%s: must be at least %s, not %s" % (here, schema["minimum"], value))
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _validate(item, schema["items"], "%s/%d" % (where, i), problems)
    elif isinstance(value, dict):
        _validate_object(value, schema, where, problems)


def _validate_string(value, schema, here, problems):
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        problems.append("%s: %s does not match the pattern %s" % (here, json.dumps(value), schema["pattern"]))
    if "minLength" in schema and len(value) < schema["minLength"]:
        problems.append("%s: must be at least %d characters long" % (here, schema["minLength"]))
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        problems.append("%s: must be at most %d characters long" % (here, schema["maxLength"]))


def _validate_object(value, schema, where, problems):
    for name in schema.get("required", ()):
        if name not in value:
            problems.append("%s: required property '%s' not found" % (where or "task", name))
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    for name, item in value.items():
        path = "%s/%s" % (where, name)
        if "propertyNames" in schema:
            _validate(name, schema["propertyNames"], path + " (name)", problems)
        matched = False
        if name in properties:
            matched = True
            _validate(item, properties[name], path, problems)
        for pattern, sub in patterns.items():
            if _pattern(pattern).search(name):
                matched = True
                _validate(item, sub, path, problems)
        extra = schema.get("additionalProperties", True)
        if not matched and extra is False:
            problems.append("%s: property '%s' is not defined in the schema (extensions start with 'x-')"
                            % (where or "task", name))
        elif not matched and isinstance(extra, dict):
            _validate(item, extra, path, problems)


def _type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(type(value), "value")
