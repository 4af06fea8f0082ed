"""AWS and Windows facts that both the rules and the plan rely on, kept in one place.

Sources are the ECS Developer Guide's gMSA pages and AMI parameter lists (summarised in
``../shared/reference/gmsa-on-ecs.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where Docker on Windows looks for ``credentialspec:file://`` specs.
DOCKER_CREDSPEC_DIR = r"C:\ProgramData\Docker\CredentialSpecs"

#: Managed policies of the container hosts' role, as the AWS guide names them.
HOST_MANAGED_POLICIES = (
    "service-role/AmazonEC2ContainerServiceforEC2Role",
    "AmazonSSMManagedInstanceCore",
    "AmazonSSMDirectoryServiceAccess",
)
TASK_EXECUTION_MANAGED_POLICY = "service-role/AmazonECSTaskExecutionRolePolicy"


@dataclass(frozen=True)
class WindowsRelease:
    """What a ``hosts.os`` value means for AMIs, task definitions and gMSA."""

    ami_name: str
    os_family: str
    hostname_must_match_account: bool

    @property
    def ami_parameter(self) -> str:
        """Public SSM parameter holding the latest ECS-optimized AMI of this release."""
        return f"/aws/service/ami-windows-latest/{self.ami_name}-ECS_Optimized/image_id"


WINDOWS_RELEASES: dict[str, WindowsRelease] = {
    "windows-server-2016-full": WindowsRelease("Windows_Server-2016-English-Full", "WINDOWS_SERVER_2016_FULL", True),
    "windows-server-2019-full": WindowsRelease("Windows_Server-2019-English-Full", "WINDOWS_SERVER_2019_FULL", False),
    "windows-server-2019-core": WindowsRelease("Windows_Server-2019-English-Core", "WINDOWS_SERVER_2019_CORE", False),
    "windows-server-2022-full": WindowsRelease("Windows_Server-2022-English-Full", "WINDOWS_SERVER_2022_FULL", False),
    "windows-server-2022-core": WindowsRelease("Windows_Server-2022-English-Core", "WINDOWS_SERVER_2022_CORE", False),
    "windows-server-2025-full": WindowsRelease("Windows_Server-2025-English-Full", "WINDOWS_SERVER_2025_FULL", False),
    "windows-server-2025-core": WindowsRelease("Windows_Server-2025-English-Core", "WINDOWS_SERVER_2025_CORE", False),
}


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn_partition(arn: str) -> str:
    """The partition written in an ARN."""
    return arn.split(":", 2)[1]


def arn_region(arn: str) -> str:
    """The region written in an ARN (empty for global services)."""
    return arn.split(":", 4)[3]


#: ECS accepts 128 to 196608 CPU units for EC2 tasks; on Windows a container without CPU units
#: gets 1% of one CPU, so gen asks for an explicit value in this range.
CPU_UNITS_RANGE = (128, 196608)
#: Docker reserves at least 6 MiB for a container; ECS refuses less.
MIN_CONTAINER_MEMORY_MIB = 6

# vCPUs by size, and GiB of memory per vCPU by family letter, for the common general purpose,
# compute and memory optimised families (m, c, r). Other types are not checked.
_VCPUS_BY_SIZE = {
    "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32,
    "12xlarge": 48, "16xlarge": 64, "24xlarge": 96,
}  # fmt: skip
_GIB_PER_VCPU = {"m": 4, "c": 2, "r": 8}


@dataclass(frozen=True)
class InstanceCapacity:
    """What one instance can offer to containers, before the OS takes its share."""

    cpu_units: int
    memory_mib: int


def instance_capacity(instance_type: str) -> InstanceCapacity | None:
    """CPU units and memory of well-known instance types; None when gen does not know the type."""
    family, _, size = instance_type.partition(".")
    letter = family[:1]
    if letter not in _GIB_PER_VCPU or size not in _VCPUS_BY_SIZE or not family[1:2].isdigit():
        return None
    vcpus = _VCPUS_BY_SIZE[size]
    return InstanceCapacity(cpu_units=vcpus * 1024, memory_mib=vcpus * _GIB_PER_VCPU[letter] * 1024)
