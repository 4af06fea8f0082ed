"""The valid parts of a blueprint that failed validation, so the rules can still read them.

pydantic reports every shape problem of a blueprint in one pass, but builds no model when there
is one. A user with an unknown key in ``hosts`` and an undeclared gMSA in ``services[1]`` should
see both at once, so :func:`partial_blueprint` rebuilds the blueprint from its valid parts: each
section, each list item (``services[i]``, ``gmsa_accounts[i]``) and each key is validated on its
own, and a part with a problem becomes a hole. Reading a hole raises :class:`PartNotValid`.

The rule registry (:func:`~generator.blueprint.rules.registry.check_rules`) runs a rule that
reads a hole again without the list item holding it (:func:`without_items`), mapping what it
finds back to the items' own indexes (:func:`original_loc`); a rule that reads a hole outside a
list item (``hosts.os``) stops there. A rule therefore runs on exactly the parts it reads, and
only when each is valid, without declaring which parts those are.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.errors import PydanticUserError

from generator.blueprint.model import Blueprint
from generator.blueprint.types import Loc

#: How single keys are checked: as strictly as the models check them.
_STRICT = ConfigDict(strict=True, regex_engine="python-re")


class PartNotValid(Exception):
    """A rule read a part of the blueprint that has a shape problem (already reported)."""

    def __init__(self, loc: Loc):
        super().__init__(".".join(map(str, loc)))
        self.loc = loc

    @property
    def item(self) -> tuple[str, int] | None:
        """The top-level list item holding the part (``("services", 1)``), if any."""
        if len(self.loc) >= 2 and isinstance(self.loc[0], str) and _items(_FIELDS.get(self.loc[0])) is not None:
            return self.loc[0], int(self.loc[1])
        return None


class Partial:
    """A section or list item of a blueprint that has problems: the keys that are valid read as
    the model's would (defaults, properties and methods included); reading any other raises
    :class:`PartNotValid`."""

    __slots__ = ("_invalid", "_loc", "_model", "_values")

    def __init__(self, model: type[BaseModel], values: dict[str, Any], invalid: frozenset[str], loc: Loc = ()):
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_invalid", invalid)
        object.__setattr__(self, "_loc", loc)

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        model = object.__getattribute__(self, "_model")
        if name in object.__getattribute__(self, "_invalid"):
            raise PartNotValid((*object.__getattribute__(self, "_loc"), name))
        found = getattr(model, name, None)
        if isinstance(found, property) and found.fget is not None:
            return found.fget(self)
        if isinstance(found, types.FunctionType):  # a method of the model (``Blueprint.awsvpc``)
            return types.MethodType(found, self)
        raise AttributeError(f"{model.__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a blueprint is read-only")

    def model_copy(self, *, update: dict[str, Any]) -> Partial:
        """A copy with ``update`` applied, like a pydantic model's ``model_copy``."""
        values = {**object.__getattribute__(self, "_values"), **update}
        invalid = object.__getattribute__(self, "_invalid") - set(update)
        return Partial(object.__getattribute__(self, "_model"), values, invalid, object.__getattribute__(self, "_loc"))


def without_items(blueprint: Blueprint | Partial, items: set[tuple[str, int]]) -> Blueprint | Partial:
    """``blueprint`` with the top-level list ``items`` (``("services", 1)``) left out."""
    update = {}
    for section in {name for name, _ in items}:
        update[section] = [v for i, v in enumerate(getattr(blueprint, section)) if (section, i) not in items]
    return blueprint.model_copy(update=update)


def original_loc(loc: Loc, items: set[tuple[str, int]]) -> Loc:
    """``loc`` in a blueprint without ``items`` (see :func:`without_items`) as a place in the
    whole blueprint: a list index counts the items left out before it."""
    if len(loc) < 2 or not isinstance(loc[1], int) or not any(section == loc[0] for section, _ in items):
        return loc
    index = loc[1]
    for left_out in sorted(i for section, i in items if section == loc[0]):
        if left_out <= index:
            index += 1
    return (loc[0], index, *loc[2:])


def partial_blueprint(data: dict[str, Any], errors: list[dict[str, Any]]) -> Blueprint | Partial:
    """The blueprint ``data`` with the places of pydantic's ``errors`` left out."""
    return _partial(Blueprint, data, [tuple(e["loc"]) for e in errors])


def _partial(model: type[BaseModel], data: Any, bad: list[Loc], loc: Loc = ()) -> BaseModel | Partial:
    """``data`` (at ``loc``) as ``model``, or as a :class:`Partial` when ``bad`` (error places
    relative to ``data``) holds any."""
    if not bad:
        return model.model_validate(data)
    if () in bad or not isinstance(data, dict):
        return Partial(model, {}, frozenset(model.model_fields), loc)
    values: dict[str, Any] = {}
    invalid: set[str] = set()
    for name, field in model.model_fields.items():
        below = [loc[1:] for loc in bad if loc and loc[0] == name]
        if name not in data:
            if field.is_required():
                invalid.add(name)
            else:
                values[name] = field.get_default(call_default_factory=True)
        elif not below:
            try:
                values[name] = _adapter(model, name).validate_python(data[name])
            except ValidationError:  # a rule of its own, e.g. an item's type within a union
                invalid.add(name)
        elif () not in below and _section(field.annotation) is not None and isinstance(data[name], dict):
            values[name] = _partial(_section(field.annotation), data[name], below, (*loc, name))  # type: ignore[arg-type]
        elif () not in below and _items(field.annotation) is not None and isinstance(data[name], list):
            item = _items(field.annotation)
            values[name] = [_partial(item, value, [b[1:] for b in below if b[0] == index], (*loc, name, index))  # type: ignore[arg-type]
                            for index, value in enumerate(data[name])]
        else:
            invalid.add(name)
    return Partial(model, values, frozenset(invalid), loc)


def _section(annotation: Any) -> type[BaseModel] | None:
    """The model of a key that holds one section (``Hosts``, or ``Hosts | None``)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = members[0] if len(members) == 1 else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _items(annotation: Any) -> type[BaseModel] | None:
    """The model of the items of a key that holds a list of them (``list[Service]``)."""
    if typing.get_origin(annotation) is list:
        return _section(typing.get_args(annotation)[0])
    return None


#: The blueprint's top-level keys and their types.
_FIELDS = {name: field.annotation for name, field in Blueprint.model_fields.items()}


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator of one key of ``model``, with the key's constraints."""
    field = model.model_fields[name]
    annotation: Any = field.annotation
    if field.metadata:
        annotation = typing.Annotated[(annotation, *field.metadata)]
    try:
        return TypeAdapter(annotation, config=_STRICT)
    except PydanticUserError:  # a model carries its own configuration
        return TypeAdapter(annotation)
