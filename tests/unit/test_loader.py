"""Reading YAML: positions, YAML 1.2 scalars, and the problems of malformed files."""

from __future__ import annotations

import pytest

from generator.blueprint.load import parse_document
from generator.errors import BlueprintInvalid


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc = parse_document("a: 1\nb:\n  - x: 2\n", "f.yaml")
    assert doc.key_marks[("b",)] == (2, 1)
    assert doc.value_marks[("b", 0)] == (3, 5)
    assert doc.value_marks[("b", 0, "x")] == (3, 8)


def test_a_missing_key_points_at_its_parent() -> None:
    doc = parse_document("hosts:\n  min: 1\n", "f.yaml")
    assert doc.mark(("hosts", "max"), key=True) == (1, 1)


def test_yaml_12_keeps_no_and_on_as_strings() -> None:
    doc = parse_document("netbios: no\nflag: on\nreal: true\n", "f.yaml")
    assert doc.data == {"netbios": "no", "flag": "on", "real": True}


def test_every_duplicate_key_is_reported_with_its_path() -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:3:3: error GEN101: a.b: the key 'b' is written twice in the same mapping (first on line 2). "
        "Hint: keep one of them; YAML would otherwise silently use the last.",
        "f.yaml:5:1: error GEN101: c: the key 'c' is written twice in the same mapping (first on line 4). "
        "Hint: keep one of them; YAML would otherwise silently use the last.",
    ]


def test_a_syntax_error_names_its_line() -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("a: [1, 2\nb: 3\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 2)
    assert problem.message.startswith("YAML syntax error")
