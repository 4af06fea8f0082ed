"""Environments: one blueprint, several deployments, each a partial blueprint merged over it.

The contract (as Copilot's ``environments:`` and Helm's values files do it): an environment is
deep-merged over the rest of the file. Mappings merge key by key; lists replace, except the
lists of named items (``services``, ``gmsa_accounts``), which merge item by item by ``name``;
``{name: x, remove: true}`` removes an item and ``null`` a key; ``name`` and ``version`` cannot
be overridden. Each environment becomes a :class:`~generator.blueprint.load.Document` of its own
that remembers where each value was written, so a problem inside an override points at the
override's line.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

from generator.blueprint.load import Document
from generator.blueprint.model import Blueprint
from generator.blueprint.paths import dotted
from generator.blueprint.rules.structure import ENVIRONMENT
from generator.blueprint.types import ENVIRONMENT_RE, EXTENSION_PREFIX, PATTERNS, Loc
from generator.errors import Problem

KEY = "environments"
#: Keys an environment may not set: every environment shares the blueprint's name and language.
FIXED = ("name", "version", KEY)


def _named_lists() -> tuple[str, ...]:
    """Top-level lists whose items have a ``name``: they merge item by item."""
    named = []
    for name, info in Blueprint.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            item = typing.get_args(info.annotation)[0]
            if isinstance(item, type) and "name" in getattr(item, "model_fields", {}):
                named.append(name)
    return tuple(named)


NAMED_LISTS = _named_lists()


@dataclass
class EnvironmentDocument(Document):
    """One environment's blueprint: the merged data, with each place's position where it was
    written (in the shared part or in the override) and messages naming that place."""

    environment: str = ""
    origin: dict[Loc, Loc] = field(default_factory=dict)
    written_data: Any = None

    def dotted(self, loc: Loc) -> str:
        if loc in self.origin:
            return dotted(self.origin[loc], self.written_data)
        return super().dotted(loc)


def environment_names(doc: Document) -> list[str] | None:
    """The environments a blueprint declares, in file order; None without ``environments:``."""
    if not isinstance(doc.data, dict) or KEY not in doc.data:
        return None
    declared = doc.data[KEY]
    return [str(name) for name in declared] if isinstance(declared, dict) else []


def environment_documents(doc: Document) -> tuple[list[Problem], dict[str, EnvironmentDocument]]:
    """Problems with the ``environments:`` section itself, and each well-formed environment's
    merged document."""
    problems: list[Problem] = []
    declared = doc.data[KEY]
    if not isinstance(declared, dict) or not declared:
        line, col = doc.mark((KEY,))
        return [Problem(doc.file, line, col, KEY, "environments needs at least one environment, each a mapping",
                        "write `environments:` then `  dev:` with the keys dev changes, or remove the key",
                        rule=ENVIRONMENT)], {}
    base = {k: v for k, v in doc.data.items() if k != KEY and not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
    documents = {}
    for name, override in declared.items():
        where = (KEY, name)
        if not (isinstance(name, str) and _is_environment_name(name)):
            problems.append(_problem(doc, where, f"'{name}' is not {PATTERNS[ENVIRONMENT_RE][0]}", "for example prod",
                                     key=True))
            continue
        if override is None:
            override = {}
        if not isinstance(override, dict):
            problems.append(_problem(doc, where, "an environment is a mapping of the keys it changes",
                                     "write the keys under it, indented, for example region: eu-west-1"))
            continue
        fixed = [key for key in override if key in FIXED]
        for key in fixed:
            problems.append(_problem(doc, (*where, key), f"an environment cannot change {key}",
                                     f"every environment shares the blueprint's {key}; its resources are named "
                                     f"<name>-{name}" if key == "name" else f"remove {key} from the environment",
                                     key=True))
        merger = _Merger(doc, where)
        over = {k: v for k, v in override.items() if k not in fixed and not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
        data = merger.merge(base, (), over, where, ())
        problems.extend(merger.problems)
        documents[name] = merger.document(name, data)
    return problems, documents


def _is_environment_name(name: str) -> bool:
    import re

    return re.search(ENVIRONMENT_RE, name) is not None


def _problem(doc: Document, loc: Loc, message: str, hint: str, key: bool = False) -> Problem:
    line, col = doc.mark(loc, key=key)
    return Problem(doc.file, line, col, doc.dotted(loc), message, hint, rule=ENVIRONMENT)


class _Merger:
    """Merges one environment over the shared part, remembering where each value was written."""

    def __init__(self, doc: Document, prefix: Loc):
        self.doc = doc
        self.prefix = prefix
        self.origin: dict[Loc, Loc] = {}
        self.problems: list[Problem] = []

    def document(self, environment: str, data: Any) -> EnvironmentDocument:
        merged = EnvironmentDocument(file=self.doc.file, data=data, environment=environment, origin=self.origin,
                                     written_data=self.doc.data)
        merged.value_marks[()] = self.doc.value_marks.get((), (1, 1))
        for loc, source in self.origin.items():
            if source in self.doc.value_marks:
                merged.value_marks[loc] = self.doc.value_marks[source]
            if source in self.doc.key_marks:
                merged.key_marks[loc] = self.doc.key_marks[source]
        return merged

    def copy(self, value: Any, source: Loc, loc: Loc) -> Any:
        """``value`` written at ``source`` (shared part or override), placed at ``loc``."""
        self.origin[loc] = source
        if isinstance(value, dict):
            return {k: self.copy(v, (*source, k), (*loc, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(v, (*source, i), (*loc, i)) for i, v in enumerate(value)]
        return value

    def merge(self, base: Any, base_at: Loc | None, over: Any, over_at: Loc, loc: Loc) -> Any:
        """``over`` (written at ``over_at``) merged over ``base`` (at ``base_at``; None: new)."""
        if isinstance(over, dict) and isinstance(base, dict):
            if loc:  # a mapping is where the shared part writes it, if it does
                self.origin[loc] = base_at if base_at is not None else over_at
            merged = {}
            for key, value in base.items():
                if key not in over:
                    merged[key] = self.copy(value, (*base_at, key), (*loc, key)) if base_at is not None else value
                elif over[key] is not None:  # null removes the key
                    merged[key] = self.merge(value, (*base_at, key) if base_at is not None else None, over[key],
                                             (*over_at, key), (*loc, key))
            for key, value in over.items():
                if key not in base and value is not None:
                    merged[key] = self.merge(_empty(value), None, value, (*over_at, key), (*loc, key))
            return merged
        if loc in [(name,) for name in NAMED_LISTS] and isinstance(over, list) and isinstance(base, list):
            return self._merge_named(base, base_at, over, over_at, loc)
        return self.copy(over, over_at, loc)

    def _merge_named(self, base: list[Any], base_at: Loc | None, over: list[Any], over_at: Loc, loc: Loc) -> list[Any]:
        """Items merge by name: a known name changes that item, a new one is added at the end,
        ``remove: true`` takes one away."""
        self.origin[loc] = over_at
        entries: list[tuple[int | None, int | None]] = [(i, None) for i in range(len(base))]  # (base, over)
        # An item whose name is not a string is reported where the blueprint is validated.
        by_name = {item["name"]: i for i, item in enumerate(base)
                   if isinstance(item, dict) and isinstance(item.get("name"), str)}
        for j, item in enumerate(over):
            at = (*over_at, j)
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                self.problems.append(_problem(self.doc, at, f"an item of {loc[0]} in an environment needs its name",
                                              "write name: first, to say which item it changes or adds"))
                continue
            name, remove = item["name"], item.get("remove", False)
            if not isinstance(remove, bool):
                self.problems.append(_problem(self.doc, (*at, "remove"), "remove is true or false",
                                              "write remove: true to take the item away"))
                continue
            if remove and (name not in by_name or set(item) - {"name", "remove"}):
                what = (f"there is no {loc[0]} item named {name} to remove" if name not in by_name
                        else "an item to remove holds only name and remove: true")
                self.problems.append(_problem(self.doc, at, what, f"names here are {', '.join(by_name) or 'none'}"
                                              if name not in by_name else "remove the other keys"))
                continue
            position = next((k for k, (b, _) in enumerate(entries) if b is not None and b == by_name.get(name)), None)
            if remove:
                entries.pop(position)  # type: ignore[arg-type]
            elif position is not None:
                entries[position] = (entries[position][0], j)
            else:
                entries.append((None, j))
        merged = []
        for index, (b, o) in enumerate(entries):
            place = (*loc, index)
            if o is None:
                merged.append(self.copy(base[b], (*base_at, b) if base_at is not None else place, place))  # type: ignore[index]
            else:
                item = {k: v for k, v in over[o].items() if k != "remove"}
                source = (*over_at, o)
                merged.append(self.merge(base[b], (*base_at, b) if base_at is not None else None, item, source, place)
                              if b is not None else self.merge({}, None, item, source, place))
        return merged


def _empty(value: Any) -> Any:
    """What a new key of an override is merged over: nothing of its kind."""
    return {} if isinstance(value, dict) else [] if isinstance(value, list) else None
