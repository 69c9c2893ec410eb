"""The one paginator: forwards and backwards over the same rows, its limits and cursors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from strawberry.relay.utils import to_base64

from merchantops.api.graphql.core.errors import ApiError
from merchantops.api.graphql.core.pagination import EVERY_ROW, PREFIX, Page, paged, paginate

ROWS = [f"row-{n}" for n in range(7)]


def _info() -> Any:
    return SimpleNamespace(context=SimpleNamespace(settings=SimpleNamespace(max_page_size=5)))


async def _page(**arguments: Any) -> Any:
    return await paginate(_info(), ROWS, Page(**arguments), to_node=lambda row: row)


@pytest.mark.parametrize("size", [1, 2, 3, 5])
async def test_pages_forwards_and_backwards_cover_the_same_rows_in_order(size: int) -> None:
    forwards: list[str] = []
    after = None
    while True:
        page = await _page(first=size, after=after)
        forwards += [edge.node for edge in page.edges]
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    backwards: list[str] = []
    before = None
    while True:
        page = await _page(last=size, before=before)
        backwards = [edge.node for edge in page.edges] + backwards
        if not page.page_info.has_previous_page:
            break
        before = page.page_info.start_cursor

    assert forwards == backwards == ROWS


async def test_last_between_after_and_before_takes_the_rows_just_before_before() -> None:
    page = await _page(last=2, after=to_base64(PREFIX, 0), before=to_base64(PREFIX, 5))

    assert [edge.node for edge in page.edges] == ["row-3", "row-4"]
    assert page.page_info.has_previous_page
    assert page.page_info.has_next_page
    assert await page.total_count() == 7


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"first": 1, "last": 1}, "BAD_PAGINATION"),
        ({"last": 6}, "BAD_PAGINATION"),
        ({"last": -1}, "BAD_PAGINATION"),
        ({"last": 1, "before": "bm90LWEtY3Vyc29y"}, "BAD_CURSOR"),
        ({"last": 1, "before": to_base64(PREFIX, -1)}, "BAD_CURSOR"),
    ],
)
async def test_page_arguments_out_of_bounds_are_refused_with_a_code(
    arguments: dict[str, Any], code: str
) -> None:
    with pytest.raises(ApiError) as refused:
        await _page(**arguments)

    assert refused.value.code == code


async def test_paged_declares_the_four_arguments_where_the_page_parameter_stands() -> None:
    import inspect

    async def rows(
        self: object, filter: str | None = None, page: Page = EVERY_ROW, sort: int = 0
    ) -> Page:
        return page

    wrapped: Any = paged(rows)  # the schema's view: the four arguments, not `page`

    assert list(inspect.signature(wrapped).parameters) == [
        "self",
        "filter",
        "first",
        "after",
        "last",
        "before",
        "sort",
    ]
    assert await wrapped(None, first=2, after="x") == Page(first=2, after="x")


def test_paged_refuses_a_resolver_without_a_page_parameter() -> None:
    async def rows(self: object) -> None:
        return None

    with pytest.raises(TypeError, match="no `page` parameter"):
        paged(rows)
