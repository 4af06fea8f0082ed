"""The fixture corpus: every good blueprint validates; every bad one has exactly one problem,
reported where it is, with the expected message and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_environments
from generator.errors import ERROR, INFO, WARNING, BlueprintInvalid, Problem
from tests.conftest import BAD, EXAMPLES, GOOD, ids


def _expectation(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("# expect: "):
            return line.removeprefix("# expect: ")
    raise AssertionError(f"{path} has no '# expect:' line")


def problems_of(path: Path, strict: bool = False) -> list[Problem]:
    """Every problem gen reports for ``path`` (each environment's, if it has them): errors
    (raised) or warnings and notes (returned)."""
    try:
        return [n for item in validate_environments(parse_document(path.read_text(), path.name), strict) for n in item.notes]
    except BlueprintInvalid as exc:
        return exc.problems


@pytest.mark.parametrize("path", EXAMPLES + GOOD, ids=ids(EXAMPLES + GOOD))
def test_good_blueprints_validate_without_a_warning(path: Path) -> None:
    loaded = validate_environments(parse_document(path.read_text(), path.name), strict=True)
    assert loaded and all(item.model.version == 1 for item in loaded)
    notes = [n for item in loaded for n in item.notes]
    assert not [n for n in notes if n.severity != INFO], notes


@pytest.mark.parametrize("path", BAD, ids=ids(BAD))
def test_each_bad_blueprint_reports_its_one_mistake(path: Path) -> None:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    text = str(problems[0])
    assert text.startswith(f"{path.name}:{_expectation(path)}"), text
    assert " Hint: " in text, f"no hint: {text}"
    assert problems[0].rule, text


def test_the_corpus_covers_every_rule() -> None:
    from generator.blueprint.rules import RULES
    from generator.blueprint.rules.structure import SAME_NAME

    seen = {p.rule for path in BAD for p in problems_of(path)}
    # Two blueprints with one name need two files: tests/unit/test_cli.py covers SAME_NAME.
    wanted = {r.id for r in RULES if not r.retired} - {SAME_NAME}
    assert wanted <= seen, f"rules without a bad fixture: {sorted(wanted - seen)}"


WARNED = [path for path in BAD if any(p.severity == WARNING for p in problems_of(path))]


@pytest.mark.parametrize("path", WARNED, ids=ids(WARNED))
def test_strict_turns_warnings_into_errors(path: Path) -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        validate_environments(parse_document(path.read_text(), path.name), strict=True)
    assert [p.severity for p in caught.value.problems] == [ERROR]
