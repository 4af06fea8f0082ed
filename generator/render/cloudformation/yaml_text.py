"""The template as YAML that reads back exactly: every string, with any character, is the same
string once parsed, by YAML 1.1 readers (PyYAML, cfn-flip) and YAML 1.2 readers alike.

cfn-flip's writer (which troposphere uses) picks plain, quoted or block styles by looks. In those
styles NEL (U+0085), the Unicode line and paragraph separators, a carriage return or a byte-order
mark are line breaks or whitespace to some readers and not to others: NEL came back as a space.
Strings holding any such character, or any character YAML does not print, are written
double-quoted, where each is an escape (``\\N``, ``\\L``, ``\\P``, ``\\r``, ``\\uFEFF``) that every
reader decodes the same way; so are strings a YAML 1.2 reader would take for a number (``1e3``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.emitter import Emitter, ScalarAnalysis
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver
from cfn_clean import cfn_literal_parser, clean
from cfn_flip.yaml_dumper import TAG_STR, get_dumper
from cfn_tools import load_json
from cfn_tools._config import config
from troposphere import Template

#: Outside YAML's printable set (tab and line feed aside), or read as a line break by YAML 1.1.
_NEEDS_ESCAPES = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")

#: Plain text a YAML 1.2 reader takes for a number, boolean or null where YAML 1.1 (which the
#: writer follows) does not, such as 1e3: quoted so that both read a string.
_CORE_SCHEMA_NON_STRING = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)"
    r"|\.(nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)

_Base = get_dumper(clean_up=True, long_form=False)


class _ExactDumper(_Base):  # type: ignore[misc, valid-type]
    """cfn-flip's dumper, with double quotes for strings other styles would not keep exact."""

    def represent_scalar(self, tag: str, value: str, style: str | None = None) -> yaml.ScalarNode:
        if tag == TAG_STR and _NEEDS_ESCAPES.search(value):
            return yaml.representer.BaseRepresenter.represent_scalar(self, tag, value, style='"')
        if tag == TAG_STR and _CORE_SCHEMA_NON_STRING.fullmatch(value):
            return yaml.representer.BaseRepresenter.represent_scalar(self, tag, value, style="'")
        return super().represent_scalar(tag, value, style)


#: Top-level sections in the order the CloudFormation User Guide's template anatomy lists them.
SECTION_ORDER = ("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
                 "Conditions", "Transform", "Resources", "Outputs")


def in_conventional_order(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` with its top-level sections in :data:`SECTION_ORDER` and every key below
    them sorted, so the output is the same on every run."""
    nested = json.loads(json.dumps(template, sort_keys=True))
    order = {name: index for index, name in enumerate(SECTION_ORDER)}
    return {key: nested[key] for key in sorted(nested, key=lambda k: (order.get(k, len(order)), k))}


def template_yaml(template: Template) -> str:
    """``template`` as cfn-flip's clean YAML (short-form functions, literal blocks), exact strings,
    sections in the conventional order.

    :class:`_Writer` writes what cfn-flip's dumper writes, byte for byte, without building
    PyYAML's node graph and events; a template it was not made for (a float, a key too long for
    a simple key) goes the slow way, through cfn-flip's dumper itself.
    """
    data = clean(in_conventional_order(template.to_dict()))
    try:
        return _Writer().document(data)
    except _Unsupported:
        return cfn_flip_yaml(template)


def cfn_flip_yaml(template: Template) -> str:
    """``template`` through cfn-flip's own dumper (PyYAML's pure-Python emitter): what
    :class:`_Writer` must equal."""
    data = cfn_literal_parser(clean(load_json(json.dumps(in_conventional_order(template.to_dict())))))
    return yaml.dump(data, Dumper=_ExactDumper, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     width=config.max_col_width)


class _Unsupported(Exception):
    """A value :class:`_Writer` does not write as cfn-flip would."""


_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))
#: cfn-flip quotes what looks like an AWS account id (cfn_tools.yaml_dumper.AWS_ACCOUNT_ID).
_ACCOUNT_ID = re.compile(r"^0[0-9]+$")
#: Mappings of one of these keys are intrinsic functions, written in short form (``!Ref x``).
_SHORT_FORM = ("Ref", "Condition")


def _function_style(value: str) -> str | None:
    """The style cfn-flip's representers ask for a scalar (before the emitter's own choice)."""
    style = "|" if "\n" in value else None
    if _ACCOUNT_ID.match(value):
        style = "'"
    if style is None and ("\n" in value or "\r" in value):
        style = '"'
    return style


def _no_style(value: str) -> None:
    return None


def _string_style(value: str) -> str | None:
    """:meth:`_ExactDumper.represent_scalar`'s choice for a string."""
    if _NEEDS_ESCAPES.search(value):
        return '"'
    if _CORE_SCHEMA_NON_STRING.fullmatch(value):
        return "'"
    return _function_style(value)


#: Names, numbers, paths and ARNs: ASCII without spaces, quotes or YAML indicators (a colon only
#: inside, followed by more of the same), which PyYAML's analysis finds plain in block context,
#: and in flow context too without a colon.
_SIMPLE = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_/.=+@*:-]*")


def quick_analysis(value: str) -> ScalarAnalysis | None:
    """What :meth:`Emitter.analyze_scalar` finds in a :data:`_SIMPLE` string, without its loop
    over each character; None for any other string."""
    if not _SIMPLE.fullmatch(value) or value.endswith(":"):
        return None
    return ScalarAnalysis(scalar=value, empty=False, multiline=False, allow_flow_plain=":" not in value,
                          allow_block_plain=True, allow_single_quoted=True, allow_double_quoted=True,
                          allow_block=True)


class _Writer(Emitter):
    """PyYAML's emitter driven straight from the data, the way cfn-flip's clean dumper drives it:
    block style, sequences indented under their key, short-form intrinsic functions. Each scalar
    goes through the emitter's own analysis, style choice and writers, so quoting, escapes,
    literal blocks and folding at the line width are PyYAML's."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        super().__init__(self._buffer, allow_unicode=True, width=config.max_col_width)
        self.tag_prefixes = self.DEFAULT_TAG_PREFIXES.copy()
        self._resolver = Resolver()
        self._analyses: dict[str, ScalarAnalysis] = {}
        self._plain_tags: dict[str, str] = {}
        self._plain: dict[tuple[str, str, bool], bool] = {}
        self._plain_keys: dict[str, str] = {}

    def document(self, data: Any) -> str:
        self._node(data, root=True)
        self.write_indent()
        if self.open_ended:
            self.write_indicator("...", True)
            self.write_indent()
        return self._buffer.getvalue()

    def _node(self, value: Any, root: bool = False, sequence: bool = False, mapping: bool = False,
              simple_key: bool = False) -> None:
        self.root_context, self.sequence_context = root, sequence
        self.mapping_context, self.simple_key_context = mapping, simple_key
        if isinstance(value, str):
            self._scalar(_STR, value, _string_style)
        elif isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                # cfn-flip reads the JSON into ODicts, which its dumper writes in short form, but
                # clean() turns every Fn::Join into Fn::Sub or a plain dict, written in long form.
                if key in _SHORT_FORM or (key.startswith("Fn::") and key != "Fn::Join"):
                    self._function(key if key in _SHORT_FORM else key[4:], value[key])
                    return
            self._mapping(value, None)
        elif isinstance(value, list):
            self._sequence(value, None)
        elif isinstance(value, bool):
            self._scalar(_BOOL, "true" if value else "false", _no_style)
        elif isinstance(value, int):
            self._scalar(_INT, str(value), _no_style)
        elif value is None:
            self._scalar(_NULL, "null", _no_style)
        else:
            raise _Unsupported(type(value).__name__)

    def _function(self, name: str, value: Any) -> None:
        tag = f"!{name}"
        if tag == "!GetAtt" and isinstance(value, list):
            value = ".".join(value)
        if isinstance(value, list):
            self._sequence(value, tag)
        elif isinstance(value, dict):
            self._mapping(value, tag)
        elif isinstance(value, str):
            self._scalar(tag, value, _function_style)
        else:
            raise _Unsupported(type(value).__name__)

    def _tag(self, tag: str | None) -> None:
        if tag is not None:
            self.write_indicator(self.prepare_tag(tag), True)

    def _empty(self, tag: str | None, start: str, end: str) -> None:
        self._tag(tag)
        self.write_indicator(start, True, whitespace=True)
        self.flow_level += 1
        self.increase_indent(flow=True)
        self.indent = self.indents.pop()
        self.flow_level -= 1
        self.write_indicator(end, False)

    def _mapping(self, value: dict[str, Any], tag: str | None) -> None:
        if not value:
            self._empty(tag, "{", "}")
            return
        self._tag(tag)
        self.increase_indent(flow=False)
        for key, item in value.items():
            self.write_indent()
            written = self._plain_keys.get(key)
            if written is not None and self.whitespace and self.column + len(written) <= self.best_width:
                # A key written plain before: the same text again, then the indicator.
                self.stream.write(written)
                self.column += len(written)
                self.whitespace = self.indention = False
            else:
                self._key(key)
            self._node(item, mapping=True)
        self.indent = self.indents.pop()

    def _key(self, key: Any) -> None:
        if not isinstance(key, str):
            raise _Unsupported("key")
        analysis = self._analysis(key)
        if not (len(key) + 5 < 128 and not analysis.empty and not analysis.multiline):
            raise _Unsupported("key")  # PyYAML would write a complex key ("? key")
        start = self.column
        self._node(key, mapping=True, simple_key=True)
        if self._plain.get((_STR, key, True)) and self.column == start + len(key):
            self._plain_keys[key] = key + ":"
        self.write_indicator(":", False)

    def _sequence(self, value: list[Any], tag: str | None) -> None:
        if not value:
            self._empty(tag, "[", "]")
            return
        self._tag(tag)
        self.increase_indent(flow=False)  # cfn-flip indents sequences under their key
        for item in value:
            self.write_indent()
            self.write_indicator("-", True, indention=True)
            self._node(item, sequence=True)
        self.indent = self.indents.pop()

    def _analysis(self, value: str) -> ScalarAnalysis:
        analysis = self._analyses.get(value)
        if analysis is None:
            analysis = self._analyses[value] = quick_analysis(value) or self.analyze_scalar(value)
        return analysis

    def _resolved(self, value: str) -> str:
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = self._plain_tags[value] = self._resolver.resolve(ScalarNode, value, (True, False))
        return tag

    def _scalar(self, tag: str, value: str, style_of: Callable[[str], str | None]) -> None:
        key = (tag, value, self.simple_key_context)
        plain = self._plain.get(key)
        if plain and self.column + len(value) <= self.best_width:
            self._plain_on_one_line(value)  # what write_plain does when it neither folds nor breaks
            return
        implicit = (tag == self._resolved(value), tag == _STR)
        self.event = ScalarEvent(None, tag, implicit, value, style=style_of(value))
        self.analysis = self._analysis(value)
        self.style = None
        self.prepared_tag = None
        self.process_tag()
        # Plain style (never multi-line) with an implicit tag: the same for this value every time.
        self._plain[key] = plain = self.style == ""
        if plain and self.column + len(value) <= self.best_width:
            self._plain_on_one_line(value)
            self.analysis = self.style = None
            return
        self.increase_indent(flow=True)
        self.process_scalar()
        self.indent = self.indents.pop()

    def _plain_on_one_line(self, text: str) -> None:
        if self.root_context:
            self.open_ended = True
        if not text:
            return
        if not self.whitespace:
            text = " " + text
        self.column += len(text)
        self.stream.write(text)
        self.whitespace = self.indention = False
