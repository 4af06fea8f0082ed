"""The container services: task definitions in the ECS API's shape, and how ECS runs them."""

from __future__ import annotations

from typing import Any, NamedTuple

from generator.blueprint.ingress import Ingress, task_ingress
from generator.blueprint.model import Blueprint, Deployment, HealthCheck, Service
from generator.facts.agent import GMSA_CAPABILITY, GMSA_DOMAINLESS_CAPABILITY
from generator.facts.hosts import HOST_OS
from generator.facts.instances import instance_type
from generator.facts.windows import WINDOWS_RELEASES
from generator.naming import logical_id
from generator.plan import waivers
from generator.plan.autoscaling import ScalingPlan, plan_scaling
from generator.plan.credential_specs import STACK, SpecPlan, reference_field
from generator.plan.iam import RolePlan, plan_task_role
from generator.plan.load_balancer import target_group

#: An inbound rule of the awsvpc tasks' group (one per distinct port range and CIDR).
TaskIngress = Ingress


class TaskNetworkPlan(NamedTuple):
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


class ServiceTargetPlan(NamedTuple):
    """Where the load balancer sends the service's requests: its container's port, through the
    target group, once the listener rule exists (ECS needs the rule before the service: CFN guide,
    ``AWS::ECS::Service``, "requires an explicit dependency on the ... listener rule")."""

    target_group: str  # logical id (CloudFormation) of the target group
    rule: str  # logical id of the listener rule
    container_port: int
    #: Seconds ECS ignores failed load balancer health checks after a task starts.
    grace_period: int


class ServicePlan(NamedTuple):
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
    os_family: str = "WINDOWS_SERVER_2019_FULL"  # the task's runtime platform
    cpu_architecture: str = "X86_64"
    network_mode: str | None = None  # None: the platform's default (NAT on Windows, bridge on Linux); "awsvpc"
    #: ``memberOf`` expressions: place tasks only where the agent advertises the gMSA capability
    #: they need (none on Fargate, which takes no placement constraints).
    placement_constraints: tuple[str, ...] = ()
    #: Fargate: task-level size (strings, as ECS stores them) and platform version.
    task_cpu: str | None = None
    task_memory: str | None = None
    platform_version: str | None = None
    #: The service starts once the directory setup succeeded (the gMSAs exist).
    waits_for_directory_setup: bool = False
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
    target: ServiceTargetPlan | None = None
    #: Application Auto Scaling owns the task count: desired_count is only the first one.
    scaling: ScalingPlan | None = None


def task_count(service: Service) -> int:
    """The tasks a service starts with: autoscaling's minimum, else desired_count."""
    return service.autoscaling.min if service.autoscaling is not None else service.desired_count


def deployment_percentages(bp: Blueprint, service: Service) -> tuple[int, int]:
    """Minimum healthy and maximum percent of a rolling deployment, as given or by default.

    A published host port allows one task of the service per host, so a deployment cannot start
    extra tasks (maximum 100%) and must stop one first: ECS rounds the minimum up, so a single
    task needs 0% or it could never be replaced. Without a fixed host port (no port, awsvpc, or a
    routed service's dynamic ports) the new tasks start, and pass their health checks, before
    the old ones stop (100%, 200%): a routed service's only task is never stopped first.
    """
    given = service.deployment or Deployment()
    if bp.host_port(service) is None:
        default = (100, 200)
    else:
        default = ((0 if task_count(service) <= 1 else 50), 100)
    minimum = given.minimum_healthy_percent if given.minimum_healthy_percent is not None else default[0]
    maximum = given.maximum_percent if given.maximum_percent is not None else default[1]
    return minimum, maximum


#: A container health check's start period may be 0-300 seconds (ECS ``HealthCheck.startPeriod``).
MAX_START_PERIOD = 300


def container_definition(bp: Blueprint, service: Service, spec: SpecPlan) -> dict[str, Any]:
    """The service's one container, as ECS stores it: image, size, port, spec reference,
    hostname, environment, secrets and logs."""
    release = WINDOWS_RELEASES.get(bp.hosts.os) if bp.hosts is not None else None
    container: dict[str, Any] = {
        "name": service.name,
        "image": service.image,
        "cpu": service.cpu,
        "memory": service.memory,
        "essential": True,
    }
    if service.port is not None:
        # In awsvpc mode the host port is the task interface's own and must equal the container's;
        # a routed service's is 0, a dynamic port the agent picks (ECS API, PortMapping.hostPort).
        host_port = 0 if bp.routed(service) and not bp.awsvpc(service) else service.port
        container["portMappings"] = [{"containerPort": service.port, "hostPort": host_port, "protocol": "tcp"}]
    container[reference_field(bp)] = [spec.reference]
    if service.read_only_root_filesystem:
        container["readonlyRootFilesystem"] = True
    hostname = service.gmsa if release is not None and release.hostname_must_match_account else service.hostname
    if hostname is not None:
        container["hostname"] = hostname
    if service.environment:
        container["environment"] = [{"name": k, "value": v} for k, v in sorted(service.environment.items())]
    if service.secrets:
        container["secrets"] = [{"name": k, "valueFrom": v.arn} for k, v in sorted(service.secrets.items())]
    check = service.health_check
    if check is not None and check.command is not None:
        # Only a command the blueprint gives: Nano Server images have no PowerShell, and not every
        # image has curl.exe. The ECS defaults otherwise (HealthCheck: 30 s, 5 s, 3 retries).
        container["healthCheck"] = {"command": list(check.command), "interval": 30, "timeout": 5, "retries": 3,
                                    "startPeriod": min(check.grace_period, MAX_START_PERIOD)}
    container["logConfiguration"] = {
        "logDriver": "awslogs",
        "options": {"awslogs-group": log_group_of(bp, service), "awslogs-region": bp.region,
                    "awslogs-stream-prefix": service.name},
    }
    return container


def log_group_of(bp: Blueprint, service: Service) -> str:
    return f"/ecs/{bp.name}/{service.name}"


def gmsa_capability(bp: Blueprint) -> str:
    """What the agent advertises when it can run the blueprint's gMSA tasks (parse_windows.go,
    parse_linux.go)."""
    return GMSA_DOMAINLESS_CAPABILITY if bp.domainless else GMSA_CAPABILITY


def plan_service(bp: Blueprint, service: Service, partition: str, specs: tuple[SpecPlan, ...]) -> ServicePlan:
    """One service: its task definition, role, deployment and placement."""
    spec = next(s for s in specs if s.account.lower() == service.gmsa.lower())
    minimum, maximum = deployment_percentages(bp, service)
    fargate = bp.platform == "fargate"
    hosts = plan_hosts_platform(bp)
    return ServicePlan(
        name=service.name,
        account=spec.account,
        family=f"{bp.name}-{service.name}",
        log_group=log_group_of(bp, service),
        container=container_definition(bp, service, spec),
        desired_count=task_count(service),
        task_role=plan_task_role(bp, service, partition),
        minimum_healthy_percent=minimum,
        maximum_percent=maximum,
        # Fargate spreads tasks over zones itself and takes no placement strategy.
        placement=() if fargate else (("spread", "attribute:ecs.availability-zone"), ("spread", "instanceId")),
        logical_id=logical_id(service.name),
        tf_key=service.name,
        os_family=hosts[0],
        cpu_architecture=hosts[1],
        network_mode="awsvpc" if bp.awsvpc(service) else None,
        placement_constraints=() if fargate else (f"attribute:{gmsa_capability(bp)} exists",),
        spec_logical_id=spec.logical_id if spec.writer == STACK else None,
        compatibilities=("FARGATE",) if fargate else ("EC2",),
        task_cpu=str(service.cpu) if fargate else None,
        task_memory=str(service.memory) if fargate else None,
        platform_version=bp.fargate.platform_version if bp.fargate is not None else None,
        waits_for_directory_setup=bp.directory.managed is not None,
        task_definition_waivers=task_definition_waivers(bp, service),
        target=service_target(bp, service),
        scaling=plan_scaling(bp, service, bp.name),
    )


def service_target(bp: Blueprint, service: Service) -> ServiceTargetPlan | None:
    if not bp.routed(service) or service.port is None:
        return None
    group = target_group(bp, service)
    return ServiceTargetPlan(group.logical_id, group.rule_logical_id, service.port,
                             (service.health_check or HealthCheck()).grace_period)


def task_definition_waivers(bp: Blueprint, service: Service) -> tuple[waivers.Waiver, ...]:
    """checkov wants a read-only root file system: Windows has none, on Linux it is the
    service's choice."""
    if bp.platform == "windows":
        return waivers.TASK_DEFINITION
    return () if service.read_only_root_filesystem else waivers.WRITABLE_LINUX_ROOT


def plan_hosts_platform(bp: Blueprint) -> tuple[str, str]:
    """The tasks' runtime platform: the hosts' OS family and architecture; Linux on Fargate."""
    if bp.hosts is None:
        return "LINUX", "X86_64"
    host_type = instance_type(bp.hosts.instance_type)
    arm = host_type is not None and host_type.architecture == "arm64"
    return HOST_OS[bp.hosts.os].os_family, "ARM64" if arm else "X86_64"


def plan_services(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...]) -> tuple[ServicePlan, ...]:
    return tuple(plan_service(bp, s, partition, specs) for s in bp.services)


def plan_task_network(bp: Blueprint) -> TaskNetworkPlan | None:
    """The security group and subnets of ``awsvpc`` tasks, when some service runs in that mode;
    their ports are open to ``network.allowed_cidrs`` as the hosts' are."""
    awsvpc = [s for s in bp.services if bp.awsvpc(s)]
    if not awsvpc:
        return None
    ingress = task_ingress(bp)
    return TaskNetworkPlan(
        security_group=f"{bp.name}-tasks",
        description=f"awsvpc tasks of {bp.name}",
        vpc_id=bp.network.vpc_id,
        subnet_ids=tuple(bp.network.subnet_ids),
        ingress=ingress,
    )
