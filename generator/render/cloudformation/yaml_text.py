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

import json
import re

import yaml
from cfn_clean import cfn_literal_parser, clean
from cfn_flip.yaml_dumper import TAG_STR, get_dumper
from cfn_tools import load_json
from cfn_tools._config import config
from troposphere import Template

from generator.render.cloudformation.encoding import conventional_dict, in_conventional_order
from generator.render.cloudformation.yaml_writer import Scalars, Unsupported, Writer

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


def scalars() -> Scalars:
    """A cache of how strings are written, for :func:`template_yaml`: one may serve every
    template of a render."""
    return Scalars(config.max_col_width, string_style, function_style)


def template_yaml(template: Template, cache: Scalars | None = None) -> str:
    """``template`` as cfn-flip's clean YAML (short-form functions, literal blocks), exact strings,
    sections in the conventional order.

    :class:`~generator.render.cloudformation.yaml_writer.Writer` writes what cfn-flip's dumper
    writes, byte for byte, without building PyYAML's node graph and events; a template it was not
    made for (a key too long for a simple key, a Fn::Join inside one clean() refuses) goes the
    slow way, through cfn-flip's dumper itself.
    """
    try:
        return Writer(cache or scalars()).document(conventional_dict(template))
    except Unsupported:
        return cfn_flip_yaml(template)


def cfn_flip_yaml(template: Template) -> str:
    """``template`` through cfn-flip's own dumper (PyYAML's pure-Python emitter): what
    :class:`~generator.render.cloudformation.yaml_writer.Writer` must equal."""
    data = cfn_literal_parser(clean(load_json(json.dumps(in_conventional_order(template.to_dict())))))
    return yaml.dump(data, Dumper=_ExactDumper, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     width=config.max_col_width)


#: cfn-flip quotes what looks like an AWS account id (cfn_tools.yaml_dumper.AWS_ACCOUNT_ID).
_ACCOUNT_ID = re.compile(r"^0[0-9]+$")


def function_style(value: str) -> str | None:
    """The style cfn-flip's representers ask for a scalar (before the emitter's own choice)."""
    style = "|" if "\n" in value else None
    if _ACCOUNT_ID.match(value):
        style = "'"
    if style is None and ("\n" in value or "\r" in value):
        style = '"'
    return style


def string_style(value: str) -> str | None:
    """:meth:`_ExactDumper.represent_scalar`'s choice for a string."""
    if _NEEDS_ESCAPES.search(value):
        return '"'
    if _CORE_SCHEMA_NON_STRING.fullmatch(value):
        return "'"
    return function_style(value)


