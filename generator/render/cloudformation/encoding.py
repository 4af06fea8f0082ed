"""A template as plain data in the conventional order, in one pass:
``in_conventional_order(template.to_dict())``.

troposphere's ``encode_to_dict`` encodes each object's ``to_dict()``, which has already encoded
everything below it: every level of nesting walks its whole subtree again, and a service's
task definition is walked four or five times. Then :func:`in_conventional_order` sorted the keys
by a round trip through JSON. :func:`conventional_dict` walks each value once, validating each
resource and property as ``to_dict()`` does and sorting the keys as it goes. A value JSON would
change or refuse (a key that is not a string, a value of a type of its own) sends the template the
old way, through ``to_dict()`` and JSON. Objects with a ``to_dict`` of their own (not
troposphere's usual three) are encoded by troposphere itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from troposphere import AWSHelperFn, BaseAWSObject, Tags, Template, encode_to_dict

#: Top-level sections in the order the CloudFormation User Guide's template anatomy lists them.
SECTION_ORDER = ("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
                 "Conditions", "Transform", "Resources", "Outputs")
_SECTION_INDEX = {name: index for index, name in enumerate(SECTION_ORDER)}


def in_conventional_order(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` with its top-level sections in :data:`SECTION_ORDER` and every key below
    them sorted, so the output is the same on every run."""
    return _in_section_order(json.loads(json.dumps(template, sort_keys=True)))


def conventional_dict(template: Template) -> dict[str, Any]:
    """``in_conventional_order(template.to_dict())``, in one pass when the template is plain."""
    try:
        return _in_section_order(_encoded(_sections(template)))
    except _NotPlain:
        return in_conventional_order(template.to_dict())


def _in_section_order(data: dict[str, Any]) -> dict[str, Any]:
    last = len(_SECTION_INDEX)
    return {key: data[key] for key in sorted(data, key=lambda k: (_SECTION_INDEX.get(k, last), k))}


class _NotPlain(Exception):
    """A value that JSON would change or refuse."""


def _sections(template: Template) -> dict[str, Any]:
    """The sections ``template.to_dict()`` encodes (troposphere 4)."""
    t: dict[str, Any] = {}
    if template.description:
        t["Description"] = template.description
    if template.metadata:
        t["Metadata"] = template.metadata
    if template.conditions:
        t["Conditions"] = template.conditions
    if template.mappings:
        t["Mappings"] = template.mappings
    if template.outputs:
        t["Outputs"] = template.outputs
    if template.parameters:
        t["Parameters"] = template.parameters
    if template.version:
        t["AWSTemplateFormatVersion"] = template.version
    if template.transform:
        t["Transform"] = template.transform
    if template.rules:
        t["Rules"] = template.rules
    if template.globals:
        t["Globals"] = template.globals
    t["Resources"] = template.resources
    return t


_LEAVES = frozenset({str, int, bool, float, type(None)})
_STRINGS = {str}


def _encoded(value: Any) -> Any:
    """``encode_to_dict(value)`` after a round trip through JSON with sorted keys."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return _dict(value)
    if kind is list or kind is tuple:
        return [_encoded(item) for item in value]
    encode = _BY_KIND.get(kind)
    if encode is None:
        encode = _BY_KIND[kind] = _encoding_of(kind)
    return encode(value)


def _aws_object(value: BaseAWSObject) -> Any:
    """``BaseAWSObject.to_dict()``, encoded."""
    if value.do_validation:
        value._validate_props()
        value.validate()
    if value.properties:
        return _encoded(value.resource)
    if hasattr(value, "resource_type"):
        return _dict({key: item for key, item in value.resource.items() if key != "Properties"})
    return {}


def _helper(value: AWSHelperFn) -> Any:
    return _encoded(value.data)


def _tags(value: Tags) -> Any:
    return [_encoded(tag) for tag in value.tags]


def _their_encoding(value: Any) -> Any:
    return _encoded(encode_to_dict(value))


def _json_repr(value: Any) -> Any:
    return _encoded(value.JSONrepr())


def _list(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [_encoded(item) for item in value]


def _dict(value: dict[Any, Any]) -> dict[str, Any]:
    """The mapping with its keys sorted, each a string (JSON writes other keys as strings)."""
    if not set(map(type, value)) <= _STRINGS:
        raise _NotPlain("a key that is not a string")
    return {key: _encoded(value[key]) for key in sorted(value)}


def _not_plain(value: Any) -> Any:
    raise _NotPlain(type(value).__name__)


def _encoding_of(kind: type) -> Callable[[Any], Any]:
    """How ``encode_to_dict`` treats values of ``kind``, in its order of checks: ``to_dict``
    (troposphere's own three, else troposphere's encoding, then sorted), a list, a dict,
    ``JSONrepr`` (awacs), else the value itself (here: not plain)."""
    to_dict = getattr(kind, "to_dict", None)
    if to_dict is not None:
        known = {BaseAWSObject.to_dict: _aws_object, AWSHelperFn.to_dict: _helper, Tags.to_dict: _tags}
        return known.get(to_dict, _their_encoding)
    if issubclass(kind, (list, tuple)):
        return _list
    if issubclass(kind, dict):
        return _dict
    if hasattr(kind, "JSONrepr"):
        return _json_repr
    return _not_plain  # a str or int of a type of its own, a value JSON refuses


_BY_KIND: dict[type, Callable[[Any], Any]] = {}
