"""How much a blueprint file may hold: bounds that keep gen's time and memory small on any input.

A real blueprint is a few kilobytes, nests five or six levels deep and holds a few hundred
values. The bounds sit far above that and far below what would make reading slow: a file past
any of them is refused with one problem (GEN108), before it is expanded or validated. The
blueprint reference (``docs/blueprint.md``) lists them.
"""

from __future__ import annotations

#: Largest file gen reads, in bytes (2 MiB). Larger files are refused without being read whole.
MAX_FILE_BYTES = 2 * 1024 * 1024

#: Deepest nesting of mappings and lists, counted through aliases.
MAX_DEPTH = 64

#: Most values (keys, scalars, mappings, lists) in the blueprint once every alias is expanded,
#: not counting top-level ``x-`` keys, which gen ignores and never expands. This is what stops a
#: "billion laughs" file: aliases of aliases that would expand into millions of copies.
MAX_VALUES = 100_000

#: Longest number gen reads, in digits; a longer one is refused rather than converted.
MAX_NUMBER_DIGITS = 1_000


def described() -> list[str]:
    """The limits as sentences, for the blueprint reference."""
    return [
        f"a file of at most {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES // 1024 // 1024} MiB), a regular file "
        "(not a FIFO, device or folder), in UTF-8",
        f"mappings and lists nested at most {MAX_DEPTH} levels deep, aliases included",
        f"at most {MAX_VALUES:,} values once every alias is expanded (top-level x- keys are not counted)",
        f"numbers of at most {MAX_NUMBER_DIGITS:,} digits",
    ]
