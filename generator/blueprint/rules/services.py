"""Rules about the services: hostnames, host ports, images, network modes, shared gMSAs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator

from generator.blueprint.model import Blueprint, Service
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.errors import WARNING
from generator.facts.agent import RESERVED_HOST_PORTS, RESERVED_HOST_PORTS_LINUX, TASK_ROLE_PROXY_PORT
from generator.facts.windows import WINDOWS_RELEASES, WindowsRelease, image_release

PORTS_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_portmappings"
WINDOWS_CAVEATS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html"
VERSION_COMPATIBILITY = "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility"
GMSA_TROUBLESHOOTING = "https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/gmsa-troubleshooting"
AWSVPC_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html"


def windows_release(bp: Blueprint) -> WindowsRelease | None:
    """The Windows release of the hosts; None on Linux hosts and Fargate."""
    return WINDOWS_RELEASES[bp.hosts.os] if bp.hosts is not None and bp.hosts.os in WINDOWS_RELEASES else None


@rule("GEN007", "on Windows Server 2016 hosts the container hostname equals the gMSA account name", items=SERVICES)
def ws2016_hostname(bp: Blueprint) -> Iterator[Finding]:
    release = windows_release(bp)
    if release is None or not release.hostname_must_match_account:
        return
    for index, service in enumerate(bp.services):
        if service.hostname is not None and service.hostname.lower() != service.gmsa.lower():
            yield Finding(
                ("services", index, "hostname"),
                f'"{service.hostname}" differs from the gMSA account "{service.gmsa}", which Windows Server 2016 hosts require',
                "remove hostname (gen sets it to the account name) or move the hosts to Windows Server 2019 or later",
            )


@rule("GEN013", "services publish different host ports", PORTS_DOCS, items=SERVICES)
def unique_host_ports(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[int, str] = {}
    for index, service in enumerate(bp.services):
        port = bp.host_port(service)
        if port is None:
            continue
        if port in owner:
            yield Finding(
                ("services", index, "port"),
                f"host port {port} is already published by service {owner[port]}",
                "give each service its own port; the hosts publish container ports on the same host port",
            )
        else:
            owner[port] = service.name


@rule("GEN020", "no service publishes a host port the ECS agent reserves on Windows", WINDOWS_CAVEATS, items=SERVICES)
def unreserved_host_ports(bp: Blueprint) -> Iterator[Finding]:
    """amazon-ecs-agent ``agent/config/config_windows.go``: ``ReservedPorts`` always, and port 80
    for the task-role credential proxy (``platformOverrides``) on hosts that enable task roles."""
    if bp.platform == "fargate":
        return
    reserved = dict(RESERVED_HOST_PORTS if bp.platform == "windows" else RESERVED_HOST_PORTS_LINUX)
    if bp.task_roles_enabled and bp.platform == "windows":
        reserved[TASK_ROLE_PROXY_PORT] = "the credential proxy of task IAM roles (some service has a task_role)"
    for index, service in enumerate(bp.services):
        port = bp.host_port(service)
        if port is not None and port in reserved:
            yield Finding(
                ("services", index, "port"),
                f"the ECS agent reserves host port {port} on {bp.platform.capitalize()} for {reserved[port]}, so ECS would "
                "never place this task",
                "use another port, or network_mode: awsvpc, where the task has a network interface of its own",
            )


@rule("GEN021", "an image built for a Windows release runs on hosts of that release (process isolation)",
      VERSION_COMPATIBILITY, items=SERVICES)
def image_matches_hosts(bp: Blueprint) -> Iterator[Finding]:
    release = windows_release(bp)
    if release is None:
        return
    for index, service in enumerate(bp.services):
        built_for = image_release(service.image)
        if built_for is not None and built_for not in release.runs_images_of:
            tags = {2016: "ltsc2016", 2019: "ltsc2019 (1809 for Nano Server)", 2022: "ltsc2022", 2025: "ltsc2025"}
            yield Finding(
                ("services", index, "image"),
                f"the image is built for Windows Server {built_for}, but the hosts run {release.name}; Windows "
                "containers on ECS run process-isolated and start only on hosts of their own release",
                f"use the image's {tags[release.year]} tag, or set hosts.os to Windows Server {built_for}",
            )


@rule("GEN027", "the network mode fits the service and the hosts", AWSVPC_DOCS, items=SERVICES)
def network_mode_fits(bp: Blueprint) -> Iterator[Finding]:
    release = windows_release(bp)
    for index, service in enumerate(bp.services):
        if bp.platform == "fargate" and service.network_mode == "default":
            yield Finding(
                ("services", index, "network_mode"),
                "Fargate runs tasks in awsvpc mode only",
                "remove network_mode; every Fargate task gets a network interface of its own",
            )
        elif release is not None and service.task_role is not None and service.network_mode == "default":
            yield Finding(
                ("services", index, "network_mode"),
                "a task role needs awsvpc mode on Windows: in the default mode every container must add a route to "
                "the credential endpoint itself, and again after each host restart",
                "remove network_mode (a service with a task_role runs in awsvpc mode) or set it to awsvpc",
            )
        elif bp.awsvpc(service) and release is not None and not release.supports_awsvpc:
            yield Finding(
                ("services", index, "network_mode" if service.network_mode else "task_role"),
                "awsvpc mode needs Windows Server 2019 or later hosts; the ECS-optimized Windows Server 2016 AMI cannot "
                "host awsvpc tasks, and a task role on Windows needs awsvpc",
                "move the hosts to Windows Server 2019 or later, or drop the task role",
            )
        elif bp.awsvpc(service) and service.hostname is not None:
            yield Finding(
                ("services", index, "hostname"),
                "ECS does not accept a hostname for a task in awsvpc mode",
                "remove hostname; the task's network interface has its own name",
            )


@rule("GEN025", "on Windows Server 2016 one gMSA is used by one task at a time", GMSA_TROUBLESHOOTING, WARNING,
      items=SERVICES)
def ws2016_shared_gmsa(bp: Blueprint) -> Iterator[Finding]:
    """Microsoft: with one gMSA and one hostname, containers that reach a domain controller at
    once cancel each other's sessions on Windows Server 2016; fixed in Windows Server 2019."""
    release = windows_release(bp)
    if release is None or not release.hostname_must_match_account:
        return
    yield from _shared_accounts(bp, lambda service: service.gmsa.lower(),
                                "on Windows Server 2016 hosts, containers sharing a gMSA fail intermittently "
                                "when they reach a domain controller at the same time",
                                "give each service its own gMSA with desired_count 1, or move the hosts to Windows "
                                "Server 2019 or later")


@rule("GEN028", "containers that share a gMSA do not share a hostname", GMSA_TROUBLESHOOTING, WARNING,
      items=SERVICES)
def shared_hostname(bp: Blueprint) -> Iterator[Finding]:
    """Microsoft (Windows Server 2019 and later): a hostname given to containers that use one gMSA
    at the same time must be unique, or they fail intermittently."""
    release = windows_release(bp)
    if release is None or release.hostname_must_match_account:
        return
    yield from _shared_accounts(bp, lambda service: (service.gmsa.lower(), service.hostname.lower())
                                if service.hostname is not None else None,
                                "several containers run with this gMSA and the same hostname, which fails "
                                "intermittently when they reach a domain controller at once",
                                "remove hostname; without it each container gets its own name")


def _shared_accounts(bp: Blueprint, group: Callable[[Service], Hashable | None], message: str,
                     hint: str) -> Iterator[Finding]:
    """A finding on the last service of each group (``group(service)``; None: not counted) whose
    services run more than one task between them."""
    tasks: dict[Hashable, list[int]] = defaultdict(list)
    for index, service in enumerate(bp.services):
        key = group(service)
        if key is not None:
            tasks[key].append(index)
    for indexes in tasks.values():
        total = sum(bp.most_tasks(bp.services[i]) for i in indexes)
        if total > 1:
            last = indexes[-1]
            where = "hostname" if bp.services[last].hostname is not None else "gmsa"
            yield Finding(("services", last, where), f"{message} ({total} tasks)", hint)
