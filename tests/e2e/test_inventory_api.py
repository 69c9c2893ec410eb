"""Warehouse staff run stock through GraphQL; others are refused; relations are batched."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from merchantops.domain.inventory import warehouses
from merchantops.tenants.context import tenant_scope
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Shop, add_member, make_shop
from tests.inventory import make_site, make_sku, receive

ALLOCATE = """
mutation($sku: ID!, $wh: ID!, $q: Int!) {
  allocateStock(input: {skuId: $sku, warehouseId: $wh, quantity: $q, reference: "order-1"}) {
    allocation { quantity status warehouse { code } }
    errors { field code message }
  }
}
"""


def gid(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def _token(gql: GraphQLClient, email: str) -> str:
    return str((await gql.login(email, PASSWORD))["accessToken"])


async def _shop_with_sku() -> tuple[Shop, str]:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        sku = await make_sku()
    return shop, gid("Sku", sku.id)


async def test_warehouse_clerk_receives_and_allocates_and_gets_a_typed_out_of_stock(
    gql: GraphQLClient,
) -> None:
    # given: a clerk of the warehouse department
    shop, sku = await _shop_with_sku()
    await add_member(shop, "clerk@acme.example.com", ["warehouse-staff"])
    clerk = await _token(gql, "clerk@acme.example.com")
    created = await gql.execute(
        'mutation { createWarehouse(input: {code: "wh1", name: "Main"}) '
        "{ warehouse { id code zones { id code } } errors { code } } }",
        token=clerk,
        tenant="acme",
    )
    warehouse = created["data"]["createWarehouse"]["warehouse"]
    received = await gql.execute(
        "mutation($sku: ID!, $zone: ID!) { receiveStock(input: {skuId: $sku, zoneId: $zone, "
        'quantity: 5, traceCode: "LOT-1"}) { lot { traceCode quantity } errors { code } } }',
        {"sku": sku, "zone": warehouse["zones"][0]["id"]},
        token=clerk,
        tenant="acme",
    )

    # when
    allocated = await gql.execute(
        ALLOCATE, {"sku": sku, "wh": warehouse["id"], "q": 3}, token=clerk, tenant="acme"
    )
    refused = await gql.execute(
        ALLOCATE, {"sku": sku, "wh": warehouse["id"], "q": 3}, token=clerk, tenant="acme"
    )
    levels = await gql.execute(
        "{ stockLevels { edges { node { onHand allocated available lot { traceCode } } } } }",
        token=clerk,
        tenant="acme",
    )

    # then
    assert warehouse["code"] == "WH1"
    assert [zone["code"] for zone in warehouse["zones"]] == ["MAIN"]
    assert received["data"]["receiveStock"] == {
        "lot": {"traceCode": "LOT-1", "quantity": 5},
        "errors": [],
    }
    assert allocated["data"]["allocateStock"] == {
        "allocation": {"quantity": 3, "status": "ALLOCATED", "warehouse": {"code": "WH1"}},
        "errors": [],
    }
    assert refused["data"]["allocateStock"]["allocation"] is None
    [error] = refused["data"]["allocateStock"]["errors"]
    assert (error["field"], error["code"]) == ("quantity", "OUT_OF_STOCK")
    assert "Only 2 available" in error["message"]
    assert levels["data"]["stockLevels"]["edges"] == [
        {"node": {"onHand": 5, "allocated": 3, "available": 2, "lot": {"traceCode": "LOT-1"}}}
    ]


async def test_marketing_staff_may_not_allocate_stock(gql: GraphQLClient) -> None:
    shop, sku = await _shop_with_sku()
    await add_member(shop, "marketer@acme.example.com", ["marketing-staff"])
    with tenant_scope(shop.tenant.id):
        site = await make_site()
    marketer = await _token(gql, "marketer@acme.example.com")

    answer = await gql.execute(
        ALLOCATE,
        {"sku": sku, "wh": gid("Warehouse", site.warehouse.id), "q": 1},
        token=marketer,
        tenant="acme",
    )

    assert answer["data"] == {"allocateStock": None}
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "inventory:write" in answer["errors"][0]["message"]


STOCK_LEVELS = """
query($n: Int!) {
  stockLevels(first: $n, sort: {field: ON_HAND, direction: DESC}) {
    edges { node {
      onHand
      lot { traceCode skuId }
      zone { code warehouse { code zones { code } } }
      warehouse { code name }
    } }
  }
}
"""


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).lstrip().upper().startswith(("SELECT", "%S")):
            self.count += 1


async def _statements(gql: GraphQLClient, token: str, n: int) -> tuple[int, Any]:
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        body = await gql.execute(STOCK_LEVELS, {"n": n}, token=token, tenant="acme")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.count, body


@pytest.mark.usefixtures("db")
async def test_stock_levels_with_relations_take_the_same_statements_for_2_or_12_rows(
    gql: GraphQLClient,
) -> None:
    # given: 12 lots over 3 warehouses with 2 zones each
    shop, _ = await _shop_with_sku()
    with tenant_scope(shop.tenant.id):
        sku = await make_sku("SKU-2")
        for w in range(3):
            site = await make_site(f"WH{w}")
            zone = await warehouses.create_zone(site.warehouse.id, "COLD", "Cold")
            for n in range(4):
                await receive(sku, (site.main, zone)[n % 2], 1 + n + 4 * w)
    owner = await _token(gql, shop.email)

    await _statements(gql, owner, 1)  # the first request also loads the tenant's policy

    # when
    few, few_body = await _statements(gql, owner, 2)
    many, many_body = await _statements(gql, owner, 12)

    # then
    assert len(few_body["data"]["stockLevels"]["edges"]) == 2
    assert len(many_body["data"]["stockLevels"]["edges"]) == 12
    assert "errors" not in many_body
    assert few > 0
    assert many == few
