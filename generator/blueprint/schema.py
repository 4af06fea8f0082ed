"""The blueprint's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

import json
from typing import Any

from generator.blueprint.model import Blueprint


def schema_text() -> str:
    """The schema as the file ``schema/blueprint.schema.json`` holds it (stable, newline-ended)."""
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Blueprint.model_json_schema()}
    return json.dumps(_ecmascript_patterns(document), indent=2, sort_keys=False) + "\n"


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
