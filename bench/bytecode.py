"""Compile gen's modules to bytecode before a benchmark, as an installed gen has them.

``pip install`` writes the bytecode of what it installs, and an editable install gets it on its
first run; but a machine with ``PYTHONDONTWRITEBYTECODE`` set (this project's CI machines are
such) never writes it for an editable install, and every start then compiles gen's modules from
source. The benchmarks measure gen as its users run it, so they compile first and say so.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path


def compile_gen(root: Path) -> str:
    """Write the bytecode of ``root``'s ``generator`` package (``__pycache__``, ignored by git);
    the line the benchmark prints about it."""
    compileall.compile_dir(str(root / "generator"), quiet=1)
    note = "gen's bytecode compiled first, as an installed gen has it"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        note += " (PYTHONDONTWRITEBYTECODE is set here: without this, each start compiles gen from source)"
    return note
