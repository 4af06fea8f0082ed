"""Bash that gen generates: the user data of Linux hosts, assembled from ``scripts/*.sh``.

A blueprint value reaches bash only inside a single-quoted word (:func:`shell_quote`), where bash
expands nothing.
"""

from __future__ import annotations

import shlex

from generator.expr import Value
from generator.plan.powershell import script


def shell_quote(value: str) -> str:
    """A bash word that is exactly ``value``: single-quoted unless it needs no quotes."""
    return shlex.quote(value) if value else "''"


def assemble_shell(main: str, steps: dict[str, list[Value]]) -> list[Value]:
    """The lines of ``scripts/<main>`` with each ``# @NAME@`` line replaced by ``steps[NAME]``."""
    lines: list[Value] = []
    for line in script(main).rstrip("\n").split("\n"):
        marker = line.strip()
        if marker.startswith("# @") and marker.endswith("@"):
            lines.extend(steps[marker[3:-1]])
        else:
            lines.append(line)
    return lines
