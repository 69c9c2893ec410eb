"""Values the database cannot store are refused where they enter, for every operation.

The test walks the schema: for each query and mutation, each String, ID, Int and Decimal leaf of
its arguments (inside input objects and lists too) gets a hostile value while every other
argument holds a harmless one. The answer must be `INVALID_INPUT` naming that leaf, never a
server error.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from merchantops.api.graphql.core.errors import value_refused_by_database, with_code
from merchantops.api.graphql.core.inputs import (
    DEFAULT_MAX_INT,
    MAX_DECIMAL,
    Limit,
    _limit_of,
)
from merchantops.api.graphql.schema import build_schema
from merchantops.tenants.global_ids import global_id
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_catalog, make_onboarded_shop

HARMLESS: dict[str, Any] = {
    "String": "x",
    "ID": global_id("Product", uuid.UUID(int=1)),  # well-formed: names nothing
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Decimal": "1",
    "DateTime": "2026-01-01T00:00:00+00:00",
    "Date": "2026-01-01",
    "JSON": {},
}


@dataclass(frozen=True)
class Leaf:
    argument: str
    path: tuple[str | int, ...]
    scalar: str
    limit: Limit

    @property
    def field(self) -> str:
        parts = [str(part) for part in self.path]
        return ".".join(parts if self.argument == "input" else [self.argument, *parts])


def harmless(type_: GraphQLInputType) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return harmless(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [harmless(type_.of_type)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: harmless(field.type)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    assert isinstance(type_, GraphQLScalarType)
    return HARMLESS[type_.name]


def leaves(
    argument: str, type_: GraphQLInputType, path: tuple[str | int, ...], limit: Limit, depth: int
) -> Iterator[Leaf]:
    if isinstance(type_, GraphQLNonNull):
        yield from leaves(argument, type_.of_type, path, limit, depth)
    elif isinstance(type_, GraphQLList):
        yield from leaves(argument, type_.of_type, (*path, 0), limit, depth)
    elif isinstance(type_, GraphQLInputObjectType) and depth < 4:
        for name, field in type_.fields.items():
            yield from leaves(argument, field.type, (*path, name), _limit_of(field), depth + 1)
    elif isinstance(type_, GraphQLScalarType) and type_.name in {"String", "ID", "Int", "Decimal"}:
        yield Leaf(argument, path, type_.name, limit)


def hostile_values(leaf: Leaf) -> list[Any]:
    if leaf.scalar in {"String", "ID"}:
        return ["a\x00b", "\ud800", "x" * (leaf.limit.max_length + 1)]
    if leaf.scalar == "Int":
        return [min(2**31 - 1, leaf.limit.maximum + 1)]
    return ["NaN", "-Infinity", str(MAX_DECIMAL * 10)]


def placed(value: Any, type_: GraphQLInputType, path: tuple[str | int, ...], hostile: Any) -> Any:
    """A harmless value of `type_` with `hostile` at `path`."""
    if not path:
        return hostile
    if isinstance(type_, GraphQLNonNull):
        return placed(value, type_.of_type, path, hostile)
    head, rest = path[0], path[1:]
    if isinstance(type_, GraphQLList):
        item = value[0] if value else harmless(type_.of_type)
        return [placed(item, type_.of_type, rest, hostile)]
    assert isinstance(type_, GraphQLInputObjectType)
    assert isinstance(head, str)
    field_type = type_.fields[head].type
    inner = value.get(head) if isinstance(value, dict) else None
    return {
        **value,
        head: placed(
            inner if inner is not None else harmless(field_type), field_type, rest, hostile
        ),
    }


def cases() -> Iterator[tuple[str, str, dict[str, Any], Leaf]]:
    schema = build_schema(make_settings("sqlite://:memory:"))._schema
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        for name, field in sorted(root.fields.items()):
            if not field.args:
                continue
            declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
            passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
            selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
            document = f"{kind} Probe({declared}) {{ {name}({passed}){selection} }}"
            base = {arg: harmless(spec.type) for arg, spec in field.args.items()}
            for arg, spec in field.args.items():
                for leaf in leaves(arg, spec.type, (), _limit_of(spec), 0):
                    for hostile in hostile_values(leaf):
                        variables = {
                            **base,
                            arg: placed(base[arg], spec.type, leaf.path, hostile),
                        }
                        yield name, document, variables, leaf


CASES = list(cases())


def expected_codes(leaf: Leaf) -> set[str]:
    # a page size past the cap is refused before execution, as BAD_PAGINATION (core/checks.py)
    return {"INVALID_INPUT", "BAD_PAGINATION"} if leaf.field == "first" else {"INVALID_INPUT"}


def test_the_walk_covers_every_kind_of_input() -> None:
    operations = {name for name, *_ in CASES}
    assert {"createPurchaseOrder", "adjustStock", "createApiKey", "purchaseOrders"} <= operations
    assert {leaf.scalar for *_, leaf in CASES} == {"String", "ID", "Int", "Decimal"}
    assert len(CASES) > 500


async def test_every_hostile_value_of_every_operation_is_refused_naming_its_field(
    gql: GraphQLClient,
) -> None:
    # given: an owner, so that no refusal but the value's can answer
    shop = await make_onboarded_shop("acme")
    await make_catalog(shop)
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Tenant": "acme",
        "Content-Type": "application/json",
    }
    failures = []

    # when
    for name, document, variables, leaf in CASES:
        # escaped JSON: a lone surrogate travels as "\ud800", as a hostile client sends it
        response = await gql.http.post(
            "/graphql",
            content=json.dumps({"query": document, "variables": variables}),
            headers=headers,
        )
        body = response.json()
        errors = body.get("errors") or []
        refusal = [
            e
            for e in errors
            if (e.get("extensions") or {}).get("code") in expected_codes(leaf)
            and e["extensions"].get("field") == leaf.field
        ]
        if response.status_code != 200 or not refusal:
            failures.append((name, leaf.field, repr(variables)[:120], response.text[:300]))

    # then
    assert failures == []


async def test_a_stock_level_pushed_past_its_column_is_invalid_input_not_a_server_error(
    gql: GraphQLClient,
) -> None:
    # given: a lot of one unit
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop)
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    ids = await gql.execute(
        "{ skus(first: 1) { edges { node { id } } } warehouses(first: 1) "
        "{ edges { node { zones { id } } } } }",
        token=token,
        tenant="acme",
    )
    sku = ids["data"]["skus"]["edges"][0]["node"]["id"]
    zone = ids["data"]["warehouses"]["edges"][0]["node"]["zones"][0]["id"]
    received = await gql.execute(
        "mutation($sku: ID!, $zone: ID!) { receiveStock(input: {skuId: $sku, zoneId: $zone, "
        'quantity: 1, traceCode: "BIG"}) { lot { id } errors { code } } }',
        {"sku": sku, "zone": zone},
        token=token,
        tenant="acme",
    )
    lot = received["data"]["receiveStock"]["lot"]["id"]
    adjust = (
        "mutation($lot: ID!, $zone: ID!) { adjustStock(input: {lotId: $lot, zoneId: $zone, "
        f'delta: {DEFAULT_MAX_INT}, reason: "count"}}) {{ errors {{ code }} }} }}'
    )

    # when
    answers = [
        await gql.post(adjust, {"lot": lot, "zone": zone}, token=token, tenant="acme")
        for _ in range(3)
    ]

    # then: two fit a 32-bit level, the third is refused on both databases alike
    assert catalog.skus
    payloads = [answer.json()["data"]["adjustStock"] for answer in answers]
    assert [payload["errors"] for payload in payloads[:2]] == [[], []]
    assert payloads[2]["errors"] == [{"code": "INVALID_INPUT"}]


def test_database_value_errors_are_reported_as_invalid_input() -> None:
    import asyncpg
    from graphql import GraphQLError
    from tortoise.exceptions import OperationalError

    cause = asyncpg.exceptions.StringDataRightTruncationError("value too long")
    try:
        raise OperationalError(cause) from cause
    except OperationalError as wrapped:
        error = GraphQLError("x", original_error=wrapped)

    assert value_refused_by_database(error.original_error)
    assert with_code(error).extensions == {"code": "INVALID_INPUT"}
