"""Every argument value is checked once, where it enters, before any resolver sees it.

GraphQL checks the types of values; the database has limits of its own, and a value past them
used to reach it and fail there as a server error. `check_inputs(schema)` wraps the resolver of
every field that takes arguments, once when the schema is built, so each value of each argument
and input field, at any depth, is held to these rules:

- **text** (String, ID, enum-free strings, and every string inside a JSON value, keys too): no
  NUL character (PostgreSQL's text types cannot hold it) and no lone surrogate (UTF-8 cannot
  encode it); at most `DEFAULT_MAX_LENGTH` characters unless the input field or argument
  declares another limit (`strawberry.field(metadata=limit(max_length=5000))`). Strings inside
  JSON have no length limit here (the request body's size bounds them; the rule-set schema
  checks its own);
- **Int**: between `DEFAULT_MIN_INT` and `DEFAULT_MAX_INT` unless declared
  (`limit(minimum=0, maximum=100)`): quantities and counts live in 32-bit columns, and the sum
  of two values in range still fits one;
- **Decimal**: finite (no NaN or Infinity, in filters too) and at most `MAX_DECIMAL` in size;
- **ID**: a global id in form (`INVALID_ID`, `core/ids.py`); resolvers check its type.

A value that breaks one is refused with `INVALID_INPUT` and `extensions.field` naming it the way
mutation payload errors do: input fields relative to the `input` argument (`lines.0.unitCost`),
other arguments by name (`filter.totalAtLeast`, `search`). Domain services still check what only
they know (a quantity must be positive, a trace code is 1-64 characters); what no service may
ever see is stopped here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    default_field_resolver,
)

from merchantops.api.graphql.core.ids import check_form
from merchantops.errors import InvalidInput

DEFAULT_MAX_LENGTH = 200
DEFAULT_MIN_INT = -1_000_000_000
DEFAULT_MAX_INT = 1_000_000_000
MAX_DECIMAL = Decimal("1e15")
_DEFINITION = "strawberry-definition"
_LIMIT = "merchantops.limit"


@dataclass(frozen=True, slots=True)
class Limit:
    max_length: int = DEFAULT_MAX_LENGTH
    minimum: int = DEFAULT_MIN_INT
    maximum: int = DEFAULT_MAX_INT


DEFAULT = Limit()


def limit(
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    minimum: int = DEFAULT_MIN_INT,
    maximum: int = DEFAULT_MAX_INT,
) -> dict[str, Limit]:
    """Metadata for an input field or argument whose limits differ from the defaults."""
    return {_LIMIT: Limit(max_length, minimum, maximum)}


def _limit_of(definition: GraphQLArgument | GraphQLInputField) -> Limit:
    strawberry_definition = (definition.extensions or {}).get(_DEFINITION)
    metadata: Mapping[str, Any] = getattr(strawberry_definition, "metadata", None) or {}
    found = metadata.get(_LIMIT)
    return found if isinstance(found, Limit) else DEFAULT


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_text(value: str, field: str, max_length: int | None) -> None:
    if "\x00" in value:
        raise InvalidInput("Text must not contain the NUL character (U+0000).", field=field)
    if _has_surrogate(value):
        raise InvalidInput("Text must be valid Unicode (no lone surrogates).", field=field)
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(f"At most {max_length} characters.", field=field)


def _check_json(value: Any, field: str) -> None:
    if isinstance(value, str):
        _check_text(value, field, None)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_text(str(key), field, None)
            _check_json(item, field)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, field)


def _check_scalar(value: Any, field: str, bounds: Limit) -> None:
    if isinstance(value, str):
        _check_text(value, field, bounds.max_length)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not bounds.minimum <= value <= bounds.maximum:
            raise InvalidInput(
                f"Must be between {bounds.minimum} and {bounds.maximum}.", field=field
            )
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput("Must be a finite number.", field=field)
        if abs(value) > MAX_DECIMAL:
            raise InvalidInput(f"Must be at most {MAX_DECIMAL:,.0f} in size.", field=field)
    elif isinstance(value, Mapping | list):
        _check_json(value, field)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check_value(value: Any, type_: GraphQLInputType, field: str, bounds: Limit) -> None:
    """Hold one coerced argument value (and everything inside it) to the module's rules."""
    if value is None:
        return
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        if isinstance(value, list):
            for index, item in enumerate(value):
                check_value(item, type_.of_type, _join(field, str(index)), bounds)
        return
    if isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, Mapping):
            for name, input_field in type_.fields.items():
                if name in value:
                    check_value(
                        value[name], input_field.type, _join(field, name), _limit_of(input_field)
                    )
        return
    _check_scalar(value, field, bounds)
    if isinstance(type_, GraphQLScalarType) and type_.name == "ID" and isinstance(value, str):
        check_form(value, field)


Resolver = Callable[..., Any]


def _checked(resolve: Resolver, field: GraphQLField) -> Resolver:
    arguments = [
        (name, argument.type, "" if name == "input" else name, _limit_of(argument))
        for name, argument in field.args.items()
    ]

    def resolve_checked(source: Any, info: Any, **args: Any) -> Any:
        for name, type_, path, bounds in arguments:
            if name in args:
                check_value(args[name], type_, path, bounds)
        return resolve(source, info, **args)

    resolve_checked.merchantops_checked = True  # type: ignore[attr-defined]
    return resolve_checked


def check_inputs(schema: GraphQLSchema) -> None:
    """Wrap the resolver of every field with arguments in the checks (once per field)."""
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field in named.fields.values():
            if field.args and not getattr(field.resolve, "merchantops_checked", False):
                field.resolve = _checked(field.resolve or default_field_resolver, field)


__all__ = [
    "DEFAULT_MAX_INT",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MIN_INT",
    "MAX_DECIMAL",
    "Limit",
    "check_inputs",
    "check_value",
    "limit",
]
