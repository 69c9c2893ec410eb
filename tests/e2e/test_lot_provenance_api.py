"""A lot's purchase order and receipt, which purchasing records and adds to inventory's `Lot`
and `LotFilter`: the same fields and filter as before purchasing owned them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from merchantops.domain.governance.approvals import Actor
from merchantops.domain.purchasing import service as purchasing
from merchantops.domain.purchasing.models import PurchaseOrderLine, Receipt
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.global_ids import global_id
from merchantops.workers.registry import shared_engine
from tests.conftest import GraphQLClient
from tests.factories import Catalog, Shop, make_catalog, make_onboarded_shop
from tests.inventory import receive

LOTS = """query($order: ID) {
  lots(filter: {purchaseOrderId: $order}, sort: {field: TRACE_CODE, direction: ASC}) {
    totalCount
    edges { node { traceCode purchaseOrderId purchaseOrder { number } receiptId
                   receipt { note purchaseOrder { number } } } }
  }
}"""


async def _received_order(shop: Shop, catalog: Catalog, codes: list[str]) -> tuple[UUID, UUID]:
    """An approved order of one line, received in one receipt per trace code."""
    evaluator = RuleEvaluator(shared_engine())
    with tenant_scope(shop.tenant.id), actor_scope("user:buyer"):
        order = await purchasing.create(
            catalog.supplier.id,
            catalog.warehouse.id,
            [purchasing.LineSpec(catalog.skus[0].id, 10, Decimal("3.00"))],
        )
        await purchasing.submit(evaluator, Actor(frozenset({"supply-chain-staff"})), order.id)
        await purchasing.approve(evaluator, Actor(frozenset({"finance-manager"})), order.id)
        line = await PurchaseOrderLine.get(purchase_order_id=order.id)
        for code in codes:
            await purchasing.receive(
                order.id, [purchasing.ReceiptLine(line.id, 1, trace_code=code)], note=code
            )
        receipt = await Receipt.filter(purchase_order_id=order.id).order_by("received_at").first()
        assert receipt is not None
    return order.id, receipt.id


async def _lots(gql: GraphQLClient, shop: Shop, order: str | None) -> Any:
    token = (await gql.login(shop.email, shop.password))["accessToken"]
    return await gql.execute(LOTS, {"order": order}, token=token, tenant=shop.tenant.slug)


async def test_lots_show_and_filter_by_the_order_and_receipt_that_brought_them_in(
    gql: GraphQLClient,
) -> None:
    # given: two lots of one order, one of another order, one received by hand
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop)
    order, first_receipt = await _received_order(shop, catalog, ["QC-1", "QC-2"])
    await _received_order(shop, catalog, ["QC-3"])
    with tenant_scope(shop.tenant.id):
        await receive(catalog.skus[0], catalog.zone, 4, trace_code="HAND-1")

    # when
    of_order = await _lots(gql, shop, global_id("PurchaseOrder", order))
    every = await _lots(gql, shop, None)

    # then
    assert "errors" not in of_order, of_order
    assert of_order["data"]["lots"]["totalCount"] == 2
    first, second = (edge["node"] for edge in of_order["data"]["lots"]["edges"])
    assert first == {
        "traceCode": "QC-1",
        "purchaseOrderId": global_id("PurchaseOrder", order),
        "purchaseOrder": {"number": "PO-000001"},
        "receiptId": global_id("Receipt", first_receipt),
        "receipt": {"note": "QC-1", "purchaseOrder": {"number": "PO-000001"}},
    }
    assert (second["traceCode"], second["purchaseOrder"]) == ("QC-2", {"number": "PO-000001"})
    assert second["receiptId"] not in (None, first["receiptId"])
    assert [edge["node"]["traceCode"] for edge in every["data"]["lots"]["edges"]] == [
        "HAND-1",
        "QC-1",
        "QC-2",
        "QC-3",
    ]
    assert every["data"]["lots"]["edges"][0]["node"] == {
        "traceCode": "HAND-1",
        "purchaseOrderId": None,
        "purchaseOrder": None,
        "receiptId": None,
        "receipt": None,
    }


@pytest.mark.parametrize(
    "order", ["not-base64!", global_id("Supplier", "00000000-0000-0000-0000-000000000001")]
)
async def test_a_bad_order_id_in_the_lot_filter_is_an_invalid_id_naming_the_filter_field(
    gql: GraphQLClient, order: str
) -> None:
    shop = await make_onboarded_shop("acme")

    body = await _lots(gql, shop, order)

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_ID", "field": "filter.purchaseOrderId"}
    assert body["data"] == {"lots": None}


async def test_another_tenants_order_matches_no_lot(gql: GraphQLClient) -> None:
    acme, globex = await make_onboarded_shop("acme"), await make_onboarded_shop("globex")
    order, _ = await _received_order(globex, await make_catalog(globex), ["QC-9"])
    await _received_order(acme, await make_catalog(acme), ["QC-1"])

    body = await _lots(gql, acme, global_id("PurchaseOrder", order))

    assert "errors" not in body, body
    assert body["data"] == {"lots": {"totalCount": 0, "edges": []}}
