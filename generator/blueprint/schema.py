"""The blueprint's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

import json
from typing import Any

from generator.blueprint.model import Blueprint


def schema_text() -> str:
    """The schema as the file ``schema/blueprint.schema.json`` holds it (stable, newline-ended)."""
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Blueprint.model_json_schema()}
    return json.dumps(_ecmascript_patterns(_with_overrides(document)), indent=2, sort_keys=False) + "\n"


#: Top-level keys an environment does not set.
_FIXED = ("name", "version", "environments")
#: Sections whose items an environment merges by name (and may remove).
_NAMED_ITEMS = ("Service", "GmsaAccount")


def _with_overrides(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` whose ``environments`` hold partial blueprints: every key optional, ``null``
    allowed (it removes the key), and named items with ``remove``. Each section gets an
    ``<Section>Override`` definition beside its own."""
    definitions = document["$defs"]
    for name, definition in list(definitions.items()):
        definitions[f"{name}Override"] = _override(definition, f"{definition.get('title', name)} (in an environment)",
                                                   named=name in _NAMED_ITEMS)
    top = {k: v for k, v in document.items() if k in ("properties", "title", "description")}
    top["properties"] = {k: v for k, v in top["properties"].items() if k not in _FIXED}
    definitions["BlueprintOverride"] = {
        **_override(top, "An environment: a partial blueprint merged over the rest of the file", named=False),
        "patternProperties": document.get("patternProperties", {}),
    }
    environments = document["properties"]["environments"]
    pattern = next(iter(environments["patternProperties"]))
    environments["patternProperties"][pattern] = {"anyOf": [{"$ref": "#/$defs/BlueprintOverride"}, {"type": "null"}]}
    return document


def _override(definition: dict[str, Any], title: str, named: bool) -> dict[str, Any]:
    properties = {}
    for key, schema in definition.get("properties", {}).items():
        inner = _override_refs({k: v for k, v in schema.items() if k not in ("description", "title", "default")})
        properties[key] = {"description": schema.get("description", ""), "anyOf": [inner, {"type": "null"}]}
    if named:
        properties["remove"] = {"type": "boolean", "description": "true: the environment has no such item."}
    override: dict[str, Any] = {"title": title, "description": definition.get("description", title), "type": "object",
                                "properties": properties, "additionalProperties": False}
    if named:
        override["required"] = ["name"]
    return override


def _override_refs(value: Any) -> Any:
    """``value`` with each reference to a section pointing at its override."""
    if isinstance(value, dict):
        return {k: (f"{v}Override" if k == "$ref" and isinstance(v, str) else _override_refs(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_override_refs(v) for v in value]
    return value


def _ecmascript_patterns(value: Any) -> Any:
    """The models anchor patterns with Python's ``\\Z`` (end of string; Python's ``$`` would also
    match before a final newline). JSON Schema patterns are ECMAScript, where ``$`` already means
    the end of the string and ``\\Z`` means nothing, so the schema writes ``$``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "pattern" and isinstance(item, str):
                out[key] = item.replace("\\Z", "$")
            elif key == "patternProperties" and isinstance(item, dict):
                out[key] = {k.replace("\\Z", "$"): _ecmascript_patterns(v) for k, v in item.items()}
            else:
                out[key] = _ecmascript_patterns(item)
        return out
    if isinstance(value, list):
        return [_ecmascript_patterns(v) for v in value]
    return value
