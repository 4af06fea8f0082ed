"""``Template.to_dict()`` in one pass.

troposphere's ``encode_to_dict`` encodes each object's ``to_dict()``, which has already encoded
everything below it: every level of nesting walks its whole subtree again, and a service's
task definition is walked four or five times. :func:`template_dict` walks each value once and
returns the same dict, validating each resource and property as ``to_dict()`` does. Objects of a
kind it does not know (a ``to_dict`` of their own) are encoded by troposphere itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from troposphere import AWSHelperFn, BaseAWSObject, Tags, Template, encode_to_dict


def template_dict(template: Template) -> dict[str, Any]:
    """What ``template.to_dict()`` returns (troposphere 4: its sections in the same order)."""
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
    return _encoded(t)


_LEAVES = frozenset({str, int, bool, float, type(None)})


def _encoded(value: Any) -> Any:
    """``encode_to_dict(value)``."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return {key: _encoded(item) for key, item in value.items()}
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
        return {key: _encoded(item) for key, item in value.resource.items() if key != "Properties"}
    return {}


def _helper(value: AWSHelperFn) -> Any:
    return _encoded(value.data)


def _tags(value: Tags) -> Any:
    return [_encoded(tag) for tag in value.tags]


def _json_repr(value: Any) -> Any:
    return _encoded(value.JSONrepr())


def _list(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [_encoded(item) for item in value]


def _dict(value: dict[Any, Any]) -> dict[Any, Any]:
    return {key: _encoded(item) for key, item in value.items()}


def _leaf(value: Any) -> Any:
    return value


def _encoding_of(kind: type) -> Callable[[Any], Any]:
    """How ``encode_to_dict`` treats values of ``kind``, in its order of checks: ``to_dict``
    (troposphere's own three, else troposphere's encoding), a list or tuple, a dict,
    ``JSONrepr`` (awacs), else the value itself."""
    to_dict = getattr(kind, "to_dict", None)
    if to_dict is not None:
        known = {BaseAWSObject.to_dict: _aws_object, AWSHelperFn.to_dict: _helper, Tags.to_dict: _tags}
        return known.get(to_dict, encode_to_dict)
    if issubclass(kind, (list, tuple)):
        return _list
    if issubclass(kind, dict):
        return _dict
    if hasattr(kind, "JSONrepr"):
        return _json_repr
    return _leaf


_BY_KIND: dict[type, Callable[[Any], Any]] = {}
