"""Connections of the API: backward paging and `totalCount` on real querysets."""

from __future__ import annotations

from typing import Any

import pytest

from merchantops.domain.catalog.models import Product
from merchantops.tenants.context import tenant_scope
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_shop
from tests.support.sql_count import counting_statements

PRODUCTS = """
query($first: Int, $after: String, $last: Int, $before: String, $category: String) {
  products(first: $first, after: $after, last: $last, before: $before,
           filter: {category: $category}) {
    edges { node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
COUNTED = "query($c: String) { products(first: 2, filter: {category: $c}) { totalCount } }"


async def _shop_with_products(gql: GraphQLClient) -> str:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        for n in range(7):
            await Product.create(name=f"P{n}", category="odd" if n % 2 else "even")
    return str((await gql.login(shop.email, PASSWORD))["accessToken"])


async def _products(gql: GraphQLClient, token: str, **variables: Any) -> Any:
    body = await gql.execute(PRODUCTS, variables, token=token, tenant="acme")
    assert "errors" not in body, body
    return body["data"]["products"]


async def test_products_paged_backwards_are_the_products_paged_forwards(
    gql: GraphQLClient,
) -> None:
    # given
    token = await _shop_with_products(gql)

    # when
    forwards: list[str] = []
    after = None
    while True:
        page = await _products(gql, token, first=3, after=after)
        forwards += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    backwards: list[str] = []
    before = None
    while True:
        page = await _products(gql, token, last=3, before=before)
        backwards = [edge["node"]["name"] for edge in page["edges"]] + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    # then
    assert forwards == backwards == [f"P{n}" for n in range(7)]


@pytest.mark.parametrize(
    ("variables", "code"),
    [({"first": 1, "last": 1}, "BAD_PAGINATION"), ({"last": 101}, "BAD_PAGINATION")],
)
async def test_products_with_first_and_last_or_a_last_over_the_cap_are_refused(
    gql: GraphQLClient, variables: dict[str, Any], code: str
) -> None:
    token = await _shop_with_products(gql)

    body = await gql.execute(PRODUCTS, variables, token=token, tenant="acme")

    assert body["data"] == {"products": None}
    assert body["errors"][0]["extensions"]["code"] == code


async def test_total_count_is_the_number_of_products_the_filter_matches(
    gql: GraphQLClient,
) -> None:
    token = await _shop_with_products(gql)

    counts = {
        category: (await gql.execute(COUNTED, {"c": category}, token=token, tenant="acme"))["data"][
            "products"
        ]["totalCount"]
        for category in ("odd", "even", None)
    }

    assert counts == {"odd": 3, "even": 4, None: 7}


async def test_total_count_adds_one_statement_only_when_selected(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await _shop_with_products(gql)
    page = "{ products(first: 2) { edges { node { name } } } }"
    counted = "{ products(first: 2) { totalCount edges { node { name } } } }"

    await gql.execute(page, token=token, tenant="acme")  # caches the tenant's policy
    statements = {}
    for name, query in (("page", page), ("counted", counted), ("page again", page)):
        with counting_statements(monkeypatch) as seen:
            body = await gql.execute(query, token=token, tenant="acme")
        assert "errors" not in body, body
        statements[name] = len(seen)

    assert statements["counted"] == statements["page"] + 1
    assert statements["page again"] == statements["page"]
