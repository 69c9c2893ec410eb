"""The one way stock changes: a level's deltas and their ledger row, written together.

    async with in_transaction():
        await ledger.apply(level, MovementKind.SHIPMENT, on_hand=-3, allocated=-3, reference=...)

`apply` changes the level with a conditional UPDATE (`on_hand + delta >= 0 AND allocated +
delta >= 0 AND allocated + delta <= on_hand + delta`), so two concurrent writers can never take
a level below zero, whatever they read before, and records the movement in the caller's
transaction. Callers must be inside a transaction: the level and its movement commit together.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from tortoise.expressions import F

from merchantops.domain.inventory.errors import InsufficientStock
from merchantops.domain.inventory.models import (
    Lot,
    MovementKind,
    StockLevel,
    StockMovement,
    Zone,
)
from merchantops.errors import InvalidInput
from merchantops.tenants.context import current_actor

MAX_UNITS = 2_147_483_647  # what a level's 32-bit quantity columns hold


async def apply(
    level: StockLevel,
    kind: MovementKind,
    *,
    on_hand: int = 0,
    allocated: int = 0,
    reference: str = "",
    allocation_id: UUID | None = None,
) -> StockMovement:
    """Change `level` by the deltas and record the movement; `InsufficientStock` if it can't,
    `InvalidInput` if the level would pass what its column holds."""
    if level.on_hand + on_hand > MAX_UNITS:
        raise InvalidInput(f"A lot holds at most {MAX_UNITS} units in one zone.", field="quantity")
    changed = (
        await StockLevel.filter(
            id=level.id,
            on_hand__gte=-on_hand,
            allocated__gte=-allocated,
        )
        .filter(on_hand__gte=F("allocated") + (allocated - on_hand))
        .filter(on_hand__lte=MAX_UNITS - max(on_hand, 0))
        .update(on_hand=F("on_hand") + on_hand, allocated=F("allocated") + allocated)
    )
    if not changed:
        raise InsufficientStock(
            "Not enough stock in this lot and zone for the change.", field="quantity"
        )
    level.on_hand += on_hand
    level.allocated += allocated
    return await StockMovement.create(
        kind=kind,
        sku_id=level.sku_id,
        lot_id=level.lot_id,
        warehouse_id=level.warehouse_id,
        zone_id=level.zone_id,
        on_hand_delta=on_hand,
        allocated_delta=allocated,
        allocation_id=allocation_id,
        reference=reference[:100],
        actor=current_actor()[:100],
    )


async def level_for(lot: Lot, zone: Zone) -> StockLevel:
    """The level of `lot` in `zone`, created empty on first use."""
    level = await StockLevel.get_or_none(lot_id=lot.id, zone_id=zone.id)
    if level is None:
        level = await StockLevel.create(
            sku_id=lot.sku_id,
            lot_id=lot.id,
            warehouse_id=zone.warehouse_id,
            zone_id=zone.id,
            received_at=lot.received_at,
            expires_on=lot.expires_on,
        )
    return level


async def receive(
    *,
    sku_id: UUID,
    zone: Zone,
    quantity: int,
    trace_code: str,
    received_at: datetime,
    reference: str,
    supplier_id: UUID | None = None,
    expires_on: date | None = None,
) -> Lot:
    """A new lot of `quantity` in `zone`, with its receipt movement. Inside a transaction.

    Where goods came from beyond their supplier is the business of the area that brought them
    in (purchasing links its receipts to the lots they made)."""
    lot = await Lot.create(
        sku_id=sku_id,
        trace_code=trace_code,
        supplier_id=supplier_id,
        quantity=quantity,
        received_at=received_at,
        expires_on=expires_on,
    )
    level = await level_for(lot, zone)
    await apply(level, MovementKind.RECEIPT, on_hand=quantity, reference=reference)
    return lot


__all__ = ["apply", "level_for", "receive"]
