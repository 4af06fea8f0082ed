"""Windows Server releases: the ECS-optimized AMIs, task OS families, what runs on each, and the
memory Windows keeps for itself.

Sources: the ECS guide's Windows AMI parameters and gMSA page; Microsoft's "Windows container
version compatibility" (process isolation), "Hardware requirements for Windows Server" and
"Troubleshoot gMSAs for Windows containers".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Where Docker on Windows looks for ``credentialspec:file://`` specs.
DOCKER_CREDSPEC_DIR = r"C:\ProgramData\Docker\CredentialSpecs"

#: Memory gen tells the ECS agent to leave to Windows (``ECS_RESERVED_MEMORY``). The Windows agent
#: registers nearly all installed memory (ECS guide, "Container instance memory management": an
#: m4.large reports 8191 MiB). Microsoft's minimum is 2 GB for Server with Desktop Experience
#: (4 GB recommended on 2025) and 512 MB for Server Core ("Hardware requirements for Windows
#: Server"); Core gets 1024 MiB because the ECS agent, Docker, the SSM agent and Defender run
#: beside it (gen's margin over Microsoft's minimum, not a published figure).
RESERVED_MEMORY_MIB = {"full": 2048, "core": 1024}
RESERVED_MEMORY_MIB_2025_FULL = 4096


@dataclass(frozen=True)
class WindowsRelease:
    """What a ``hosts.os`` value means for AMIs, task definitions, images and gMSA."""

    year: int
    edition: str  # full | core
    build: int  # the OS build; container images must match it under process isolation
    ami_name: str
    os_family: str
    #: Windows Server 2016 only: the container hostname must be the gMSA name (ECS gMSA guide),
    #: and one gMSA used by several containers at once fails intermittently (Microsoft's gMSA
    #: troubleshooting page, until 2025; fixed in Windows Server 2019).
    hostname_must_match_account: bool
    #: Image releases this host runs process-isolated (ECS runs Windows containers with Docker's
    #: default, process isolation). Microsoft's compatibility table lists ltsc2022 images on
    #: Windows Server 2025 hosts; every other host runs only its own release.
    runs_images_of: tuple[int, ...]

    @property
    def ami_parameter(self) -> str:
        """Public SSM parameter holding the latest ECS-optimized AMI of this release."""
        return f"/aws/service/ami-windows-latest/{self.ami_name}-ECS_Optimized/image_id"

    @property
    def reserved_memory_mib(self) -> int:
        if self.year >= 2025 and self.edition == "full":
            return RESERVED_MEMORY_MIB_2025_FULL
        return RESERVED_MEMORY_MIB[self.edition]

    @property
    def supports_awsvpc(self) -> bool:
        """The Windows Server 2016 AMI cannot host ``awsvpc`` tasks (ECS guide, task networking)."""
        return self.year >= 2019

    @property
    def name(self) -> str:
        return f"Windows Server {self.year}"


def _release(year: int, edition: str, build: int, os_family: str, runs: tuple[int, ...]) -> WindowsRelease:
    ami = f"Windows_Server-{year}-English-{edition.capitalize()}"
    return WindowsRelease(year, edition, build, ami, os_family, year == 2016, runs)


WINDOWS_RELEASES: dict[str, WindowsRelease] = {
    "windows-server-2016-full": _release(2016, "full", 14393, "WINDOWS_SERVER_2016_FULL", (2016,)),
    "windows-server-2019-full": _release(2019, "full", 17763, "WINDOWS_SERVER_2019_FULL", (2019,)),
    "windows-server-2019-core": _release(2019, "core", 17763, "WINDOWS_SERVER_2019_CORE", (2019,)),
    "windows-server-2022-full": _release(2022, "full", 20348, "WINDOWS_SERVER_2022_FULL", (2022,)),
    "windows-server-2022-core": _release(2022, "core", 20348, "WINDOWS_SERVER_2022_CORE", (2022,)),
    "windows-server-2025-full": _release(2025, "full", 26100, "WINDOWS_SERVER_2025_FULL", (2025, 2022)),
    "windows-server-2025-core": _release(2025, "core", 26100, "WINDOWS_SERVER_2025_CORE", (2025, 2022)),
}

#: Image release names: the ``ltsc`` tags of Microsoft's images, and ``1809`` (Nano Server and
#: Server Core 2019), with the build numbers ``10.0.<build>`` that pinned tags carry
#: (Microsoft, "Windows container base images" and the .NET image READMEs).
_RELEASE_TOKENS = {"ltsc2016": 2016, "1607": 2016, "ltsc2019": 2019, "1809": 2019, "ltsc2022": 2022, "ltsc2025": 2025}
_BUILDS = {14393: 2016, 17763: 2019, 20348: 2022, 26100: 2025}
_TOKEN = re.compile(r"(?<![A-Za-z0-9])(ltsc2016|ltsc2019|ltsc2022|ltsc2025|1607|1809)(?![A-Za-z0-9])")
_BUILD = re.compile(r"(?<![0-9])10\.0\.([0-9]{5})(?![0-9])")
_WINDOWS_BASE = re.compile(r"(servercore|nanoserver|windows)", re.IGNORECASE)


def image_release(image: str) -> int | None:
    """The Windows Server release an image's tag names, if it names one.

    ``ltscYYYY`` counts in any tag; ``1607``/``1809`` and ``10.0.<build>`` only in the tags of
    Windows base images (a ``servercore``, ``nanoserver`` or ``windows`` image or tag), where they
    mean a release rather than an application's own version.
    """
    reference = image.split("@", 1)[0]
    repository, _, tag = reference.rpartition(":") if ":" in reference.rsplit("/", 1)[-1] else (reference, "", "")
    if not tag:
        return None
    windows_image = bool(_WINDOWS_BASE.search(repository) or _WINDOWS_BASE.search(tag))
    for match in _TOKEN.finditer(tag):
        token = match.group(1)
        if token.startswith("ltsc") or windows_image:
            return _RELEASE_TOKENS[token]
    build = _BUILD.search(tag)
    if build and windows_image:
        return _BUILDS.get(int(build.group(1)))
    return None
