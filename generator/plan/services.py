"""The container services: task definitions in the ECS API's shape, and how ECS runs them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.blueprint.model import Blueprint, Service
from generator.facts.windows import WINDOWS_RELEASES
from generator.naming import logical_id
from generator.plan import waivers
from generator.plan.credential_specs import STACK, SpecPlan, reference_field
from generator.plan.iam import RolePlan, plan_task_role


@dataclass(frozen=True)
class TaskIngress:
    port: int
    cidr: str
    description: str


@dataclass(frozen=True)
class TaskNetworkPlan:
    """The network of ``awsvpc`` tasks: each gets an interface in these subnets, in this group."""

    security_group: str
    description: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    ingress: tuple[TaskIngress, ...]
    egress_description: str = "Active Directory, AWS APIs and image registries"
    security_group_waivers: tuple[waivers.Waiver, ...] = waivers.TASK_SECURITY_GROUP
    #: Task interfaces on EC2 get no public address (ECS guide, awsvpc: "launch tasks in a private
    #: subnet that's configured to use a NAT gateway").
    assign_public_ip: str = "DISABLED"


@dataclass(frozen=True)
class ServicePlan:
    name: str
    account: str  # the gMSA the containers run as, as declared in gmsa_accounts
    family: str
    log_group: str
    container: dict[str, Any]  # the ECS API shape, as DescribeTaskDefinition returns it
    desired_count: int
    task_role: RolePlan | None
    minimum_healthy_percent: int
    maximum_percent: int
    placement: tuple[tuple[str, str], ...]  # (type, field)
    logical_id: str
    tf_key: str
    network_mode: str | None = None  # None: Windows' default (NAT); "awsvpc"
    #: The stack resource holding the service's spec, when the stack writes it: the service
    #: depends on it, so no task starts before its spec exists.
    spec_logical_id: str | None = None
    compatibilities: tuple[str, ...] = ("EC2",)
    log_group_waivers: tuple[waivers.Waiver, ...] = waivers.LOG_GROUP
    task_definition_waivers: tuple[waivers.Waiver, ...] = waivers.TASK_DEFINITION
    circuit_breaker: bool = True
    propagate_tags: str = "SERVICE"
    ecs_managed_tags: bool = True
    #: Logs outlive the stack (CloudFormation Retain, Terraform skip_destroy).
    retain_logs: bool = True


def deployment_percentages(service: Service) -> tuple[int, int]:
    """Minimum healthy and maximum percent of a rolling deployment.

    A published host port allows one task of the service per host, so a deployment cannot start
    extra tasks (maximum 100%) and must stop one first: ECS rounds the minimum up, so a single
    task needs 0% or it could never be replaced. Without a host port (no port, or awsvpc) the new
    tasks start before the old ones stop.
    """
    if service.host_port is None:
        return 100, 200
    return (0 if service.desired_count <= 1 else 50), 100


def container_definition(bp: Blueprint, service: Service, spec: SpecPlan) -> dict[str, Any]:
    """The service's one container, as ECS stores it: image, size, port, spec reference,
    hostname, environment, secrets and logs."""
    release = WINDOWS_RELEASES[bp.hosts.os]
    container: dict[str, Any] = {
        "name": service.name,
        "image": service.image,
        "cpu": service.cpu,
        "memory": service.memory,
        "essential": True,
    }
    if service.port is not None:
        # In awsvpc mode the host port is the task interface's own and must equal the container's.
        container["portMappings"] = [{"containerPort": service.port, "hostPort": service.port, "protocol": "tcp"}]
    container[reference_field(bp)] = [spec.reference]
    hostname = service.gmsa if release.hostname_must_match_account else service.hostname
    if hostname is not None:
        container["hostname"] = hostname
    if service.environment:
        container["environment"] = [{"name": k, "value": v} for k, v in sorted(service.environment.items())]
    if service.secrets:
        container["secrets"] = [{"name": k, "valueFrom": v.arn} for k, v in sorted(service.secrets.items())]
    container["logConfiguration"] = {
        "logDriver": "awslogs",
        "options": {"awslogs-group": log_group_of(bp, service), "awslogs-region": bp.region,
                    "awslogs-stream-prefix": service.name},
    }
    return container


def log_group_of(bp: Blueprint, service: Service) -> str:
    return f"/ecs/{bp.name}/{service.name}"


def plan_service(bp: Blueprint, service: Service, partition: str, specs: tuple[SpecPlan, ...]) -> ServicePlan:
    """One service: its task definition, role, deployment and placement."""
    spec = next(s for s in specs if s.account.lower() == service.gmsa.lower())
    minimum, maximum = deployment_percentages(service)
    return ServicePlan(
        name=service.name,
        account=spec.account,
        family=f"{bp.name}-{service.name}",
        log_group=log_group_of(bp, service),
        container=container_definition(bp, service, spec),
        desired_count=service.desired_count,
        task_role=plan_task_role(bp, service, partition),
        minimum_healthy_percent=minimum,
        maximum_percent=maximum,
        placement=(("spread", "attribute:ecs.availability-zone"), ("spread", "instanceId")),
        logical_id=logical_id(service.name),
        tf_key=service.name,
        network_mode="awsvpc" if service.awsvpc else None,
        spec_logical_id=spec.logical_id if spec.writer == STACK else None,
    )


def plan_services(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...]) -> tuple[ServicePlan, ...]:
    return tuple(plan_service(bp, s, partition, specs) for s in bp.services)


def plan_task_network(bp: Blueprint) -> TaskNetworkPlan | None:
    """The security group and subnets of ``awsvpc`` tasks, when some service runs in that mode;
    their ports are open to ``network.allowed_cidrs`` as the hosts' are."""
    awsvpc = [s for s in bp.services if s.awsvpc]
    if not awsvpc:
        return None
    ingress = tuple(
        TaskIngress(s.port, cidr, f"{s.name} from {cidr}")
        for s in awsvpc
        if s.port is not None
        for cidr in bp.network.allowed_cidrs
    )
    return TaskNetworkPlan(
        security_group=f"{bp.name}-tasks",
        description=f"awsvpc tasks of {bp.name}",
        vpc_id=bp.network.vpc_id,
        subnet_ids=tuple(bp.network.subnet_ids),
        ingress=ingress,
    )
