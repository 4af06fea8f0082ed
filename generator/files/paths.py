"""Paths under the output folder that gen may write or remove, without following links.

gen writes ``OUT/<name>/<folder>/<file>``. Every component below ``OUT`` is looked at with
``lstat``: a symbolic link is never followed (a link to a folder would send gen's writes, or
its removals, somewhere else), and a file standing where gen needs a folder is refused. These
checks run before anything is written, so a refusal leaves everything as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import UsageError, printable


def _shown(root: Path, relative: str) -> str:
    return printable((root / relative).as_posix())


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def check_writable(root: Path, relative: str) -> None:
    """Raise :class:`UsageError` unless gen may write the file ``root/relative``: every folder on
    the way is a real folder or missing, and the file is a regular file or missing."""
    parts = relative.split("/")
    current = root
    for index, part in enumerate(parts):
        current = current / part
        info = _lstat(current)
        if info is None:
            return
        here = "/".join(parts[: index + 1])
        last = index == len(parts) - 1
        if stat.S_ISLNK(info.st_mode):
            raise UsageError(f"{_shown(root, here)} is a symbolic link; gen does not write through links. Remove it "
                             "(gen writes a regular file or folder there) or render with --out somewhere else")
        if not last and not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{_shown(root, here)} is a file where gen writes a folder; move it away")
        if last and not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise UsageError(f"{_shown(root, here)} is {kind} where gen writes a file; move it away")


def check_folder(root: Path, name: str) -> None:
    """Raise :class:`UsageError` unless ``root/name`` is a real folder or missing: a link is not
    followed, and a file there is the user's, not gen's to replace."""
    info = _lstat(root / name)
    if info is None or stat.S_ISDIR(info.st_mode):
        return
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{_shown(root, name)} is a symbolic link; gen writes only into a real folder. Remove the "
                         "link, or render with --out where the link points")
    raise UsageError(f"{_shown(root, name)} is a file, not a folder; gen will not replace it. Move it away")


def is_removable(root: Path, relative: str) -> bool:
    """Whether ``root/relative`` is a regular file reached through real folders only."""
    current = root
    parts = relative.split("/")
    for index, part in enumerate(parts):
        current = current / part
        info = _lstat(current)
        if info is None or stat.S_ISLNK(info.st_mode):
            return False
        if index < len(parts) - 1 and not stat.S_ISDIR(info.st_mode):
            return False
    return stat.S_ISREG(info.st_mode)  # type: ignore[union-attr]


def ensure_parents(root: Path, relative: str) -> list[Path]:
    """Create the missing folders of ``root/relative``, refusing links; the folders it created."""
    created = []
    current = root
    for part in relative.split("/")[:-1]:
        current = current / part
        info = _lstat(current)
        if info is None:
            os.mkdir(current)
            created.append(current)
        elif not stat.S_ISDIR(info.st_mode):  # a link or a file appeared since the checks
            raise UsageError(f"{printable(current.as_posix())} is no longer a folder; gen stopped writing")
    return created


def same_file_system(first: Path, second: Path) -> bool:
    """Whether renaming from ``first`` to ``second`` (or their nearest existing folders) stays on
    one file system, as an atomic rename needs."""
    def device(path: Path) -> int:
        while True:
            info = _lstat(path)
            if info is not None:
                return info.st_dev
            path = path.parent
    return device(first) == device(second)
