"""ABC classes and turnover, computed in SQL, on a dataset checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory import analytics, stock
from merchantops.domain.inventory.models import SkuAnalytics, StockMovement
from merchantops.tenants.context import tenant_scope
from tests.factories import make_shop
from tests.inventory import make_site, make_sku, receive

# code: (unit cost, units shipped in the period) -> usage value
SHIPPED = {
    "S1": ("10", 50),  # 500: nothing before it -> A
    "S2": ("3", 100),  # 300: 500 before, under 80% of 1000 -> A
    "S3": ("4", 30),  # 120: 800 before -> B
    "S4": ("2", 30),  # 60: 920 before, under 95% -> B
    "S5": ("1", 20),  # 20: 980 before -> C
    "S6": ("7", 0),  # 0 in the period (its shipment was 100 days ago) -> C
}


async def test_abc_classes_and_turnover_follow_the_documented_definitions(db: str) -> None:
    # given: 100 units received of each SKU, shipments as above
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        site = await make_site()
        for code, (cost, shipped) in SHIPPED.items():
            sku = await make_sku(code, cost)
            await receive(sku, site.main, 100)
            quantity = shipped or 10
            allocation = await stock.allocate(sku.id, site.warehouse.id, quantity, code)
            await stock.ship(allocation.id)
            if not shipped:  # S6: received and shipped long before the period
                old = datetime.now(UTC) - timedelta(days=100)
                await StockMovement.filter(sku_id=sku.id).update(created_at=old)

        # when: twice, as a re-run job would
        await analytics.classify(period_days=90)
        written = await analytics.classify(period_days=90)

        # then
        rows = {r.sku_id: r for r in await SkuAnalytics.all()}
        by_code = {}
        for code in SHIPPED:
            sku_row = rows[(await Sku.get(code=code)).id]
            by_code[code] = (sku_row.abc_class.value, sku_row.usage_value, sku_row.turnover)
    assert written == 6
    assert {code: row[0] for code, row in by_code.items()} == {
        "S1": "A", "S2": "A", "S3": "B", "S4": "B", "S5": "C", "S6": "C"
    }  # fmt: skip
    assert by_code["S1"][1] == Decimal("500.00")
    # S1: 100 in, 50 out in the period: on hand 50 now, 0 at the start, average 25 -> 50 / 25
    assert by_code["S1"][2] == Decimal("2.0000")
    # S2: 100 in, 100 out: average (0 + 0) / 2 = 0 -> no turnover
    assert by_code["S2"][2] is None
    # S6: 90 on hand now and at the start (its movements are older): 0 shipped / 90
    assert by_code["S6"][2] == Decimal("0.0000")


@pytest.mark.usefixtures("db")
async def test_without_any_shipment_every_sku_is_class_c() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        site = await make_site()
        for code in ("X1", "X2"):
            await receive(await make_sku(code), site.main, 5)

        await analytics.classify()

        assert sorted(r.abc_class.value for r in await SkuAnalytics.all()) == ["C", "C"]
