"""CloudFormation of the services: log groups, task roles, task definitions and services."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from troposphere import AWSHelperFn, GetAtt, ImportValue, Ref, Template, ec2, ecs, logs
from troposphere.validators.ecs import RUNTIME_PLATFORM_OS_FAMILY

from generator.facts.windows import WINDOWS_RELEASES
from generator.plan import Plan
from generator.plan.services import ServicePlan, TaskNetworkPlan
from generator.render.cloudformation.iam import add_role
from generator.render.cloudformation.values import SETUP_ASSOCIATION, cfn, kept, pascal_keys, tags, waived

TASK_SECURITY_GROUP = "TaskSecurityGroup"


class RuntimePlatform(ecs.RuntimePlatform):
    """troposphere's RuntimePlatform, also accepting OS families it does not list yet.

    troposphere 4.x lacks e.g. ``WINDOWS_SERVER_2025_FULL``. Rather than drop validation, the
    allowed families are troposphere's plus the ones gen knows from its own facts table.
    """

    FAMILIES = sorted(set(RUNTIME_PLATFORM_OS_FAMILY) | {r.os_family for r in WINDOWS_RELEASES.values()})

    def validate(self) -> None:
        family = self.properties.get("OperatingSystemFamily")
        if family is not None and not isinstance(family, AWSHelperFn) and family not in self.FAMILIES:
            raise ValueError(f"RuntimePlatform OperatingSystemFamily must be one of: {', '.join(self.FAMILIES)}")
        architecture = self.properties.get("CpuArchitecture")
        if architecture is not None and architecture not in ("X86_64", "ARM64"):
            raise ValueError("RuntimePlatform CpuArchitecture must be one of: X86_64, ARM64")


@dataclass(frozen=True)
class Wiring:
    """How a service's resources reach the cluster, its capacity provider, the execution role and
    the tasks' security group: in the same stack, or imported from the base stack's exports
    (where the base stack, deployed first, already made the specs and the directory setup).

    One wiring serves every service of a stack, and so do the properties made of it (built once:
    troposphere is slow to build an object, and neither it nor gen changes one once built)."""

    cluster: Any
    capacity_provider: Any
    execution_role_arn: Any
    task_security_group: Any
    task_network: TaskNetworkPlan | None
    same_stack: bool = True

    @cached_property
    def capacity_provider_strategy(self) -> list[ecs.CapacityProviderStrategyItem]:
        return [ecs.CapacityProviderStrategyItem(CapacityProvider=self.capacity_provider, Weight=1)]

    @cached_property
    def network_configuration(self) -> ecs.NetworkConfiguration:
        """The awsvpc tasks' subnets and security group."""
        assert self.task_network is not None
        return ecs.NetworkConfiguration(
            AwsvpcConfiguration=ecs.AwsvpcConfiguration(
                Subnets=list(self.task_network.subnet_ids),
                SecurityGroups=[self.task_security_group],
                AssignPublicIp=self.task_network.assign_public_ip,
            )
        )


def in_stack(plan: Plan) -> Wiring:
    return Wiring(Ref("Cluster"), capacity_provider(plan), GetAtt(plan.execution_role.logical_id, "Arn"),
                  GetAtt(TASK_SECURITY_GROUP, "GroupId"), plan.task_network)


def imported(plan: Plan) -> Wiring:
    assert plan.exports is not None
    provider = plan.cluster.capacity_provider if plan.cluster.fargate else ImportValue(plan.exports.capacity_provider)
    return Wiring(ImportValue(plan.exports.cluster), provider, ImportValue(plan.exports.execution_role_arn),
                  ImportValue(plan.exports.task_security_group), plan.task_network, same_stack=False)


#: Properties many services share, one object each (see Wiring); typed, so that 1 and True differ.
_shared = lru_cache(maxsize=None, typed=True)


@_shared
def _runtime_platform(os_family: str, cpu_architecture: str) -> RuntimePlatform:
    return RuntimePlatform(OperatingSystemFamily=os_family, CpuArchitecture=cpu_architecture)


@_shared
def _placement_constraint(expression: str) -> ecs.PlacementConstraint:
    return ecs.PlacementConstraint(Type="memberOf", Expression=expression)


@_shared
def _placement_strategy(kind: str, field: str) -> ecs.PlacementStrategy:
    return ecs.PlacementStrategy(Type=kind, Field=field)


@_shared
def _deployment_configuration(minimum: int, maximum: int, circuit_breaker: bool) -> ecs.DeploymentConfiguration:
    return ecs.DeploymentConfiguration(
        MinimumHealthyPercent=minimum,
        MaximumPercent=maximum,
        DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=circuit_breaker, Rollback=circuit_breaker),
    )


def resources_of(service: ServicePlan) -> int:
    """How many resources a service brings to its stack (a stack holds 500): :func:`add_service`'s,
    its target group and listener rule, its scalable target and scaling policy."""
    return 3 + (service.task_role is not None) + 2 * (service.target is not None) + 2 * (service.scaling is not None)


def add_task_security_group(t: Template, plan: Plan) -> None:
    network = plan.task_network
    if network is not None:
        t.add_resource(
            ec2.SecurityGroup(
                TASK_SECURITY_GROUP,
                Metadata=waived(network.security_group_waivers),
                GroupName=network.security_group,
                GroupDescription=network.description,
                VpcId=network.vpc_id,
                SecurityGroupIngress=[
                    ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=r.from_port, ToPort=r.to_port, CidrIp=r.cidr,
                                          Description=r.description)
                    for r in network.ingress
                ],
                SecurityGroupEgress=[ec2.SecurityGroupRule(IpProtocol="-1", CidrIp="0.0.0.0/0",
                                                           Description=network.egress_description)],
                Tags=tags(plan),
            )
        )


def add_service(t: Template, plan: Plan, service: ServicePlan, wiring: Wiring) -> None:
    t.add_resource(
        logs.LogGroup(f"{service.logical_id}LogGroup", Metadata=waived(service.log_group_waivers),
                      **kept(service.retain_logs),
                      LogGroupName=service.log_group,
                      RetentionInDays=plan.log_retention_days, Tags=tags(plan))
    )
    if service.task_role is not None:
        add_role(t, plan, service.task_role)
    container = ecs.ContainerDefinition.from_dict(service.logical_id, pascal_keys(cfn(service.container)))
    task: dict[str, Any] = {
        "Family": service.family,
        "RequiresCompatibilities": list(service.compatibilities),
        "ExecutionRoleArn": wiring.execution_role_arn,
        "RuntimePlatform": _runtime_platform(service.os_family, service.cpu_architecture),
        "ContainerDefinitions": [container],
        "Tags": tags(plan),
    }
    if service.task_role is not None:
        task["TaskRoleArn"] = GetAtt(service.task_role.logical_id, "Arn")
    if service.network_mode is not None:
        task["NetworkMode"] = service.network_mode
    if service.placement_constraints:
        task["PlacementConstraints"] = [_placement_constraint(e) for e in service.placement_constraints]
    if service.task_cpu is not None:
        task["Cpu"], task["Memory"] = service.task_cpu, service.task_memory
    placement: dict[str, Any] = {}
    if service.platform_version is not None:
        placement["PlatformVersion"] = service.platform_version
    if service.placement:
        placement["PlacementStrategies"] = [_placement_strategy(kind, field) for kind, field in service.placement]
    if service.network_mode == "awsvpc":
        placement["NetworkConfiguration"] = wiring.network_configuration
    t.add_resource(
        ecs.TaskDefinition(
            f"{service.logical_id}TaskDefinition",
            DependsOn=[f"{service.logical_id}LogGroup"],
            Metadata=waived(service.task_definition_waivers),
            **task,
        )
    )
    if service.scaling is None:
        # An autoscaled service's count is Application Auto Scaling's: without DesiredCount a
        # stack update leaves it as it is (CFN guide, AWS::ECS::Service DesiredCount).
        placement["DesiredCount"] = service.desired_count
    if service.target is not None:
        placement["LoadBalancers"] = [ecs.LoadBalancer(ContainerName=service.name,
                                                       ContainerPort=service.target.container_port,
                                                       TargetGroupArn=Ref(service.target.target_group))]
        placement["HealthCheckGracePeriodSeconds"] = service.target.grace_period
    depends = service_dependencies(service) if wiring.same_stack else stack_dependencies(service)
    t.add_resource(
        ecs.Service(
            f"{service.logical_id}Service",
            **({"DependsOn": depends} if depends else {}),
            ServiceName=service.name,
            Cluster=wiring.cluster,
            TaskDefinition=Ref(f"{service.logical_id}TaskDefinition"),
            CapacityProviderStrategy=wiring.capacity_provider_strategy,
            DeploymentConfiguration=_deployment_configuration(service.minimum_healthy_percent, service.maximum_percent,
                                                              service.circuit_breaker),
            EnableECSManagedTags=service.ecs_managed_tags,
            PropagateTags=service.propagate_tags,
            Tags=tags(plan),
            **placement,
        )
    )


def capacity_provider(plan: Plan) -> Any:
    """The hosts' capacity provider, or Fargate's (AWS's own, by name)."""
    return plan.cluster.capacity_provider if plan.cluster.fargate else Ref("CapacityProvider")


def stack_dependencies(service: ServicePlan) -> list[str]:
    """What a service in a service stack waits for within its stack: its listener rule (the base
    stack, deployed first, made the capacity, the specs and the directory setup)."""
    return [service.target.rule] if service.target is not None else []


def service_dependencies(service: ServicePlan) -> list[str]:
    """What must exist before the service starts tasks: capacity, the stack's copy of its spec,
    the directory setup (its gMSA), and its listener rule (ECS refuses a target group no listener
    uses)."""
    depends = ["ClusterCapacityProviders"]
    if service.target is not None:
        depends.append(service.target.rule)
    if service.spec_logical_id:
        depends.append(service.spec_logical_id)
    if service.waits_for_directory_setup:
        depends.append(SETUP_ASSOCIATION)
    return depends
