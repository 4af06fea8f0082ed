"""The blueprint reference in Markdown, generated from the same models and rules that validate
blueprints, so ``docs/blueprint.md`` cannot drift from the code (a test keeps it current)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from generator.blueprint.limits import described
from generator.blueprint.model import Blueprint
from generator.blueprint.rules import RULES, Rule

START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, __import__("types").UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "string", int: "integer", bool: "boolean"}.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "its own defaults"
        return "empty" if not value else f"`{value}`"
    if field.default is None or field.default is PydanticUndefined:
        return "none"
    return f"`{field.default}`"


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    if model in seen:
        return seen
    seen.append(model)
    for field in model.model_fields.values():
        for candidate in _nested(field.annotation):
            _models(candidate, seen)
    return seen


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested(arg)]


def markdown_reference() -> str:
    """Tables of every section and key, then the semantic rules."""
    lines = []
    for model in _models(Blueprint, []):
        lines += [f"### {model.__name__}", "", (model.__doc__ or "").strip().splitlines()[0], "",
                  "| Key | Type | Default | Meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            meaning = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | {meaning} |")
        lines.append("")
    lines += ["### Limits", "",
              "gen reads any file in bounded time and memory. A blueprint is refused (GEN108) past these limits,",
              "which sit far above any real blueprint; a FIFO, a device or a folder is refused before it is read (exit 2):",
              "", *[f"- {limit}" for limit in described()], ""]
    lines += ["### Rules", "",
              "Every problem names its rule. GEN1xx are found while reading the file and checking its shape;",
              "the others check across keys. An error makes the blueprint invalid; a warning does too with",
              "`--strict`; a note never does. A retired rule keeps its row, marked in the Retired column, and",
              "its id is never given to another rule; an id not listed here has never been used.", "",
              "| Rule | Severity | Checks that | Why | Retired |", "|---|---|---|---|---|"]
    for rule in RULES:
        lines.append(rule_row(rule))
    return "\n".join(lines) + "\n"


def rule_row(rule: Rule) -> str:
    """One row of the rules table: a retired rule shows no severity and says why it went."""
    source = "the keys above" if rule.url == "docs/blueprint.md" else f"[source]({rule.url})"
    severity = "-" if rule.retired else "error" if rule.check is None else rule.severity
    return f"| {rule.id} | {severity} | {rule.summary} | {source} | {rule.retired or 'no'} |"


def with_reference(document: str) -> str:
    """``document`` with the text between its reference markers replaced by the current reference."""
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown_reference()}{END}{tail}"
