"""The container hosts and their cluster: an Auto Scaling group of ECS-optimized Windows
instances, its security group, and the ECS cluster with its capacity provider.

How a host becomes gMSA-capable once launched is :mod:`generator.plan.bootstrap`'s concern.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.ingress import Ingress, host_ingress
from generator.blueprint.model import Blueprint
from generator.facts.hosts import HOST_OS
from generator.facts.instances import instance_type
from generator.plan import waivers
from generator.plan.tags import Tag, propagated_host_tags

#: An inbound rule of the hosts' group (one per distinct port range and CIDR).
IngressRule = Ingress


class HostsPlan(NamedTuple):
    os_family: str
    ami_parameter: str
    instance_type: str
    min_size: int
    max_size: int
    root_volume_gib: int
    vpc_id: str
    subnet_ids: tuple[str, ...]
    ingress: tuple[IngressRule, ...]
    name: str  # of the ASG, launch template, security group, instance profile and Name tag
    instance_profile_name: str
    propagated_tags: tuple[Tag, ...]  # the blueprint's tags, then gen's own (rule GEN019 keeps them apart)
    gmsa_group: str | None
    description: str
    platform: str = "windows"  # windows | linux
    security_group_waivers: tuple[waivers.Waiver, ...] = waivers.HOST_SECURITY_GROUP
    egress_description: str = "Active Directory, AWS APIs and image registries"
    root_device_name: str = "/dev/sda1"
    volume_type: str = "gp3"
    #: IMDSv2 only, and one hop: containers cannot reach the hosts' instance credentials.
    http_tokens: str = "required"
    metadata_hop_limit: int = 1
    detailed_monitoring: bool = True
    ebs_optimized: bool = True
    cpu_architecture: str = "X86_64"
    #: ECS managed scaling owns the desired capacity: the group starts at min_size and the stack
    #: never sets it, so an update cannot reset what ECS chose (hosts.desired is retired, GEN026).
    desired_owned_by_ecs: bool = True
    #: The hosts wait for the directory setup (a directory the stack creates): they join with the
    #: account it creates, into the group it creates.
    waits_for_directory_setup: bool = False


class ClusterPlan(NamedTuple):
    """The ECS cluster: its hosts' capacity provider, or Fargate's (``FARGATE``)."""

    name: str
    capacity_provider: str
    #: Fargate: the cluster's capacity provider is AWS's ``FARGATE``, and no group scales.
    fargate: bool = False
    container_insights: str = "enabled"
    managed_scaling: str = "ENABLED"
    target_capacity: int = 100
    #: Off, so that deleting the stack can terminate the hosts.
    managed_termination_protection: str = "DISABLED"


def plan_hosts(bp: Blueprint) -> HostsPlan | None:
    """The hosts' AMI, size, network and the host ports they open to ``network.allowed_cidrs``;
    None on Fargate."""
    if bp.hosts is None:
        return None
    release = HOST_OS[bp.hosts.os]
    host_type = instance_type(bp.hosts.instance_type)
    architecture = host_type.architecture if host_type is not None else "x86_64"
    ingress = host_ingress(bp)
    name = f"{bp.name}-hosts"
    linux = bp.hosts.platform == "linux"
    return HostsPlan(
        os_family=release.os_family,
        ami_parameter=release.ami_parameter_for(architecture) if linux else release.ami_parameter,  # type: ignore[union-attr]
        instance_type=bp.hosts.instance_type,
        min_size=bp.hosts.min,
        max_size=bp.hosts.max,
        root_volume_gib=bp.hosts.root_volume_gib,
        vpc_id=bp.network.vpc_id,
        subnet_ids=tuple(bp.network.subnet_ids),
        ingress=ingress,
        name=name,
        instance_profile_name=f"{bp.name}-host",
        propagated_tags=propagated_host_tags(bp),
        gmsa_group=bp.hosts.gmsa_group,
        description=f"ECS container hosts of {bp.name}",
        waits_for_directory_setup=bp.directory.managed is not None,
        platform=bp.hosts.platform,
        cpu_architecture="ARM64" if architecture == "arm64" else "X86_64",
        # Amazon Linux 2023 boots from /dev/xvda, Windows from /dev/sda1 (their AMIs' root devices).
        root_device_name="/dev/xvda" if linux else "/dev/sda1",
    )


def plan_cluster(bp: Blueprint) -> ClusterPlan:
    """The ECS cluster and the capacity provider of its hosts, or Fargate's."""
    if bp.hosts is None:
        return ClusterPlan(name=bp.name, capacity_provider="FARGATE", fargate=True)
    return ClusterPlan(name=bp.name, capacity_provider=f"{bp.name}-hosts")
