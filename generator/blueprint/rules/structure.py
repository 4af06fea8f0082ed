"""Ids of the problems found before the rules run: reading the YAML and checking its shape.

They are registered like the rules so that every message names an id, and the blueprint
reference lists them.
"""

from __future__ import annotations

from generator.blueprint.rules.registry import describe

YAML_SPEC = "https://yaml.org/spec/1.2.2/"
#: The blueprint reference, generated from the models (a path in this repository).
REFERENCE = "docs/blueprint.md"

SYNTAX = describe("GEN100", "the file is readable YAML", YAML_SPEC)
DUPLICATE_KEY = describe("GEN101", "no key is written twice in one mapping", YAML_SPEC)
UNKNOWN_KEY = describe("GEN102", "every key is one the blueprint language knows", REFERENCE)
MISSING_KEY = describe("GEN103", "every required key is present", REFERENCE)
WRONG_TYPE = describe("GEN104", "every value has the type its key expects", REFERENCE)
INVALID_VALUE = describe("GEN105", "every value is one its key allows (a listed choice, a format, a range)", REFERENCE)
NOT_A_BLUEPRINT = describe("GEN106", "the file holds a blueprint: a mapping of keys, not empty", REFERENCE)
SAME_NAME = describe("GEN107", "blueprints rendered together have different names", REFERENCE)
TOO_LARGE = describe(
    "GEN108", "the file stays within gen's limits: size, nesting, values once aliases are expanded, number length",
    REFERENCE,
)
YAML_FEATURE = describe(
    "GEN109", "the YAML uses only what a blueprint needs: standard tags that fit their values, plain keys, "
    "aliases of anchors above them, merges of mappings", YAML_SPEC,
)
ENVIRONMENT = describe(
    "GEN110", "each environment is a partial blueprint that leaves name and version alone and removes only "
    "items the blueprint has", REFERENCE,
)
