"""Rules about the container hosts: their counts, and the credentials they join with."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule


@rule(
    "GEN006",
    "host counts satisfy min <= desired <= max",
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html",
)
def host_counts(bp: Blueprint) -> Iterator[Finding]:
    hosts = bp.hosts
    if hosts.min > hosts.max:
        yield Finding(("hosts", "min"), f"min ({hosts.min}) is larger than max ({hosts.max})", "lower min or raise max")
    elif not hosts.min <= hosts.desired <= hosts.max:
        yield Finding(
            ("hosts", "desired"),
            f"desired ({hosts.desired}) is outside min..max ({hosts.min}..{hosts.max})",
            "choose a value between min and max",
        )


@rule("GEN011", "hosts have credentials to join an existing domain")
def join_credentials(bp: Blueprint) -> Iterator[Finding]:
    if bp.directory.existing is not None and bp.directory.managed is None and bp.hosts.join_secret is None:
        yield Finding(
            ("hosts",),
            "hosts.join_secret is required with an existing directory",
            'store {"username": ..., "password": ...} of an account that may join computers and manage '
            "gmsa_group in Secrets Manager, and set hosts.join_secret to its ARN",
        )
