"""What a YAML scalar means: the YAML 1.2 core schema, and the standard tags a blueprint may use.

The core schema reads ``true``/``false``, ``null``/``~``, integers (decimal, ``0o`` octal, ``0x``
hex) and floats from plain scalars; everything else, ``no``, ``on``, ``yes``, dates and
``1_000`` included, stays a string (YAML 1.1 read those differently; 1.2 does not).
https://yaml.org/spec/1.2.2/#1032-tag-resolution
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.blueprint.limits import MAX_NUMBER_DIGITS

CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, MAP, SEQ = (CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))
#: The non-specific tag ``!``: the scalar is a string, whatever it looks like.
NON_SPECIFIC = "!"

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INFINITY = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


class ScalarProblem(ValueError):
    """A scalar gen will not read; ``limit`` tells a value past gen's limits from a bad tag."""

    def __init__(self, message: str, hint: str, limit: bool = False, unshown: str | None = None):
        super().__init__(message)
        self.message, self.hint, self.limit = message, hint, limit
        #: The message without the value, for a value that may be a secret.
        self.unshown = unshown or message


@dataclass(frozen=True)
class Written:
    """A scalar as the parser saw it: its text, its tag (None when untagged), and whether it was
    written plain (no quotes, no block style)."""

    text: str
    tag: str | None
    plain: bool


def shorthand(tag: str) -> str:
    """``tag:yaml.org,2002:int`` -> ``!!int``, as the user wrote it."""
    return "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag


def resolve(scalar: Written) -> Any:
    """The value of ``scalar``; :class:`ScalarProblem` when its tag does not fit or is not one a
    blueprint uses."""
    if scalar.tag is None:
        return core_value(scalar.text) if scalar.plain else scalar.text
    if scalar.tag in (STR, NON_SPECIFIC):
        return scalar.text
    readers = {INT: _integer, FLOAT: _float, BOOL: _bool, NULL: _null}
    if scalar.tag not in readers:
        raise _unknown_tag(scalar.tag)
    value = readers[scalar.tag](scalar.text)
    if value is _NOT:
        name = shorthand(scalar.tag)
        raise ScalarProblem(f"{_quoted(scalar.text)} is not a valid {name} value",
                            f"remove {name}, or write a value it reads ({_EXAMPLES[scalar.tag]})",
                            unshown=f"the value (not shown, in case it is a secret) is not a valid {name} value")
    return value


def check_collection_tag(tag: str | None, expected: str) -> None:
    """A mapping or list may carry its own standard tag, or none."""
    if tag is None or tag in (expected, NON_SPECIFIC):
        return
    if tag in (MAP, SEQ, STR, INT, FLOAT, BOOL, NULL):
        kind = "a mapping" if expected == MAP else "a list"
        raise ScalarProblem(f"the tag {shorthand(tag)} is on {kind}", f"remove {shorthand(tag)}")
    raise _unknown_tag(tag)


_NOT = object()
_EXAMPLES = {INT: "such as 42 or 0x2A", FLOAT: "such as 1.5", BOOL: "true or false", NULL: "null or ~"}


def _unknown_tag(tag: str) -> ScalarProblem:
    return ScalarProblem(f"the tag {shorthand(tag)} is not one a blueprint uses",
                         "remove it; a blueprint uses plain YAML values (the tags !!str, !!int, !!float, !!bool "
                         "and !!null are understood)")


def _quoted(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "..."
    return '"' + shown.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def core_value(text: str) -> Any:
    """A plain, untagged scalar under the core schema."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    first = text[0]
    if not (first.isascii() and (first.isdigit() or first in "+-.")):
        return text  # the common case: a word
    if text.isdigit() and text.isascii():  # the next most common: a decimal number
        _within_digits(text)
        return int(text)
    for reader in (_integer, _float):
        value = reader(text)
        if value is not _NOT:
            return value
    return text


def _integer(text: str) -> Any:
    for pattern, base, skip in ((_DECIMAL, 10, 0), (_OCTAL, 8, 2), (_HEX, 16, 2)):
        if pattern.fullmatch(text):
            _within_digits(text)
            return int(text[skip:], base)
    return _NOT


def _float(text: str) -> Any:
    if _FLOAT.fullmatch(text):
        _within_digits(text)
        return float(text)
    if _INFINITY.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    if _integer(text) is not _NOT:
        return float(int(text, 0) if text[:2] in ("0o", "0x") else int(text))
    return _NOT


def _bool(text: str) -> Any:
    return _BOOLS.get(text, _NOT)


def _null(text: str) -> Any:
    return None if text in _NULLS else _NOT


def _within_digits(text: str) -> None:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ScalarProblem(f"a number of {len(text):,} digits is longer than gen reads ({MAX_NUMBER_DIGITS:,})",
                            "quote it if it is text", limit=True)
