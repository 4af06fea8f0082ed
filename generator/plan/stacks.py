"""How the CloudFormation output is split when one stack cannot hold it: a base stack (the
directory, hosts, cluster, IAM, specs, security groups) and service stacks, each service in the
stack its name chooses.

The assignment is a function of each service's name alone (:func:`generator.naming.service_stack`),
so a blueprint that grows or shrinks never moves a service to another stack (moving one would
delete and re-create it). The service stacks read what they need from the base stack by its
exports (``Fn::ImportValue``); the renderer decides whether the system fits one stack, and only
then uses this split.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint
from generator.facts.quotas import SERVICE_STACKS
from generator.naming import service_stack


class ServiceStack(NamedTuple):
    """One service stack: its number, its stack name and the services it holds."""

    number: int
    name: str  # the stack's name: <blueprint>-services-NN
    file: str  # the template's file name without extension: services-NN
    services: tuple[str, ...]


class StackExports(NamedTuple):
    """Names of the base stack's exports the service stacks import (unique in a region, as each
    starts with the blueprint's name)."""

    cluster: str
    capacity_provider: str
    execution_role_arn: str
    task_security_group: str
    rules_listener: str  # the load balancer's listener that holds the services' rules



def plan_service_stacks(bp: Blueprint) -> tuple[ServiceStack, ...]:
    """The service stacks a split renders: the non-empty ones of :data:`SERVICE_STACKS`, in
    number order, each listing its services in the blueprint's order."""
    members: dict[int, list[str]] = {}
    for service in bp.services:
        members.setdefault(service_stack(service.name, SERVICE_STACKS), []).append(service.name)
    return tuple(
        ServiceStack(number, f"{bp.name}-services-{number:02d}", f"services-{number:02d}", tuple(names))
        for number, names in sorted(members.items())
    )


def plan_exports(bp: Blueprint) -> StackExports:
    return StackExports(
        cluster=f"{bp.name}-ClusterName",
        capacity_provider=f"{bp.name}-CapacityProviderName",
        execution_role_arn=f"{bp.name}-TaskExecutionRoleArn",
        task_security_group=f"{bp.name}-TaskSecurityGroupId",
        rules_listener=f"{bp.name}-RulesListenerArn",
    )
