"""Relay connections over tortoise querysets and computed lists: the one paginator.

Cursors are opaque offsets (`arrayconnection:N`, the Relay reference encoding). A page is
`first` items after `after` (forwards) or `last` items before `before` (backwards), both within
`after`/`before` when given; `first` and `last` together are refused, and either is capped by
the `MAX_PAGE_SIZE` setting (a larger one is refused rather than silently cut). Paging forwards
and backwards over the same rows gives the same rows in the same order.

`hasNextPage` says whether a row follows the page and `hasPreviousPage` whether one precedes it,
whichever way the client pages. `totalCount` is how many rows the connection's filter matches
(all pages): one `COUNT` statement, run only when the field is selected (or already known
because `last` without `before` needed it to find the end).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType
from strawberry.relay.utils import from_base64, to_base64
from tortoise.queryset import QuerySet

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import ApiError

T = TypeVar("T", bound=relay.Node)
PREFIX = "arrayconnection"
BAD_PAGINATION = "BAD_PAGINATION"
Rows = QuerySet[Any] | Sequence[Any]


@dataclass(frozen=True, slots=True)
class Page:
    """A connection field's four paging arguments, as `paged` hands them to its resolver."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


EVERY_ROW = Page()
_ARGUMENTS = (("first", int | None), ("after", str | None), ("last", int | None),
              ("before", str | None))  # fmt: skip
R = TypeVar("R", bound=Callable[..., Awaitable[Any]])


def paged(resolver: R) -> R:
    """Declare Relay's `first`, `after`, `last` and `before` arguments once: a connection
    resolver takes `page: Page = EVERY_ROW` where they belong in its argument list, and the
    schema shows the four arguments there, as if written out (strawberry reads the wrapper's
    signature; annotations still resolve in the resolver's own module)."""
    signature = inspect.signature(resolver)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != "page":
            parameters.append(parameter)
            continue
        parameters += [
            inspect.Parameter(name, parameter.kind, default=None, annotation=annotation)
            for name, annotation in _ARGUMENTS
        ]
    if len(parameters) == len(signature.parameters):
        raise TypeError(f"{resolver.__qualname__} has no `page` parameter to page with")

    @functools.wraps(resolver)
    async def with_page(
        *args: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return await resolver(*args, page=Page(first, after, last, before), **kwargs)

    with_page.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return with_page  # type: ignore[return-value]


def page_size_message(max_page_size: int, argument: str = "first") -> str:
    return f"'{argument}' must be between 0 and {max_page_size}."


@strawberry.type(name="Connection", description="A page of items and how to get the next.")
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match, on all pages together.")
    async def total_count(self) -> int:
        return await self.counter()


class _Counter:
    """Counts the rows once, however many times (aliases) `totalCount` is asked for."""

    def __init__(self, rows: Rows, known: int | None = None) -> None:
        self.rows = rows
        self.known = known

    async def __call__(self) -> int:
        if self.known is None:
            rows = self.rows
            self.known = await rows.count() if isinstance(rows, QuerySet) else len(rows)
        return self.known


def _offset(cursor: str | None, argument: str) -> int | None:
    if cursor is None:
        return None
    refusal = ApiError("BAD_CURSOR", f"'{argument}' is not a cursor this API returned.")
    try:
        prefix, value = from_base64(cursor)
        offset = int(value)
    except (ValueError, TypeError) as error:
        raise refusal from error
    if prefix != PREFIX or offset < 0:
        raise refusal
    return offset


def _size(value: int | None, argument: str, limit: int) -> None:
    if value is not None and not 0 <= value <= limit:
        raise ApiError(BAD_PAGINATION, page_size_message(limit, argument))


async def _slice(rows: Rows, start: int, count: int) -> list[Any]:
    if not count:
        return []
    if isinstance(rows, QuerySet):
        return list(await rows.offset(start).limit(count))
    return list(rows[start : start + count])


async def paginate(
    info: Info, rows: Rows, page: Page, *, to_node: Callable[[Any], T]
) -> Connection[T]:
    """One page of `rows` (a queryset ordered by the caller, or a list) as a connection of
    `to_node(row)`, with the page arguments of the field that returns it (`paged`)."""
    first, after, last, before = page.first, page.after, page.last, page.before
    limit = info.context.settings.max_page_size
    if first is not None and last is not None:
        raise ApiError(BAD_PAGINATION, "Pass 'first' or 'last', not both.")
    _size(first, "first", limit)
    _size(last, "last", limit)
    after_offset, before_offset = _offset(after, "after"), _offset(before, "before")
    start = 0 if after_offset is None else after_offset + 1
    counter = _Counter(rows)
    if last is None:
        size = limit if first is None else first
        if before_offset is not None:
            size = max(0, min(size, before_offset - start))
    else:
        stop = before_offset if before_offset is not None else await counter()
        stop = max(start, stop)
        start = max(start, stop - last)
        size = stop - start
    found = await _slice(rows, start, size + 1 if size else 0)
    edges = [
        relay.Edge(node=to_node(row), cursor=to_base64(PREFIX, start + index))
        for index, row in enumerate(found[:size])
    ]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(found) > size,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        counter=counter,
    )


def itself(node: T) -> T:
    return node


__all__ = [
    "BAD_PAGINATION",
    "EVERY_ROW",
    "PREFIX",
    "Connection",
    "Page",
    "itself",
    "page_size_message",
    "paged",
    "paginate",
]
