"""pydantic's errors as problems a person can act on: position, key path, what was expected, and
always a hint (the nearest valid key, an example, how to write the type).

A value is echoed only when it cannot be a secret: never under a key that names one, never a
value that looks like a credential, never a string written where ``environment``, ``secrets``
or ``tags`` expects a mapping (``environment: "DB_PASSWORD=..."``). Echoed values are cut short
and escaped, so a problem stays on one line.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

from generator.blueprint.load import Document
from generator.blueprint.model import Blueprint
from generator.blueprint.paths import key_text
from generator.blueprint.rules import looks_like_credential, looks_like_secret_name
from generator.blueprint.rules.structure import (
    INVALID_VALUE,
    MISSING_KEY,
    NOT_A_BLUEPRINT,
    UNKNOWN_KEY,
    WRONG_TYPE,
)
from generator.blueprint.types import PATTERNS, SECRET_ARN_RE, SECRET_REF_RE, Loc
from generator.errors import Problem

SECRET_PATTERNS = (SECRET_ARN_RE, SECRET_REF_RE)
#: Keys whose values are mappings of names the user chooses, to values that may be secrets.
_NAMED_VALUES = ("environment", "secrets", "tags")
#: Longest echoed value; a longer one is cut short.
_SHOWN_CHARACTERS = 60

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "list_type": "a list",
    "float_type": "a number",
}

_TYPE_HINTS = {
    "string_type": "write text, quoted if YAML could read it as something else",
    "int_type": "write a whole number such as 2",
    "bool_type": "write true or false",
    "dict_type": "write it as indented key: value lines",
    "model_type": "write it as indented key: value lines",
    "list_type": "write a list: one '- item' per line, or [a, b]",
    "float_type": "write a number",
}

_NOT_SHOWN = object()


def may_hold_secret(loc: Loc, value: Any, pattern: str | None = None) -> bool:
    """Whether the value at ``loc`` could be a secret a user pasted by mistake."""
    if pattern in SECRET_PATTERNS:
        return True
    if loc and loc[-1] in _NAMED_VALUES:
        return True  # a string where a mapping of names belongs: "DB_PASSWORD=..."
    names = [p for p in loc if isinstance(p, str) and p != "[key]"]
    if names and ("password" in names[-1].lower() or "secret" in names[-1].lower()):
        return True
    chosen = [loc[i + 1] for i, part in enumerate(loc[:-1]) if part in _NAMED_VALUES]
    if any(isinstance(name, str) and looks_like_secret_name(name) for name in chosen):
        return True
    return isinstance(value, str) and looks_like_credential(value)


def describe(value: Any) -> str:
    """What a value is, for "expected ...; got ..." (cut short; the Problem escapes it)."""
    if value is _NOT_SHOWN:
        return "a value that is not shown, in case it is a secret"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return f"the integer {_cut(str(value))}"
    if isinstance(value, float):
        return f"the number {_cut(str(value))}"
    if isinstance(value, str):
        return f'the string "{_cut(value)}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS] + f"... ({len(text):,} characters)"


def problem_of(doc: Document, error: dict[str, Any]) -> Problem:
    """The problem of one pydantic error, at its position in ``doc``."""
    loc: Loc = doc.written(tuple(error["loc"]))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    message, hint = error["msg"], ""
    at_key = False
    rule = INVALID_VALUE

    hidden = may_hold_secret(loc, value, ctx.get("pattern"))
    shown_value = _NOT_SHOWN if hidden else value
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        at_key = True
    if kind == "missing":
        parent, key = loc[:-1], loc[-1]
        line, col = doc.mark(parent, key=True) if parent else (1, 1)
        description = field_description(loc)
        message = f"the required key '{key}' is missing"
        hint = f"add {key}: {description}" if description else f"add {key}:"
        return Problem(doc.file, line, col, doc.dotted(loc), message, hint, rule=MISSING_KEY)
    if kind == "extra_forbidden":
        at_key = True
        rule = UNKNOWN_KEY
        key = key_text(loc[-1])
        message = f"unknown key '{key}'"
        hint = _unknown_key_hint(key, _keys_at(loc[:-1]))
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        message = f"expected one of {expected}; got {describe(shown_value)}"
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        close = [] if hidden else difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "use one of the listed values"
        if loc == ("version",):
            hint = f"this gen reads blueprint version {expected}; upgrade gen to read newer blueprints"
    elif kind == "string_pattern_mismatch":
        what, example = PATTERNS.get(ctx.get("pattern", ""), ("a valid value", ""))
        message = f"expected {what}; got {describe(shown_value)}"
        hint = f"for example {example}" if example else ""
        if ctx.get("pattern") in SECRET_PATTERNS:
            hint = "store the secret in Secrets Manager and give its ARN here, never the secret itself; " + hint
    elif kind in _TYPE_NAMES:
        message, hint, rule = _wrong_type(kind, loc, value, shown_value)
    elif kind == "too_short":
        minimum = ctx.get("min_length", 1)
        message = f"needs at least {minimum} item{'s' if minimum != 1 else ''}"
        hint = "add the missing entries"
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"must be at least {ctx.get('ge', ctx.get('gt'))}; got {describe(shown_value)}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}; got {describe(shown_value)}"
    elif kind == "value_error":
        message = str(ctx.get("error", message))
        if hidden and isinstance(value, str) and value:
            message = message.replace(value, "the value (not shown, in case it is a secret)")
        hint = "check the value's format"
    if not hint:
        hint = _fallback_hint(loc)
    line, col = doc.mark(loc, key=at_key)
    return Problem(doc.file, line, col, doc.dotted(loc), message, hint, rule=rule)


def _wrong_type(kind: str, loc: Loc, value: Any, shown_value: Any) -> tuple[str, str, str]:
    message = f"expected {_TYPE_NAMES[kind]}; got {describe(shown_value)}"
    hint = _TYPE_HINTS[kind]
    if kind in ("dict_type", "model_type") and not loc:
        return (f"a blueprint is a mapping of keys (version, name, region, ...); got {describe(shown_value)}",
                "run `gen init` for a starter blueprint", NOT_A_BLUEPRINT)
    if value is None:
        description = field_description(loc)
        hint = f"write {_TYPE_NAMES[kind]} after the colon" + (f" ({description})" if description else "") + \
            ", or remove the key to take its default where it has one"
    elif kind == "int_type" and isinstance(value, str) and value.strip().isdigit():
        hint = "write the number without quotes"
    elif kind == "string_type" and isinstance(value, (int, float, bool)):
        hint = "quote the value so YAML reads it as a string"
    return message, hint, WRONG_TYPE


def _fallback_hint(loc: Loc) -> str:
    description = field_description(loc)
    return f"{loc[-1]} is: {description}" if description and loc else "see docs/blueprint.md for what this key takes"


def _unknown_key_hint(key: str, valid: list[str]) -> str:
    if "password" in key.lower() or "secret" in key.lower() and not key.endswith("_secret"):
        return ("a blueprint never holds a password; store it in Secrets Manager and refer to it by ARN"
                + (f" ({', '.join(k for k in valid if k.endswith('secret'))})" if any(k.endswith("secret") for k in valid) else ""))
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"valid keys here are {', '.join(valid)}" if valid else "remove it"


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated/Optional/list/dict wrappers down to the model class, if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0]
        else:
            return annotation


def _model_at(loc: Loc) -> type[BaseModel] | None:
    current: Any = Blueprint
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) and not isinstance(part, bool):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keys_at(loc: Loc) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def field_description(loc: Loc) -> str:
    """The first sentence of the description of the key at ``loc``, if it is a model's key."""
    if not loc:
        return ""
    model = _model_at(loc[:-1])
    if model is None:
        return ""
    field = model.model_fields.get(str(loc[-1]))
    description = (field.description or "") if field else ""
    if not description and field is not None:
        inner = _unwrap(field.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            description = (inner.__doc__ or "").strip().splitlines()[0]
    # The schema description ends with what the value looks like, in parentheses: not needed here.
    return description.split(" (")[0].rstrip(".")
