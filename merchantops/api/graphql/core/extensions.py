"""Fields an area adds to a type of an area it depends on.

Areas depend on each other in one direction (docs/adding-an-area.md): a lower area's code never
names a higher one. When a lower area's type should still show something a higher one owns (a
lot's purchase order and receipt, which purchasing records), the higher area declares the
fields, and the schema adds them to the lower area's type before it is built:

    @strawberry.type
    class LotProvenance:                                    # purchasing's types.py
        purchase_order_id: strawberry.ID | None = contributed(
            after="supplier_id", resolver=lot_purchase_order_id
        )

    EXTENDS = (Extension(LotNode, LotProvenance),)         # purchasing's __init__

`bootstrap.graphql_extensions()` collects every area's `EXTENDS`, and `schema.build_schema`
applies them with `extend`. Each field lands right after the field its `after` names (a field
of the target, or one contributed before it), so the order of the schema's fields is declared,
not an accident of imports. A contributed field's resolver takes the lower area's node as
`root` and reads through `info.context.loaders`: the node holds nothing for it.

A filter input is extended the same way: `filter_field(after=..., narrow=...)` adds an input
field, null by default, whose `narrow(rows, value)` narrows the rows when a client sets it. The
lower area's query passes its rows through `narrowed(filter, rows)`, which applies whatever
other areas contributed to that filter without knowing what it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

R = TypeVar("R")
Narrow = Callable[[Any, Any], Any]
"""`narrow(rows, value)`: the rows (a queryset) narrowed by a filter field's value."""

AFTER = "merchantops.after"
NARROW = "merchantops.narrow"
_ACCEPTED = "__merchantops_contributed__"


def contributed(*, after: str, metadata: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """A field of a contribution, placed right after the target's field `after` (a python
    name); `options` are `strawberry.field`'s (`resolver`, `description`, ...)."""
    return strawberry.field(metadata={**(metadata or {}), AFTER: after}, **options)


def filter_field(
    *,
    after: str,
    narrow: Narrow,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """An input field a filter gains, null by default; `narrow(rows, value)` applies a value."""
    return contributed(
        after=after,
        default=None,
        description=description,
        metadata={**(metadata or {}), NARROW: narrow},
    )


@dataclass(frozen=True)
class Extension:
    target: type
    """A strawberry object or input type of an area the contributing area depends on."""
    fields: type
    """A strawberry type of the contributing area (an input, for an input target) whose fields,
    each declared with `contributed` or `filter_field`, the target gains."""


def definition_of(kind: type) -> StrawberryObjectDefinition:
    found = getattr(kind, "__strawberry_definition__", None)
    if not isinstance(found, StrawberryObjectDefinition):
        raise TypeError(f"{kind.__name__} is not a strawberry object or input type")
    return found


def extend(extensions: Iterable[Extension]) -> None:
    """Add each extension's fields to its target, in order. Idempotent: a process builds the
    schema more than once (tests, `export-schema`), and the types are the same classes."""
    for extension in extensions:
        target, source = definition_of(extension.target), definition_of(extension.fields)
        if target.is_input != source.is_input:
            kind = "an input" if target.is_input else "an object type"
            raise TypeError(f"{target.name} is {kind}: extend it with fields of the same kind")
        for field in source.fields:
            _insert(target, field, extension.fields.__name__)
        if target.is_input:
            _accept(extension.target, source.fields)


def _insert(target: StrawberryObjectDefinition, field: StrawberryField, origin: str) -> None:
    names = [existing.python_name for existing in target.fields]
    if field.python_name in names:
        if any(existing is field for existing in target.fields):
            return  # added by an earlier build
        raise ValueError(f"{origin}.{field.python_name}: {target.name} has this field already")
    after = _metadata(field).get(AFTER)
    if after not in names:
        raise ValueError(
            f"{origin}.{field.python_name}: {target.name} has no field {after!r} to follow "
            "(declare the field with `contributed(after=...)`)"
        )
    target.fields.insert(names.index(after) + 1, field)


def _accept(input_type: type, fields: Iterable[StrawberryField]) -> None:
    """Let the input class take contributed fields: strawberry builds an input by calling its
    class with a keyword per field, and the class's own `__init__` knows only its own. An
    instance built without them (`LotFilter()`) reads their defaults from the class."""
    accepted: set[str] | None = input_type.__dict__.get(_ACCEPTED)
    if accepted is None:
        names: set[str] = set()
        own_init: Callable[..., None] = input_type.__dict__["__init__"]  # the dataclass's

        def __init__(self: Any, *args: Any, **values: Any) -> None:
            contributed_values = {name: values.pop(name) for name in names & values.keys()}
            own_init(self, *args, **values)
            for name, value in contributed_values.items():
                setattr(self, name, value)

        type.__setattr__(input_type, "__init__", __init__)
        type.__setattr__(input_type, _ACCEPTED, names)
        accepted = names
    for field in fields:
        accepted.add(field.python_name)
        default = field.default_value
        type.__setattr__(
            input_type, field.python_name, None if default is dataclasses.MISSING else default
        )


def _metadata(field: StrawberryField) -> Mapping[str, Any]:
    return field.metadata or {}


def narrowed(filter: object, rows: R) -> R:
    """`rows` narrowed by each contributed field of the filter's type that the client set."""
    for field in definition_of(type(filter)).fields:
        narrow = _metadata(field).get(NARROW)
        if narrow is not None:
            value = getattr(filter, field.python_name)
            if value is not None:
                rows = narrow(rows, value)
    return rows


__all__ = [
    "AFTER",
    "NARROW",
    "Extension",
    "Narrow",
    "contributed",
    "definition_of",
    "extend",
    "filter_field",
    "narrowed",
]
