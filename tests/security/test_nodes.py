"""`node` and `nodes`, for every Node type they serve: each type needs the permission of the
query that lists it, and no id reaches another tenant's object."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from merchantops.api.graphql.core.nodes import Served
from merchantops.api.graphql.schema import build_schema
from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory.models import AbcClass, SkuAnalytics
from merchantops.domain.webhooks.models import WebhookDelivery, WebhookSubscription
from merchantops.tenants import api_keys
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.permissions import CATALOGUE
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Shop, principal
from tests.security.test_isolation_matrix import _seed

SERVED: dict[str, Served] = build_schema().served_nodes  # type: ignore[attr-defined]
NODE = "query($id: ID!) { node(id: $id) { id __typename } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


async def _world(slug: str) -> Shop:
    """The isolation matrix's tenant, plus what only jobs write (analytics, deliveries)."""
    shop, _, _ = await _seed(slug)
    with tenant_scope(shop.tenant.id):
        await SkuAnalytics.create(
            sku=await Sku.all().first(),
            abc_class=AbcClass.A,
            usage_value=Decimal(1),
            period_days=90,
            computed_at=datetime.now(UTC),
        )
        await WebhookDelivery.create(
            subscription=await WebhookSubscription.all().first(),
            event_id=uuid.uuid4(),
            event_type="product.created",
        )
    return shop


async def _one_id_of_each_type(shop: Shop) -> dict[str, str]:
    ids = {}
    with tenant_scope(shop.tenant.id):
        for name, served in SERVED.items():
            row = await served.model.all().first()
            if row is not None:
                ids[name] = global_id(name, row.pk)
    return ids


async def _key(shop: Shop, scopes: list[str]) -> str:
    with tenant_scope(shop.tenant.id):
        issued = await api_keys.create_api_key(
            await principal(shop), "nodes", "owner", scopes, expires_at=None
        )
    return issued.key


def _spare_scope() -> str:
    """A read scope no served type asks for: it reads none of them."""
    used = {str(served.requirement.description) for served in SERVED.values()}
    return next(f"{obj}:read" for obj in CATALOGUE if f"{obj}:read" not in used)


def test_node_serves_the_types_its_queries_list_with_their_permissions() -> None:
    assert {"Product", "Sku", "PurchaseOrder", "StockLevel", "AuditEntry", "Membership"} <= set(
        SERVED
    )
    assert str(SERVED["Sku"].requirement.description) == "product:read"  # as `skus` declares
    assert str(SERVED["Membership"].requirement.description) == "member:read"
    assert "User" not in SERVED
    assert "Tenant" not in SERVED


async def test_every_node_type_answers_with_its_permission_and_is_refused_without_it(
    gql: GraphQLClient,
) -> None:
    # given: a tenant holding an object of every served type, and one of another tenant
    acme = await _world("acme")
    globex = await _world("globex")
    mine, theirs = await _one_id_of_each_type(acme), await _one_id_of_each_type(globex)
    unrelated = await _key(acme, [_spare_scope()])
    owner = (await gql.login(acme.email, PASSWORD))["accessToken"]
    assert set(mine) == set(SERVED), "seed an object of each served type"

    for name, node_id in mine.items():
        # when
        allowed = await _key(acme, [SERVED[name].requirement.description])
        answered = await gql.execute(NODE, {"id": node_id}, token=allowed)
        refused = await gql.execute(NODE, {"id": node_id}, token=unrelated)
        foreign = await gql.execute(NODE, {"id": theirs[name]}, token=owner, tenant="acme")

        # then
        assert answered["data"]["node"] == {"id": node_id, "__typename": name}, answered
        assert refused["data"] == {"node": None}
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", name
        assert foreign == {"data": {"node": None}, "extensions": foreign["extensions"]}, name


async def test_nodes_answers_in_order_with_null_for_other_tenants_ids(
    gql: GraphQLClient,
) -> None:
    acme = await _world("acme")
    globex = await _world("globex")
    mine, theirs = await _one_id_of_each_type(acme), await _one_id_of_each_type(globex)
    owner = (await gql.login(acme.email, PASSWORD))["accessToken"]
    asked = [value for pair in zip(mine.values(), theirs.values(), strict=True) for value in pair]

    body = await gql.execute(NODES, {"ids": asked}, token=owner, tenant="acme")

    assert "errors" not in body, body
    expected: list[Any] = [{"id": value} if value in mine.values() else None for value in asked]
    assert body["data"]["nodes"] == expected


@pytest.mark.parametrize(
    ("ids", "code", "field"),
    [
        (["not-an-id"], "INVALID_ID", "ids.0"),
        ([global_id("User", "00000000-0000-0000-0000-000000000001")], "INVALID_ID", "ids.0"),
        (
            [global_id("Product", "00000000-0000-0000-0000-000000000001")] * 101,
            "BAD_PAGINATION",
            None,
        ),
    ],
)
async def test_nodes_refuses_bad_ids_and_more_than_a_page_of_them(
    gql: GraphQLClient, ids: list[str], code: str, field: str | None
) -> None:
    acme = await _world("acme")
    owner = (await gql.login(acme.email, PASSWORD))["accessToken"]

    body = await gql.execute(NODES, {"ids": ids}, token=owner, tenant="acme")

    assert body["data"] == {"nodes": None}
    assert body["errors"][0]["extensions"].get("code") == code
    assert body["errors"][0]["extensions"].get("field") == field
