"""What the Amazon ECS container agent does on Windows hosts, read in its source.

Source: aws/amazon-ecs-agent (read at 1.105.1). Each fact names its file.
"""

from __future__ import annotations

#: Host ports the agent reserves on every Windows instance; ECS never places a task that
#: publishes one of them. ``agent/config/config_windows.go``, ``DefaultConfig().ReservedPorts``:
#: Docker 2375/2376, agent introspection 51678, task metadata 51679, RDP 3389, RPC 135, SMB 445,
#: WinRM 5985/5986, DNS 53, NetBIOS 139. No UDP port is reserved (``ReservedPortsUDP``).
RESERVED_HOST_PORTS: dict[int, str] = {
    53: "DNS", 135: "RPC", 139: "NetBIOS", 445: "SMB", 2375: "Docker", 2376: "Docker (TLS)",
    3389: "Remote Desktop", 5985: "WinRM", 5986: "WinRM (HTTPS)", 51678: "the agent's introspection API",
    51679: "the task metadata endpoint",
}  # fmt: skip
#: Host ports the agent reserves on Linux instances (``agent/config/config_unix.go``: SSH 22, the
#: Docker and agent ports, and the Prometheus exposition port 51680).
RESERVED_HOST_PORTS_LINUX: dict[int, str] = {
    22: "SSH", 2375: "Docker", 2376: "Docker (TLS)", 51678: "the agent's introspection API",
    51679: "the task metadata endpoint", 51680: "the agent's Prometheus metrics",
}  # fmt: skip
#: Also reserved when task IAM roles are enabled (``ECS_ENABLE_TASK_IAM_ROLE``): the credential
#: proxy listens on it. ``config_windows.go``, ``platformOverrides``.
TASK_ROLE_PROXY_PORT = 80

#: The agent's dynamic host port range on Windows, hard-coded (``agent/utils/ephemeral_ports_windows.go``,
#: ``DefaultPortRangeStart``/``DefaultPortRangeEnd``); ``ECS_DYNAMIC_HOST_PORT_RANGE`` overrides it.
DYNAMIC_HOST_PORTS = (49152, 65535)

#: Advertised when ``ECS_GMSA_SUPPORTED`` is not false (default true) and the host is joined to
#: a domain when the agent starts (``agent/config/parse_windows.go``, ``parseGMSACapability``).
GMSA_CAPABILITY = "ecs.capability.gmsa"

#: Advertised, on a Windows host that is not Windows Server 2016, only when ``ECS_GMSA_SUPPORTED``
#: is true and the AWS CCG plugin is registered (``parse_windows.go``,
#: ``parseGMSADomainlessCapability``, ``isDomainlessGmsaPluginInstalled``); on Linux when
#: ``ECS_GMSA_SUPPORTED`` is true and credentials-fetcher's socket exists (``parse_linux.go``).
GMSA_DOMAINLESS_CAPABILITY = "ecs.capability.gmsa-domainless"
#: Enables gMSA in the agent: default true for the domain-joined capability on Windows, false
#: for domainless and on Linux, so gen sets it for every variant but Windows domain-joined.
GMSA_SUPPORTED_VARIABLE = "ECS_GMSA_SUPPORTED"
#: The AWS CCG plugin domainless gMSA needs on Windows: the agent looks for this sub-key, braces
#: included (``parse_windows.go``, ``gmsaPluginGUID``); specs name it as their ``PluginGUID``.
CCG_PLUGIN_GUID = "{859E1386-BDB4-49E8-85C7-3070B13920E1}"
CCG_PLUGIN_KEY = r"HKLM:\SYSTEM\CurrentControlSet\Control\CCG\COMClasses"

#: Agent environment settings gen sets before it starts the agent, with what each does
#: (``agent/config/config.go``, ``environmentConfig``):
#: ``ECS_RESERVED_MEMORY`` - MiB taken off the memory the instance registers, so ECS leaves it to
#: Windows (``ecs_client.go``, ``getResources``: ``mem - ReservedMemory``);
#: ``ECS_ENABLE_TASK_IAM_ROLE`` - the credential proxy for task roles (and port 80 above);
#: ``ECS_ENABLE_TASK_ENI`` - task networking (``awsvpc``), ``ecs.capability.task-eni``;
#: ``ECS_AWSVPC_BLOCK_IMDS`` - no route to instance metadata from ``awsvpc`` tasks
#: (``agent/ecscni/namespace_helper_windows.go``: the 169.254.170.2 credential route stays).
RESERVED_MEMORY_VARIABLE = "ECS_RESERVED_MEMORY"
TASK_IAM_ROLE_VARIABLE = "ECS_ENABLE_TASK_IAM_ROLE"
TASK_ENI_VARIABLE = "ECS_ENABLE_TASK_ENI"
BLOCK_IMDS_VARIABLE = "ECS_AWSVPC_BLOCK_IMDS"
#: ``ECS_RESERVED_MEMORY`` is parsed as a uint16 (``parseEnvVariableUint16``).
MAX_RESERVED_MEMORY_MIB = 65535

#: The first agent release with ``awsvpc`` on Windows (ECS guide, task-networking-awsvpc,
#: "Windows considerations"); the Windows Server 2016 AMI cannot host ``awsvpc`` tasks, and a
#: Windows instance gets no ENI trunking, so it runs at most (network interfaces - 1) of them.
AWSVPC_MIN_AGENT = "1.54.0"

#: The agent's dynamic host port range on Linux, when it cannot read the kernel's: the agent
#: otherwise takes ``/proc/sys/net/ipv4/ip_local_port_range`` (``agent/utils/ephemeral_ports_linux.go``,
#: ``getDynamicHostPortRange``; the kernel's default is 32768-60999, Linux ``Documentation/networking/ip-sysctl``,
#: ``ip_local_port_range``), so gen pins the range
#: with ``ECS_DYNAMIC_HOST_PORT_RANGE`` (``agent/config/parse.go``, ``parseDynamicHostPortRange``)
#: on hosts that run routed services, and admits the load balancer on exactly that range. The
#: ECS API's ``PortMapping.hostPort`` names the same two ranges: "49153 through 65535 (Linux) or
#: 49152 through 65535 (Windows)".
DYNAMIC_HOST_PORTS_LINUX = (49153, 65535)
DYNAMIC_HOST_PORT_RANGE_VARIABLE = "ECS_DYNAMIC_HOST_PORT_RANGE"
