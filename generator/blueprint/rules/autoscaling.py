"""Rules about how many tasks a service runs: autoscaling bounds and deployment percentages."""

from __future__ import annotations

import math
from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule

SCALING_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html"
DEPLOYMENT_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html"


@rule("GEN052", "autoscaling min is not above max", SCALING_DOCS, items=SERVICES)
def autoscaling_bounds(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        scaling = service.autoscaling
        if scaling is not None and scaling.min > scaling.max:
            yield Finding(("services", index, "autoscaling", "min"),
                          f"min ({scaling.min}) is larger than max ({scaling.max})", "make min at most max")


@rule("GEN053", "a deployment can start or stop at least one task", DEPLOYMENT_DOCS, items=SERVICES)
def deployment_can_move(bp: Blueprint) -> Iterator[Finding]:
    """ECS guide, deployment-type-ecs: "ensure that the scheduler can stop or start at least one
    task"; the minimum is rounded up and the maximum down (botocore ``DeploymentConfiguration``)."""
    for index, service in enumerate(bp.services):
        given = service.deployment
        if given is None or given.minimum_healthy_percent is None or given.maximum_percent is None:
            continue
        count = service.autoscaling.min if service.autoscaling is not None else service.desired_count
        if count == 0:
            continue
        kept = math.ceil(count * given.minimum_healthy_percent / 100)
        allowed = math.floor(count * given.maximum_percent / 100)
        if kept >= count and allowed <= count:
            yield Finding(("services", index, "deployment"),
                          f"with {count} task(s), minimum_healthy_percent {given.minimum_healthy_percent} keeps all of "
                          f"them and maximum_percent {given.maximum_percent} allows no extra one: a deployment could "
                          "never replace a task",
                          "raise maximum_percent (200 starts the new tasks first) or lower minimum_healthy_percent")
