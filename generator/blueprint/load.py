"""Read a blueprint file into plain Python data, remembering where every key and value sits.

Reading is bounded whatever the file holds (see :mod:`generator.blueprint.limits`): only regular
files are opened, at most :data:`~generator.blueprint.limits.MAX_FILE_BYTES` are read, the YAML
is composed by :mod:`generator.blueprint.nodes` (YAML 1.2 core schema, so ``no`` and ``on`` stay
strings; duplicate keys rejected; aliases shared, not copied), and the graph is expanded into
plain data only when what it would expand to is within the limits. Every mistake is a
:class:`~generator.errors.Problem` with a line and column.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.blueprint.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from generator.blueprint.nodes import Mapping, Node, Scalar, Sequence, compose
from generator.blueprint.paths import dotted
from generator.blueprint.rules.structure import NOT_A_BLUEPRINT, SYNTAX, TOO_LARGE
from generator.blueprint.syntax import position_of_char
from generator.blueprint.types import EXTENSION_PREFIX, Loc
from generator.errors import BlueprintInvalid, Problem, UsageError, display_path


@dataclass
class Document:
    """A parsed blueprint: its data and the 1-based position of each value and key."""

    file: str
    data: Any
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def value_at(self, loc: Loc) -> Any:
        """The plain value written at ``loc``, or None where nothing is written."""
        value = self.data
        for part in loc:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def written(self, loc: Loc) -> Loc:
        """``loc`` as the user wrote it: a reference written as its ARN alone (``join_secret:
        arn:...``) is validated as ``{arn: ...}``, but its problems belong to the key written."""
        if loc and loc[-1] == "arn" and isinstance(self.value_at(loc[:-1]), str):
            return loc[:-1]
        return loc

    def mark(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where ``loc`` is written, or its nearest written ancestor (for a missing key)."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(loc)
        while probe:
            if probe in marks:
                return marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))

    def dotted(self, loc: Loc) -> str:
        """``loc`` as messages show it, keys and list indexes told apart by the data."""
        return dotted(loc, self.data)


#: The path that stands for standard input, and how messages name it.
STDIN, STDIN_NAME = "-", "<stdin>"


def load_document(path: Path) -> Document:
    """Parse ``path`` (``-``: standard input); raise :class:`BlueprintInvalid` for YAML mistakes,
    :class:`UsageError` when the file cannot be read at all (missing, a folder, a FIFO or
    device, unreadable)."""
    if path.as_posix() == STDIN:
        return parse_bytes(read_stdin(), STDIN_NAME)
    shown = display_path(path)
    return parse_bytes(read_bounded(path, shown), shown)


def read_stdin() -> bytes:
    """Standard input's bytes, at most one more than the size limit (the rest is never read)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise UsageError(f"{STDIN_NAME}: no standard input to read")
    chunks, size = [], 0
    while size <= MAX_FILE_BYTES:
        chunk = stream.read(MAX_FILE_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bounded(path: Path, shown: str) -> bytes:
    """The bytes of the regular file ``path``, at most one more than the size limit.

    The file is opened without blocking and checked with ``fstat`` before anything is read, so a
    FIFO, a device such as ``/dev/zero`` or a folder is refused at once, even if it replaced a
    regular file after a first look.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{shown}: is a folder, not a blueprint file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"{shown}: is a folder, not a blueprint file")
        if not stat.S_ISREG(mode):
            raise UsageError(f"{shown}: is not a regular file (a FIFO, socket or device); gen reads blueprint files only")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def parse_bytes(raw: bytes, file: str) -> Document:
    """Parse the bytes of a blueprint file: UTF-8 (a byte-order mark is allowed), within the size limit."""
    if len(raw) > MAX_FILE_BYTES:
        raise BlueprintInvalid([Problem(file, 1, 1, "", f"the file is larger than gen reads ({MAX_FILE_BYTES:,} bytes)",
                                        "a blueprint is a few kilobytes; is this the right file?", rule=TOO_LARGE)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = position_of_char(before, len(before))
        raise BlueprintInvalid([Problem(file, line, col, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                        "save the file as UTF-8", rule=SYNTAX)]) from None
    return parse_document(text, file)


def parse_document(text: str, file: str) -> Document:
    """Parse blueprint ``text`` that came from ``file`` (used in messages)."""
    root = compose(text, file)
    if root is None or (isinstance(root, Scalar) and root.value is None):
        raise BlueprintInvalid(
            [Problem(file, 1, 1, "", "the file is empty", "run `gen init` for a starter blueprint", rule=NOT_A_BLUEPRINT)]
        )
    pairs = _read_pairs(root)
    _within_limits(root, pairs, file)
    doc = Document(file=file, data=None)
    doc.value_marks[()] = (root.line, root.col)
    doc.data = _Expander(doc).plain(root, (), pairs if isinstance(root, Mapping) else None)
    return doc


def _blueprint_pairs(root: Mapping) -> list[tuple[Any, Node, int, int, int, int]]:
    """``(key, value, key line, key col, value line, value col)`` of a mapping, merged keys
    included (keys written in the mapping win, then earlier merges win)."""
    pairs = [(p.key.value, p.value, p.key.line, p.key.col, p.line, p.col) for p in root.pairs]
    seen = {key for key, *_ in pairs}
    for source, line, col in root.merges:
        for key, value, _, _, value_line, value_col in _blueprint_pairs(source):
            if key not in seen:
                seen.add(key)
                pairs.append((key, value, line, col, value_line, value_col))
    return pairs


def _read_pairs(root: Node) -> list[tuple[Any, Node, int, int, int, int]]:
    """The top-level entries gen reads: all but the ``x-`` keys, the user's own, which are never
    expanded or validated. A root that is not a mapping (or merges too deep) is one entry."""
    if not isinstance(root, Mapping) or any(source.height >= MAX_DEPTH for source, _, _ in root.merges):
        return [(None, root, root.line, root.col, root.line, root.col)]
    return [p for p in _blueprint_pairs(root) if not (type(p[0]) is str and p[0].startswith(EXTENSION_PREFIX))]


def _within_limits(root: Node, pairs: list[tuple[Any, Node, int, int, int, int]], file: str) -> None:
    """Refuse, before expanding anything, a blueprint whose aliases expand past the limits.

    The node sizes and heights were counted by the composer, so this costs one step per
    top-level key."""
    total = 0
    for key, value, key_line, key_col, value_line, value_col in pairs:
        total += value.size + 1
        path = dotted((key,)) if key is not None else ""
        if value.height >= MAX_DEPTH:
            raise BlueprintInvalid([Problem(file, key_line, key_col, path,
                                            f"the value nests more than {MAX_DEPTH} levels deep once its aliases are expanded",
                                            "a blueprint nests a few levels; look for aliases of aliases", rule=TOO_LARGE)])
        if total > MAX_VALUES:
            loc, line, col = _largest_entry((key,), value, value_line, value_col)
            raise BlueprintInvalid([Problem(file, line, col, dotted(loc) if key is not None else "",
                                            f"the blueprint holds more than {MAX_VALUES:,} values once its aliases are expanded",
                                            "a blueprint holds a few hundred values; look for aliases that repeat "
                                            "aliases (a \"billion laughs\")", rule=TOO_LARGE)])


def _largest_entry(loc: Loc, node: Node, line: int, col: int) -> tuple[Loc, int, int]:
    """Follow the keys whose values are past the limit on their own, to point at the alias that
    expands too far rather than at the section holding it."""
    while isinstance(node, Mapping):
        large = [p for p in _blueprint_pairs(node) if p[1].size > MAX_VALUES]
        if not large:
            break
        key, node, _, _, line, col = large[0]
        loc = (*loc, key)
    return loc, line, col


class _Expander:
    """Turn the node graph into plain dict/list/scalars, recording positions.

    Called only within the limits, so the recursion is at most :data:`MAX_DEPTH` deep and the
    copies made for aliases hold at most :data:`MAX_VALUES` values."""

    def __init__(self, doc: Document):
        self.doc = doc

    def plain(self, node: Node, loc: Loc, pairs: list[tuple[Any, Node, int, int, int, int]] | None = None) -> Any:
        if isinstance(node, Scalar):
            return node.value
        if isinstance(node, Sequence):
            items = []
            for index, (item, line, col) in enumerate(node.items):
                child = (*loc, index)
                self.doc.value_marks[child] = (line, col)
                items.append(self.plain(item, child))
            return items
        out: dict[Any, Any] = {}
        for key, value, key_line, key_col, value_line, value_col in (pairs if pairs is not None else _blueprint_pairs(node)):
            child = (*loc, key)
            self.doc.key_marks[child] = (key_line, key_col)
            self.doc.value_marks[child] = (value_line, value_col)
            out[key] = self.plain(value, child)
        return out
