"""Read a blueprint file into plain Python data, remembering where every key and value sits.

YAML 1.2 (so ``no`` and ``on`` stay strings), duplicate keys rejected, and syntax errors
reported as :class:`~generator.errors.Problem` with the line and column the parser gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from generator.blueprint.model import Loc
from generator.blueprint.rules.structure import DUPLICATE_KEY, NOT_A_BLUEPRINT, SYNTAX
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


def load_document(path: Path) -> Document:
    """Parse ``path``; raise :class:`BlueprintInvalid` for YAML mistakes, :class:`UsageError`
    when the file cannot be read at all."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{shown}: cannot read it ({exc})") from None
    return parse_document(text, shown)


def parse_document(text: str, file: str) -> Document:
    """Parse blueprint ``text`` that came from ``file`` (used in messages)."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        root = yaml.load(text)
    except DuplicateKeyError:
        raise BlueprintInvalid(_duplicate_key_problems(text, file)) from None
    except MarkedYAMLError as exc:
        raise BlueprintInvalid([_syntax_problem(exc, file)]) from None
    except YAMLError as exc:
        raise BlueprintInvalid([Problem(file, 1, 1, "", f"not valid YAML: {exc}", rule=SYNTAX)]) from None
    if root is None:
        raise BlueprintInvalid(
            [Problem(file, 1, 1, "", "the file is empty", "run `gen init` for a starter blueprint", rule=NOT_A_BLUEPRINT)]
        )
    doc = Document(file=file, data=None)
    doc.value_marks[()] = (1, 1)
    doc.data = _plain(root, (), doc)
    return doc


def _plain(node: Any, loc: Loc, doc: Document) -> Any:
    """Convert ruamel's round-trip nodes to plain dict/list/scalars, recording positions."""
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, key)
            try:
                key_line, key_col = node.lc.key(key)
                value_line, value_col = node.lc.value(key)
            except KeyError:  # a key merged in from an anchor (<<: *x) sits where the merge is
                key_line, key_col = value_line, value_col = _first_mark(node)
            doc.key_marks[child] = (key_line + 1, key_col + 1)
            doc.value_marks[child] = (value_line + 1, value_col + 1)
            out[key] = _plain(value, child, doc)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            line, col = node.lc.item(index)
            doc.value_marks[child] = (line + 1, col + 1)
            items.append(_plain(value, child, doc))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _first_mark(node: CommentedMap) -> tuple[int, int]:
    """Where a mapping starts (0-based), for keys that have no position of their own."""
    return (node.lc.line or 0, node.lc.col or 0)


def _syntax_problem(exc: MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = (exc.problem or exc.context or "syntax error").strip()
    hint = "check the indentation and quoting around this line"
    if "\\t" in what or "tab" in what.lower():
        what = "a tab character where YAML expects spaces"
        hint = "YAML indents with spaces, never tabs"
    return Problem(file, line, col, "", f"YAML syntax error: {what}", hint, rule=SYNTAX)


def _duplicate_key_problems(text: str, file: str) -> list[Problem]:
    """Every key written twice in a mapping, with its full path (the parser stops at the first)."""
    root = YAML(typ="rt").compose(text)
    problems: list[Problem] = []

    def walk(node: Node, loc: Loc) -> None:
        if isinstance(node, MappingNode):
            first: dict[Any, Node] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key in first:
                    path = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in (*loc, key)).replace(".[", "[")
                    problems.append(
                        Problem(
                            file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, path,
                            f"the key '{key}' is written twice in the same mapping "
                            f"(first on line {first[key].start_mark.line + 1})",
                            "keep one of them; YAML would otherwise silently use the last",
                            rule=DUPLICATE_KEY,
                        )
                    )
                else:
                    first[key] = key_node
                walk(value_node, (*loc, key))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    if root is not None:
        walk(root, ())
    return problems
