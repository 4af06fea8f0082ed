"""EC2 instance types that run ECS container instances: CPUs, memory, network interfaces and
architecture, per size.

Sources: the EC2 instance type specifications (general purpose, compute optimized, memory
optimized: "Default vCPUs", "Memory (GiB)"), and "Maximum network interfaces" per type (EC2 guide,
"IP addresses per network interface per instance type", cross-checked with the table AWS's VPC CNI
plugin generates from DescribeInstanceTypes, ``pkg/vpc/vpc_ip_resource_limit.go``). For the 7th
generation Intel and AMD families, vCPUs and memory follow their families' published ratios (4, 2
and 8 GiB per vCPU for m, c and r). Windows ECS-optimized AMIs are x86_64 only, so the Graviton
(``g``) families are listed for Linux hosts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstanceType:
    name: str
    architecture: str  # x86_64 | arm64
    vcpus: int
    memory_mib: int
    max_network_interfaces: int

    @property
    def cpu_units(self) -> int:
        """What ECS registers for CPU: 1024 units per vCPU."""
        return self.vcpus * 1024


# family: (architecture, "size=vCPUs/GiB/ENIs ...")
_T = "nano=2/0.5/2 micro=2/1/2 small=2/2/3 medium=2/4/3 large=2/8/3 xlarge=4/16/4 2xlarge=8/32/4"
_M5 = "large=2/8/3 xlarge=4/16/4 2xlarge=8/32/4 4xlarge=16/64/8 8xlarge=32/128/8 12xlarge=48/192/8 16xlarge=64/256/15 24xlarge=96/384/15"
_C5 = "large=2/4/3 xlarge=4/8/4 2xlarge=8/16/4 4xlarge=16/32/8 8xlarge=32/64/8 12xlarge=48/96/8 16xlarge=64/128/15 24xlarge=96/192/15"
_R5 = "large=2/16/3 xlarge=4/32/4 2xlarge=8/64/4 4xlarge=16/128/8 8xlarge=32/256/8 12xlarge=48/384/8 16xlarge=64/512/15 24xlarge=96/768/15"
_GRAVITON_M = "medium=1/4/2 large=2/8/3 xlarge=4/16/4 2xlarge=8/32/4 4xlarge=16/64/8 8xlarge=32/128/8 12xlarge=48/192/8 16xlarge=64/256/15 metal=64/256/15"
_GRAVITON_C = "medium=1/2/2 large=2/4/3 xlarge=4/8/4 2xlarge=8/16/4 4xlarge=16/32/8 8xlarge=32/64/8 12xlarge=48/96/8 16xlarge=64/128/15 metal=64/128/15"
_GRAVITON_R = "medium=1/8/2 large=2/16/3 xlarge=4/32/4 2xlarge=8/64/4 4xlarge=16/128/8 8xlarge=32/256/8 12xlarge=48/384/8 16xlarge=64/512/15 metal=64/512/15"
_FAMILIES: dict[str, tuple[str, str]] = {
    "t3": ("x86_64", _T),
    "t3a": ("x86_64", _T.replace("small=2/2/3", "small=2/2/2")),
    "t4g": ("arm64", _T),
    "m5": ("x86_64", _M5 + " metal=96/384/15"),
    "m5a": ("x86_64", _M5),
    "m5n": ("x86_64", _M5 + " metal=96/384/15"),
    "m6i": ("x86_64", _M5 + " 32xlarge=128/512/15 metal=128/512/15"),
    "m6a": ("x86_64", _M5 + " 32xlarge=128/512/15 48xlarge=192/768/15 metal=192/768/15"),
    "m7i": ("x86_64", _M5 + " 48xlarge=192/768/15 metal-24xl=96/384/15 metal-48xl=192/768/15"),
    "m7a": ("x86_64", "medium=1/4/2 " + _M5 + " 32xlarge=128/512/15 48xlarge=192/768/15 metal-48xl=192/768/15"),
    "c5": ("x86_64", "large=2/4/3 xlarge=4/8/4 2xlarge=8/16/4 4xlarge=16/32/8 9xlarge=36/72/8 12xlarge=48/96/8 "
                     "18xlarge=72/144/15 24xlarge=96/192/15 metal=96/192/15"),
    "c5a": ("x86_64", _C5),
    "c6i": ("x86_64", _C5 + " 32xlarge=128/256/15 metal=128/256/15"),
    "c6a": ("x86_64", _C5 + " 32xlarge=128/256/15 48xlarge=192/384/15 metal=192/384/15"),
    "c7i": ("x86_64", _C5 + " 48xlarge=192/384/15 metal-24xl=96/192/15 metal-48xl=192/384/15"),
    "r5": ("x86_64", _R5 + " metal=96/768/15"),
    "r5a": ("x86_64", _R5),
    "r6i": ("x86_64", _R5 + " 32xlarge=128/1024/15 metal=128/1024/15"),
    "r7i": ("x86_64", _R5 + " metal-24xl=96/768/15"),
    "m6g": ("arm64", _GRAVITON_M),
    "m7g": ("arm64", _GRAVITON_M),
    "c6g": ("arm64", _GRAVITON_C),
    "c7g": ("arm64", _GRAVITON_C),
    "r6g": ("arm64", _GRAVITON_R),
    "r7g": ("arm64", _GRAVITON_R),
}  # fmt: skip


def _table() -> dict[str, InstanceType]:
    types = {}
    for family, (architecture, sizes) in _FAMILIES.items():
        for item in sizes.split():
            size, _, figures = item.partition("=")
            vcpus, gib, enis = figures.split("/")
            name = f"{family}.{size}"
            types[name] = InstanceType(name, architecture, int(vcpus), int(float(gib) * 1024), int(enis))
    return types


INSTANCE_TYPES: dict[str, InstanceType] = _table()


def instance_type(name: str) -> InstanceType | None:
    """The facts of a known instance type; None when gen does not know it."""
    return INSTANCE_TYPES.get(name)


def families(architecture: str) -> list[str]:
    """The families gen knows for an architecture, for hints."""
    return [family for family, (arch, _) in _FAMILIES.items() if arch == architecture]
