"""How a container host becomes gMSA-capable, before its ECS agent starts.

Windows hosts run a generated SSM Command document through an association. Domain-joined: the
agent advertises ``ecs.capability.gmsa`` only if the host is joined when the agent starts
(amazon-ecs-agent ``agent/config/parse_windows.go``, ``parseGMSACapability``), so the document
points the domain's names at its DNS servers, joins the domain (and reboots), joins the gMSA
group, writes the specs the hosts own, and only then configures and starts the agent. Domainless:
no join; ``ECS_GMSA_SUPPORTED`` is set and the AWS CCG plugin checked before the agent starts
(``parseGMSADomainlessCapability``). ``scripts/host-bootstrap*.ps1`` are the static parts.

Linux hosts (Amazon Linux 2023) are prepared by their user data, which runs before the ECS agent
starts: credentials-fetcher installed and running, ``ECS_GMSA_SUPPORTED=true`` in ecs.config,
and for domain-joined mode a realm join and the gMSA group (``scripts/linux-host.sh``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from generator.blueprint.model import Blueprint
from generator.expr import Value, text
from generator.facts.agent import (
    BLOCK_IMDS_VARIABLE,
    CCG_PLUGIN_GUID,
    CCG_PLUGIN_KEY,
    DYNAMIC_HOST_PORT_RANGE_VARIABLE,
    GMSA_SUPPORTED_VARIABLE,
    RESERVED_MEMORY_VARIABLE,
    TASK_ENI_VARIABLE,
    TASK_IAM_ROLE_VARIABLE,
)
from generator.facts.hosts import HOST_OS
from generator.facts.linux import ECS_CONFIG
from generator.naming import HOST_TAG_KEY
from generator.plan.credential_specs import HOSTS, BucketPlan, SpecPlan
from generator.plan.load_balancer import dynamic_host_ports
from generator.plan.powershell import COMMON, Lines, assemble, quote, revision, run_command_document, script, spec_lines
from generator.plan.shell import assemble_shell, shell_quote

#: Patterns SSM enforces on the document's parameters before it substitutes them into the script.
DNS_NAME_PATTERN = r"^[A-Za-z0-9.-]+$"
SECRET_ARN_PATTERN = r"^arn:[a-z-]+:secretsmanager:[A-Za-z0-9/_+=.@:-]+$"
REVISION_PATTERN = r"^[0-9a-f]{12}$"
DOCUMENT_PARAMETERS: dict[str, tuple[str, str]] = {
    "directoryName": ("DNS name of the domain", DNS_NAME_PATTERN),
    "netbiosName": ("NetBIOS name of the domain", r"^[A-Za-z0-9-]{1,15}$"),
    "forestName": ("DNS name of the forest root, when it is not the domain", r"^([A-Za-z0-9.-]+)?$"),
    "dnsIpAddresses": ("Comma-separated DNS servers of the domain", r"^[0-9.]+(,[0-9.]+)*$"),
    "gmsaGroup": ("AD group allowed to retrieve the gMSA passwords", r"^[A-Za-z0-9 _.-]+$"),
    "joinSecretArn": ("Secrets Manager secret with the join credentials", SECRET_ARN_PATTERN),
    "computersOu": ("OU the hosts join into; empty for the domain's default",
                    r"^((OU=[A-Za-z0-9 _.-]+,)+DC=[A-Za-z0-9-]+(,DC=[A-Za-z0-9-]+)*)?$"),
    "clusterName": ("ECS cluster the host joins", r"^[A-Za-z0-9_-]+$"),
    "region": ("AWS region of the secret and the specs", r"^[a-z0-9-]+$"),
    "revision": ("Digest of this document's steps: a new one runs them again", REVISION_PATTERN),
}
#: The domainless document's parameters: nothing to join with.
DOMAINLESS_PARAMETERS = {k: v for k, v in DOCUMENT_PARAMETERS.items()
                         if k not in ("gmsaGroup", "joinSecretArn", "computersOu")}


class AgentPlan(NamedTuple):
    """How gen configures and starts the ECS agent on the hosts."""

    #: ``ECS_RESERVED_MEMORY``: what the agent leaves to Windows (facts.windows).
    reserved_memory_mib: int
    #: The credential proxy of task IAM roles, only when some service has a task role: on Windows
    #: it takes host port 80 (``config_windows.go``, ``platformOverrides``).
    task_iam_role: bool
    #: Task networking (``awsvpc``) on Windows, only when some service uses it; such tasks get no
    #: route to instance metadata (``-AwsvpcBlockIMDS``) and keep their credential route.
    task_eni: bool
    #: ``ECS_GMSA_SUPPORTED=true``: needed for domainless gMSA (default false) and on Linux.
    gmsa_supported: bool = False
    #: ``ECS_DYNAMIC_HOST_PORT_RANGE``, pinned when routed services take dynamic host ports: the
    #: range the hosts admit the load balancer on (facts.agent).
    dynamic_host_ports: tuple[int, int] | None = None

    @property
    def environment(self) -> dict[str, str]:
        """Variables set before the agent starts (amazon-ecs-agent ``config.go``): machine-scope on
        Windows, lines of /etc/ecs/ecs.config on Linux."""
        variables = {RESERVED_MEMORY_VARIABLE: str(self.reserved_memory_mib)}
        if self.gmsa_supported:
            variables[GMSA_SUPPORTED_VARIABLE] = "true"
        if self.task_iam_role:
            variables[TASK_IAM_ROLE_VARIABLE] = "true"
        if self.task_eni:
            variables[TASK_ENI_VARIABLE] = "true"
            variables[BLOCK_IMDS_VARIABLE] = "true"
        if self.dynamic_host_ports is not None:
            variables[DYNAMIC_HOST_PORT_RANGE_VARIABLE] = "{}-{}".format(*self.dynamic_host_ports)
        return variables

    @property
    def initialize_flags(self) -> str:
        """Switches of ``Initialize-ECSAgent`` (ECS guide, "Bootstrapping Windows container instances")."""
        flags = []
        if self.task_iam_role:
            flags.append("-EnableTaskIAMRole")
        if self.task_eni:
            flags += ["-EnableTaskENI", "-AwsvpcBlockIMDS"]
        return " ".join(flags)


class BootstrapPlan(NamedTuple):
    """How the hosts are prepared: on Windows an SSM Command document and the association that
    runs it; on Linux the user data of their launch template."""

    agent: AgentPlan
    document_name: str = ""
    content: dict[str, Any] | None = None
    association_name: str = ""
    target_key: str = HOST_TAG_KEY
    target_value: str = ""
    parameters: dict[str, Value] | None = None
    join_secret_arn: Value | None = None
    user_data: Value | None = None
    document_type: str = "Command"
    document_format: str = "JSON"
    #: The document is idempotent and a finished host only checks its agent: running it again
    #: lets a host recover from a failed run (the domain was not reachable yet) and applies a
    #: new revision.
    schedule: str = "rate(30 minutes)"


def plan_agent(bp: Blueprint) -> AgentPlan:
    assert bp.hosts is not None
    release = HOST_OS[bp.hosts.os]
    windows = bp.platform == "windows"
    dynamic = any(bp.routed(s) and not bp.awsvpc(s) for s in bp.services)
    return AgentPlan(release.reserved_memory_mib, bp.task_roles_enabled, bp.awsvpc_enabled and windows,
                     gmsa_supported=bp.domainless or not windows,
                     dynamic_host_ports=dynamic_host_ports(bp) if dynamic else None)


def agent_lines(agent: AgentPlan) -> list[Value]:
    """Configure the agent, then register the instance (the first time) or restart it."""
    out = Lines([])
    for name, value in agent.environment.items():
        out.add(f"[Environment]::SetEnvironmentVariable({quote(name)}, {quote(value)}, 'Machine')")
    initialize = f"Initialize-ECSAgent -Cluster $ClusterName {agent.initialize_flags}".rstrip()
    out.add("if ([Environment]::GetEnvironmentVariable('ECS_CLUSTER', 'Machine') -ne $ClusterName) {")
    out.add("    Import-Module ECSTools")
    out.add(f"    {initialize}")
    out.add("} else {")
    out.add("    Restart-Service -Name AmazonECS")
    out.add("}")
    if agent.task_iam_role:
        # ECS guide, "Additional configuration for Windows IAM roles for tasks": after a restart the
        # proxy interface must be removed and the agent initialized again for the proxy to return.
        out.add("# The task-role credential proxy does not survive a restart: initialize the agent again at startup.")
        out.add("$startup = 'C:\\ProgramData\\gen\\start-ecs-agent.ps1'")
        out.add("New-Item -ItemType Directory -Force -Path (Split-Path -Path $startup -Parent) | Out-Null")
        out.add("Set-Content -Path $startup -Encoding UTF8 -Value @'")
        out.add("Get-NetIPAddress -IPAddress 169.254.170.2 -ErrorAction SilentlyContinue | Remove-NetIPAddress -Confirm:$false")
        out.add("Import-Module ECSTools")
        out.add(f"Initialize-ECSAgent -Cluster ([Environment]::GetEnvironmentVariable('ECS_CLUSTER', 'Machine')) "
                f"{agent.initialize_flags}")
        out.add("'@")
        out.add("$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument \"-NoProfile -File $startup\"")
        out.add("Register-ScheduledTask -TaskName 'gen-ecs-agent' -Action $action -Trigger (New-ScheduledTaskTrigger "
                "-AtStartup) -User 'SYSTEM' -RunLevel Highest -Force | Out-Null")
    return out.lines


def plugin_lines() -> list[Value]:
    """Fail loudly, naming the plugin, when the AWS CCG plugin is not registered."""
    key = f"{CCG_PLUGIN_KEY}\\{CCG_PLUGIN_GUID}"
    return [f"if (-not (Test-Path -LiteralPath {quote(key)})) {{",
            f"    throw {quote(f'the AWS CCG plugin {CCG_PLUGIN_GUID} is not registered under {CCG_PLUGIN_KEY}: the ECS agent would not offer domainless gMSA; use an ECS-optimized Windows AMI, which ships it')}",
            "}"]


def document_content(specs: tuple[SpecPlan, ...], bucket: BucketPlan | None, agent: AgentPlan,
                     domainless: bool = False) -> dict[str, Any]:
    """The SSM Command document (schema 2.2) that bootstraps a Windows host."""
    written = tuple(s for s in specs if s.writer == HOSTS)
    steps = {"CREDENTIAL_SPECS": spec_lines(written, bucket), "AGENT": agent_lines(agent)}
    if domainless:
        steps["PLUGIN"] = plugin_lines()
        return run_command_document(
            "Check the AWS CCG plugin, write credential specs, then start the ECS agent for domainless gMSA (generated by gen).",
            "bootstrapGmsaHost", DOMAINLESS_PARAMETERS, assemble("host-bootstrap-domainless.ps1", steps, COMMON), 3600,
        )
    if any(s.pending for s in written):
        steps["CREDENTIAL_SPECS"] = ["$domainInfo = Get-ADDomain @Ad", *steps["CREDENTIAL_SPECS"]]
    return run_command_document(
        "Join the domain and the gMSA group, write credential specs, then start the ECS agent (generated by gen).",
        "bootstrapGmsaHost", DOCUMENT_PARAMETERS, assemble("host-bootstrap.ps1", steps, COMMON), 3600,
    )


def computers_ou(bp: Blueprint) -> str:
    """Where hosts join: in AWS Managed Microsoft AD, the Computers OU under the OU named after the
    NetBIOS name (the only place its delegated accounts may write); elsewhere the domain's default."""
    if bp.directory.managed is None:
        return ""
    domain = ",".join(f"DC={label}" for label in bp.directory.dns_name.split("."))
    return f"OU=Computers,OU={bp.directory.netbios_name},{domain}"


def plan_bootstrap(bp: Blueprint, *, dns_ips: Value, join_secret_arn: Value, cluster_name: str,
                   specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> BootstrapPlan | None:
    """How the blueprint's hosts are prepared; None on Fargate, which has no hosts."""
    if bp.hosts is None:
        return None
    agent = plan_agent(bp)
    if bp.platform == "linux":
        return BootstrapPlan(agent, user_data=linux_user_data(bp, agent, join_secret_arn, cluster_name))
    content = document_content(specs, bucket, agent, bp.domainless)
    forest = bp.directory.forest if bp.directory.forest and bp.directory.forest.lower() != bp.directory.dns_name.lower() else ""
    parameters: dict[str, Value] = {
        "directoryName": bp.directory.dns_name,
        "netbiosName": bp.directory.netbios_name,
        "forestName": forest,
        "dnsIpAddresses": dns_ips,
        "gmsaGroup": bp.hosts.gmsa_group or "",
        "joinSecretArn": join_secret_arn,
        "computersOu": computers_ou(bp),
        "clusterName": cluster_name,
        "region": bp.region,
        "revision": revision(content),
    }
    if bp.domainless:
        parameters = {k: v for k, v in parameters.items() if k in DOMAINLESS_PARAMETERS}
    return BootstrapPlan(
        agent,
        document_name=f"{bp.name}-host-bootstrap",
        content=content,
        association_name=f"{bp.name}-host-bootstrap",
        target_value=bp.name,
        parameters=parameters,
        join_secret_arn=None if bp.domainless else join_secret_arn,
    )


def linux_user_data(bp: Blueprint, agent: AgentPlan, join_secret_arn: Value, cluster_name: str) -> Value:
    """The bash user data of an Amazon Linux 2023 host (``scripts/linux-host.sh``)."""
    assert bp.hosts is not None
    settings = [f"CLUSTER={shell_quote(cluster_name)}", f"REGION={shell_quote(bp.region)}"]
    join: list[Value] = ["# None: in domainless mode the host joins nothing."]
    if not bp.domainless:
        settings += [f"DOMAIN={shell_quote(bp.directory.dns_name)}", f"GROUP={shell_quote(bp.hosts.gmsa_group or '')}",
                     f"COMPUTERS_OU={shell_quote(computers_ou(bp))}", text("JOIN_SECRET_ARN='", join_secret_arn, "'")]
        join = [line for line in script("linux-join.sh").rstrip("\n").split("\n")]
    config = [f"{name}={value}" for name, value in {"ECS_CLUSTER": cluster_name, **agent.environment}.items()]
    agent_step: list[Value] = [f"cat >> {ECS_CONFIG} <<'CONFIG'", *config, "CONFIG"]
    lines = assemble_shell("linux-host.sh", {"SETTINGS": settings, "JOIN": join, "AGENT": agent_step})
    return text(*[part for line in lines for part in (line, "\n")])
