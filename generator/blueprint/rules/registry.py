"""The rule registry: what a rule is, how one registers, and how all of them run.

Every problem gen reports carries a rule id. Most rules are checks over a structurally valid
blueprint (:func:`rule`); the problems found while reading the file and checking its shape have
ids too (:func:`describe`, see :mod:`generator.blueprint.rules.structure`), so the reference in
``docs/blueprint.md`` lists every id a user can meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.blueprint.model import Blueprint
from generator.blueprint.types import Loc
from generator.errors import ERROR, INFO, WARNING

GMSA_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html"


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in the blueprint; ``severity`` overrides the rule's."""

    loc: Loc
    message: str
    hint: str = ""
    severity: str | None = None


Check = Callable[[Blueprint], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A named check: ``id`` (GENnnn), a one-line summary, the page that motivates it, and how
    much its findings matter. ``check`` is None for problems found while reading the file."""

    id: str
    summary: str
    url: str
    check: Check | None
    severity: str = ERROR


RULES: list[Rule] = []


def _register(new: Rule) -> None:
    if any(r.id == new.id for r in RULES):
        raise ValueError(f"rule id {new.id} is registered twice")
    if new.severity not in (ERROR, WARNING, INFO):
        raise ValueError(f"rule {new.id} has an unknown severity {new.severity!r}")
    RULES.append(new)
    RULES.sort(key=lambda r: r.id)


def rule(rule_id: str, summary: str, url: str = GMSA_DOCS, severity: str = ERROR) -> Callable[[Check], Check]:
    """Register ``check`` as a rule."""

    def register(check: Check) -> Check:
        _register(Rule(rule_id, summary, url, check, severity))
        return check

    return register


def describe(rule_id: str, summary: str, url: str) -> str:
    """Register the id of problems found while reading or shaping the file; returns the id."""
    _register(Rule(rule_id, summary, url, None))
    return rule_id


def by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def check_rules(blueprint: Blueprint) -> list[tuple[Rule, Finding]]:
    """Every finding of every rule, in rule order."""
    return [(r, finding) for r in RULES if r.check is not None for finding in r.check(blueprint)]


def count(n: int, singular: str, plural: str) -> str:
    """``only 1 is`` / ``3 are``: how many of something a message counts."""
    return f"only {n} {singular}" if n < 2 else f"{n} {plural}"
