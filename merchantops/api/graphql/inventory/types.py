"""GraphQL types of the inventory area; every relation goes through a request's DataLoaders.

Relations into other areas are objects (`sku`, a lot's `supplier` and `purchaseOrder`) next to
their global ids (`skuId`, ...).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.relay import GlobalID

from merchantops.api.graphql.catalog.types import SkuNode, load_sku
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode, ReceiptNode
from merchantops.api.graphql.suppliers.types import SupplierNode, load_supplier
from merchantops.domain.inventory import models
from merchantops.domain.inventory.models import Lot, Warehouse, Zone
from merchantops.domain.inventory.positions import Position
from merchantops.domain.inventory.reconcile import Mismatch
from merchantops.domain.purchasing.models import PurchaseOrder, Receipt

# The domain's own enums, exposed as they are: one list of values to keep.
MovementKind = models.MovementKind
AllocationStatus = models.AllocationStatus
AbcClass = models.AbcClass
strawberry.enum(MovementKind, name="StockMovementKind")
strawberry.enum(AllocationStatus, name="AllocationStatus")
strawberry.enum(AbcClass, name="AbcClass")


def global_id(type_name: str, pk: object) -> strawberry.ID | None:
    if pk is None:
        return None
    return strawberry.ID(str(relay.GlobalID(type_name, str(pk))))


async def _load(loader: Any, pk: object) -> Any:
    return None if pk is None else await loader.load(pk)


async def _warehouse(root: Any, info: Info) -> WarehouseNode:
    found = await info.context.loaders.by_id(Warehouse).load(root.warehouse_pk)
    assert found is not None
    return WarehouseNode.from_model(found)


async def _sku(root: Any, info: Info) -> SkuNode:
    return await load_sku(info, root.sku_pk)


async def _supplier(root: Any, info: Info) -> SupplierNode | None:
    if root.supplier_pk is None:
        return None
    return await load_supplier(info, root.supplier_pk)


async def _receipt(root: Any, info: Info) -> ReceiptNode | None:
    if root.receipt_id is None:
        return None
    receipt = await info.context.loaders.by_id(Receipt).load(
        GlobalID.from_id(root.receipt_id).node_id
    )
    return ReceiptNode.from_model(receipt) if receipt else None


async def _purchase_order(root: Any, info: Info) -> PurchaseOrderNode | None:
    if root.purchase_order_id is None:
        return None
    order = await info.context.loaders.by_id(PurchaseOrder).load(
        GlobalID.from_id(root.purchase_order_id).node_id
    )
    return PurchaseOrderNode.from_model(order) if order else None


@strawberry.type(name="Zone")
class ZoneNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    name: str
    warehouse_pk: strawberry.Private[object]

    warehouse: WarehouseNode = strawberry.field(resolver=_warehouse)

    @classmethod
    def from_model(cls, zone: models.Zone) -> Self:
        return cls(id=str(zone.id), code=zone.code, name=zone.name, warehouse_pk=zone.warehouse_id)


@strawberry.type(name="Warehouse")
class WarehouseNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    name: str
    created_at: datetime

    @strawberry.field(description="The warehouse's zones, by code.")
    async def zones(self, info: Info) -> list[ZoneNode]:
        zones = await info.context.loaders.grouped(Zone, "warehouse_id", "code").load(self.id)
        return [ZoneNode.from_model(zone) for zone in zones]

    @classmethod
    def from_model(cls, warehouse: models.Warehouse) -> Self:
        return cls(
            id=str(warehouse.id),
            code=warehouse.code,
            name=warehouse.name,
            created_at=warehouse.created_at,
        )


@strawberry.type(name="Lot")
class LotNode(relay.Node):
    id: relay.NodeID[str]
    trace_code: str = strawberry.field(description="The quality trace code of the batch.")
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    supplier_id: strawberry.ID | None
    supplier_pk: strawberry.Private[object]
    purchase_order_id: strawberry.ID | None
    supplier: SupplierNode | None = strawberry.field(resolver=_supplier)
    purchase_order: PurchaseOrderNode | None = strawberry.field(
        resolver=_purchase_order, description="Traceability: the order the lot came from."
    )
    receipt_id: strawberry.ID | None
    receipt: ReceiptNode | None = strawberry.field(
        resolver=_receipt, description="Traceability: the receipt that brought the lot in."
    )
    quantity: int = strawberry.field(description="Quantity received into this lot.")
    received_at: datetime
    expires_on: date | None

    @classmethod
    def from_model(cls, lot: models.Lot) -> Self:
        return cls(
            id=str(lot.id),
            trace_code=lot.trace_code,
            sku_id=global_id("Sku", lot.sku_id),  # type: ignore[arg-type]
            sku_pk=lot.sku_id,
            supplier_id=global_id("Supplier", lot.supplier_id),
            supplier_pk=lot.supplier_id,
            purchase_order_id=global_id("PurchaseOrder", lot.purchase_order_id),
            receipt_id=global_id("Receipt", lot.receipt_id),
            quantity=lot.quantity,
            received_at=lot.received_at,
            expires_on=lot.expires_on,
        )


@strawberry.type
class _Placed:
    """A row that names a lot, a zone and a warehouse, resolved through loaders."""

    lot_pk: strawberry.Private[object]
    zone_pk: strawberry.Private[object]
    warehouse_pk: strawberry.Private[object]

    @strawberry.field
    async def lot(self, info: Info) -> LotNode:
        found = await info.context.loaders.by_id(Lot).load(self.lot_pk)  # type: ignore[arg-type]
        assert found is not None
        return LotNode.from_model(found)

    @strawberry.field
    async def zone(self, info: Info) -> ZoneNode:
        found = await info.context.loaders.by_id(Zone).load(self.zone_pk)  # type: ignore[arg-type]
        assert found is not None
        return ZoneNode.from_model(found)

    warehouse: WarehouseNode = strawberry.field(resolver=_warehouse)


@strawberry.type(name="StockLevel")
class StockLevelNode(_Placed, relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    on_hand: int
    allocated: int
    available: int = strawberry.field(description="On hand minus allocated.")
    received_at: datetime
    expires_on: date | None

    @classmethod
    def from_model(cls, level: models.StockLevel) -> Self:
        return cls(
            id=str(level.id),
            sku_id=global_id("Sku", level.sku_id),  # type: ignore[arg-type]
            sku_pk=level.sku_id,
            on_hand=level.on_hand,
            allocated=level.allocated,
            available=level.on_hand - level.allocated,
            received_at=level.received_at,
            expires_on=level.expires_on,
            lot_pk=level.lot_id,
            zone_pk=level.zone_id,
            warehouse_pk=level.warehouse_id,
        )


@strawberry.type(name="Allocation")
class AllocationNode(relay.Node):
    id: relay.NodeID[str]
    reference: str
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    quantity: int
    status: AllocationStatus
    created_at: datetime
    updated_at: datetime
    warehouse_pk: strawberry.Private[object]

    warehouse: WarehouseNode = strawberry.field(resolver=_warehouse)

    @classmethod
    def from_model(cls, allocation: models.Allocation) -> Self:
        return cls(
            id=str(allocation.id),
            reference=allocation.reference,
            sku_id=global_id("Sku", allocation.sku_id),  # type: ignore[arg-type]
            sku_pk=allocation.sku_id,
            quantity=allocation.quantity,
            status=allocation.status,
            created_at=allocation.created_at,
            updated_at=allocation.updated_at,
            warehouse_pk=allocation.warehouse_id,
        )


@strawberry.type(name="StockMovement")
class StockMovementNode(_Placed, relay.Node):
    id: relay.NodeID[str]
    kind: MovementKind
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    on_hand_delta: int
    allocated_delta: int
    reference: str
    actor: str
    created_at: datetime
    allocation_pk: strawberry.Private[object]

    @strawberry.field
    async def allocation(self, info: Info) -> AllocationNode | None:
        found = await _load(info.context.loaders.by_id(models.Allocation), self.allocation_pk)
        return AllocationNode.from_model(found) if found else None

    @classmethod
    def from_model(cls, movement: models.StockMovement) -> Self:
        return cls(
            id=str(movement.id),
            kind=movement.kind,
            sku_id=global_id("Sku", movement.sku_id),  # type: ignore[arg-type]
            sku_pk=movement.sku_id,
            on_hand_delta=movement.on_hand_delta,
            allocated_delta=movement.allocated_delta,
            reference=movement.reference,
            actor=movement.actor,
            created_at=movement.created_at,
            allocation_pk=movement.allocation_id,
            lot_pk=movement.lot_id,
            zone_pk=movement.zone_id,
            warehouse_pk=movement.warehouse_id,
        )


@strawberry.type(name="ReorderPolicy")
class ReorderPolicyNode(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    safety_stock: int
    reorder_point: int
    reorder_quantity: int
    updated_at: datetime
    warehouse_pk: strawberry.Private[object]

    warehouse: WarehouseNode = strawberry.field(resolver=_warehouse)

    @classmethod
    def from_model(cls, policy: models.ReorderPolicy) -> Self:
        return cls(
            id=str(policy.id),
            sku_id=global_id("Sku", policy.sku_id),  # type: ignore[arg-type]
            sku_pk=policy.sku_id,
            safety_stock=policy.safety_stock,
            reorder_point=policy.reorder_point,
            reorder_quantity=policy.reorder_quantity,
            updated_at=policy.updated_at,
            warehouse_pk=policy.warehouse_id,
        )


@strawberry.type(name="SkuAnalytics")
class SkuAnalyticsNode(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    abc_class: AbcClass
    usage_value: Decimal = strawberry.field(description="Units shipped x unit cost.")
    turnover: Decimal | None = strawberry.field(
        description="Cost of goods shipped / average inventory value over the period."
    )
    period_days: int
    computed_at: datetime

    @classmethod
    def from_model(cls, row: models.SkuAnalytics) -> Self:
        return cls(
            id=str(row.id),
            sku_id=global_id("Sku", row.sku_id),  # type: ignore[arg-type]
            sku_pk=row.sku_id,
            abc_class=row.abc_class,
            usage_value=row.usage_value,
            turnover=row.turnover,
            period_days=row.period_days,
            computed_at=row.computed_at,
        )


@strawberry.type(description="A SKU at or below its reorder point in a warehouse.")
class ReorderSuggestion(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[object]
    sku: SkuNode = strawberry.field(resolver=_sku)
    sku_code: str
    on_hand: int
    allocated: int
    available: int
    safety_stock: int
    reorder_point: int
    suggested_quantity: int = strawberry.field(
        description="Enough to get above the reorder point, at least the policy's quantity."
    )
    warehouse_pk: strawberry.Private[object]

    warehouse: WarehouseNode = strawberry.field(resolver=_warehouse)

    @classmethod
    def from_position(cls, position: Position) -> Self:
        return cls(
            id=f"{position.sku_id}:{position.warehouse_id}",
            sku_id=global_id("Sku", position.sku_id),  # type: ignore[arg-type]
            sku_pk=position.sku_id,
            sku_code=position.sku,
            on_hand=position.on_hand,
            allocated=position.allocated,
            available=position.available,
            safety_stock=position.safety_stock,
            reorder_point=position.reorder_point,
            suggested_quantity=position.suggested_quantity,
            warehouse_pk=position.warehouse_id,
        )


@strawberry.type(description="A stock level whose quantities differ from its movements.")
class LedgerMismatch:
    level_id: strawberry.ID
    on_hand: int
    allocated: int
    ledger_on_hand: int
    ledger_allocated: int

    @classmethod
    def from_mismatch(cls, mismatch: Mismatch) -> Self:
        return cls(
            level_id=global_id("StockLevel", mismatch.level_id),  # type: ignore[arg-type]
            on_hand=mismatch.on_hand,
            allocated=mismatch.allocated,
            ledger_on_hand=mismatch.ledger_on_hand,
            ledger_allocated=mismatch.ledger_allocated,
        )


@strawberry.type(description="Every stock level rebuilt from the movement ledger and compared.")
class LedgerCheck:
    ok: bool
    levels_checked: int
    mismatches: list[LedgerMismatch]


__all__ = [
    "AbcClass",
    "AllocationNode",
    "AllocationStatus",
    "LedgerCheck",
    "LedgerMismatch",
    "LotNode",
    "MovementKind",
    "ReorderPolicyNode",
    "ReorderSuggestion",
    "SkuAnalyticsNode",
    "StockLevelNode",
    "StockMovementNode",
    "WarehouseNode",
    "ZoneNode",
    "global_id",
]
