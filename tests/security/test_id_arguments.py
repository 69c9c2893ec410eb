"""One rule for ids, for every operation: an argument that is not a global id of its type is
refused with `INVALID_ID` naming it, never answered as null, an empty page or `NOT_FOUND`.

The test walks the schema like `test_input_values.py`: each ID leaf of each operation's
arguments gets a malformed value, a raw uuid, and (every ID of the operation at once) a
well-formed id of a type no argument takes, while every other ID holds a well-formed id
(`HARMLESS`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLArgument, get_named_type, is_leaf_type

from merchantops.api.graphql.schema import build_schema
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.models import User
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_catalog, make_onboarded_shop
from tests.security.test_input_values import Leaf, harmless, leaves, placed

FOREIGN_TYPE_ID = global_id("AuditEntry", uuid.UUID(int=2))  # no argument takes one
MALFORMED = ["", "not-base64!", str(uuid.UUID(int=3)), global_id("Product", "no-uuid")]


def _operations() -> Iterator[tuple[str, str, dict[str, GraphQLArgument], list[Leaf]]]:
    schema = build_schema(make_settings("sqlite://:memory:"))._schema
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        for name, field in sorted(root.fields.items()):
            ids = [
                leaf
                for argument, spec in field.args.items()
                for leaf in leaves(argument, spec.type, (), None, 0)  # type: ignore[arg-type]
                if leaf.scalar == "ID"
            ]
            if not ids:
                continue
            declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
            passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
            selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
            yield (
                name,
                f"{kind} Probe({declared}) {{ {name}({passed}){selection} }}",
                field.args,
                ids,
            )


OPERATIONS = list(_operations())


def _with(base: dict[str, Any], args: dict[str, GraphQLArgument], leaf: Leaf, value: Any) -> Any:
    return {
        **base,
        leaf.argument: placed(base[leaf.argument], args[leaf.argument].type, leaf.path, value),
    }


def test_the_walk_covers_queries_filters_and_mutations() -> None:
    fields = {(name, leaf.field) for name, _, _, ids in OPERATIONS for leaf in ids}
    assert {
        ("product", "id"),
        ("skus", "filter.productId"),
        ("stockToReorder", "warehouseId"),
    } <= fields
    assert {("createPurchaseOrder", "lines.0.skuId"), ("transferStock", "toZoneId")} <= fields
    assert len(fields) > 60


async def test_every_id_argument_that_is_not_a_global_id_of_its_type_is_refused_naming_it(
    gql: GraphQLClient,
) -> None:
    # given: an owner who is a platform admin too (for the platform's fields), so that no
    # refusal but the id's can answer
    shop = await make_onboarded_shop("acme")
    await User.filter(id=shop.owner.id).update(is_platform_admin=True)
    await make_catalog(shop)
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    failures = []
    checked = []

    async def check(name: str, document: str, variables: Any, fields: set[str]) -> None:
        body = await gql.execute(document, variables, token=token, tenant="acme")
        checked.append(name)
        refusals = [
            e["extensions"].get("field")
            for e in body.get("errors") or []
            if (e.get("extensions") or {}).get("code") == "INVALID_ID"
        ]
        if not refusals or not set(refusals) <= fields or body["data"] != {name: None}:
            failures.append((name, sorted(fields), repr(variables)[:100], repr(body)[:300]))

    # when
    for name, document, args, ids in OPERATIONS:
        base = {arg: harmless(spec.type) for arg, spec in args.items()}
        for leaf in ids:
            for bad in MALFORMED:
                await check(name, document, _with(base, args, leaf, bad), {leaf.field})
        if name in {"node", "nodes"}:
            continue  # they take an id of any type they serve
        wrong = base
        for leaf in ids:
            wrong = _with(wrong, args, leaf, FOREIGN_TYPE_ID)
        await check(name, document, wrong, {leaf.field for leaf in ids})

    # then
    assert failures == []
    assert len(checked) > 300
