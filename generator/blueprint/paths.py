"""How messages show where a value is: ``services[1].environment.DB_HOST``.

A key is shown as YAML would write it (``true``, ``null``, ``1``), never as a Python repr, and
with control characters escaped, so one problem stays on one line.
"""

from __future__ import annotations

from typing import Any

from generator.blueprint.types import Loc
from generator.errors import printable


def key_text(key: Any) -> str:
    """A mapping key as the user would read it."""
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    return printable(str(key))


def dotted(loc: Loc, data: Any = None) -> str:
    """``("services", 1, "gmsa")`` -> ``services[1].gmsa``.

    With the document's ``data``, a number is shown as a key (``tags.1``) where it is one, and as
    an index (``services[1]``) where it indexes a list; without it, every int is an index.
    """
    text = ""
    value = data
    for part in loc:
        is_index = isinstance(value, list) if data is not None else (isinstance(part, int) and not isinstance(part, bool))
        if is_index:
            text += f"[{part}]"
        else:
            shown = key_text(_written_key(value, part))
            text += f".{shown}" if text else shown
        value = _child(value, part)
    return text


def _written_key(mapping: Any, part: Any) -> Any:
    """The key as the document holds it: pydantic reports a ``true`` key as 1 (they are equal)."""
    if isinstance(mapping, dict) and isinstance(part, int) and part in mapping:
        return next(k for k in mapping if k == part)
    return part


def _child(value: Any, part: Any) -> Any:
    try:
        return value[part]
    except (KeyError, IndexError, TypeError):
        return None
