"""Stock positions of a SKU in a warehouse, the `inventory.stock_changed` event, reorder policies.

A position sums the SKU's levels in the warehouse: on hand, allocated, available (on hand minus
allocated), next to its reorder policy (safety stock, reorder point, reorder quantity; zeros
without one). `below_safety_by = max(0, safety_stock - available)`: the tenant's risk rule
`stock-below-safety` raises an alert (one per SKU) on any stock event where it is positive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory import sql
from merchantops.domain.inventory.models import ReorderPolicy, StockLevel, Warehouse
from merchantops.domain.inventory.warehouses import get_warehouse
from merchantops.errors import InvalidInput, NotFound
from merchantops.tenants import audit, outbox

STOCK_CHANGED = "inventory.stock_changed"
STOCK_LOW = "inventory.stock_low"


@dataclass(frozen=True, slots=True)
class Position:
    sku_id: UUID
    warehouse_id: UUID
    sku: str
    warehouse: str
    on_hand: int
    allocated: int
    safety_stock: int
    reorder_point: int
    reorder_quantity: int

    @property
    def available(self) -> int:
        return self.on_hand - self.allocated

    @property
    def below_safety_by(self) -> int:
        return max(0, self.safety_stock - self.available)

    @property
    def suggested_quantity(self) -> int:
        """What to order to get back above the reorder point: at least the policy's quantity."""
        return max(self.reorder_quantity, self.reorder_point - self.available + 1, 0)

    def fact(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "sku_id": str(self.sku_id),
            "warehouse": self.warehouse,
            "warehouse_id": str(self.warehouse_id),
            "on_hand": self.on_hand,
            "allocated": self.allocated,
            "available": self.available,
            "safety_stock": self.safety_stock,
            "reorder_point": self.reorder_point,
            "below_safety_by": self.below_safety_by,
        }


_POSITIONS = """
SELECT p.sku_id, p.warehouse_id, s.code AS sku, w.code AS warehouse,
       COALESCE(SUM(l.on_hand), 0) AS on_hand, COALESCE(SUM(l.allocated), 0) AS allocated,
       p.safety_stock, p.reorder_point, p.reorder_quantity
FROM reorder_policy p
JOIN sku s ON s.id = p.sku_id
JOIN warehouse w ON w.id = p.warehouse_id
LEFT JOIN stock_level l
  ON l.tenant_id = p.tenant_id AND l.sku_id = p.sku_id AND l.warehouse_id = p.warehouse_id
WHERE p.tenant_id = :tenant {where}
GROUP BY p.sku_id, p.warehouse_id, s.code, w.code,
         p.safety_stock, p.reorder_point, p.reorder_quantity
HAVING COALESCE(SUM(l.on_hand - l.allocated), 0) {having}
ORDER BY s.code, w.code
"""


def _position(row: dict[str, Any]) -> Position:
    return Position(
        sku_id=UUID(str(row["sku_id"])),
        warehouse_id=UUID(str(row["warehouse_id"])),
        sku=row["sku"],
        warehouse=row["warehouse"],
        on_hand=int(row["on_hand"]),
        allocated=int(row["allocated"]),
        safety_stock=int(row["safety_stock"]),
        reorder_point=int(row["reorder_point"]),
        reorder_quantity=int(row["reorder_quantity"]),
    )


async def positions_of(pairs: Iterable[tuple[UUID, UUID]]) -> list[Position]:
    """The positions of many (SKU, warehouse) pairs in four statements, whatever their
    number; sorted by SKU id then warehouse id."""
    wanted = sorted(set(pairs), key=str)
    skus = {p[0] for p in wanted}
    houses = {p[1] for p in wanted}
    codes = dict(await Sku.filter(id__in=skus).values_list("id", "code"))
    names = dict(await Warehouse.filter(id__in=houses).values_list("id", "code"))
    totals: dict[tuple[UUID, UUID], list[int]] = {pair: [0, 0] for pair in wanted}
    for sku_id, warehouse_id, on_hand, allocated in await StockLevel.filter(
        sku_id__in=skus, warehouse_id__in=houses
    ).values_list("sku_id", "warehouse_id", "on_hand", "allocated"):
        if (sku_id, warehouse_id) in totals:
            totals[(sku_id, warehouse_id)][0] += on_hand
            totals[(sku_id, warehouse_id)][1] += allocated
    policies = {
        (p.sku_id, p.warehouse_id): p
        for p in await ReorderPolicy.filter(sku_id__in=skus, warehouse_id__in=houses)
    }
    found = []
    for sku_id, warehouse_id in wanted:
        policy = policies.get((sku_id, warehouse_id))
        on_hand, allocated = totals[(sku_id, warehouse_id)]
        found.append(
            Position(
                sku_id=sku_id,
                warehouse_id=warehouse_id,
                sku=str(codes[sku_id]),
                warehouse=str(names[warehouse_id]),
                on_hand=on_hand,
                allocated=allocated,
                safety_stock=policy.safety_stock if policy else 0,
                reorder_point=policy.reorder_point if policy else 0,
                reorder_quantity=policy.reorder_quantity if policy else 0,
            )
        )
    return found


async def emit_stock_changed_many(pairs: Iterable[tuple[UUID, UUID]], cause: str) -> None:
    """`emit_stock_changed` of many pairs: one event each, their positions read together."""
    for current in await positions_of(pairs):
        await outbox.emit(STOCK_CHANGED, {"cause": cause, "stock": current.fact()})


async def position(sku_id: UUID, warehouse_id: UUID) -> Position:
    """The position of one SKU in one warehouse, policy or not."""
    sku = await Sku.get(id=sku_id)
    warehouse = await get_warehouse(warehouse_id)
    [totals] = await sql.rows(
        "SELECT COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(allocated), 0) AS allocated"
        " FROM stock_level WHERE tenant_id = :tenant AND sku_id = :sku AND warehouse_id = :wh",
        sku=sku_id,
        wh=warehouse_id,
    )
    policy = await ReorderPolicy.get_or_none(sku_id=sku_id, warehouse_id=warehouse_id)
    return Position(
        sku_id=sku_id,
        warehouse_id=warehouse_id,
        sku=sku.code,
        warehouse=warehouse.code,
        on_hand=int(totals["on_hand"]),
        allocated=int(totals["allocated"]),
        safety_stock=policy.safety_stock if policy else 0,
        reorder_point=policy.reorder_point if policy else 0,
        reorder_quantity=policy.reorder_quantity if policy else 0,
    )


async def emit_stock_changed(sku_id: UUID, warehouse_id: UUID, cause: str) -> Position:
    """The event of a stock change, with the position after it. In the change's transaction."""
    current = await position(sku_id, warehouse_id)
    await outbox.emit(STOCK_CHANGED, {"cause": cause, "stock": current.fact()})
    return current


async def below_safety() -> list[Position]:
    """Every SKU and warehouse whose available stock is under its safety stock, in SQL."""
    return [
        _position(r) for r in await sql.rows(_POSITIONS.format(where="", having="< p.safety_stock"))
    ]


async def to_reorder(warehouse_id: UUID | None = None) -> list[Position]:
    """Every SKU and warehouse whose available stock is at or below its reorder point."""
    where, params = (
        ("", {}) if warehouse_id is None else ("AND p.warehouse_id = :wh", {"wh": warehouse_id})
    )
    statement = _POSITIONS.format(where=where, having="<= p.reorder_point")
    return [_position(r) for r in await sql.rows(statement, **params)]


async def check_stock() -> list[Position]:
    """Emit `inventory.stock_low` for every position under safety stock (the periodic check)."""
    low = await below_safety()
    async with in_transaction():
        for current in low:
            await outbox.emit(STOCK_LOW, {"cause": "check", "stock": current.fact()})
    return low


def _policy(policy: ReorderPolicy) -> dict[str, Any]:
    return {
        "sku_id": str(policy.sku_id),
        "warehouse_id": str(policy.warehouse_id),
        "safety_stock": policy.safety_stock,
        "reorder_point": policy.reorder_point,
        "reorder_quantity": policy.reorder_quantity,
    }


async def set_reorder_policy(
    sku_id: UUID,
    warehouse_id: UUID,
    *,
    safety_stock: int,
    reorder_point: int,
    reorder_quantity: int = 0,
) -> ReorderPolicy:
    """Create or change the policy of a SKU in a warehouse; emits the position under it."""
    if not await Sku.exists(id=sku_id):
        raise NotFound("No SKU with this id.", field="skuId")
    await get_warehouse(warehouse_id)
    if safety_stock < 0:
        raise InvalidInput("Safety stock cannot be negative.", field="safetyStock")
    if reorder_point < safety_stock:
        raise InvalidInput(
            "The reorder point must be at least the safety stock.", field="reorderPoint"
        )
    if reorder_quantity < 0:
        raise InvalidInput("The reorder quantity cannot be negative.", field="reorderQuantity")
    async with in_transaction():
        policy = await ReorderPolicy.get_or_none(sku_id=sku_id, warehouse_id=warehouse_id)
        before = _policy(policy) if policy else None
        if policy is None:
            policy = ReorderPolicy(sku_id=sku_id, warehouse_id=warehouse_id)
        policy.safety_stock = safety_stock
        policy.reorder_point = reorder_point
        policy.reorder_quantity = reorder_quantity
        await policy.save()
        await audit.record(
            "reorder_policy.set", "reorder_policy", policy.id, before=before, after=_policy(policy)
        )
        await emit_stock_changed(sku_id, warehouse_id, "reorder_policy")
    return policy


__all__ = [
    "STOCK_CHANGED",
    "STOCK_LOW",
    "Position",
    "below_safety",
    "check_stock",
    "emit_stock_changed",
    "emit_stock_changed_many",
    "position",
    "positions_of",
    "set_reorder_policy",
    "to_reorder",
]
