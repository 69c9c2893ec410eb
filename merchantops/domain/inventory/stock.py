"""Stock operations: receive, allocate (FIFO), release, ship, adjust, transfer.

Each is one transaction: the levels change through `ledger.apply` (a conditional UPDATE plus
its movement row), the change is audited, and `inventory.stock_changed` carries the position
after it. Allocation takes lots in FIFO order: lots that expire first (earliest `expires_on`),
then lots without an expiry date, each group by `received_at`; it spreads over lots and zones
and is all-or-nothing (`OUT_OF_STOCK` when the warehouse has too little available).

Concurrency: on PostgreSQL an operation locks the levels it reads with `SELECT ... FOR UPDATE`
in primary-key order (one order for everyone, so two operations never wait on each other in a
circle); a second allocator waits, then reads what the first left. SQLite transactions are
serialised by the driver. The conditional UPDATE is the last line of defence on both: no level
goes below zero or below what is allocated, whatever was read before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory import ledger
from merchantops.domain.inventory.errors import (
    AllocationNotOpen,
    BelowAllocated,
    InsufficientStock,
)
from merchantops.domain.inventory.models import (
    Allocation,
    AllocationStatus,
    Lot,
    MovementKind,
    StockLevel,
    StockMovement,
)
from merchantops.domain.inventory.positions import emit_stock_changed, emit_stock_changed_many
from merchantops.domain.inventory.warehouses import get_warehouse, get_zone
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit

_FAR_FUTURE = date.max


def fifo_key(level: StockLevel) -> tuple[date, datetime, str]:
    """Expiring lots first (earliest expiry), then by receipt, then a stable tie-break."""
    return (level.expires_on or _FAR_FUTURE, level.received_at, str(level.id))


def _positive(quantity: int, field: str = "quantity") -> int:
    if quantity <= 0:
        raise InvalidInput("The quantity must be a positive whole number.", field=field)
    return quantity


async def _sku(sku_id: UUID) -> Sku:
    sku = await Sku.get_or_none(id=sku_id)
    if sku is None:
        raise NotFound("No SKU with this id.", field="skuId")
    return sku


async def _locked(levels: Any) -> list[StockLevel]:
    """The levels of a queryset, locked until the transaction ends, in primary-key order."""
    return list(await levels.order_by("id").select_for_update())


async def _events(pairs: Iterable[tuple[UUID, UUID]], cause: str) -> None:
    for sku_id, warehouse_id in sorted(set(pairs), key=str):
        await emit_stock_changed(sku_id, warehouse_id, cause)


async def receive_stock(
    *,
    sku_id: UUID,
    zone_id: UUID,
    quantity: int,
    trace_code: str,
    reference: str = "",
    received_at: datetime | None = None,
    expires_on: date | None = None,
) -> Lot:
    """A manual receipt (opening balances, found stock): a new lot in a zone."""
    await _sku(sku_id)
    zone = await get_zone(zone_id)
    _positive(quantity)
    trace_code = trace_code.strip()
    if not 1 <= len(trace_code) <= 64:
        raise InvalidInput("A trace code is 1-64 characters.", field="traceCode")
    if await Lot.exists(trace_code=trace_code):
        raise AlreadyExists(f"A lot '{trace_code}' exists already.", field="traceCode")
    try:
        async with in_transaction():
            lot = await ledger.receive(
                sku_id=sku_id,
                zone=zone,
                quantity=quantity,
                trace_code=trace_code,
                received_at=received_at or datetime.now(UTC),
                reference=reference or f"manual:{trace_code}",
                expires_on=expires_on,
            )
            await audit.record(
                "stock.receive",
                "lot",
                lot.id,
                after={"trace_code": trace_code, "zone_id": str(zone.id), "quantity": quantity},
            )
            await emit_stock_changed(sku_id, zone.warehouse_id, "receipt")
    except IntegrityError as error:
        raise AlreadyExists(f"A lot '{trace_code}' exists already.", field="traceCode") from error
    return lot


async def allocate(sku_id: UUID, warehouse_id: UUID, quantity: int, reference: str) -> Allocation:
    """Reserve `quantity` of a SKU in a warehouse, FIFO over lots; all or nothing."""
    await _sku(sku_id)
    await get_warehouse(warehouse_id)
    _positive(quantity)
    async with in_transaction():
        candidates = await _locked(
            StockLevel.filter(sku_id=sku_id, warehouse_id=warehouse_id).filter(
                on_hand__gt=F("allocated")
            )
        )
        available = sum(level.on_hand - level.allocated for level in candidates)
        if available < quantity:
            raise InsufficientStock(
                f"Only {available} available in this warehouse; {quantity} requested.",
                field="quantity",
            )
        allocation = await Allocation.create(
            reference=reference[:100], sku_id=sku_id, warehouse_id=warehouse_id, quantity=quantity
        )
        remaining = quantity
        for level in sorted(candidates, key=fifo_key):
            take = min(remaining, level.on_hand - level.allocated)
            await ledger.apply(
                level,
                MovementKind.ALLOCATION,
                allocated=take,
                reference=reference,
                allocation_id=allocation.id,
            )
            remaining -= take
            if remaining == 0:
                break
        await audit.record(
            "stock.allocate", "allocation", allocation.id, after=_allocation(allocation)
        )
        await emit_stock_changed(sku_id, warehouse_id, "allocation")
    return allocation


@dataclass(frozen=True, slots=True)
class Wanted:
    """Units of a SKU to reserve in a warehouse; `field` names it in an `OUT_OF_STOCK`."""

    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    field: str = "quantity"


@dataclass(frozen=True, slots=True)
class Reserved:
    allocation: Allocation
    lots: tuple[tuple[UUID, int], ...]  # (lot id, units) taken, FIFO order


async def allocate_many(wanted: Sequence[Wanted], reference: str) -> list[Reserved]:
    """Reserve several SKUs at once, each FIFO over its lots in its warehouse; all or nothing.

    For callers that checked the SKUs and warehouses (an order's placement): one locked read
    of every level concerned (in primary-key order, as `allocate`), the allocations in one
    insert, a ledger update and movement per lot taken, one audit entry, and one
    `inventory.stock_changed` per SKU and warehouse with positions read together."""
    for item in wanted:
        _positive(item.quantity, item.field)
    async with in_transaction():
        levels = await _locked(
            StockLevel.filter(
                sku_id__in={w.sku_id for w in wanted},
                warehouse_id__in={w.warehouse_id for w in wanted},
            ).filter(on_hand__gt=F("allocated"))
        )
        pools: dict[tuple[UUID, UUID], list[StockLevel]] = {}
        for level in sorted(levels, key=fifo_key):
            pools.setdefault((level.sku_id, level.warehouse_id), []).append(level)
        left = {level.id: level.on_hand - level.allocated for level in levels}
        plans: list[list[tuple[StockLevel, int]]] = []
        for item in wanted:
            pool = pools.get((item.sku_id, item.warehouse_id), [])
            available = sum(left[level.id] for level in pool)
            if available < item.quantity:
                raise InsufficientStock(
                    f"Only {available} available in this warehouse; {item.quantity} requested.",
                    field=item.field,
                )
            plan, remaining = [], item.quantity
            for level in pool:
                take = min(remaining, left[level.id])
                if take:
                    plan.append((level, take))
                    left[level.id] -= take
                    remaining -= take
                if remaining == 0:
                    break
            plans.append(plan)
        allocations = [
            Allocation(
                reference=reference[:100],
                sku_id=item.sku_id,
                warehouse_id=item.warehouse_id,
                quantity=item.quantity,
            )
            for item in wanted
        ]
        await Allocation.bulk_create(allocations)
        reserved = []
        for allocation, plan in zip(allocations, plans, strict=True):
            for level, take in plan:
                await ledger.apply(
                    level,
                    MovementKind.ALLOCATION,
                    allocated=take,
                    reference=reference,
                    allocation_id=allocation.id,
                )
            reserved.append(Reserved(allocation, tuple((lv.lot_id, n) for lv, n in plan)))
        await audit.record(
            "stock.allocate",
            "allocation",
            allocations[0].id if allocations else reference,
            after={"reference": reference, "allocations": [_allocation(a) for a in allocations]},
        )
        await emit_stock_changed_many(((w.sku_id, w.warehouse_id) for w in wanted), "allocation")
    return reserved


def _allocation(allocation: Allocation) -> dict[str, Any]:
    return {
        "reference": allocation.reference,
        "sku_id": str(allocation.sku_id),
        "warehouse_id": str(allocation.warehouse_id),
        "quantity": allocation.quantity,
        "status": allocation.status.value,
    }


async def allocated_levels(allocation_id: UUID) -> list[tuple[StockLevel, int]]:
    """Where an allocation's units are held: each level with the quantity still allocated."""
    held: dict[tuple[str, str], int] = {}
    for movement in await StockMovement.filter(allocation_id=allocation_id).only(
        "lot_id", "zone_id", "allocated_delta"
    ):
        key = (str(movement.lot_id), str(movement.zone_id))
        held[key] = held.get(key, 0) + movement.allocated_delta
    levels = await _locked(
        StockLevel.filter(lot_id__in=list({k[0] for k in held}))  # narrowed below by zone
    )
    result = []
    for level in levels:
        quantity = held.get((str(level.lot_id), str(level.zone_id)), 0)
        if quantity > 0:
            result.append((level, quantity))
    return result


async def _close(allocation_id: UUID, status: AllocationStatus) -> Allocation:
    async with in_transaction():
        allocation = await Allocation.filter(id=allocation_id).select_for_update().first()
        if allocation is None:
            raise NotFound("No allocation with this id.", field="id")
        if allocation.status != AllocationStatus.ALLOCATED:
            raise AllocationNotOpen(
                f"The allocation is {allocation.status.value} already.", field="id"
            )
        before = _allocation(allocation)
        for level, quantity in await allocated_levels(allocation.id):
            if status == AllocationStatus.SHIPPED:
                await ledger.apply(
                    level,
                    MovementKind.SHIPMENT,
                    on_hand=-quantity,
                    allocated=-quantity,
                    reference=allocation.reference,
                    allocation_id=allocation.id,
                )
            else:
                await ledger.apply(
                    level,
                    MovementKind.RELEASE,
                    allocated=-quantity,
                    reference=allocation.reference,
                    allocation_id=allocation.id,
                )
        allocation.status = status
        await allocation.save(update_fields=["status", "updated_at"])
        verb = "ship" if status == AllocationStatus.SHIPPED else "release"
        await audit.record(
            f"stock.{verb}",
            "allocation",
            allocation.id,
            before=before,
            after=_allocation(allocation),
        )
        await emit_stock_changed(allocation.sku_id, allocation.warehouse_id, verb)
    return allocation


async def release(allocation_id: UUID) -> Allocation:
    """Give an allocation's units back to available stock."""
    return await _close(allocation_id, AllocationStatus.RELEASED)


async def ship(allocation_id: UUID) -> Allocation:
    """The allocated units leave: on hand and allocated both go down."""
    return await _close(allocation_id, AllocationStatus.SHIPPED)


async def adjust(lot_id: UUID, zone_id: UUID, delta: int, reason: str) -> StockLevel:
    """Correct the on-hand of a lot in a zone (a count, damage); never below what is allocated."""
    lot = await Lot.get_or_none(id=lot_id)
    if lot is None:
        raise NotFound("No lot with this id.", field="lotId")
    zone = await get_zone(zone_id)
    if delta == 0:
        raise InvalidInput("An adjustment changes the quantity.", field="delta")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the stock is adjusted.", field="reason")
    async with in_transaction():
        level = await ledger.level_for(lot, zone)
        [level] = await _locked(StockLevel.filter(id=level.id))
        before = {"on_hand": level.on_hand}
        try:
            await ledger.apply(level, MovementKind.ADJUSTMENT, on_hand=delta, reference=reason)
        except InsufficientStock as error:
            raise BelowAllocated(
                f"{level.on_hand} on hand with {level.allocated} allocated: on hand cannot go "
                f"below what is allocated.",
                field="delta",
            ) from error
        await audit.record(
            "stock.adjust", "stock_level", level.id, before=before,
            after={"on_hand": level.on_hand, "reason": reason},
        )  # fmt: skip
        await emit_stock_changed(lot.sku_id, zone.warehouse_id, "adjustment")
    return level


async def transfer(
    lot_id: UUID, from_zone_id: UUID, to_zone_id: UUID, quantity: int, reference: str = ""
) -> tuple[StockLevel, StockLevel]:
    """Move available units of a lot to another zone, in this or another warehouse."""
    lot = await Lot.get_or_none(id=lot_id)
    if lot is None:
        raise NotFound("No lot with this id.", field="lotId")
    source_zone = await get_zone(from_zone_id, "fromZoneId")
    target_zone = await get_zone(to_zone_id, "toZoneId")
    _positive(quantity)
    if source_zone.id == target_zone.id:
        raise InvalidInput("A transfer goes to another zone.", field="toZoneId")
    async with in_transaction():
        source = await StockLevel.get_or_none(lot_id=lot.id, zone_id=source_zone.id)
        if source is None:
            raise InsufficientStock("This lot has no stock in that zone.", field="quantity")
        target = await ledger.level_for(lot, target_zone)
        locked = {level.id: level for level in await _locked(
            StockLevel.filter(id__in=[source.id, target.id])
        )}  # fmt: skip
        source, target = locked[source.id], locked[target.id]
        reference = reference or f"transfer:{source_zone.id}->{target_zone.id}"
        await ledger.apply(
            source, MovementKind.TRANSFER_OUT, on_hand=-quantity, reference=reference
        )
        await ledger.apply(target, MovementKind.TRANSFER_IN, on_hand=quantity, reference=reference)
        await audit.record(
            "stock.transfer", "lot", lot.id,
            after={"from_zone_id": str(source_zone.id), "to_zone_id": str(target_zone.id),
                   "quantity": quantity},
        )  # fmt: skip
        await _events(
            [(lot.sku_id, source_zone.warehouse_id), (lot.sku_id, target_zone.warehouse_id)],
            "transfer",
        )
    return source, target


__all__ = [
    "Reserved",
    "Wanted",
    "adjust",
    "allocate",
    "allocate_many",
    "allocated_levels",
    "fifo_key",
    "receive_stock",
    "release",
    "ship",
    "transfer",
]
