"""The rule registry: what a rule is, how one registers, and how all of them run.

Every problem gen reports carries a rule id. Most rules are checks over a structurally valid
blueprint (:func:`rule`); the problems found while reading the file and checking its shape have
ids too (:func:`describe`, see :mod:`generator.blueprint.rules.structure`), so the reference in
``docs/blueprint.md`` lists every id a user can meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from generator.blueprint.model import Blueprint
from generator.blueprint.partial import PartNotValid, original_loc, without_items
from generator.blueprint.types import Loc
from generator.errors import ERROR, INFO, WARNING

GMSA_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html"
#: ``items=`` of a rule that judges each service on its own.
SERVICES = ("services",)


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
    #: Why and when the rule was retired; a retired id is listed, never checked, never reused.
    retired: str = ""
    #: Top-level lists whose items the rule checks each on its own merits, so that leaving an
    #: item out can only take findings away (see :func:`check_rules`).
    items: tuple[str, ...] = ()


RULES: list[Rule] = []


def _register(new: Rule) -> None:
    taken = next((r for r in RULES if r.id == new.id), None)
    if taken is not None:
        why = " (retired: ids are never reused)" if taken.retired else ""
        raise ValueError(f"rule id {new.id} is registered twice{why}")
    if new.severity not in (ERROR, WARNING, INFO):
        raise ValueError(f"rule {new.id} has an unknown severity {new.severity!r}")
    RULES.append(new)
    RULES.sort(key=lambda r: r.id)


def rule(rule_id: str, summary: str, url: str = GMSA_DOCS, severity: str = ERROR,
         items: tuple[str, ...] = ()) -> Callable[[Check], Check]:
    """Register ``check`` as a rule. ``items`` names the lists (``services``) whose items it
    judges one by one: a finding about one item never rests on another item being absent, so an
    item with a shape problem can be left out and the rule run on the others. A rule that needs a
    whole list (is this gMSA declared in ``gmsa_accounts``?) does not name it."""

    def register(check: Check) -> Check:
        _register(Rule(rule_id, summary, url, check, severity, items=items))
        return check

    return register


def describe(rule_id: str, summary: str, url: str) -> str:
    """Register the id of problems found while reading or shaping the file; returns the id."""
    _register(Rule(rule_id, summary, url, None))
    return rule_id


def retire(rule_id: str, summary: str, reason: str, url: str = GMSA_DOCS) -> str:
    """Record a rule that no longer runs, with what it checked and why it went (``reason``, for
    example "replaced by GEN031 in gen 0.3"), so the reference still explains its id and no new
    rule takes it; returns the id."""
    if not reason:
        raise ValueError(f"retiring {rule_id} needs a reason")
    _register(Rule(rule_id, summary, url, None, retired=reason))
    return rule_id


def by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def check_rules(blueprint: Blueprint) -> list[tuple[Rule, Finding]]:
    """Every finding of every rule, in rule order.

    ``blueprint`` may have holes where it has shape problems (see
    :mod:`generator.blueprint.partial`)."""
    return [(r, finding) for r in RULES if r.check is not None for finding in _findings(r, blueprint)]


def _findings(checked: Rule, blueprint: Blueprint) -> list[Finding]:
    """What a rule finds on the valid parts of ``blueprint``. When it reads an item with a shape
    problem of a list it judges item by item, it runs again without that item; any other invalid
    part stops it, keeping what it found before (which rested on valid parts only)."""
    assert checked.check is not None
    left_out: set[tuple[str, int]] = set()
    while True:
        view = without_items(blueprint, left_out) if left_out else blueprint
        found: list[Finding] = []
        try:
            found.extend(checked.check(view))
        except PartNotValid as exc:
            item = exc.item
            if item is not None and item[0] in checked.items and item not in left_out:
                left_out.add(item)
                continue
        return [replace(f, loc=original_loc(f.loc, left_out)) for f in found]


def count(n: int, singular: str, plural: str) -> str:
    """``only 1 is`` / ``3 are``: how many of something a message counts."""
    return f"only {n} {singular}" if n < 2 else f"{n} {plural}"
