"""Files gen ships beside its code: the Terraform templates and the starter blueprint.

In a checkout (and an editable install) they live at the top of the repository; a wheel carries
them inside the package (see ``force-include`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPOSITORY = _PACKAGE.parent


def _first(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[-1]


def templates_dir() -> Path:
    """Folder holding ``terraform/*.tf.j2`` and ``starter.yaml``."""
    return _first(_PACKAGE / "_templates", _REPOSITORY / "templates")
