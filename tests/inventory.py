"""Builders for inventory tests: a shop with a SKU, a warehouse and stock, via the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.inventory import stock, warehouses
from merchantops.domain.inventory.models import Lot, StockLevel, Warehouse, Zone

T0 = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Site:
    warehouse: Warehouse
    main: Zone


async def make_sku(code: str = "SKU-1", cost: str = "10.00") -> Sku:
    product = await Product.create(name=f"Product {code}")
    return await Sku.create(product_id=product.id, code=code, name=code, cost=Decimal(cost))


async def make_site(code: str = "WH1") -> Site:
    warehouse = await warehouses.create_warehouse(code, f"Warehouse {code}")
    return Site(warehouse, await Zone.get(warehouse_id=warehouse.id, code="MAIN"))


async def receive(
    sku: Sku,
    zone: Zone,
    quantity: int,
    *,
    days: int = 0,
    expires_on: date | None = None,
    trace_code: str | None = None,
) -> Lot:
    return await stock.receive_stock(
        sku_id=sku.id,
        zone_id=zone.id,
        quantity=quantity,
        trace_code=trace_code or f"LOT-{uuid4().hex[:8]}",
        received_at=T0 + timedelta(days=days),
        expires_on=expires_on,
    )


async def level(lot: Lot, zone: Zone) -> StockLevel:
    return await StockLevel.get(lot_id=lot.id, zone_id=zone.id)


async def totals(sku: Sku, warehouse: Warehouse) -> tuple[int, int]:
    levels = await StockLevel.filter(sku_id=sku.id, warehouse_id=warehouse.id)
    return sum(x.on_hand for x in levels), sum(x.allocated for x in levels)
