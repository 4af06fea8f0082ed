"""gen's own version, as its package metadata says: shown by ``gen --version``, written in every
generated file's header and in SARIF logs."""

from __future__ import annotations

import functools


@functools.cache
def gen_version() -> str:
    """The installed version of gen, or ``unknown`` when it runs from a tree never installed."""
    from importlib import metadata

    try:
        return metadata.version("gen")
    except metadata.PackageNotFoundError:
        return "unknown"
