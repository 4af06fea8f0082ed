"""All-or-nothing writing of many files, that a crash at any moment cannot leave half done.

One render's changes (files to write and files to remove, across all its blueprints) go through
``OUT/.gen/``:

1. **stage**: every new content is written to ``staging/<id>`` and flushed to disk; nothing under
   ``OUT`` has changed yet, so a crash here leaves only ``staging/``, which the next render
   removes (rolled back);
2. **commit**: ``journal.json`` lists the operations; it is written to a temporary file and
   renamed, so it exists whole or not at all. From now on the render is decided;
3. **apply**: each operation renames a staged file over its target (atomic: a reader sees the old
   file or the new one), after keeping a hard link to the old file, or moves a file to remove
   into ``staging/``. Every operation can be repeated, so a render that finds a journal (the
   previous one crashed) applies it again to the end (rolled forward);
4. **finish**: the journal is removed, then ``staging/``.

If an operation fails (a permission changed, a link appeared), the journal is rewritten as a
roll-back and the operations already applied are undone from the kept links, in reverse order;
that too can be repeated after a crash. Files gen does not touch are never read or copied.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError, printable
from generator.files.paths import ensure_parents, is_removable

#: gen's own folder inside the output folder: the lock, the journal and the staged files.
GEN_FOLDER = ".gen"
JOURNAL = "journal.json"
STAGING = "staging"
APPLY, ROLL_BACK = "apply", "roll back"


@dataclass(frozen=True)
class Change:
    """Write ``content`` to ``path`` (relative to the output folder), or remove it when None."""

    path: str
    content: bytes | None


def commit(root: Path, changes: list[Change]) -> None:
    """Make every change, or none: stage, commit, apply (rolled back on an error), finish."""
    gen = root / GEN_FOLDER
    staging = gen / STAGING
    _remove_tree(staging)
    staging.mkdir(parents=True)
    operations = []
    for index, change in enumerate(changes):
        operation = {"id": f"{index:05d}", "path": change.path, "op": "write" if change.content is not None else "remove"}
        if change.content is not None:
            _stage_file(staging / operation["id"], change.content)
        operations.append(operation)
    _write_journal(gen, {"state": APPLY, "operations": operations})
    try:
        for operation in operations:
            _apply_operation(root, staging, operation)
        _prune_folders(root, operations)
    except (OSError, UsageError):
        _write_journal(gen, {"state": ROLL_BACK, "operations": operations})
        _roll_back(root, staging, operations)
        _finish(gen)
        raise
    _finish(gen)


def recover(root: Path) -> int:
    """Finish or undo what an interrupted render left in ``OUT/.gen/``; how many operations a
    journal held (0 when there was nothing to recover, or only uncommitted staged files)."""
    gen = root / GEN_FOLDER
    journal = gen / JOURNAL
    if not journal.is_file() or journal.is_symlink():
        _remove_file(gen / (JOURNAL + ".tmp"))
        _remove_tree(gen / STAGING)
        return 0
    try:
        document = json.loads(journal.read_text(encoding="utf-8"))
        state, operations = document["state"], document["operations"]
        valid = state in (APPLY, ROLL_BACK) and all(_valid_operation(o) for o in operations)
    except (OSError, ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise UsageError(f"{printable(journal.as_posix())} is not a journal gen can read; remove "
                         f"{printable(gen.as_posix())} to discard the interrupted render, then render again")
    if state == APPLY:
        for operation in operations:
            _apply_operation(root, gen / STAGING, operation)
        _prune_folders(root, operations)
    else:
        _roll_back(root, gen / STAGING, operations)
    _finish(gen)
    return len(operations)


def pending(root: Path) -> bool:
    """Whether an interrupted render left a journal that the next render will finish."""
    return (root / GEN_FOLDER / JOURNAL).exists()


# --- the steps (separate functions, so tests can interrupt a render between any two) ------------


def _stage_file(path: Path, content: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _write_journal(gen: Path, document: dict) -> None:
    temporary = gen / (JOURNAL + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(document, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, gen / JOURNAL)
    _sync_folder(gen)


def _apply_operation(root: Path, staging: Path, operation: dict) -> None:
    final = root / operation["path"]
    kept = staging / (operation["id"] + ".old")
    if operation["op"] == "remove":
        if is_removable(root, operation["path"]) and not os.path.lexists(kept):
            os.replace(final, kept)
        return
    staged = staging / operation["id"]
    if not staged.exists():
        return  # applied before a crash
    ensure_parents(root, operation["path"])
    if os.path.lexists(final):
        if not os.path.lexists(kept):
            _keep(final, kept)
    else:
        (staging / (operation["id"] + ".new")).touch()
    os.replace(staged, final)


def _roll_back(root: Path, staging: Path, operations: list[dict]) -> None:
    for operation in reversed(operations):
        final = root / operation["path"]
        kept = staging / (operation["id"] + ".old")
        created = staging / (operation["id"] + ".new")
        if os.path.lexists(kept):
            os.replace(kept, final)
        elif operation["op"] == "write" and created.exists():
            _remove_file(final)
            _remove_file(created)


def _prune_folders(root: Path, operations: list[dict]) -> None:
    """Remove the folders that removing gen's files left empty, below ``OUT/<name>/``; a folder
    holding anything else stays (``rmdir`` removes only empty folders)."""
    for operation in operations:
        if operation["op"] != "remove":
            continue
        parts = operation["path"].split("/")[:-1]
        while len(parts) > 1:
            try:
                os.rmdir(root.joinpath(*parts))
            except OSError:
                break
            parts.pop()


def _finish(gen: Path) -> None:
    _remove_file(gen / JOURNAL)
    _sync_folder(gen)
    _remove_tree(gen / STAGING)


# --- helpers ------------------------------------------------------------------------------------------


def _keep(final: Path, kept: Path) -> None:
    """A second name for the current file (no copy); a copy where hard links are not supported."""
    try:
        os.link(final, kept, follow_symlinks=False)
    except OSError:
        shutil.copy2(final, kept, follow_symlinks=False)


def _valid_operation(operation: object) -> bool:
    if not isinstance(operation, dict):
        return False
    path, ident = operation.get("path"), operation.get("id")
    return (operation.get("op") in ("write", "remove") and isinstance(ident, str) and ident.isdigit()
            and isinstance(path, str) and not path.startswith("/")
            and all(p not in ("", ".", "..") for p in path.split("/")))


def _remove_file(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _remove_tree(path: Path) -> None:
    if path.is_symlink():
        os.unlink(path)
    elif path.exists():
        shutil.rmtree(path)


def _sync_folder(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
