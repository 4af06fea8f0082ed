"""Rules about the services: hostnames, CPU and memory, host ports."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule
from generator.facts import (
    CPU_UNITS_RANGE,
    MIN_CONTAINER_MEMORY_MIB,
    WINDOWS_RELEASES,
    instance_capacity,
)


@rule("GEN007", "on Windows Server 2016 hosts the container hostname equals the gMSA account name")
def ws2016_hostname(bp: Blueprint) -> Iterator[Finding]:
    if not WINDOWS_RELEASES[bp.hosts.os].hostname_must_match_account:
        return
    for index, service in enumerate(bp.services):
        if service.hostname is not None and service.hostname.lower() != service.gmsa.lower():
            yield Finding(
                ("services", index, "hostname"),
                f'"{service.hostname}" differs from the gMSA account "{service.gmsa}", which Windows Server 2016 hosts require',
                "remove hostname (gen sets it to the account name) or move the hosts to Windows Server 2019 or later",
            )


@rule(
    "GEN012",
    "container CPU and memory are values ECS accepts and fit the instance type",
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
)
def container_resources(bp: Blueprint) -> Iterator[Finding]:
    low, high = CPU_UNITS_RANGE
    capacity = instance_capacity(bp.hosts.instance_type)
    for index, service in enumerate(bp.services):
        if not low <= service.cpu <= high:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is outside {low}..{high}",
                "Windows containers are capped at their CPU units (1024 = one vCPU); 0 would mean 1% of one CPU",
            )
        elif capacity is not None and service.cpu > capacity.cpu_units:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is more than a {bp.hosts.instance_type} has ({capacity.cpu_units})",
                "lower cpu or choose a larger hosts.instance_type",
            )
        if service.memory < MIN_CONTAINER_MEMORY_MIB:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is less than the {MIN_CONTAINER_MEMORY_MIB} MiB ECS accepts",
                "Windows Server Core containers need at least 1024 MiB in practice",
            )
        elif capacity is not None and service.memory > capacity.memory_mib:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is more than a {bp.hosts.instance_type} has ({capacity.memory_mib} MiB)",
                "lower memory or choose a larger hosts.instance_type",
            )


@rule(
    "GEN013",
    "services publish different host ports",
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_portmappings",
)
def unique_host_ports(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[int, str] = {}
    for index, service in enumerate(bp.services):
        if service.port is None:
            continue
        if service.port in owner:
            yield Finding(
                ("services", index, "port"),
                f"host port {service.port} is already published by service {owner[service.port]}",
                "give each service its own port; the hosts publish container ports on the same host port",
            )
        else:
            owner[service.port] = service.name
