"""Concurrent allocations on PostgreSQL never take stock below zero."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from merchantops.domain.inventory import reconcile, stock
from merchantops.domain.inventory.errors import InsufficientStock
from merchantops.tenants.context import tenant_scope
from tests.factories import make_shop
from tests.inventory import make_site, make_sku, receive, totals


async def test_concurrent_transactions_get_connections_of_their_own(pg_db: str) -> None:
    async def backend_pid() -> int:
        async with in_transaction() as connection:
            _, rows = await connection.execute_query("SELECT pg_backend_pid() AS pid")
            await asyncio.sleep(0.05)  # hold the connection while the others start
            return int(rows[0]["pid"])

    pids = await asyncio.gather(*(backend_pid() for _ in range(3)))

    assert len(set(pids)) == 3
    assert Tortoise.get_connection("default").capabilities.dialect == "postgres"


async def test_twenty_allocations_of_the_last_ten_units_give_ten_and_ten_refusals(
    pg_db: str,
) -> None:
    # given: 10 units left, over two lots
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        sku, site = await make_sku(), await make_site()
        await receive(sku, site.main, 4, days=0)
        await receive(sku, site.main, 6, days=1)

        # when: 20 orders of one unit arrive at once, each in its own transaction
        async def order(n: int) -> str:
            try:
                await stock.allocate(sku.id, site.warehouse.id, 1, f"order-{n}")
            except InsufficientStock as refused:
                return refused.code
            return "ALLOCATED"

        outcomes = await asyncio.gather(*(order(n) for n in range(20)))

        # then
        assert sorted(outcomes) == ["ALLOCATED"] * 10 + ["OUT_OF_STOCK"] * 10
        assert await totals(sku, site.warehouse) == (10, 10)
        assert (await reconcile.rebuild()).ok
