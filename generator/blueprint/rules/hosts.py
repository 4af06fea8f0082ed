"""Rules about the container hosts: their counts, who may reach them, the credentials they join with."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule
from generator.errors import WARNING
from generator.facts.aws import WORLD_CIDRS


@rule(
    "GEN006",
    "host counts satisfy min <= max",
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html",
)
def host_counts(bp: Blueprint) -> Iterator[Finding]:
    hosts = bp.hosts
    if hosts is not None and hosts.min > hosts.max:
        yield Finding(("hosts", "min"), f"min ({hosts.min}) is larger than max ({hosts.max})", "lower min or raise max")


@rule("GEN026", "hosts.desired is retired: ECS managed scaling decides how many hosts run",
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/asg-capacity-providers.html", WARNING)
def retired_desired(bp: Blueprint) -> Iterator[Finding]:
    """A desired capacity in the template fights the capacity provider: every stack update would
    reset what ECS managed scaling set (the AWS::AutoScaling::AutoScalingGroup reference advises
    leaving DesiredCapacity out when something else scales the group)."""
    if bp.hosts is not None and bp.hosts.desired is not None:
        yield Finding(
            ("hosts", "desired"),
            "desired is ignored: the group starts at min and ECS managed scaling adds hosts, up to max, as tasks need them",
            "remove desired; set min to the hosts you want running at all times",
        )


@rule("GEN024", "no port is open to the whole internet unless the blueprint says so",
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html")
def world_open_ingress(bp: Blueprint) -> Iterator[Finding]:
    if bp.network.allow_internet_ingress:
        return
    for index, cidr in enumerate(bp.network.allowed_cidrs):
        if cidr in WORLD_CIDRS:
            yield Finding(
                ("network", "allowed_cidrs", index),
                f"{cidr} opens every service port to the whole internet",
                "list the networks that need the services (for example your VPC or office ranges), or set "
                "network.allow_internet_ingress: true if that is what you mean",
            )
    lb_cidrs = bp.load_balancer.allowed_cidrs if bp.load_balancer is not None else []
    for index, cidr in enumerate(lb_cidrs):
        if cidr in WORLD_CIDRS:
            yield Finding(
                ("load_balancer", "allowed_cidrs", index),
                f"{cidr} opens the load balancer's listeners to the whole internet",
                "list the networks that need the services, or set network.allow_internet_ingress: true if that is "
                "what you mean",
            )


@rule("GEN011", "hosts have credentials to join an existing domain")
def join_credentials(bp: Blueprint) -> Iterator[Finding]:
    hosts = bp.hosts
    if hosts is None or bp.domainless:
        return
    if bp.directory.existing is not None and bp.directory.managed is None and hosts.join_secret is None:
        yield Finding(
            ("hosts",),
            "hosts.join_secret is required with an existing directory",
            'store {"username": ..., "password": ...} of an account that may join computers and manage '
            "gmsa_group in Secrets Manager, and set hosts.join_secret to its ARN",
        )
