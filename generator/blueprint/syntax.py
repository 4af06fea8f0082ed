"""The parser's complaints as problems a person can act on: one line, a position, a hint.

libyaml words its errors for YAML's authors ("did not find expected key"); these functions keep
its position, reword the common cases and add a hint. Reader errors (a control character, a
byte that is not UTF-8) carry a byte offset, turned here into the line and column the parser
would give.
"""

from __future__ import annotations

import unicodedata

import yaml

from generator.blueprint.rules.structure import SYNTAX
from generator.errors import Problem

_DEFAULT_HINT = "check the indentation and quoting around this line"

#: libyaml's words -> (what gen says, hint); matched on the start of the problem.
_REWORDED: dict[str, tuple[str, str]] = {
    "mapping values are not allowed in this context": (
        "a ':' where a value cannot start a mapping",
        "quote a value that contains ': ', or start the nested mapping on its own line, indented"),
    "did not find expected key": (
        "a line that is not indented like the keys around it",
        "indent each key of a mapping by the same number of spaces"),
    "found unexpected end of stream": (
        "the file ends inside a quoted value",
        "close the quote that starts the value"),
    "found unknown escape character": (
        "an unknown escape sequence in a double-quoted value",
        "write a backslash as \\\\, or use single quotes, where backslashes are plain characters"),
    "found invalid Unicode character escape code": (
        "an escape that is not a Unicode character (beyond U+10FFFF, or half of a surrogate pair such as \\ud83d)",
        "write the character itself, or \\U0001F680 for a character beyond U+FFFF"),
    "found character that cannot start any token": (
        "a character that cannot start a value here",
        "quote the value; YAML reserves @ and ` at the start of a value, and indents with spaces, never tabs"),
    "found undefined tag handle": (
        "an unknown tag",
        "remove the tag; a blueprint uses plain YAML values"),
    "found incompatible YAML document": (
        "a %YAML directive of a version gen does not read",
        "remove the %YAML line; gen reads YAML 1.2"),
    "did not find expected <document start>": (
        "more text after the end of the blueprint",
        "look for an unbalanced bracket or a '...' line above"),
    "did not find expected node content": (
        "a value is missing",
        "look for a stray bracket, brace or comma"),
}


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """The problem of a scanner or parser error, at the position the parser gives."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = (exc.problem or exc.context or "syntax error").strip()
    hint = _DEFAULT_HINT
    if "tab" in what or (mark is not None and _char_at(text, mark.index) == "\t"):
        what, hint = "a tab character where YAML expects spaces", "YAML indents with spaces, never tabs"
    elif what.startswith("did not find expected ',' or") and mark is not None:
        what = f"{what.removeprefix('did not find ')}, but got {_shown_at(text, mark.index)}"
    else:
        for start, (reworded, reworded_hint) in _REWORDED.items():
            if what.startswith(start):
                what, hint = reworded, reworded_hint
                break
    return Problem(file, line, col, "", f"YAML syntax error: {what}", hint, rule=SYNTAX)


def reader_problem(exc: yaml.reader.ReaderError, text: str, file: str, byte_offsets: bool = True) -> Problem:
    """The problem of a character YAML does not allow, at its line and column (the parser gives
    its position in bytes of UTF-8, or in characters for PyYAML's pure-Python reader)."""
    line, col = position_of_byte(text, exc.position) if byte_offsets else position_of_char(text, exc.position)
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "a control character")
    message = f"YAML does not allow the character U+{ord(char):04X} ({name}) in a file"
    hint = "remove it; inside double quotes it can be written as an escape such as \\t or \\x07"
    return Problem(file, line, col, "", message, hint, rule=SYNTAX)


def position_of_byte(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at UTF-8 byte ``offset`` of ``text``, counting
    lines as YAML does (line feed, carriage return or both, and the Unicode line breaks)."""
    before = text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    return position_of_char(before, len(before))


def position_of_char(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``, with YAML's line breaks."""
    line, start, i = 1, 0, 0
    while i < index:
        char = text[i]
        if char in "\n\r\x85\u2028\u2029":
            if char == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
            line, start = line + 1, i + 1
        i += 1
    return line, index - start + 1


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _shown_at(text: str, index: int) -> str:
    char = _char_at(text, index)
    if not char:
        return "the end of the file"
    if char in "\r\n":
        return "the end of the line"
    return repr(char) if char.isprintable() else f"U+{ord(char):04X}"
