"""Each shape limit accepts a document just under it and refuses one just over it, with a code,
before any resolver runs."""

from __future__ import annotations

import time
from typing import Any

import graphql
import pytest

from merchantops.settings import Settings
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Department, Tenant
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_shop

MAX_DEPTH = 4
MAX_COST = 100


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, max_query_depth=MAX_DEPTH, max_query_cost=MAX_COST)


@pytest.fixture
async def owner(gql: GraphQLClient) -> dict[str, Any]:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    return {"token": token, "tenant": "acme"}


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_a_query_as_deep_as_the_limit_runs(gql: GraphQLClient, owner: dict[str, Any]) -> None:
    body = await gql.execute("{ me { memberships { tenant { slug } } } }", **owner)

    assert body["data"]["me"]["memberships"][0]["tenant"]["slug"] == "acme"


async def test_a_query_one_field_deeper_than_the_limit_is_refused(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    body = await gql.execute(
        "query Deep { members(first: 1) { edges { node { user { email } } } } }", **owner
    )

    assert body["data"] is None
    assert codes(body) == ["QUERY_TOO_DEEP"]
    assert "'Deep' is 5 fields deep; at most 4" in body["errors"][0]["message"]


async def test_depth_follows_fragments_and_inline_fragments(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    document = """
    query { members(first: 1) { ...Edges } }
    fragment Edges on MemberConnection { edges { ... on MemberEdge { node { user { email } } } } }
    """

    body = await gql.execute(document, **owner)

    assert codes(body) == ["QUERY_TOO_DEEP"]


@pytest.mark.parametrize(("count", "refused"), [(20, False), (21, True)])
async def test_aliases_are_capped_at_twenty(
    gql: GraphQLClient, owner: dict[str, Any], count: int, refused: bool
) -> None:
    document = "{ " + " ".join(f"t{i}: currentTenant {{ slug }}" for i in range(count)) + " }"

    body = await gql.execute(document, **owner)

    if refused:
        assert codes(body) == ["TOO_MANY_ALIASES"]
        assert "21 aliases; at most 20" in body["errors"][0]["message"]
    else:
        assert body["data"]["t19"] == {"slug": "acme"}


@pytest.mark.parametrize(("count", "refused"), [(500, False), (501, True)])
async def test_fields_are_capped_at_five_hundred_before_validation(
    gql: GraphQLClient, owner: dict[str, Any], count: int, refused: bool
) -> None:
    # repeated fields are what makes graphql-core's overlapping-fields rule quadratic;
    # a fragment spread twice counts its fields twice
    spread = (count - 2) // 2
    fragment = "fragment F on Tenant { " + " ".join(["slug"] * spread) + " }"
    rest = " ".join(["name"] * (count - 2 - 2 * spread))
    document = f"{{ a: currentTenant {{ ...F }} b: currentTenant {{ ...F {rest} }} }} {fragment}"

    body = await gql.execute(document, **owner)

    if refused:
        assert codes(body) == ["TOO_MANY_FIELDS"]
        assert f"selects {count} fields; at most 500" in body["errors"][0]["message"]
    else:
        assert body["data"]["a"] == {"slug": "acme"}


def doubling(levels: int) -> str:
    chain = " ".join(
        f"fragment F{level} on Tenant {{ ...F{level + 1} ...F{level + 1} }}"
        for level in range(levels)
    )
    return (
        f"{{ currentTenant {{ ...F0 }} }} {chain} fragment F{levels} on Tenant {{ slug name id }}"
    )


@pytest.mark.parametrize("levels", [18, 20, 30])
async def test_fragments_spreading_the_next_twice_are_refused_at_once(
    gql: GraphQLClient, owner: dict[str, Any], levels: int
) -> None:
    # counted field by field, 18 levels (786,433 fields) took seconds and 20 levels 24 s
    started = time.perf_counter()
    body = await gql.execute(doubling(levels), **owner)
    elapsed = time.perf_counter() - started

    assert codes(body) == ["TOO_MANY_FIELDS"]
    assert elapsed < 0.5


async def test_inline_fragments_nested_as_deep_as_the_parser_allows_run(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    levels = 197  # graphql-core's parser refuses nesting past 200 selection sets
    document = "{ currentTenant { " + "... on Tenant { " * levels + "slug" + " }" * levels + " } }"

    body = await gql.execute(document, **owner)

    assert body["data"] == {"currentTenant": {"slug": "acme"}}
    assert body["extensions"]["cost"]["requested"] == 1


@pytest.mark.parametrize(("tokens", "refused"), [(2000, False), (2001, True)])
async def test_documents_are_capped_at_two_thousand_tokens(
    gql: GraphQLClient, owner: dict[str, Any], tokens: int, refused: bool
) -> None:
    # 12 tokens around the list, one per list item (commas are not tokens)
    items = ", ".join(["1"] * (tokens - 12))
    document = f"{{ validateRuleSet(document: [{items}]) {{ path }} }}"

    body = await gql.execute(document, **owner)

    if refused:
        assert codes(body) == ["TOO_MANY_TOKENS"]
    else:
        assert "errors" not in body
        assert body["data"]["validateRuleSet"]


async def test_comments_cannot_pad_a_document_past_the_token_limit(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    document = "#\n" * 2001 + "{ __typename }"

    body = await gql.execute(document, **owner)

    assert codes(body) == ["TOO_MANY_TOKENS"]


async def test_syntax_and_validation_errors_carry_codes(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    broken = await gql.execute("{ me { ", **owner)
    unknown = await gql.execute("{ nothingHere }", **owner)

    assert codes(broken) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]


MEMBERS = "query($n: Int) { members(first: $n) { edges { node { id } } } }"


async def test_a_query_costing_exactly_the_maximum_runs_and_reports_its_cost(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    body = await gql.execute(MEMBERS, {"n": 49}, **owner)  # 2 + 49 * (edges 1 + node 1)

    assert len(body["data"]["members"]["edges"]) == 1
    assert body["extensions"]["cost"]["requested"] == MAX_COST
    assert body["extensions"]["cost"]["maximum"] == MAX_COST


async def test_a_query_costing_more_than_the_maximum_is_refused(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    body = await gql.execute(MEMBERS, {"n": 50}, **owner)

    assert body["data"] is None
    assert codes(body) == ["QUERY_TOO_EXPENSIVE"]
    assert body["errors"][0]["extensions"]["cost"] == 102
    assert body["extensions"]["cost"] == {"requested": 102, "maximum": MAX_COST}


async def test_without_first_a_connection_costs_a_full_page(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    body = await gql.execute(MEMBERS, **owner)

    assert codes(body) == ["QUERY_TOO_EXPENSIVE"]
    assert body["extensions"]["cost"]["requested"] == 2 + 100 * 2


def creations(slugs: list[str]) -> str:
    return (
        "mutation { "
        + " ".join(
            f'{slug}: createDepartment(input: {{slug: "{slug}", name: "{slug}"}}) '
            "{ errors { code } }"
            for slug in slugs
        )
        + " }"
    )


async def test_an_expensive_mutation_is_refused_before_it_changes_anything(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    # each mutation field costs 10, its `errors` list 1 more
    allowed = await gql.execute(creations([f"a{i}" for i in range(9)]), **owner)
    refused = await gql.execute(creations([f"r{i}" for i in range(10)]), **owner)

    assert allowed["extensions"]["cost"]["requested"] == 99
    assert refused["extensions"]["cost"]["requested"] == 110
    assert codes(refused) == ["QUERY_TOO_EXPENSIVE"]
    tenant = await Tenant.get(slug="acme")
    with tenant_scope(tenant.id):
        slugs = {department.slug for department in await Department.all()}
    assert {f"a{i}" for i in range(9)} <= slugs
    assert not {f"r{i}" for i in range(10)} & slugs


@pytest.mark.parametrize(
    "document",
    [
        "mutation { ...Create } fragment Create on Mutation { CREATIONS }",
        "mutation { ... on Mutation { CREATIONS } }",
    ],
)
async def test_mutations_spread_from_a_fragment_cost_like_mutations_written_in_place(
    gql: GraphQLClient, owner: dict[str, Any], document: str
) -> None:
    written_in_place = creations([f"r{i}" for i in range(10)])
    fields = written_in_place.removeprefix("mutation { ").removesuffix(" }")

    body = await gql.execute(document.replace("CREATIONS", fields), **owner)

    assert codes(body) == ["QUERY_TOO_EXPENSIVE"]
    assert body["extensions"]["cost"]["requested"] == 110
    tenant = await Tenant.get(slug="acme")
    with tenant_scope(tenant.id):
        assert not await Department.filter(slug__startswith="r").exists()


async def test_graphiqls_schema_query_passes_the_limits_outside_production(
    gql: GraphQLClient,
) -> None:
    query = graphql.get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True
    )

    body = await gql.execute(query)

    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_empty_selections_and_unknown_fragments_get_an_answer_not_a_crash(
    gql: GraphQLClient, owner: dict[str, Any]
) -> None:
    # strawberry's own QueryDepthLimiter raises on both (max() of nothing, KeyError)
    empty = await gql.execute("{ currentTenant { } }", **owner)
    unknown = await gql.execute("{ currentTenant { ...Nowhere } }", **owner)

    assert empty["data"] == {"currentTenant": {}}
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Unknown fragment 'Nowhere'" in unknown["errors"][0]["message"]
