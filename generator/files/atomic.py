"""Replace one file atomically: a reader sees the old file or the new one, never half of it.

The new content is written to a temporary file in the same folder (so the rename cannot cross
file systems), flushed to disk, then renamed over the target. A failure leaves the old file and
no temporary file behind.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from generator.errors import UsageError, printable

#: Temporary files start with this, so a leftover one is recognisable as gen's.
TEMPORARY_PREFIX = ".gen-tmp-"


def write_file_atomically(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (``mode`` before umask)."""
    temporary = path.with_name(f"{TEMPORARY_PREFIX}{secrets.token_hex(6)}-{path.name}"[:255])
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_starter(path: Path, data: bytes, force: bool) -> None:
    """``gen init``: write a new blueprint file, or replace a regular file with ``force``.

    A folder, a device, a FIFO or a link to one is refused before anything is written (writing
    to ``/dev/full`` or through a link would not create a blueprint)."""
    shown = printable(str(path))
    try:
        current = os.stat(path)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
    if current is not None:
        if stat.S_ISDIR(current.st_mode):
            raise UsageError(f"{shown} is a folder; give the path of a file, e.g. {shown}/blueprint.yaml")
        if not stat.S_ISREG(current.st_mode):
            raise UsageError(f"{shown} is not a regular file (a device, FIFO or socket); gen init writes files only")
        if not force:
            raise UsageError(f"{shown} exists; pass --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        target = path.resolve() if path.is_symlink() else path
        write_file_atomically(target, data, mode=stat.S_IMODE(current.st_mode) if current else 0o666)
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
