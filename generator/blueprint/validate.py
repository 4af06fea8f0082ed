"""From a parsed document to a valid :class:`Blueprint`, or every problem with it.

pydantic checks the shape; this module turns its errors into :class:`Problem` s a person can act
on (position, key path, what was expected, a hint such as the nearest valid key), then runs the
semantic rules.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.blueprint.load import Document, load_document
from generator.blueprint.messages import problem_of
from generator.blueprint.model import Blueprint
from generator.blueprint.partial import Partial, partial_blueprint
from generator.blueprint.paths import dotted
from generator.blueprint.rules import check_rules
from generator.blueprint.rules.structure import SAME_NAME
from generator.blueprint.types import EXTENSION_PREFIX
from generator.errors import ERROR, WARNING, BlueprintInvalid, Problem

__all__ = ["LoadedBlueprint", "dotted", "load_blueprint", "load_blueprints", "validate_document"]


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
    data = _without_extensions(doc.data)
    problems: list[Problem] = []
    model: Blueprint | Partial | None
    try:
        model = Blueprint.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = _without_misspelt_required(doc, errors)
        # The rules still read every part that is valid, so one run reports every problem.
        model = partial_blueprint(data, errors) if isinstance(data, dict) else None
    for rule, finding in check_rules(model) if model is not None else ():
        loc = doc.written(finding.loc)
        line, col = doc.mark(loc)
        severity = finding.severity or rule.severity
        if strict and severity == WARNING:
            severity = ERROR
        problems.append(
            Problem(doc.file, line, col, doc.dotted(loc), finding.message, finding.hint, rule=rule.id,
                    severity=severity)
        )
    if any(p.is_error for p in problems) or not isinstance(model, Blueprint):
        raise BlueprintInvalid(problems)
    return LoadedBlueprint(doc, model, notes=tuple(sorted(problems)))


def _without_extensions(data: Any) -> Any:
    """Top-level keys starting with ``x-`` are the user's own (a place for YAML anchors)."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
    return data


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
        kept.append(problem_of(doc, error))
    return kept
