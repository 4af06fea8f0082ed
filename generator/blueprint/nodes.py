"""Compose a YAML text into a small graph of nodes with positions, checking what a blueprint may use.

libyaml (PyYAML's C parser) scans and parses; the events are composed here rather than by a YAML
library's constructor, so that gen

- resolves plain scalars with the YAML 1.2 core schema (:mod:`generator.blueprint.scalars`);
- rejects duplicate keys, keys equal once resolved included (``1`` and ``0x1``, ``true`` and
  ``True``), and keys that are lists or mappings;
- shares an anchored node between its aliases instead of copying it, and counts, as each node
  is completed, how many values and how many levels it would have once expanded: a "billion
  laughs" file costs what its text costs, and :mod:`generator.blueprint.load` refuses to expand
  what is past the limits;
- composes without recursion, and collects every problem it can before giving up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import yaml

from generator.blueprint.limits import MAX_DEPTH, MAX_VALUES
from generator.blueprint.paths import key_text
from generator.blueprint.rules.secrets import (
    looks_like_credential,
    looks_like_secret_name,
)
from generator.blueprint.rules.structure import (
    DUPLICATE_KEY,
    SYNTAX,
    TOO_LARGE,
    YAML_FEATURE,
)
from generator.blueprint.scalars import (
    MAP,
    SEQ,
    ScalarProblem,
    Written,
    check_collection_tag,
    core_value,
    resolve,
)
from generator.blueprint.syntax import reader_problem, syntax_problem
from generator.errors import BlueprintInvalid, Problem

try:  # libyaml, when PyYAML was built with it (the wheels are); the pure-Python parser otherwise
    from yaml.cyaml import CParser as _Parser

    _BYTE_OFFSETS = True  # libyaml reports a bad character's position in bytes of UTF-8
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    from yaml import SafeLoader as _Parser

    _BYTE_OFFSETS = False

_NEXT = object()
#: A path longer than this (values nested past the limit) is cut short in the message.
_LONGEST_PATH = 60

#: A value counted past this is "too many"; counts stop growing here, so they stay small integers.
_SATURATED = MAX_VALUES + 1


@dataclass(eq=False, slots=True)
class Scalar:
    """A resolved scalar, its text as written, and where it starts (1-based)."""

    value: Any
    text: str
    line: int
    col: int
    merge: bool = False  # a plain ``<<`` key
    broken: bool = False  # stands in for an alias that could not be followed (already reported)
    size: int = 1
    height: int = 1


@dataclass(eq=False, slots=True)
class Sequence:
    """A list; ``size`` and ``height`` count it as if its aliases were expanded."""

    line: int
    col: int
    items: list[tuple[Node, int, int]] = field(default_factory=list)  # (item, where it is written)
    size: int = 1
    height: int = 1


@dataclass(eq=False, slots=True)
class Pair:
    """A key written in a mapping and its value."""

    key: Scalar
    value: Node
    line: int  # where the value is written: for an alias, the alias
    col: int


@dataclass(eq=False, slots=True)
class Mapping:
    """A mapping: the pairs written in it, and the mappings merged into it with ``<<``."""

    line: int
    col: int
    pairs: list[Pair] = field(default_factory=list)
    merges: list[tuple[Mapping, int, int]] = field(default_factory=list)  # merged in with <<, in order
    size: int = 1
    height: int = 1


Node = Union[Scalar, Sequence, Mapping]


@dataclass(eq=False, slots=True)
class _Frame:
    """A collection being composed: the pending key of a mapping, and the keys seen so far."""

    node: Sequence | Mapping
    part: str  # how the path shows this collection
    anchor: str | None
    key: Scalar | None = None
    skip_value: bool = False
    seen: dict[Any, Scalar] = field(default_factory=dict)


class _Composer:
    """Compose one text's events, collecting the problems of the YAML itself."""

    def __init__(self, text: str, file: str):
        self.text, self.file = text, file
        self.problems: list[Problem] = []
        self.anchors: dict[str, Node] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.root: Node | None = None
        self.documents = 0

    # --- the event loop ---------------------------------------------------------------------

    def compose(self) -> Node | None:
        parser = _Parser(self.text)
        handlers = {yaml.ScalarEvent: self._scalar, yaml.AliasEvent: self._alias,
                    yaml.SequenceStartEvent: self._open, yaml.MappingStartEvent: self._open,
                    yaml.SequenceEndEvent: self._close, yaml.MappingEndEvent: self._close,
                    yaml.DocumentStartEvent: self._document}
        try:
            while True:
                event = parser.get_event()
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
                elif type(event) is yaml.StreamEndEvent:
                    break
        except yaml.reader.ReaderError as exc:
            raise BlueprintInvalid(self.problems + [reader_problem(exc, self.text, self.file, _BYTE_OFFSETS)]) from None
        except yaml.MarkedYAMLError as exc:
            raise BlueprintInvalid(self.problems + [syntax_problem(exc, self.text, self.file)]) from None
        finally:
            if hasattr(parser, "dispose"):
                parser.dispose()
        if self.problems:
            raise BlueprintInvalid(self.problems)
        return self.root

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            self._stop(event, "a second YAML document starts here; a blueprint is one document",
                       "remove the '---' line and what follows, or keep each blueprint in its own file", SYNTAX)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        mark = event.start_mark
        line, col = mark.line + 1, mark.column + 1
        text, tag = event.value, event.tag
        plain = not event.style and tag is None
        try:
            value = core_value(text) if plain else resolve(Written(text, tag, plain))
        except ScalarProblem as exc:
            message = exc.unshown if self._may_be_secret(text) else exc.message
            self._problem(line, col, self._path(), message, exc.hint, TOO_LARGE if exc.limit else YAML_FEATURE)
            value = text
        self._attach(Scalar(value, text, line, col, merge=plain and text == "<<"), line, col, event.anchor)

    def _close(self, event: yaml.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
        self._attach(frame.node, frame.node.line, frame.node.col, None)

    def _alias(self, event: yaml.AliasEvent) -> None:
        anchor, line, col = event.anchor, event.start_mark.line + 1, event.start_mark.column + 1
        if anchor in self.open_anchors:
            self._problem(line, col, self._path(), f"the alias *{anchor} is inside the value of its own anchor &{anchor}",
                          "an alias may only repeat a value that is complete above it; recursive values are not allowed",
                          YAML_FEATURE)
        elif anchor not in self.anchors:
            self._problem(line, col, self._path(), f"the alias *{anchor} refers to no anchor &{anchor} above it",
                          f"define &{anchor} on a value before this line, or fix the name", YAML_FEATURE)
        else:
            self._attach(self.anchors[anchor], line, col, None)
            return
        self._attach(Scalar(None, "", line, col, broken=True), line, col, None)

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        is_map = isinstance(event, yaml.MappingStartEvent)
        try:
            check_collection_tag(event.tag, MAP if is_map else SEQ)
        except ScalarProblem as exc:
            self._problem(line, col, self._path(), exc.message, exc.hint, YAML_FEATURE)
        if len(self.stack) >= MAX_DEPTH:
            self._stop(event, f"the values nest more than {MAX_DEPTH} levels deep here",
                       "a blueprint nests a few levels; look for unbalanced brackets", TOO_LARGE)
        node: Sequence | Mapping = Mapping(line, col) if is_map else Sequence(line, col)
        self.stack.append(_Frame(node, self._next_part(), event.anchor))
        if event.anchor is not None:
            self.anchors[event.anchor] = node
            self.open_anchors.add(event.anchor)

    # --- attaching a complete node to its parent ------------------------------------------------

    def _attach(self, node: Node, line: int, col: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent = frame.node
        size = parent.size + node.size
        parent.size = size if size < _SATURATED else _SATURATED
        if node.height >= parent.height:
            parent.height = node.height + 1
        if isinstance(parent, Sequence):
            parent.items.append((node, line, col))
        elif frame.key is None and not frame.skip_value:
            self._key(frame, node, line, col)
        else:
            key, frame.key = frame.key, None
            if frame.skip_value:
                frame.skip_value = False
            elif key is not None and key.merge:
                self._merge(frame, key, node, line, col)
            elif key is not None:
                parent.pairs.append(Pair(key, node, line, col))

    def _key(self, frame: _Frame, node: Node, line: int, col: int) -> None:
        if not isinstance(node, Scalar):
            kind = "a mapping" if isinstance(node, Mapping) else "a list"
            self._problem(line, col, self._path(), f"this key is {kind}; a blueprint's keys are single values",
                          "write a plain key such as name:, not '? [a]' or '{...}:'", YAML_FEATURE)
            frame.skip_value = True
            return
        try:
            first = frame.seen.get(node.value)
        except TypeError:  # pragma: no cover - scalars resolve to hashable values
            first = None
        if first is not None:
            same = "" if first.text == node.text else f", as '{first.text}'"
            self._problem(line, col, self._path(last=node.value),
                          f"the key '{node.text}' is written twice in the same mapping "
                          f"(first on line {first.line}{same})",
                          "keep one of them; YAML would otherwise silently use the last", DUPLICATE_KEY)
            frame.skip_value = True
            return
        frame.seen[node.value] = node
        frame.key = node

    def _merge(self, frame: _Frame, key: Scalar, node: Node, line: int, col: int) -> None:
        sources = [(node, line, col)] if isinstance(node, Mapping) else list(getattr(node, "items", []))
        sources = [s for s in sources if not (isinstance(s[0], Scalar) and s[0].broken)]
        if isinstance(node, Scalar) and node.broken:
            return
        if not sources or not all(isinstance(source, Mapping) for source, _, _ in sources):
            self._problem(key.line, key.col, self._path(), "the merge key << takes a mapping or a list of mappings",
                          "write <<: *anchor (or <<: [*a, *b]) where each anchor names a mapping", YAML_FEATURE)
            return
        assert isinstance(frame.node, Mapping)
        frame.node.merges.extend((source, key.line, key.col) for source, _, _ in sources)  # type: ignore[misc]

    def _may_be_secret(self, text: str) -> bool:
        """Whether a value is written under a name that says it holds a secret, or looks like one."""
        names = [str(f.key.value) for f in self.stack if f.key is not None]
        return looks_like_credential(text) or any(looks_like_secret_name(n) or "password" in n.lower() for n in names)

    # --- paths and problems --------------------------------------------------------------------------

    def _next_part(self) -> str:
        """How the path shows the next value of the innermost collection."""
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.node, Sequence):
            return f"[{len(frame.node.items)}]"
        return key_text(frame.key.value) if frame.key is not None else ""

    def _path(self, last: Any = _NEXT) -> str:
        """The path of the next value (or of the key ``last`` of the innermost mapping)."""
        parts = [f.part for f in self.stack] + [self._next_part() if last is _NEXT else key_text(last)]
        text = ""
        for part in filter(None, parts):
            text += part if part.startswith("[") or not text else "." + part
        return text

    def _problem(self, line: int, col: int, path: str, message: str, hint: str, rule: str) -> None:
        self.problems.append(Problem(self.file, line, col, path, message, hint, rule=rule))

    def _stop(self, event: yaml.Event, message: str, hint: str, rule: str) -> None:
        mark = event.start_mark
        path = self._path()
        if len(path) > _LONGEST_PATH:
            path = path[:_LONGEST_PATH] + "..."
        self._problem(mark.line + 1, mark.column + 1, path, message, hint, rule)
        raise BlueprintInvalid(self.problems)


def compose(text: str, file: str) -> Node | None:
    """The node graph of ``text`` (None for an empty file); :class:`BlueprintInvalid` with every
    problem found in the YAML itself."""
    return _Composer(text, file).compose()
