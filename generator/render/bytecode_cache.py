"""Where Jinja keeps the Terraform templates compiled, so that a render does not compile them again.

Compiling gen's templates is most of what the Terraform renderer costs for a small blueprint
(bench/render.py at 1 service). Jinja's own :class:`jinja2.FileSystemBytecodeCache` keeps the
compiled code; each entry is checked against a checksum of its template's source and Jinja's and
Python's versions before it is used (``jinja2.bccache.Bucket``), so an edited template or an
upgrade is compiled afresh, never served stale. The rendered text is the same with or without it.

The cache is gen's own folder in the user's cache (``$XDG_CACHE_HOME/gen/jinja``, by default
``~/.cache/gen/jinja``), private to the user (mode 0700) because what it holds is run as code.
``GEN_CACHE_DIR`` moves it; ``GEN_CACHE_DIR=off`` turns it off. Where it cannot be made or written,
gen compiles as before and says nothing: a cache is never a reason to fail.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


def cache_folder() -> Path | None:
    """The folder compiled templates are kept in, or None when caching is turned off."""
    chosen = os.environ.get("GEN_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gen" / "jinja"


class _QuietCache(FileSystemBytecodeCache):
    """Jinja's file cache, except that a damaged entry is compiled again (Jinja's own reader
    gives up on a bad magic number or code, but not on a bad checksum record, which it unpickles)
    and a failed write leaves the template compiled in memory only."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever unpickling a damaged record raises
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """A cache in :func:`cache_folder`, or None if that folder is off, cannot be made, or is not
    a folder of this user's that only this user may write to."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(found.st_mode) and not stat.S_IMODE(found.st_mode) & (stat.S_IWGRP | stat.S_IWOTH)
    if not private or (hasattr(os, "getuid") and found.st_uid != os.getuid()):
        return None
    return _QuietCache(str(folder), "%s.jinja")
