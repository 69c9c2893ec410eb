"""The cost rules of `merchantops/api/graphql/core/cost.py`, on the real schema and on a schema
with nested connections (the catalog will have them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import graphql
import pytest

from merchantops.api.graphql.core.cost import (
    evaluate,
    is_connection,
    oversized_page,
    plan_operation,
)
from merchantops.api.graphql.schema import build_schema

README = Path(__file__).resolve().parents[2] / "README.md"
SHOPS = graphql.build_schema("""
type Query {
  shops(first: Int, after: String, last: Int, before: String): ShopConnection!
  owner: Person
}
type Mutation { rename(name: String!): Shop }
type ShopConnection { edges: [ShopEdge!]! pageInfo: PageInfo! totalCount: Int! }
type ShopEdge { node: Shop! cursor: String! }
type PageInfo { hasNextPage: Boolean! }
type Shop { name: String! owner: Person products(first: Int): ProductConnection! }
type ProductConnection { edges: [ProductEdge!]! }
type ProductEdge { node: Product! }
type Product { sku: String! }
type Person { name: String! pets: [Pet!]! }
union Pet = Dog | Cat
type Dog { name: String! owner: Person }
type Cat { name: String! }
""")


def cost(
    document: str, variables: dict[str, Any] | None = None, schema: Any = SHOPS, page: int = 100
) -> int:
    parsed = graphql.parse(document)
    assert graphql.validate(schema, parsed) == []
    operation = graphql.get_operation_ast(parsed)
    assert operation is not None
    return evaluate(plan_operation(schema, parsed, operation), variables, page)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ owner { name } }", 1),
        ("{ __typename owner { name __typename } }", 1),
        ("{ owner { pets { ... on Dog { owner { name } } } } }", 3),
        ("{ shops(first: 10) { edges { node { name } } } }", 2 + 10 * 2),
        ("{ shops(first: 10) { edges { node { name } } pageInfo { hasNextPage } } }", 2 + 10 * 3),
        ("{ shops { edges { node { name } } } }", 2 + 100 * 2),
        (
            "{ shops(first: 10) { edges { node { "
            "products(first: 5) { edges { node { sku } } } } } } }",
            2 + 10 * (2 + (2 + 5 * 2)),
        ),
        ('mutation { rename(name: "x") { name } }', 10),
        ('mutation { rename(name: "x") { owner { name } } b: rename(name: "y") { name } }', 21),
    ],
)
def test_cost_rules(document: str, expected: int) -> None:
    assert cost(document) == expected


def test_total_count_costs_one_object_per_connection_not_per_item() -> None:
    assert cost("{ shops(first: 10) { totalCount edges { node { name } } } }") == 2 + 1 + 10 * 2
    assert cost("{ shops(first: 10) { ... on ShopConnection { totalCount } } }") == 2 + 1


def test_last_counts_like_first_when_paging_backwards() -> None:
    assert cost("{ shops(last: 10) { edges { node { name } } } }") == 2 + 10 * 2
    assert cost("query($n: Int) { shops(last: $n) { edges { cursor } } }", {"n": 3}) == 2 + 3


def test_nodes_cost_like_a_connection_of_as_many_items_as_ids() -> None:
    schema = build_schema()._schema
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { skus { code } } } }"

    assert cost('{ nodes(ids: ["a", "b", "c"]) { id } }', schema=schema) == 2 + 3 * 1
    assert cost(query, {"ids": ["a"] * 7}, schema=schema) == 2 + 7 * (1 + 1)


def test_first_comes_from_variables_then_their_defaults_then_the_page_cap() -> None:
    document = "query($n: Int = 5) { shops(first: $n) { edges { node { name } } } }"

    assert cost(document, {"n": 20}) == 2 + 20 * 2
    assert cost(document, {}) == 2 + 5 * 2
    assert cost(document, {"n": None}) == 2 + 5 * 2
    assert cost(document, {"n": "many"}) == 2 + 100 * 2
    assert cost(document, {"n": 10_000}) == 2 + 100 * 2


@pytest.mark.parametrize(
    ("document", "variables", "expected"),
    [
        ("{ shops(first: 100) { edges { node { name } } } }", {}, None),
        ("{ shops(first: 0) { edges { node { name } } } }", {}, None),
        ("{ shops { edges { node { name } } } }", {}, None),
        ("{ shops(first: 101) { edges { node { name } } } }", {}, 101),
        ("{ shops(first: -1) { edges { node { name } } } }", {}, -1),
        ("query($n: Int) { shops(first: $n) { edges { node { name } } } }", {"n": 500}, 500),
        ("query($n: Int = 200) { shops(first: $n) { edges { node { name } } } }", {}, 200),
        ("query($n: Int) { shops(first: $n) { edges { node { name } } } }", {"n": None}, None),
        (
            "{ shops(first: 1) { edges { node { ...Products } } } }"
            " fragment Products on Shop { products(first: 1000) { edges { node { sku } } } }",
            {},
            1000,
        ),
    ],
)
def test_oversized_page_finds_a_first_outside_the_page_cap_anywhere(
    document: str, variables: dict[str, Any], expected: int | None
) -> None:
    parsed = graphql.parse(document)
    operation = graphql.get_operation_ast(parsed)
    assert operation is not None

    found = oversized_page(plan_operation(SHOPS, parsed, operation), variables, 100)
    assert (found[1] if found else None) == expected


def test_every_field_taking_first_in_the_schema_is_priced_and_checked_as_a_connection() -> None:
    schema = build_schema()._schema
    paged = [
        (f"{type_name}.{field_name}", field)
        for type_name, named in schema.type_map.items()
        if isinstance(named, graphql.GraphQLObjectType) and not type_name.startswith("__")
        for field_name, field in named.fields.items()
        if "first" in field.args
    ]

    assert paged
    for name, field in paged:
        assert is_connection(graphql.get_named_type(field.type), field), name


def test_fragments_count_where_they_are_spread() -> None:
    document = """
    { a: shops(first: 2) { ...Page } b: shops(first: 3) { ...Page } }
    fragment Page on ShopConnection { edges { node { owner { name } } } }
    """

    assert cost(document) == (2 + 2 * 3) + (2 + 3 * 3)


def test_a_fragment_spread_many_times_is_priced_without_expanding_it() -> None:
    # 2^40 copies of `owner` if written out; the plan shares the fragment instead
    fragments = ["fragment F0 on Query { owner { name } }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41)
    ]
    parsed = graphql.parse("{ ...F40 } " + " ".join(fragments))
    operation = graphql.get_operation_ast(parsed)
    assert operation is not None

    assert evaluate(plan_operation(SHOPS, parsed, operation), {}, 100) == 2**40


def test_the_readme_first_screen_query_costs_87() -> None:
    query = re.findall(r"```graphql\n(.*?)```", README.read_text(), re.DOTALL)[1]

    # me 1 + user 1 + memberships 1 + tenant 1, currentTenant 1, members 2 + 20 * 4
    assert cost(query, schema=build_schema()._schema) == 87
