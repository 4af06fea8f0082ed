"""Every pattern matches whole values in ASCII: no trailing newline, no other script's digits."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from generator.blueprint import types as model
from generator.blueprint.model import Service
from generator.blueprint.types import PATTERNS
from generator.render import hcl

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_a_pattern_matches_its_example_and_nothing_after_it(pattern: str) -> None:
    _, example = PATTERNS[pattern]
    assert pattern.startswith("^") and pattern.endswith("\\Z") and "\\d" not in pattern
    assert re.search(pattern, example)  # pydantic searches (python-re engine)
    for suffix in ("\n", "\r\n", "\x85", "\u2028"):
        assert not re.search(pattern, example + suffix), repr(example + suffix)
    assert not re.search(pattern, "\n" + example)


@pytest.mark.parametrize("pattern", sorted(p for p in PATTERNS if any(c.isdigit() for c in PATTERNS[p][1])))
def test_a_pattern_takes_ascii_digits_only(pattern: str) -> None:
    _, example = PATTERNS[pattern]
    assert not re.search(pattern, example.translate(ARABIC_INDIC))


def test_every_pattern_in_the_model_is_listed() -> None:
    declared = {value for name, value in vars(model).items() if name.endswith("_RE")}
    assert declared == set(PATTERNS)


def test_the_model_refuses_a_trailing_newline_in_a_patterned_field() -> None:
    fields = {"name": "web", "gmsa": "WebApp01", "image": "mcr.microsoft.com/windows/servercore:ltsc2022",
              "cpu": 512, "memory": 1024}
    Service.model_validate(fields)
    for key in ("name", "gmsa", "image"):
        with pytest.raises(ValidationError):
            Service.model_validate({**fields, key: fields[key] + "\n"})
    with pytest.raises(ValidationError):
        Service.model_validate({**fields, "environment": {"WEB\n": "x"}})


def test_hcl_writes_a_key_bare_only_when_all_of_it_is_an_identifier() -> None:
    assert hcl.key("web") == "web"
    assert hcl.key("web\n") == '"web\\n"'
