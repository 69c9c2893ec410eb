"""Writes of one tenant at the same moment all succeed: no deadlock, no refusal that comes
from another request running at the same time, and the audit chain stays whole."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from merchantops.dbengine import before_commit
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.models import AuditEntry, TenantCounter
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_catalog, make_shop

RECEIVE = """
mutation($sku: ID!, $zone: ID!, $code: String!) {
  receiveStock(input: {skuId: $sku, zoneId: $zone, quantity: 5, traceCode: $code}) {
    lot { traceCode } errors { code }
  }
}
"""
ALLOCATE = """
mutation($sku: ID!, $wh: ID!, $ref: String!) {
  allocateStock(input: {skuId: $sku, warehouseId: $wh, quantity: 1, reference: $ref}) {
    allocation { quantity } errors { code }
  }
}
"""
CREATE_PO = """
mutation($supplier: ID!, $wh: ID!, $sku: ID!) {
  createPurchaseOrder(input: {supplierId: $supplier, warehouseId: $wh,
                              lines: [{skuId: $sku, quantity: 3, unitCost: "2.50"}]}) {
    purchaseOrder { number } errors { code }
  }
}
"""


async def test_twenty_receipts_allocations_and_orders_at_once_all_succeed_and_chain(
    gql: GraphQLClient,
) -> None:
    # given: one SKU in one zone that every request touches
    shop = await make_shop("acme")
    catalog = await make_catalog(shop)
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    ids = {
        "sku": global_id("Sku", catalog.skus[0].id),
        "zone": global_id("Zone", catalog.zone.id),
        "wh": global_id("Warehouse", catalog.warehouse.id),
        "supplier": global_id("Supplier", catalog.supplier.id),
    }

    async def call(query: str, **variables: Any) -> Any:
        return await gql.execute(query, variables, token=owner, tenant="acme")

    # when: 20 receipts, then 20 allocations and 10 purchase orders, each batch at once
    receipts = await asyncio.gather(
        *(call(RECEIVE, sku=ids["sku"], zone=ids["zone"], code=f"LOT-{n}") for n in range(20))
    )
    mixed = await asyncio.gather(
        *(call(ALLOCATE, sku=ids["sku"], wh=ids["wh"], ref=f"order-{n}") for n in range(20)),
        *(
            call(CREATE_PO, supplier=ids["supplier"], wh=ids["wh"], sku=ids["sku"])
            for _ in range(10)
        ),
    )

    # then
    answers = [*receipts, *mixed]
    assert [answer.get("errors") for answer in answers] == [None] * 50
    payloads = [next(iter(answer["data"].values())) for answer in answers]
    assert [payload["errors"] for payload in payloads] == [[]] * 50
    numbers = sorted(payload["purchaseOrder"]["number"] for payload in payloads[40:])
    assert numbers == [f"PO-{n:06d}" for n in range(1, 11)]
    chain = await gql.execute(
        "{ auditChain { ok entries firstBrokenSeq } }", token=owner, tenant="acme"
    )
    assert chain["data"]["auditChain"]["ok"] is True
    with tenant_scope(shop.tenant.id):
        assert await AuditEntry.filter(seq__isnull=True).count() == 0
        seqs = sorted(entry.seq or 0 for entry in await AuditEntry.all().only("id", "seq"))
        assert seqs == list(range(1, len(seqs) + 1))
        assert chain["data"]["auditChain"]["entries"] == len(seqs) >= 50
        assert (await TenantCounter.get(name="purchase_order")).value == 10


async def test_a_failing_before_commit_step_rolls_the_whole_transaction_back(db: str) -> None:
    shop = await make_shop("acme")

    async def refuse() -> None:
        raise RuntimeError("sealing failed")

    async def write_then_refuse() -> None:
        async with in_transaction():
            await TenantCounter.create(name="probe", value=1)
            await before_commit("probe", refuse)

    with tenant_scope(shop.tenant.id):
        before = await TenantCounter.all().count()
        with pytest.raises(RuntimeError, match="sealing failed"):
            await write_then_refuse()
        assert await TenantCounter.all().count() == before
        await TenantCounter.create(name="after", value=1)  # the connection is usable again
        assert await TenantCounter.filter(name="after").count() == 1
