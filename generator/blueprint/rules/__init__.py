"""Semantic rules: checks that span fields, each small, named and linked to why it exists.

A rule takes a structurally valid :class:`~generator.blueprint.model.Blueprint` and yields
:class:`Finding` s; it never raises, so one run reports every problem. Rules live in one module
per concern (the names the plan uses); add one by writing a function in its concern's module and
decorating it with :func:`~generator.blueprint.rules.registry.rule`.
"""

from __future__ import annotations

# Importing a concern's module registers its rules.
from generator.blueprint.rules import (  # noqa: F401
    arns,
    autoscaling,
    capacity,
    credential_specs,
    directory,
    hosts,
    load_balancer,
    name_limits,
    names,
    placeholders,
    quotas,
    secrets,
    services,
    variants,
)
from generator.blueprint.rules.registry import RULES, Finding, Rule, check_rules
from generator.blueprint.rules.secrets import (
    looks_like_credential,
    looks_like_secret_name,
)

__all__ = ["RULES", "Finding", "Rule", "check_rules", "looks_like_credential", "looks_like_secret_name"]
