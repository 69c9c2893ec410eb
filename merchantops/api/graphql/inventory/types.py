"""GraphQL types of the inventory area's stock: warehouses, zones, lots, stock levels, allocations
and the movement ledger; every relation goes through a request's DataLoaders.

Relations into areas inventory depends on are objects (`sku`, a lot's `supplier`) next to their
global ids (`skuId`, ...). What areas depending on inventory add to these types (a lot's
purchase order and receipt) they declare themselves (`core/extensions.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self, overload
from uuid import UUID

import strawberry
from strawberry import relay

from merchantops.api.graphql.catalog.types import SkuNode, load_sku
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.suppliers.types import SupplierNode, load_supplier
from merchantops.domain.inventory import models
from merchantops.domain.inventory.models import Lot, Warehouse, Zone

# The domain's own enums, exposed as they are: one list of values to keep.
MovementKind = models.MovementKind
AllocationStatus = models.AllocationStatus
strawberry.enum(MovementKind, name="StockMovementKind")
strawberry.enum(AllocationStatus, name="AllocationStatus")


@overload
def global_id(type_name: str, pk: UUID) -> strawberry.ID: ...
@overload
def global_id(type_name: str, pk: UUID | None) -> strawberry.ID | None: ...
def global_id(type_name: str, pk: UUID | None) -> strawberry.ID | None:
    if pk is None:
        return None
    return strawberry.ID(str(relay.GlobalID(type_name, str(pk))))


async def warehouse_of(root: Any, info: Info) -> WarehouseNode:
    """The warehouse a node names in `warehouse_pk`."""
    found = await info.context.loaders.by_id(Warehouse).load(root.warehouse_pk)
    assert found is not None
    return WarehouseNode.from_model(found)


async def sku_of(root: Any, info: Info) -> SkuNode:
    """The SKU a node names in `sku_pk`."""
    return await load_sku(info, root.sku_pk)


async def _supplier(root: Any, info: Info) -> SupplierNode | None:
    if root.supplier_pk is None:
        return None
    return await load_supplier(info, root.supplier_pk)


@strawberry.type(name="Zone")
class ZoneNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    name: str
    warehouse_pk: strawberry.Private[UUID]

    warehouse: WarehouseNode = strawberry.field(resolver=warehouse_of)

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
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    supplier_id: strawberry.ID | None
    supplier_pk: strawberry.Private[UUID | None]
    supplier: SupplierNode | None = strawberry.field(resolver=_supplier)
    quantity: int = strawberry.field(description="Quantity received into this lot.")
    received_at: datetime
    expires_on: date | None

    @classmethod
    def from_model(cls, lot: models.Lot) -> Self:
        return cls(
            id=str(lot.id),
            trace_code=lot.trace_code,
            sku_id=global_id("Sku", lot.sku_id),
            sku_pk=lot.sku_id,
            supplier_id=global_id("Supplier", lot.supplier_id),
            supplier_pk=lot.supplier_id,
            quantity=lot.quantity,
            received_at=lot.received_at,
            expires_on=lot.expires_on,
        )


@strawberry.type
class _Placed:
    """A row that names a lot, a zone and a warehouse, resolved through loaders."""

    lot_pk: strawberry.Private[UUID]
    zone_pk: strawberry.Private[UUID]
    warehouse_pk: strawberry.Private[UUID]

    @strawberry.field
    async def lot(self, info: Info) -> LotNode:
        found = await info.context.loaders.by_id(Lot).load(self.lot_pk)
        assert found is not None
        return LotNode.from_model(found)

    @strawberry.field
    async def zone(self, info: Info) -> ZoneNode:
        found = await info.context.loaders.by_id(Zone).load(self.zone_pk)
        assert found is not None
        return ZoneNode.from_model(found)

    warehouse: WarehouseNode = strawberry.field(resolver=warehouse_of)


@strawberry.type(name="StockLevel")
class StockLevelNode(_Placed, relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    on_hand: int
    allocated: int
    available: int = strawberry.field(description="On hand minus allocated.")
    received_at: datetime
    expires_on: date | None

    @classmethod
    def from_model(cls, level: models.StockLevel) -> Self:
        return cls(
            id=str(level.id),
            sku_id=global_id("Sku", level.sku_id),
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
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    quantity: int
    status: AllocationStatus
    created_at: datetime
    updated_at: datetime
    warehouse_pk: strawberry.Private[UUID]

    warehouse: WarehouseNode = strawberry.field(resolver=warehouse_of)

    @classmethod
    def from_model(cls, allocation: models.Allocation) -> Self:
        return cls(
            id=str(allocation.id),
            reference=allocation.reference,
            sku_id=global_id("Sku", allocation.sku_id),
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
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    on_hand_delta: int
    allocated_delta: int
    reference: str
    actor: str
    created_at: datetime
    allocation_pk: strawberry.Private[UUID | None]

    @strawberry.field
    async def allocation(self, info: Info) -> AllocationNode | None:
        if self.allocation_pk is None:
            return None
        found = await info.context.loaders.by_id(models.Allocation).load(self.allocation_pk)
        return AllocationNode.from_model(found) if found else None

    @classmethod
    def from_model(cls, movement: models.StockMovement) -> Self:
        return cls(
            id=str(movement.id),
            kind=movement.kind,
            sku_id=global_id("Sku", movement.sku_id),
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


__all__ = [
    "AllocationNode",
    "AllocationStatus",
    "LotNode",
    "MovementKind",
    "StockLevelNode",
    "StockMovementNode",
    "WarehouseNode",
    "ZoneNode",
    "global_id",
    "sku_of",
    "warehouse_of",
]
