"""The template writer: what cfn-flip's clean dumper writes, byte for byte, written straight
from the data into a list of strings.

cfn-flip's dumper (PyYAML's representer, serializer and pure-Python emitter) spends most of its
time on machinery that gives the same answer for the same string every time. Here each distinct
scalar is decided once (:class:`Scalars`: PyYAML's own analysis and style choice) and, when the
emitter would write it plain or single-quoted on one line, kept as that text; writing it again is
appending the text. Everything else (double quotes and escapes, literal blocks, a string that
reaches the line width and would fold at a space) goes through PyYAML's emitter itself, started
in the writer's state and handing it back. Layout (block style, two-space indents, sequences
indented under their key, short-form intrinsic functions) follows cfn-flip's dumper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from cfn_clean import clean
from yaml.emitter import Emitter, ScalarAnalysis
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode
from yaml.representer import SafeRepresenter
from yaml.resolver import Resolver

StyleOf = Callable[[str], "str | None"]
#: ``(" " + text, column limit)`` of a scalar after an indicator: written as the text while the
#: column is at most the limit; ``(None, -1)``: written by the emitter.
Entry = tuple["str | None", int]

_STR, _INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))
#: PyYAML's text of a number with a fraction (``.inf``, ``1.0e+20``).
_FLOAT_TEXT = SafeRepresenter()
#: Mappings of one of these keys are intrinsic functions, written in short form (``!Ref x``).
_SHORT_FORM = ("Ref", "Condition")
_JOIN = "Fn::Join"
#: ``"\n" + " " * indent``: a new line at each indent.
_LINES = ["\n" + " " * indent for indent in range(64)]
_EMITTER: Entry = (None, -1)


class Unsupported(Exception):
    """A value the writer does not write as cfn-flip would (a key too long for a simple key, a
    Fn::Join inside one clean() refuses): the caller uses cfn-flip's dumper instead."""


#: Names, numbers, paths and ARNs: ASCII without spaces, quotes or YAML indicators (a colon only
#: inside, followed by more of the same). PyYAML's analysis allows them every style in block
#: context, so whether one is plain or single-quoted depends only on the style its representer
#: asks for and on what it reads back as.
_SIMPLE = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_/.=+@*:-]*")


class Scalars(Emitter):
    """PyYAML's emitter as the writer's oracle: how each distinct scalar is written, decided once
    and remembered, and the writing of those only its writers write.

    ``string_style`` and ``function_style`` are the styles cfn-flip's representers ask for a
    string and for a short-form function's scalar argument. One cache can serve every template
    of a render: the stacks share most keys and names.
    """

    def __init__(self, width: int, string_style: StyleOf, function_style: StyleOf) -> None:
        super().__init__(SimpleNamespace(write=None), allow_unicode=True, width=width)
        self.tag_prefixes = self.DEFAULT_TAG_PREFIXES.copy()
        self._string_style, self._function_style = string_style, function_style
        self._resolver = Resolver()
        self._analyses: dict[str, ScalarAnalysis] = {}
        self._tags: dict[str, str] = {}
        #: ``{key: text + ":"}`` of the mapping keys written on one line.
        self.keys: dict[str, str] = {}
        #: ``{string: entry}`` of strings as values.
        self.strings: dict[str, Entry] = {}
        #: ``{(tag, text): entry}`` of tagged scalars: ``!Ref x``, numbers, booleans, null.
        self.tagged: dict[tuple[str, str], Entry] = {}

    def key_text(self, key: str) -> str | None:
        """``text:`` of a key written on one line (plain keys never fold), remembered; None when
        the emitter writes it."""
        text = self._one_line(_STR, key, simple_key=True)
        if text is not None:
            self.keys[key] = text = text + ":"
        return text

    def string_entry(self, value: str) -> Entry:
        entry = self.strings[value] = self._entry(_STR, value)
        return entry

    def tagged_entry(self, tag: str, value: str) -> Entry:
        entry = self.tagged[tag, value] = self._entry(tag, value)
        return entry

    def tag_of(self, name: str) -> str:
        """``!Name`` as the emitter writes the tag of a short-form function."""
        tag = self._tags.get(name)
        if tag is None:
            tag = self._tags[name] = self.prepare_tag(f"!{name}")
        return tag

    def emit(self, writer: Writer, tag: str, value: str, indent: int, simple_key: bool) -> None:
        """Write a scalar with PyYAML's own writers, from and back to ``writer``'s state, as its
        emitter does inside a collection at ``indent``."""
        self.stream.write = writer.parts.append
        self.column, self.whitespace, self.indention = writer.column, writer.whitespace, writer.indention
        self.indent, self.open_ended = indent + self.best_indent, False
        self.root_context, self.simple_key_context, self.flow_level = False, simple_key, 0
        self.event = self._event(tag, value)
        self.analysis, self.style, self.prepared_tag = self._analysis(value), None, None
        self.process_tag()
        self.process_scalar()
        writer.column, writer.whitespace, writer.indention = self.column, self.whitespace, self.indention
        if self.open_ended:
            writer.open_ended_at = len(writer.parts)

    def _entry(self, tag: str, value: str) -> Entry:
        text = self._one_line(tag, value, simple_key=False)
        if text is None:
            return _EMITTER
        text = " " + text
        # Plain and single-quoted scalars fold only at a space, once past the line width.
        return text, (self.best_width - len(text) if " " in value else 1 << 30)

    def _one_line(self, tag: str, value: str, simple_key: bool) -> str | None:
        """The scalar's text (its tag, quotes and doubled quotes included) when the emitter
        writes it plain or single-quoted, without line breaks; None otherwise."""
        if _SIMPLE.fullmatch(value) and not value.endswith(":") and len(value) + 5 < 128:
            return self._simple(tag, value)
        return self._emitters_choice(tag, value, simple_key)  # which refuses a key that long

    def _simple(self, tag: str, value: str) -> str | None:
        """:meth:`_emitters_choice` of a :data:`_SIMPLE` string (as a key too), spelled out: plain
        when its representer asks for no style and it reads back as its tag, else single-quoted."""
        style = self._style(tag, value)
        if style is None and tag == self._resolved(value):
            return value
        if style not in (None, "'"):
            return self._emitters_choice(tag, value, simple_key=False)
        return f"'{value}'" if tag == _STR else f"{self.prepare_tag(tag)} '{value}'"

    def _emitters_choice(self, tag: str, value: str, simple_key: bool) -> str | None:
        """:meth:`_one_line` by PyYAML's analysis and style choice."""
        analysis = self._analysis(value)
        if simple_key and not (len(value) + 5 < 128 and not analysis.empty and not analysis.multiline):
            raise Unsupported("key")  # PyYAML would write a complex key ("? key")
        self.event = event = self._event(tag, value)
        self.analysis, self.simple_key_context, self.flow_level = analysis, simple_key, 0
        style = self.choose_scalar_style()
        self.analysis = None
        if analysis.multiline or (style == "" and not value):
            return None
        if style == "" and event.implicit[0]:
            return value
        if style == "'":
            text = "'" + value.replace("'", "''") + "'"
            return text if event.implicit[1] else f"{self.prepare_tag(tag)} {text}"
        return None

    def _analysis(self, value: str) -> ScalarAnalysis:
        analysis = self._analyses.get(value)
        if analysis is None:
            analysis = self._analyses[value] = self.analyze_scalar(value)
        return analysis

    def _event(self, tag: str, value: str) -> ScalarEvent:
        """The event cfn-flip's serializer makes of a scalar: implicit when the tag is what the
        text resolves to (plain) or is ``str`` (quoted), styled as its representers ask."""
        implicit = (tag == self._resolved(value), tag == _STR)
        return ScalarEvent(None, tag, implicit, value, style=self._style(tag, value))

    def _resolved(self, value: str) -> str:
        """The tag a reader gives ``value`` written plain."""
        return self._resolver.resolve(ScalarNode, value, (True, False))

    def _style(self, tag: str, value: str) -> str | None:
        """The style cfn-flip's representers ask for."""
        return self._string_style(value) if tag == _STR else self._function_style(value) if tag[0] == "!" else None


class Writer:
    """Writes a template (dicts, lists, strings, numbers, booleans and None) the way cfn-flip's
    clean dumper writes it after :func:`cfn_clean.clean`.

    clean() turns each Fn::Join into a Fn::Sub or text; rather than walk the whole template first,
    the writer hands it each mapping holding a Fn::Join as it meets one (and each function
    argument that is such a mapping), and writes what comes back as it is.

    Its state is the emitter's: the column, and whether the last character written was whitespace
    or indentation, which decide where a new line starts (:meth:`_indent`).
    """

    def __init__(self, scalars: Scalars) -> None:
        self.scalars = scalars
        self.parts: list[str] = []
        self.column = 0
        self.whitespace = self.indention = True
        #: How many parts were written when a block scalar asked for an explicit document end.
        self.open_ended_at = -1
        #: Whether what is being written is still to be cleaned (it is not clean()'s output).
        self._unclean = True

    def document(self, data: Any) -> str:
        if not isinstance(data, dict) or _function_name(data) is not None or _JOIN in data:
            raise Unsupported("document")
        self._value(data, -2)
        open_ended = self.open_ended_at == len(self.parts)
        self._indent(0)
        if open_ended:
            self._indicator("...")
            self._indent(0)
        return "".join(self.parts)

    def _indent(self, indent: int) -> None:
        """:meth:`Emitter.write_indent`: a new line, unless the line holds only indentation up to
        ``indent``; then spaces up to it."""
        column = self.column
        if self.indention and (column < indent or (column == indent and self.whitespace)):
            if column < indent:
                self.parts.append(" " * (indent - column))
        else:
            self.parts.append(_LINES[indent] if indent < len(_LINES) else "\n" + " " * indent)
        self.column, self.whitespace, self.indention = indent, True, True

    def _indicator(self, text: str) -> None:
        """:meth:`Emitter.write_indicator` of an indicator or tag that wants whitespace before it."""
        if not self.whitespace:
            text = " " + text
        self.parts.append(text)
        self.column += len(text)
        self.whitespace = self.indention = False

    def _value(self, value: Any, indent: int) -> None:
        """A value after ``key:`` or ``-`` in a collection at ``indent``."""
        kind = type(value)
        if kind is str:
            self._scalar(self.scalars.strings.get(value) or self.scalars.string_entry(value), _STR, value, indent)
        elif kind is dict or isinstance(value, dict):
            if _JOIN in value:
                self._join(value, indent)
            elif (name := _function_name(value)) is not None:
                self._function(name, value[next(iter(value))], indent)
            else:
                self._collection(value, indent + 2)
        elif kind is list:
            self._collection(value, indent + 2)
        elif kind is bool:
            self._tagged(_BOOL, "true" if value else "false", indent)
        elif kind is int:
            self._tagged(_INT, str(value), indent)
        elif kind is float:
            self._tagged(_FLOAT, _FLOAT_TEXT.represent_float(value).value, indent)
        elif value is None:
            self._tagged(_NULL, "null", indent)
        else:
            raise Unsupported(kind.__name__)

    def _join(self, value: dict[str, Any], indent: int) -> None:
        """A mapping holding a Fn::Join, as clean() leaves it: text, a Fn::Sub, or (refused) a
        mapping of the Fn::Join, written in long form."""
        if not self._unclean:
            # clean() left it inside a Fn::Join it refused: cfn-flip writes it in short form
            # (!Join) when it came with the template, in long form when clean() made it.
            raise Unsupported("Fn::Join in a refused Fn::Join")
        cleaned = clean(value)
        with self._as_it_is():
            if isinstance(cleaned, dict) and _JOIN in cleaned:
                self._collection(cleaned, indent + 2)
            else:
                self._value(cleaned, indent)

    @contextmanager
    def _as_it_is(self) -> Iterator[None]:
        """While what clean() returned is written: it is clean already."""
        self._unclean = False
        try:
            yield
        finally:
            self._unclean = True

    def _function(self, name: str, value: Any, indent: int) -> None:
        """A short-form intrinsic function: ``!Name`` and its argument (a GetAtt's list of names
        joined, after clean(): any Fn::Join in it is text then)."""
        joined = name == "GetAtt" and isinstance(value, list)
        if self._unclean and (joined or (isinstance(value, dict) and _JOIN in value)):
            with self._as_it_is():
                self._function(name, clean(value), indent)
            return
        if joined:
            value = ".".join(value)
        if isinstance(value, str):
            self._tagged(f"!{name}", value, indent)
        elif isinstance(value, (list, dict)):
            self._indicator(self.scalars.tag_of(name))
            self._collection(value, indent + 2)
        else:
            raise Unsupported(type(value).__name__)

    def _tagged(self, tag: str, value: str, indent: int) -> None:
        entry = self.scalars.tagged.get((tag, value)) or self.scalars.tagged_entry(tag, value)
        self._scalar(entry, tag, value, indent)

    def _scalar(self, entry: Entry, tag: str, value: str, indent: int) -> None:
        text, limit = entry
        if text is not None and self.column <= limit and not self.whitespace:
            self.parts.append(text)
            self.column += len(text)
            self.indention = False
        else:
            self.scalars.emit(self, tag, value, indent, simple_key=False)

    def _collection(self, value: dict[str, Any] | list[Any], indent: int) -> None:
        """A block mapping or sequence at ``indent``; an empty one, ``{}`` or ``[]``."""
        if not value:
            self._indicator("{}" if isinstance(value, dict) else "[]")
        elif isinstance(value, dict):
            self._mapping(value, indent)
        else:
            self._sequence(value, indent)

    def _mapping(self, mapping: dict[str, Any], indent: int) -> None:
        """A block mapping; inline, the common case: a new line, a key written before, and a
        string that fits on the line."""
        parts, keys, strings = self.parts, self.scalars.keys, self.scalars.strings
        line = _LINES[indent] if indent < len(_LINES) else "\n" + " " * indent
        for key, item in mapping.items():
            if self.indention:
                self._indent(indent)
            else:
                parts.append(line)  # what _indent writes after anything but indentation
            text = keys.get(key)
            if text is not None:
                parts.append(text)
                column = indent + len(text)
            else:
                column = self._key(key, indent)
            self.column, self.whitespace, self.indention = column, False, False
            if type(item) is str:
                text, limit = strings.get(item) or self.scalars.string_entry(item)
                if text is not None and column <= limit:
                    parts.append(text)
                    self.column = column + len(text)
                    continue
            self._value(item, indent)

    def _key(self, key: Any, indent: int) -> int:
        """Write a key not written before, and its ``:``; the column after them."""
        if not isinstance(key, str):
            raise Unsupported("key")
        self.column, self.whitespace, self.indention = indent, True, True  # after _indent
        text = self.scalars.key_text(key)
        if text is None:
            self.scalars.emit(self, _STR, key, indent, simple_key=True)
            text = ":"
        self.parts.append(text)
        return self.column + len(text)

    def _sequence(self, sequence: list[Any], indent: int) -> None:
        """A block sequence, each item after ``-``."""
        parts = self.parts
        for item in sequence:
            self._indent(indent)
            parts.append("-")  # after indentation, without a space
            self.column += 1
            self.whitespace = False
            self._value(item, indent)


def _function_name(value: dict[str, Any]) -> str | None:
    """The short-form name of a mapping that is an intrinsic function (``Ref``; ``Sub`` of
    ``Fn::Sub``), else None. cfn-flip reads the JSON into ODicts, which its dumper writes in short
    form, but clean() turns every Fn::Join into Fn::Sub or a plain dict, written in long form."""
    if len(value) != 1:
        return None
    key = next(iter(value))
    if key in _SHORT_FORM:
        return key
    if key.startswith("Fn::") and key != "Fn::Join":
        return key[4:]
    return None
