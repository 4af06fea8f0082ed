"""Tags: the blueprint's, on every resource that takes them, and gen's own on the hosts."""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint
from generator.naming import host_tags


class Tag(NamedTuple):
    key: str
    value: str


def blueprint_tags(bp: Blueprint) -> tuple[Tag, ...]:
    """The blueprint's tags, sorted by key so output does not depend on the order written."""
    return tuple(Tag(k, v) for k, v in sorted(bp.tags.items()))


def propagated_host_tags(bp: Blueprint) -> tuple[Tag, ...]:
    """Tags the hosts' Auto Scaling group gives each instance: the blueprint's, then gen's own
    (rule GEN019 keeps them apart)."""
    return (*blueprint_tags(bp), *(Tag(k, v) for k, v in host_tags(bp.name)))
