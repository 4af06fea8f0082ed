"""The blueprint's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

import json

from generator.blueprint.model import Blueprint


def schema_text() -> str:
    """The schema as the file ``schema/blueprint.schema.json`` holds it (stable, newline-ended)."""
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Blueprint.model_json_schema()}
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
