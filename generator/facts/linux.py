"""Linux container hosts and Fargate: the ECS-optimized Amazon Linux 2023 AMI, credentials-fetcher,
and the task sizes Fargate accepts.

Sources: the ECS guide's "Using gMSA for EC2 Linux containers" (linux-gmsa), "Using gMSA for
Linux containers on Fargate" (fargate-linux-gmsa), "Retrieving Amazon ECS-optimized Linux AMI
metadata", the task definition parameters (task size), and amazon-ecs-agent/ecs-init source.
"""

from __future__ import annotations

from dataclasses import dataclass

#: credentials-fetcher is "only available for Amazon Linux 2023 and Fedora 37 and later" (linux-gmsa).
CREDENTIALS_FETCHER_PACKAGE = "credentials-fetcher"
CREDENTIALS_FETCHER_SERVICE = "credentials-fetcher"
#: What the AWS guide installs beside it for a domain join (realm join and its helpers).
DOMAIN_JOIN_PACKAGES = ("realmd", "oddjob", "oddjob-mkhomedir", "sssd", "adcli", "krb5-workstation", "samba-common-tools")
#: ecs-init bind-mounts the daemon's socket into the agent only if ``ECS_GMSA_SUPPORTED`` is
#: exactly ``true`` in /etc/ecs/ecs.config and the socket exists when the agent starts
#: (ecs-init/docker/docker.go, ``getCredentialsFetcherSocketBind``).
CREDENTIALS_FETCHER_SOCKET = "/var/credentials-fetcher/socket/credentials_fetcher.sock"
ECS_CONFIG = "/etc/ecs/ecs.config"


@dataclass(frozen=True)
class LinuxRelease:
    """What a Linux ``hosts.os`` value means for AMIs and task definitions."""

    name: str
    ami_parameters: dict[str, str]  # architecture -> public SSM parameter of the ECS-optimized AMI
    os_family: str = "LINUX"
    #: What gen tells the agent to leave to the OS, credentials-fetcher and the agent
    #: (``ECS_RESERVED_MEMORY``): gen's margin, not a published figure; the Linux agent already
    #: registers the memory the kernel reports, less than the nominal size.
    reserved_memory_mib: int = 512
    supports_awsvpc: bool = True
    hostname_must_match_account: bool = False
    year: int = 0
    edition: str = ""

    def ami_parameter_for(self, architecture: str) -> str:
        return self.ami_parameters[architecture]


LINUX_RELEASES: dict[str, LinuxRelease] = {
    "amazon-linux-2023": LinuxRelease(
        "Amazon Linux 2023",
        {
            "x86_64": "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
            "arm64": "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
        },
    ),
}

#: Fargate runs gMSA from platform version 1.4.0 (fargate-linux-gmsa: "You must be running
#: Platform Version 1.4 or later").
FARGATE_MIN_PLATFORM_VERSION = (1, 4, 0)

#: Task CPU units -> the memory sizes (MiB) Fargate accepts with them (task definition
#: parameters, "Task size"; 8 and 16 vCPU need Linux platform 1.4.0, which gMSA needs anyway).
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: (1024, 2048, 3072, 4096),
    1024: (2048, 3072, 4096, 5120, 6144, 7168, 8192),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}


def fargate_platform_ok(version: str) -> bool:
    """Whether a Fargate platform version runs gMSA (LATEST does: it is 1.4.0 or later)."""
    if version == "LATEST":
        return True
    return tuple(int(p) for p in version.split(".")) >= FARGATE_MIN_PLATFORM_VERSION
