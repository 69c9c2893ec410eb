"""Relay connections over tortoise querysets.

Cursors are opaque offsets (`arrayconnection:N`, the Relay reference encoding). Pages are capped
by the `MAX_PAGE_SIZE` setting; a larger `first` is refused rather than silently cut.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from strawberry import relay
from strawberry.relay.utils import from_base64, to_base64
from tortoise.queryset import QuerySet

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import ApiError

T = TypeVar("T", bound=relay.Node)
PREFIX = "arrayconnection"
BAD_PAGINATION = "BAD_PAGINATION"


def page_size_message(max_page_size: int) -> str:
    return f"'first' must be between 0 and {max_page_size}."


def _offset_after(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        prefix, value = from_base64(cursor)
        offset = int(value)
    except (ValueError, TypeError) as exc:
        raise ApiError("BAD_CURSOR", "'after' is not a cursor this API returned.") from exc
    if prefix != PREFIX or offset < 0:
        raise ApiError("BAD_CURSOR", "'after' is not a cursor this API returned.")
    return offset + 1


async def paginate(
    info: Info,
    queryset: QuerySet[Any],
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], T],
) -> relay.Connection[T]:
    """One page of `queryset` (ordered by the caller) as a Relay connection of `to_node(row)`."""
    max_page_size = info.context.settings.max_page_size
    size = max_page_size if first is None else first
    if not 0 <= size <= max_page_size:
        raise ApiError(BAD_PAGINATION, page_size_message(max_page_size))
    start = _offset_after(after)
    rows = list(await queryset.offset(start).limit(size + 1)) if size else []
    page = rows[:size]
    edges = [
        relay.Edge(node=to_node(row), cursor=to_base64(PREFIX, start + index))
        for index, row in enumerate(page)
    ]
    return relay.Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


__all__ = ["BAD_PAGINATION", "page_size_message", "paginate"]
