"""From a parsed document to a valid :class:`Blueprint`, or every problem with it.

pydantic checks the shape; this module turns its errors into :class:`Problem` s a person can act
on (position, key path, what was expected, a hint such as the nearest valid key), then runs the
semantic rules.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.blueprint.load import Document, load_document
from generator.blueprint.model import (
    EXTENSION_PREFIX,
    PATTERNS,
    SECRET_ARN_RE,
    SECRET_REF_RE,
    Blueprint,
    Loc,
)
from generator.blueprint.rules import check_rules, looks_like_secret_name
from generator.blueprint.rules.structure import (
    INVALID_VALUE,
    MISSING_KEY,
    NOT_A_BLUEPRINT,
    SAME_NAME,
    UNKNOWN_KEY,
    WRONG_TYPE,
)
from generator.errors import ERROR, WARNING, BlueprintInvalid, Problem


@dataclass(frozen=True)
class LoadedBlueprint:
    """A valid blueprint, the document it came from (for its file name in headers), and the
    warnings and notes the rules had about it."""

    document: Document
    model: Blueprint
    path: Path | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def file(self) -> str:
        return self.document.file


def load_blueprint(path: Path, strict: bool = False) -> LoadedBlueprint:
    """Read, parse and validate one blueprint; raise :class:`BlueprintInvalid` with all problems.

    ``strict`` counts warnings as errors (notes never count)."""
    loaded = validate_document(load_document(path), strict)
    return replace(loaded, path=path)


def load_blueprints(paths: list[Path], strict: bool = False) -> list[LoadedBlueprint]:
    """Validate every blueprint; raise one :class:`BlueprintInvalid` with the problems of all."""
    loaded: list[LoadedBlueprint] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_blueprint(path, strict))
        except BlueprintInvalid as exc:
            problems.extend(exc.problems)
    names: dict[str, str] = {}
    for item in loaded:
        other = names.setdefault(item.model.name, item.file)
        if other != item.file:
            line, col = item.document.mark(("name",))
            problems.append(
                Problem(item.file, line, col, "name", f'"{item.model.name}" is also the name of {other}',
                        "blueprints rendered together need different names; they share out/<name>/", rule=SAME_NAME)
            )
    if any(p.is_error for p in problems):
        raise BlueprintInvalid(problems + [n for item in loaded for n in item.notes])
    return loaded


def validate_document(doc: Document, strict: bool = False) -> LoadedBlueprint:
    """Check ``doc`` against the models, then the rules. Errors raise :class:`BlueprintInvalid`
    (with the warnings and notes found too); warnings and notes alone come back with the result."""
    try:
        model = Blueprint.model_validate(_without_extensions(doc.data))
    except ValidationError as exc:
        raise BlueprintInvalid(_without_misspelt_required(doc, exc.errors())) from None
    problems = []
    for rule, finding in check_rules(model):
        loc = written(doc, finding.loc)
        line, col = doc.mark(loc)
        severity = finding.severity or rule.severity
        if strict and severity == WARNING:
            severity = ERROR
        problems.append(
            Problem(doc.file, line, col, dotted(loc), finding.message, finding.hint, rule=rule.id,
                    severity=severity)
        )
    if any(p.is_error for p in problems):
        raise BlueprintInvalid(problems)
    return LoadedBlueprint(doc, model, notes=tuple(sorted(problems)))


def _without_extensions(data: Any) -> Any:
    """Top-level keys starting with ``x-`` are the user's own (a place for YAML anchors)."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
    return data


def written(doc: Document, loc: Loc) -> Loc:
    """``loc`` as the user wrote it: a reference written as its ARN alone (``join_secret: arn:...``)
    is validated as ``{arn: ...}``, but its problems belong to the key the user wrote."""
    if loc and loc[-1] == "arn" and isinstance(doc.value_at(loc[:-1]), str):
        return loc[:-1]
    return loc


def dotted(loc: Loc) -> str:
    """``("services", 1, "gmsa")`` -> ``services[1].gmsa``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# --- pydantic errors -> problems ---------------------------------------------------------------


def _without_misspelt_required(doc: Document, errors: list[dict[str, Any]]) -> list[Problem]:
    """Problems for ``errors``, where a misspelt required key is one problem, not two.

    ``subnet_id:`` instead of ``subnet_ids:`` makes pydantic report an unknown key and a missing
    one; the user made one mistake, so only the unknown key is reported, with the suggestion.
    """
    unknown = {tuple(e["loc"]) for e in errors if e["type"] == "extra_forbidden"}
    kept = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing":
            siblings = [str(u[-1]) for u in unknown if u[:-1] == loc[:-1]]
            if difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6):
                continue
        kept.append(_problem(doc, error))
    return kept


SECRET_PATTERNS = (SECRET_ARN_RE, SECRET_REF_RE)

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


def _may_hold_secret(loc: Loc, ctx: dict[str, Any]) -> bool:
    """Whether the value at ``loc`` could be a secret a user pasted by mistake."""
    if ctx.get("pattern") in SECRET_PATTERNS:
        return True
    names = [p for p in loc if isinstance(p, str) and p != "[key]"]
    if not names:
        return False
    key = names[-1]
    if "password" in key.lower() or "secret" in key.lower():
        return True
    return len(names) > 1 and names[-2] in ("environment", "secrets") and looks_like_secret_name(key)


def _describe(value: Any) -> str:
    if value is _NOT_SHOWN:
        return "a value that is not shown, in case it is a secret"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _problem(doc: Document, error: dict[str, Any]) -> Problem:
    loc: Loc = written(doc, tuple(error["loc"]))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    message, hint = error["msg"], ""
    at_key = False
    rule = INVALID_VALUE

    if _may_hold_secret(loc, ctx):
        # The value may be the secret itself: never echo it into a terminal or CI log.
        value = _NOT_SHOWN
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        at_key = True
    if kind == "missing":
        parent, key = loc[:-1], loc[-1]
        line, col = doc.mark(parent, key=True) if parent else (1, 1)
        description = _field_description(loc)
        message = f"the required key '{key}' is missing"
        hint = f"add {key}: {description}" if description else f"add {key}:"
        return Problem(doc.file, line, col, dotted(loc), message, hint, rule=MISSING_KEY)
    if kind == "extra_forbidden":
        at_key = True
        rule = UNKNOWN_KEY
        key = str(loc[-1])
        valid = _keys_at(loc[:-1])
        message = f"unknown key '{key}'"
        hint = _unknown_key_hint(key, valid)
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        message = f"expected one of {expected}; got {_describe(value)}"
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "use one of the listed values"
        if loc == ("version",):
            hint = f"this gen reads blueprint version {expected}; upgrade gen to read newer blueprints"
    elif kind == "string_pattern_mismatch":
        what, example = PATTERNS.get(ctx.get("pattern", ""), ("a valid value", ""))
        message = f"expected {what}; got {_describe(value)}"
        hint = f"for example {example}" if example else ""
        if ctx.get("pattern") in SECRET_PATTERNS:
            hint = "store the secret in Secrets Manager and give its ARN here, never the secret itself; " + hint
    elif kind in _TYPE_NAMES:
        message = f"expected {_TYPE_NAMES[kind]}; got {_describe(value)}"
        rule = WRONG_TYPE
        hint = _TYPE_HINTS.get(kind, "")
        if kind in ("dict_type", "model_type") and not loc:
            message = f"a blueprint is a mapping of keys (version, name, region, ...); got {_describe(value)}"
            hint = "run `gen init` for a starter blueprint"
            rule = NOT_A_BLUEPRINT
        if kind == "int_type" and isinstance(value, str) and value.strip().isdigit():
            hint = "write the number without quotes"
        elif kind == "string_type" and isinstance(value, (int, float, bool)):
            hint = "quote the value so YAML reads it as a string"
    elif kind == "too_short":
        minimum = ctx.get("min_length", 1)
        message = f"needs at least {minimum} item{'s' if minimum != 1 else ''}"
        hint = "add the missing entries"
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"must be at least {ctx.get('ge', ctx.get('gt'))}; got {value}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}; got {value}"
    elif kind == "value_error":
        message = str(ctx.get("error", message))
        hint = "check the value's format"
    line, col = doc.mark(loc, key=at_key)
    return Problem(doc.file, line, col, dotted(loc), message, hint, rule=rule)


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
        if isinstance(part, int):
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


def _field_description(loc: Loc) -> str:
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
