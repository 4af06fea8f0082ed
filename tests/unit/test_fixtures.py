"""The fixture corpus: every good blueprint validates; every bad one has exactly one problem,
reported where it is, with the expected message and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_document
from generator.errors import BlueprintInvalid
from tests.conftest import BAD, EXAMPLES, GOOD, ids


def _expectation(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("# expect: "):
            return line.removeprefix("# expect: ")
    raise AssertionError(f"{path} has no '# expect:' line")


@pytest.mark.parametrize("path", EXAMPLES + GOOD, ids=ids(EXAMPLES + GOOD))
def test_good_blueprints_validate(path: Path) -> None:
    loaded = validate_document(parse_document(path.read_text(), path.name))
    assert loaded.model.version == 1


@pytest.mark.parametrize("path", BAD, ids=ids(BAD))
def test_each_bad_blueprint_reports_its_one_mistake(path: Path) -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        validate_document(parse_document(path.read_text(), path.name))
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    text = str(problems[0])
    assert text.startswith(f"{path.name}:{_expectation(path)}"), text
    assert " Hint: " in text, f"no hint: {text}"


def test_the_corpus_covers_every_rule() -> None:
    from generator.blueprint.rules import RULES

    seen = set()
    for path in BAD:
        try:
            validate_document(parse_document(path.read_text(), path.name))
        except BlueprintInvalid as exc:
            seen.update(p.rule for p in exc.problems if p.rule)
    assert {r.id for r in RULES} <= seen, f"rules without a bad fixture: {sorted({r.id for r in RULES} - seen)}"
