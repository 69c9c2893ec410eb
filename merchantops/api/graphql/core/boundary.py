"""The one error boundary of every mutation: a domain refusal becomes the payload's `errors`.

A service raises a `DomainError` (`merchantops/errors.py`, an area's own in its `errors.py`);
its transaction rolls back, and this extension answers the mutation's payload type with
`errors { field code message }` and nothing else set. No resolver catches domain errors itself,
so no resolver can forget one, or catch one after writing half of its change. A mutation whose
type has no `errors` field lets the refusal through as a GraphQL error with the same code
(`core/errors.py`), like a query does.

`build_schema` gives every mutation field this extension and `RetryConflicts` (`conflicts.py`):
a transient conflict is run again inside the boundary, a refusal is not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryObjectDefinition, StrawberryOptional
from strawberry.types.field import StrawberryField

from merchantops.api.graphql.core.conflicts import RetryConflicts
from merchantops.api.graphql.core.errors import user_errors
from merchantops.errors import DomainError


class PayloadErrors(FieldExtension):
    def __init__(self, payload: type) -> None:
        self.payload = payload

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except DomainError as error:
            return self.payload(errors=user_errors(error))

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as error:
            return self.payload(errors=user_errors(error))


def payload_type(field: StrawberryField) -> type | None:
    """The field's type when it is an object type with an `errors` field, else None."""
    kind: Any = field.type
    if isinstance(kind, StrawberryOptional):
        kind = kind.of_type
    definition = getattr(kind, "__strawberry_definition__", None)
    if not isinstance(definition, StrawberryObjectDefinition):
        return None
    return kind if any(f.python_name == "errors" for f in definition.fields) else None


def guard_every_mutation(mutation: type) -> None:
    """Give each field of the root mutation type the boundary and `RetryConflicts` (once)."""
    definition: StrawberryObjectDefinition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        assert isinstance(field, StrawberryField)
        if any(isinstance(extension, RetryConflicts) for extension in field.extensions):
            continue
        # strawberry runs the last extension outermost: the retries inside the boundary, so
        # a refusal is never run again.
        field.extensions.append(RetryConflicts())
        payload = payload_type(field)
        if payload is not None:
            field.extensions.append(PayloadErrors(payload))


__all__ = ["PayloadErrors", "guard_every_mutation", "payload_type"]
