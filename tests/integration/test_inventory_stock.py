"""Stock operations on both backends: FIFO by expiry and receipt, all-or-nothing, the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from tortoise.exceptions import IntegrityError, OperationalError

from merchantops.domain.inventory import reconcile, stock, warehouses
from merchantops.domain.inventory.errors import (
    AllocationNotOpen,
    BelowAllocated,
    InsufficientStock,
)
from merchantops.domain.inventory.models import (
    AllocationStatus,
    AppendOnly,
    MovementKind,
    StockLevel,
    StockMovement,
    Zone,
)
from merchantops.errors import AlreadyExists
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from tests.factories import make_shop
from tests.inventory import level, make_site, make_sku, receive, totals

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
async def shop(db: str) -> AsyncIterator[None]:
    created = await make_shop("acme")
    with tenant_scope(created.tenant.id):
        yield


@pytest.mark.usefixtures("shop")
async def test_warehouse_starts_with_a_main_zone_and_codes_are_unique() -> None:
    site = await make_site("WH1")
    await warehouses.create_zone(site.warehouse.id, "cold", "Cold room")

    with pytest.raises(AlreadyExists):
        await warehouses.create_warehouse("wh1", "Again")
    with pytest.raises(AlreadyExists):
        await warehouses.create_zone(site.warehouse.id, "COLD", "Again")

    zones = await Zone.filter(warehouse_id=site.warehouse.id).order_by("code")
    assert [zone.code for zone in zones] == ["COLD", "MAIN"]


@pytest.mark.usefixtures("shop")
async def test_allocation_takes_expiring_lots_first_then_the_oldest_receipt() -> None:
    sku, site = await make_sku(), await make_site()
    old = await receive(sku, site.main, 5, days=0)
    later_expiry = await receive(sku, site.main, 5, days=2, expires_on=date(2025, 6, 1))
    soon = await receive(sku, site.main, 5, days=3, expires_on=date(2025, 1, 1))
    newest = await receive(sku, site.main, 5, days=4)

    await stock.allocate(sku.id, site.warehouse.id, 12, "order-1")

    taken = [(await level(lot, site.main)).allocated for lot in (soon, later_expiry, old, newest)]
    assert taken == [5, 5, 2, 0]


@pytest.mark.usefixtures("shop")
async def test_allocation_spreads_over_zones_and_records_one_movement_per_level() -> None:
    sku, site = await make_sku(), await make_site()
    cold = await warehouses.create_zone(site.warehouse.id, "COLD", "Cold")
    await receive(sku, site.main, 3, days=0)
    await receive(sku, cold, 3, days=1)

    allocation = await stock.allocate(sku.id, site.warehouse.id, 4, "order-1")

    movements = await StockMovement.filter(allocation_id=allocation.id)
    assert sorted(m.allocated_delta for m in movements) == [1, 3]
    assert await totals(sku, site.warehouse) == (6, 4)


@pytest.mark.usefixtures("shop")
async def test_allocation_beyond_available_is_refused_and_changes_nothing() -> None:
    sku, site = await make_sku(), await make_site()
    await receive(sku, site.main, 3)
    await receive(sku, site.main, 3, days=1)
    await stock.allocate(sku.id, site.warehouse.id, 2, "order-1")
    movements = await StockMovement.all().count()

    with pytest.raises(InsufficientStock) as refused:
        await stock.allocate(sku.id, site.warehouse.id, 5, "order-2")

    assert refused.value.code == "OUT_OF_STOCK"
    assert await totals(sku, site.warehouse) == (6, 2)
    assert await StockMovement.all().count() == movements


@pytest.mark.usefixtures("shop")
async def test_release_returns_units_and_ship_takes_them_out() -> None:
    sku, site = await make_sku(), await make_site()
    await receive(sku, site.main, 10)
    kept = await stock.allocate(sku.id, site.warehouse.id, 4, "order-1")
    dropped = await stock.allocate(sku.id, site.warehouse.id, 3, "order-2")

    await stock.release(dropped.id)
    shipped = await stock.ship(kept.id)

    assert shipped.status == AllocationStatus.SHIPPED
    assert await totals(sku, site.warehouse) == (6, 0)
    with pytest.raises(AllocationNotOpen):
        await stock.ship(dropped.id)
    with pytest.raises(AllocationNotOpen):
        await stock.release(kept.id)


@pytest.mark.usefixtures("shop")
async def test_adjustment_cannot_take_on_hand_below_allocated() -> None:
    sku, site = await make_sku(), await make_site()
    lot = await receive(sku, site.main, 10)
    await stock.allocate(sku.id, site.warehouse.id, 6, "order-1")

    counted = await stock.adjust(lot.id, site.main.id, -4, "cycle count")
    with pytest.raises(BelowAllocated):
        await stock.adjust(lot.id, site.main.id, -1, "damaged")

    assert (counted.on_hand, counted.allocated) == (6, 6)


@pytest.mark.usefixtures("shop")
async def test_transfer_to_another_warehouse_writes_two_movements() -> None:
    sku, here, there = await make_sku(), await make_site("WH1"), await make_site("WH2")
    lot = await receive(sku, here.main, 10)

    source, target = await stock.transfer(lot.id, here.main.id, there.main.id, 4)

    assert (source.on_hand, target.on_hand) == (6, 4)
    movements = await StockMovement.filter(lot_id=lot.id).order_by("id")
    assert [movement.kind for movement in movements][-2:] == [
        MovementKind.TRANSFER_OUT,
        MovementKind.TRANSFER_IN,
    ]
    with pytest.raises(InsufficientStock):
        await stock.transfer(lot.id, here.main.id, there.main.id, 7)


@pytest.mark.usefixtures("shop")
async def test_every_stock_change_is_audited_and_announced() -> None:
    sku, site = await make_sku(), await make_site()
    await receive(sku, site.main, 10)
    allocation = await stock.allocate(sku.id, site.warehouse.id, 4, "order-1")
    await stock.ship(allocation.id)

    actions = [e.action for e in await AuditEntry.filter(action__startswith="stock.")]
    events = await OutboxEvent.filter(type="inventory.stock_changed").order_by("created_at")
    assert sorted(actions) == ["stock.allocate", "stock.receive", "stock.ship"]
    assert events[-1].payload["stock"] == {
        "sku": "SKU-1", "sku_id": str(sku.id), "warehouse": "WH1",
        "warehouse_id": str(site.warehouse.id), "on_hand": 6, "allocated": 0, "available": 6,
        "safety_stock": 0, "reorder_point": 0, "below_safety_by": 0,
    }  # fmt: skip


@pytest.mark.usefixtures("shop")
async def test_movements_refuse_to_be_changed_or_deleted() -> None:
    sku, site = await make_sku(), await make_site()
    await receive(sku, site.main, 10)
    movement = await StockMovement.all().first()
    assert movement is not None

    movement.on_hand_delta = 99
    with pytest.raises(AppendOnly):
        await movement.save()
    with pytest.raises(AppendOnly):
        await movement.delete()


@pytest.mark.usefixtures("shop")
async def test_database_refuses_a_negative_level_written_directly() -> None:
    sku, site = await make_sku(), await make_site()
    lot = await receive(sku, site.main, 2)
    held = await level(lot, site.main)

    with pytest.raises((IntegrityError, OperationalError)):
        await StockLevel.filter(id=held.id).update(on_hand=-1)

    assert (await level(lot, site.main)).on_hand == 2


@pytest.mark.usefixtures("shop")
async def test_ledger_check_matches_and_finds_a_level_changed_around_the_ledger() -> None:
    sku, site = await make_sku(), await make_site()
    lot = await receive(sku, site.main, 10)
    allocation = await stock.allocate(sku.id, site.warehouse.id, 3, "order-1")
    await stock.ship(allocation.id)
    clean = await reconcile.rebuild()
    held = await level(lot, site.main)

    await StockLevel.filter(id=held.id).update(on_hand=8)  # a write around the ledger
    broken = await reconcile.rebuild()

    assert (clean.ok, clean.levels_checked) == (True, 1)
    assert [(m.level_id, m.on_hand, m.ledger_on_hand) for m in broken.mismatches] == [
        (held.id, 8, 7)
    ]
