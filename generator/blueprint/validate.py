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

from generator.blueprint.load import STDIN, Document, load_document, parse_document
from generator.blueprint.messages import problem_of
from generator.blueprint.environments import environment_documents, environment_names
from generator.blueprint.model import Blueprint
from generator.blueprint.partial import Partial, PartNotValid, partial_blueprint
from generator.blueprint.paths import dotted
from generator.blueprint.rules import check_rules
from generator.blueprint.rules.structure import SAME_NAME
from generator.blueprint.types import EXTENSION_PREFIX
from generator.errors import ERROR, WARNING, BlueprintInvalid, Problem, UsageError

__all__ = ["LoadedBlueprint", "dotted", "load_blueprint", "load_blueprints", "validate_document"]


@dataclass(frozen=True)
class LoadedBlueprint:
    """A valid blueprint, the document it came from (for its file name in headers), and the
    warnings and notes the rules had about it."""

    document: Document
    model: Blueprint
    path: Path | None = None
    notes: tuple[Problem, ...] = ()
    #: The environment this is (its model's name is then ``<name>-<environment>``), if any.
    environment: str | None = None

    @property
    def file(self) -> str:
        return self.document.file


def load_blueprint(path: Path, strict: bool = False) -> LoadedBlueprint:
    """Read, parse and validate one blueprint without environments; raise
    :class:`BlueprintInvalid` with all problems.

    ``strict`` counts warnings as errors (notes never count)."""
    doc = load_document(path)
    if environment_names(doc) is not None:
        raise UsageError(f"{doc.file} has environments ({', '.join(environment_names(doc) or [])}); choose one with --env")
    return replace(validate_document(doc, strict), path=path)


def load_environments(path: Path, strict: bool = False, selected: tuple[str, ...] = ()) -> list[LoadedBlueprint]:
    """Read one blueprint: itself, or each of its environments (those ``selected``, or all), in
    the order the file declares them. A problem found in some environments but not all says
    which; a problem found in each of them is reported once.

    The warnings and notes of all the environments travel with the first one returned."""
    return [replace(item, path=path) for item in validate_environments(load_document(path), strict, selected)]


def validate_text(text: str, file: str) -> list[LoadedBlueprint]:
    """Validate blueprint ``text`` as if read from ``file`` (each environment, if it has them)."""
    return validate_environments(parse_document(text, file))


def validate_environments(doc: Document, strict: bool = False, selected: tuple[str, ...] = ()) -> list[LoadedBlueprint]:
    """See :func:`load_environments`."""
    names = environment_names(doc)
    if names is None:
        if selected:
            raise UsageError(f"{doc.file} has no environments: section, so --env {selected[0]} names nothing")
        return [validate_document(doc, strict)]
    unknown = [name for name in selected if name not in names]
    if unknown:
        raise UsageError(f"{doc.file} has no environment {', '.join(unknown)}; it has {', '.join(names) or 'none'}")
    problems, documents = environment_documents(doc)
    found: dict[str, list[Problem]] = {}
    loaded: list[LoadedBlueprint] = []
    for name in [n for n in names if n in documents and (not selected or n in selected)]:
        try:
            item = validate_document(documents[name], strict, environment=name)
        except BlueprintInvalid as exc:
            found[name] = exc.problems
            continue
        found[name] = list(item.notes)
        loaded.append(replace(item, notes=()))
    problems += labelled(found, names)
    if any(p.is_error for p in problems):
        raise BlueprintInvalid(problems)
    return [replace(loaded[0], notes=tuple(sorted(problems)))] + loaded[1:] if loaded else []


def load_blueprints(paths: list[Path], strict: bool = False, environments: tuple[str, ...] = ()) -> list[LoadedBlueprint]:
    """Validate every blueprint (each environment of one that has them, or those named in
    ``environments``); raise one :class:`BlueprintInvalid` with the problems of all."""
    if sum(path.as_posix() == STDIN for path in paths) > 1:
        raise UsageError("- (standard input) may be given once")
    loaded: list[LoadedBlueprint] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.extend(load_environments(path, strict, environments))
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


def validate_document(doc: Document, strict: bool = False, environment: str | None = None) -> LoadedBlueprint:
    """Check ``doc`` against the models, then the rules. Errors raise :class:`BlueprintInvalid`
    (with the warnings and notes found too); warnings and notes alone come back with the result.

    ``doc`` of an ``environment`` is one environment's merged blueprint: its name grows to
    ``<name>-<environment>`` before the rules run, so they check the names it will have."""
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
    if environment is not None and model is not None:
        model = _grown(model, environment)
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
    return LoadedBlueprint(doc, model, notes=tuple(sorted(problems)), environment=environment)


def _grown(model: Blueprint | Partial, environment: str) -> Blueprint | Partial:
    """``model`` named for ``environment``: ``<name>-<environment>`` prefixes its resources."""
    try:
        return model.model_copy(update={"name": f"{model.name}-{environment}"})
    except PartNotValid:  # an invalid name is reported already
        return model


def labelled(found: dict[str, list[Problem]], declared: list[str]) -> list[Problem]:
    """The problems of several environments of one blueprint, each once: one found in some of
    the declared environments only says in which (unless its path already names one)."""
    where: dict[tuple[str, str, str], list[str]] = {}
    first: dict[tuple[str, str, str], Problem] = {}
    for environment, problems in found.items():
        for problem in problems:
            key = (str(problem), problem.rule, problem.severity)
            where.setdefault(key, []).append(environment)
            first.setdefault(key, problem)
    out = []
    for key, environments in where.items():
        problem = first[key]
        if len(environments) < len(declared) and not problem.path.startswith("environments."):
            named = ", ".join(environments[:-1]) + (" and " if len(environments) > 1 else "") + environments[-1]
            label = f"in environment{'s' if len(environments) > 1 else ''} {named}"
            problem = replace(problem, message=f"{problem.message} ({label})")
        out.append(problem)
    return out


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
