"""Every ``hosts.os`` gen knows, Windows and Linux, under one name."""

from __future__ import annotations

from generator.facts.linux import LINUX_RELEASES, LinuxRelease
from generator.facts.windows import WINDOWS_RELEASES, WindowsRelease

HostOs = WindowsRelease | LinuxRelease
HOST_OS: dict[str, HostOs] = {**WINDOWS_RELEASES, **LINUX_RELEASES}
