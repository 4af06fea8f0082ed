"""The rule registry: what a rule is, how one registers, and how all of them run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.blueprint.load import Loc
from generator.blueprint.model import Blueprint

GMSA_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html"


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in the blueprint."""

    loc: Loc
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Rule:
    """A named check: ``id`` (GENnnn), a one-line summary and the page that motivates it."""

    id: str
    summary: str
    url: str
    check: Callable[[Blueprint], Iterator[Finding]]


RULES: list[Rule] = []


def rule(rule_id: str, summary: str, url: str = GMSA_DOCS) -> Callable:
    """Register ``check`` as a rule."""

    def register(check: Callable[[Blueprint], Iterator[Finding]]) -> Callable:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"rule id {rule_id} is registered twice")
        RULES.append(Rule(rule_id, summary, url, check))
        RULES.sort(key=lambda r: r.id)
        return check

    return register


def check_rules(blueprint: Blueprint) -> list[tuple[Rule, Finding]]:
    """Every finding of every rule, in rule order."""
    return [(r, finding) for r in RULES for finding in r.check(blueprint)]


def count(n: int, singular: str, plural: str) -> str:
    """``only 1 is`` / ``3 are``: how many of something a message counts."""
    return f"only {n} {singular}" if n < 2 else f"{n} {plural}"

