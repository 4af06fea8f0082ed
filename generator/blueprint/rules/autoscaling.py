"""Rules about how many tasks a service runs: autoscaling bounds and deployment percentages."""

from __future__ import annotations

import math
from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.errors import WARNING

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


@rule("GEN055", "an autoscaled service does not also set desired_count", SCALING_DOCS, WARNING, items=SERVICES)
def desired_count_with_autoscaling(bp: Blueprint) -> Iterator[Finding]:
    """The service starts at autoscaling.min and scaling owns the count after that, so a
    desired_count would mean nothing."""
    for index, service in enumerate(bp.services):
        # A service with shape problems (read through blueprint.partial) cannot say what was given.
        given = getattr(service, "model_fields_set", None)
        if service.autoscaling is not None and given is not None and "desired_count" in given:
            yield Finding(("services", index, "desired_count"),
                          f"desired_count is ignored: the service starts at autoscaling.min ({service.autoscaling.min}) "
                          "and Application Auto Scaling sets the count after that",
                          "remove desired_count, or set autoscaling.min to the count to start with")
