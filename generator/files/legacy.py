"""Clean up after gen versions that replaced ``OUT/<name>/`` by swapping whole folders.

Those versions built ``OUT/.<name>.new-XXXXXXXX/`` and moved the previous folder into
``OUT/.<name>.old-XXXXXXXX/<name>``. A render killed at the wrong moment left these behind, and a
crash between the two renames left ``OUT/<name>`` missing with the user's files only in the
``.old-`` folder. A render of ``<name>`` puts such a folder back and removes the leftovers.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path


def recover_legacy(root: Path, names: list[str]) -> int:
    """Restore or remove the swap folders of ``names`` under ``root``; how many it handled."""
    handled = 0
    for name in names:
        pattern = re.compile(rf"\.{re.escape(name)}\.(new|old)-[a-z0-9_]{{8}}")
        leftovers = sorted(p for p in root.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink())
        for folder in sorted(leftovers, key=lambda p: ".old-" not in p.name):  # restore before removing
            previous = folder / name
            if ".old-" in folder.name and not os.path.lexists(root / name) and previous.is_dir():
                os.replace(previous, root / name)
            shutil.rmtree(folder)
            handled += 1
    return handled
