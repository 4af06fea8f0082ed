"""One render at a time per output folder: an exclusive lock on ``OUT/.gen/lock``.

A second render into the same folder waits for the first (up to :data:`WAIT_SECONDS`), then
fails with one line naming the process that holds the lock. The lock is the kernel's
(``flock``), so a render that is killed releases it; the lock file is removed by the render that
holds it, and a render that locked a file which was removed meanwhile locks again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UsageError, printable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock between processes
    fcntl = None  # type: ignore[assignment]

#: How long a render waits for another one to finish writing the same folder.
WAIT_SECONDS = 30.0
_POLL_SECONDS = 0.05
LOCK_NAME = "lock"


@contextmanager
def locked(folder: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the lock of ``folder`` (gen's own folder inside the output folder) while the body runs,
    waiting at most ``wait_seconds`` (default :data:`WAIT_SECONDS`) for another render."""
    fd = _acquire(folder, WAIT_SECONDS if wait_seconds is None else wait_seconds)
    try:
        yield
    finally:
        _release(folder, fd)


def _acquire(folder: Path, wait_seconds: float) -> int:
    deadline = time.monotonic() + wait_seconds
    path = folder / LOCK_NAME
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink():
            raise UsageError(f"{printable(str(folder))} is a symbolic link; gen keeps its lock and journal only in "
                             "a real folder. Remove the link")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
        except FileNotFoundError:  # the folder was removed by the render that just finished
            continue
        if fcntl is None:  # pragma: no cover
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise UsageError(f"another gen render{holder} is writing into {printable(str(folder.parent))}; "
                                 "run this one when it has finished") from None
            time.sleep(_POLL_SECONDS)
            continue
        if _still_the_lock_file(fd, path):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # removed and maybe re-created after we opened it: lock the current one


def _still_the_lock_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _release(folder: Path, fd: int) -> None:
    """Remove the lock file while still holding it, then let go; a waiting render notices the
    file is gone and locks a new one. The folder goes too when nothing else is in it."""
    try:
        os.unlink(folder / LOCK_NAME)
    except OSError:
        pass
    os.close(fd)
    try:
        folder.rmdir()
    except OSError:
        pass
