"""The demo tenant's warehouses and stock movements besides receipts: two warehouses (CENTRAL
with zones MAIN and COLD, EAST), customer allocations, most of them shipped, reorder policies
with SKUs under their safety stock, and the ABC classification. Receipts come from purchasing's
demo, between this area's master data and its activity."""

from __future__ import annotations

from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory import analytics, positions, stock, warehouses
from merchantops.domain.inventory.models import Warehouse
from merchantops.domain.seeding import BUYER, CLERK, Seed

# Customer orders: (reference, SKU, warehouse, quantity, shipped). Shipped ones are the usage
# ABC and turnover count; the others stay allocated.
ORDERS = (
    ("SO-10001", "TEE-ORG-BLK-M", "CENTRAL", 120, True),
    ("SO-10002", "TEE-ORG-WHT-M", "CENTRAL", 90, True),
    ("SO-10003", "MER-CREW-M", "CENTRAL", 95, True),
    ("SO-10004", "COF-ETH-250", "CENTRAL", 180, True),
    ("SO-10005", "COF-COL-250", "CENTRAL", 160, True),
    ("SO-10006", "COF-COL-1KG", "CENTRAL", 40, True),
    ("SO-10007", "PACK-28-GRN", "EAST", 30, True),
    ("SO-10008", "BOTTLE-500", "EAST", 45, True),
    ("SO-10009", "THROW-LIN-NAT", "CENTRAL", 25, True),
    ("SO-10010", "TEE-ORG-BLK-L", "CENTRAL", 60, True),
    ("SO-10011", "COF-ETH-250", "CENTRAL", 190, True),
    ("SO-10012", "MER-CREW-S", "CENTRAL", 30, True),
    ("SO-10013", "MATCHA-50G", "CENTRAL", 35, True),
    ("SO-10014", "BOX-S-25", "EAST", 120, True),
    ("SO-10015", "BOX-M-25", "EAST", 60, True),
    ("SO-10016", "CANDLE-LAV", "EAST", 15, True),
    ("SO-10017", "DRIP-CER-WHT", "CENTRAL", 8, True),
    ("SO-10018", "PACK-28-BLK", "EAST", 18, True),
    ("SO-10019", "MER-CREW-L", "CENTRAL", 40, False),
    ("SO-10020", "TEE-ORG-BLK-M", "CENTRAL", 50, False),
    ("SO-10021", "COF-COL-250", "CENTRAL", 30, False),
    ("SO-10022", "BOTTLE-750", "EAST", 12, False),
)

# Reorder policies: (SKU, warehouse, safety stock, reorder point, reorder quantity). After the
# orders above COF-ETH-250 and MER-CREW-M are under safety stock; TEE-ORG-BLK-M is at its
# reorder point, above safety.
POLICIES = (
    ("COF-ETH-250", "CENTRAL", 60, 120, 400),
    ("MER-CREW-M", "CENTRAL", 30, 50, 120),
    ("TEE-ORG-BLK-M", "CENTRAL", 60, 140, 300),
    ("COF-COL-250", "CENTRAL", 50, 100, 400),
    ("PACK-28-GRN", "EAST", 10, 20, 40),
    ("BOX-S-25", "EAST", 100, 200, 500),
    ("MATCHA-50G", "CENTRAL", 20, 40, 150),
)


async def master_data(seed: Seed) -> None:
    with seed.as_(CLERK):
        for code, name in (("CENTRAL", "Central distribution center"), ("EAST", "East hub")):
            await warehouses.create_warehouse(code, name)
        central = await Warehouse.get(code="CENTRAL")
        await warehouses.create_zone(central.id, "COLD", "Cold room")


async def activity(seed: Seed) -> None:
    skus = {sku.code: sku.id for sku in await Sku.all().only("id", "code")}
    sites = {warehouse.code: warehouse.id for warehouse in await Warehouse.all().only("id", "code")}
    with seed.as_(CLERK):
        for reference, code, warehouse, quantity, shipped in ORDERS:
            allocation = await stock.allocate(skus[code], sites[warehouse], quantity, reference)
            if shipped:
                await stock.ship(allocation.id)
    with seed.as_(BUYER):
        for code, warehouse, safety, point, reorder in POLICIES:
            await positions.set_reorder_policy(
                skus[code],
                sites[warehouse],
                safety_stock=safety,
                reorder_point=point,
                reorder_quantity=reorder,
            )
    await analytics.classify()


__all__ = ["ORDERS", "POLICIES", "activity", "master_data"]
