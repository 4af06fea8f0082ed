"""Rules about capacity: every task fits one host of the chosen type, once the OS has its share,
``awsvpc`` tasks fit the hosts' network interfaces, and Fargate tasks have a size Fargate runs."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.errors import WARNING
from generator.facts.aws import CPU_UNITS_RANGE, MIN_CONTAINER_MEMORY_MIB
from generator.facts.instances import families, instance_type
from generator.facts.linux import FARGATE_TASK_SIZES
from generator.facts.hosts import HOST_OS

TASK_SIZE_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"
AWSVPC_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html"
CLUSTER_SCALING_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html"


@rule("GEN012", "container CPU and memory are values ECS accepts and fit one host, less the memory Windows keeps",
      TASK_SIZE_DOCS, items=SERVICES)
def container_resources(bp: Blueprint) -> Iterator[Finding]:
    low, high = CPU_UNITS_RANGE
    host = instance_type(bp.hosts.instance_type) if bp.hosts is not None else None
    release = HOST_OS[bp.hosts.os] if bp.hosts is not None else None
    usable = host.memory_mib - release.reserved_memory_mib if host and release else 0
    kept_by = f"{release.name} {release.edition.capitalize()}".strip() if release else ""
    for index, service in enumerate(bp.services):
        if not low <= service.cpu <= high:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is outside {low}..{high}",
                "Windows containers are capped at their CPU units (1024 = one vCPU); 0 would mean 1% of one CPU",
            )
        elif host is not None and service.cpu > host.cpu_units:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is more than a {host.name} has ({host.cpu_units}: {host.vcpus} vCPUs)",
                "lower cpu or choose a larger hosts.instance_type",
            )
        if service.memory < MIN_CONTAINER_MEMORY_MIB:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is less than the {MIN_CONTAINER_MEMORY_MIB} MiB ECS accepts",
                "Windows Server Core containers need at least 1024 MiB in practice",
            )
        elif host is not None and service.memory > usable:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is more than a {host.name} offers tasks ({usable} MiB: {host.memory_mib} MiB "
                f"less {release.reserved_memory_mib} MiB gen reserves for {kept_by})",
                "lower memory or choose a larger hosts.instance_type (ECS would never place this task)",
            )


@rule("GEN022", "the hosts' instance type is one gen knows, of an architecture the hosts' OS runs on",
      "https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html")
def known_instance_type(bp: Blueprint) -> Iterator[Finding]:
    if bp.hosts is None:
        return
    host = instance_type(bp.hosts.instance_type)
    x86 = ", ".join(families("x86_64"))
    if host is None:
        yield Finding(
            ("hosts", "instance_type"),
            f"gen does not know the CPUs, memory and network interfaces of {bp.hosts.instance_type}, so it cannot check "
            "that the tasks fit",
            f"choose a size of a family gen knows: {x86}",
        )
    elif host.architecture != "x86_64" and bp.hosts.platform == "windows":
        yield Finding(
            ("hosts", "instance_type"),
            f"{host.name} is an {host.architecture} (Graviton) type; the ECS-optimized Windows AMIs are x86_64 only",
            f"choose an x86_64 family: {x86}",
        )


@rule("GEN023", "awsvpc tasks fit the hosts' network interfaces (one each, no ENI trunking on Windows)", AWSVPC_DOCS,
      items=SERVICES)
def awsvpc_capacity(bp: Blueprint) -> Iterator[Finding]:
    host = instance_type(bp.hosts.instance_type) if bp.hosts is not None else None
    if host is None or bp.hosts is None:
        return
    per_host = host.max_network_interfaces - 1  # the primary interface is the host's own
    tasks = [(index, s) for index, s in enumerate(bp.services) if bp.awsvpc(s)]
    total = sum(bp.most_tasks(s) for _, s in tasks)
    if tasks and total > per_host * bp.hosts.max:
        index, last = tasks[-1]
        yield Finding(
            ("services", index, "autoscaling", "max") if last.autoscaling is not None else ("services", index, "desired_count"),
            f"the awsvpc services run {total} tasks, but {bp.hosts.max} {host.name} hosts (hosts.max) have room for "
            f"{per_host * bp.hosts.max}: each has {host.max_network_interfaces} network interfaces, one its own",
            "raise hosts.max, choose an instance type with more network interfaces, or run fewer awsvpc tasks",
        )


@rule("GEN037", "a Fargate task has a CPU and memory size Fargate runs", TASK_SIZE_DOCS)
def fargate_task_size(bp: Blueprint) -> Iterator[Finding]:
    if bp.platform != "fargate":
        return
    for index, service in enumerate(bp.services):
        sizes = FARGATE_TASK_SIZES.get(service.cpu)
        if sizes is None:
            yield Finding(("services", index, "cpu"), f"Fargate runs no task of {service.cpu} CPU units",
                          f"choose one of {', '.join(map(str, FARGATE_TASK_SIZES))} (1024 = one vCPU)")
        elif service.memory not in sizes:
            choices = (", ".join(map(str, sizes)) if len(sizes) <= 7
                       else f"{sizes[0]} to {sizes[-1]} in steps of {sizes[1] - sizes[0]}")
            yield Finding(("services", index, "memory"),
                          f"Fargate runs no task of {service.cpu} CPU units with {service.memory} MiB",
                          f"with {service.cpu} CPU units choose a memory of {choices} MiB")


@rule("GEN054", "the hosts at their maximum hold every autoscaled service at its maximum", CLUSTER_SCALING_DOCS, WARNING)
def scaled_services_fit_the_hosts(bp: Blueprint) -> Iterator[Finding]:
    """ECS managed scaling launches hosts for tasks that do not fit, but never more than the
    group's maximum: tasks beyond it stay pending. A sum of CPU and memory, so a lower bound (ECS
    places whole tasks on hosts)."""
    if bp.hosts is None or not any(s.autoscaling is not None for s in bp.services):
        return
    host, release = instance_type(bp.hosts.instance_type), HOST_OS[bp.hosts.os]
    if host is None:
        return
    memory = sum(bp.most_tasks(s) * s.memory for s in bp.services)
    cpu = sum(bp.most_tasks(s) * s.cpu for s in bp.services)
    room_memory = bp.hosts.max * (host.memory_mib - release.reserved_memory_mib)
    room_cpu = bp.hosts.max * host.cpu_units
    if memory > room_memory or cpu > room_cpu:
        index = next(i for i, s in enumerate(bp.services) if s.autoscaling is not None)
        what = (f"{memory} MiB of memory, {bp.hosts.max} {host.name} hosts offer {room_memory}" if memory > room_memory
                else f"{cpu} CPU units, {bp.hosts.max} {host.name} hosts have {room_cpu}")
        yield Finding(("services", index, "autoscaling", "max"),
                      f"at their maximum the services need {what}: tasks beyond that would stay pending",
                      "raise hosts.max, choose a larger hosts.instance_type, or lower autoscaling.max")
