"""The manifest: which files under ``OUT/<name>/`` gen wrote, so that it removes only those.

``.gen-manifest.json`` is plain JSON (no header: JSON has no comments), written last by every
render and read first by the next. An entry is trusted only if it is a plain relative path
inside one of the folders gen writes (``credentialspecs``, ``cloudformation``, ``terraform``):
a manifest edited to name ``../x`` or ``/etc/x`` cannot make gen remove anything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

MANIFEST = ".gen-manifest.json"
_GENERATOR, _VERSION = "gen", 1


def manifest_text(files: Iterable[str]) -> str:
    """The manifest listing ``files`` (paths relative to ``OUT/<name>/``), sorted, byte-stable."""
    document = {"generator": _GENERATOR, "version": _VERSION,
                "note": "files gen wrote here; gen render removes only these", "files": sorted(set(files))}
    return json.dumps(document, indent=2) + "\n"


def read_manifest(folder: Path, tops: Iterable[str]) -> tuple[list[str], bool]:
    """``(entries, readable)``: the trusted entries of ``folder``'s manifest, and whether there was
    a manifest gen could read (False when it is missing, damaged or not gen's)."""
    path = folder / MANIFEST
    try:
        if path.is_symlink() or not path.is_file():
            return [], False
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return [], False
    if not isinstance(document, dict) or document.get("generator") != _GENERATOR or document.get("version") != _VERSION:
        return [], False
    files = document.get("files")
    if not isinstance(files, list):
        return [], False
    allowed = set(tops)
    return [entry for entry in files if isinstance(entry, str) and is_safe_entry(entry, allowed)], True


def is_safe_entry(entry: str, tops: set[str]) -> bool:
    """Whether ``entry`` is a plain relative path inside one of the folders in ``tops``."""
    if not entry or "\\" in entry or "\x00" in entry or entry.startswith("/"):
        return False
    parts = PurePosixPath(entry).parts
    return (len(parts) >= 2 and parts[0] in tops and all(p not in ("", ".", "..") for p in parts)
            and "/".join(parts) == entry)
