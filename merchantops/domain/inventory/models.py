"""Warehouses, zones, lots, stock levels and the movement ledger (standard chapter 3.2).

`StockLevel` is the current on-hand and allocated quantity of one lot in one zone. Every change
to it is written in the same transaction as one `StockMovement` carrying the deltas, so the
ledger alone rebuilds every level. Movements are never updated or deleted. Model docstrings
become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.constraints import CheckConstraint

from merchantops.tenants.base import TenantModel

if TYPE_CHECKING:
    from merchantops.domain.catalog.models import Sku
    from merchantops.domain.suppliers.models import Supplier


class Warehouse(TenantModel):
    id = fields.UUIDField(primary_key=True)
    code = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    zones: fields.ReverseRelation[Zone]

    class Meta:
        table = "warehouse"
        unique_together = (("tenant", "code"),)


class Zone(TenantModel):
    id = fields.UUIDField(primary_key=True)
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="zones", on_delete=fields.CASCADE
    )
    warehouse_id: UUID
    code = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "zone"
        unique_together = (("tenant", "warehouse", "code"),)


class Lot(TenantModel):
    """A batch of one SKU from one receipt, traceable by its quality trace code."""

    id = fields.UUIDField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="lots", on_delete=fields.RESTRICT
    )
    sku_id: UUID
    trace_code = fields.CharField(max_length=64)
    supplier: fields.ForeignKeyNullableRelation[Supplier] = fields.ForeignKeyField(
        "merchantops.Supplier", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    supplier_id: UUID | None
    quantity = fields.IntField(description="Quantity received into this lot.")
    received_at = fields.DatetimeField()
    expires_on: date | None = fields.DateField(null=True)

    class Meta:
        table = "lot"
        unique_together = (("tenant", "trace_code"),)


class StockLevel(TenantModel):
    """On hand and allocated of one lot in one zone. Available is on hand minus allocated."""

    id = fields.UUIDField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="stock_levels", on_delete=fields.RESTRICT
    )
    sku_id: UUID
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "merchantops.Lot", related_name="stock_levels", on_delete=fields.RESTRICT
    )
    lot_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="stock_levels", on_delete=fields.RESTRICT
    )
    warehouse_id: UUID
    zone: fields.ForeignKeyRelation[Zone] = fields.ForeignKeyField(
        "merchantops.Zone", related_name="stock_levels", on_delete=fields.RESTRICT
    )
    zone_id: UUID
    on_hand = fields.IntField(default=0)
    allocated = fields.IntField(default=0)
    # Copies of the lot's dates, so allocation orders its candidates without a join.
    received_at = fields.DatetimeField()
    expires_on: date | None = fields.DateField(null=True)

    class Meta:
        table = "stock_level"
        unique_together = (("tenant", "lot", "zone"),)
        indexes = (("tenant_id", "sku_id", "warehouse_id"),)
        constraints = (
            CheckConstraint(
                check="on_hand >= 0 AND allocated >= 0 AND allocated <= on_hand",
                name="stock_level_never_negative",
            ),
        )


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ALLOCATION = "allocation"
    RELEASE = "release"
    SHIPMENT = "shipment"
    ADJUSTMENT = "adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    RETURN = "return"  # returned goods put back into their lot (orders area)


class AppendOnly(RuntimeError):
    pass


class StockMovement(TenantModel):
    """One change to one stock level: the deltas of on hand and allocated. Append-only."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(MovementKind, max_length=16)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="movements", on_delete=fields.RESTRICT
    )
    sku_id: UUID
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "merchantops.Lot", related_name="movements", on_delete=fields.RESTRICT
    )
    lot_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="movements", on_delete=fields.RESTRICT
    )
    warehouse_id: UUID
    zone: fields.ForeignKeyRelation[Zone] = fields.ForeignKeyField(
        "merchantops.Zone", related_name="movements", on_delete=fields.RESTRICT
    )
    zone_id: UUID
    on_hand_delta = fields.IntField()
    allocated_delta = fields.IntField(default=0)
    allocation_id = fields.UUIDField(null=True)
    reference = fields.CharField(max_length=100, default="")
    actor = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stock_movement"
        indexes = (("tenant_id", "sku_id", "created_at"), ("tenant_id", "created_at"))

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._saved_in_db:
            await super().save(*args, **kwargs)
            return
        raise AppendOnly("Stock movements are never changed: record a correcting movement.")

    async def delete(self, using_db: BaseDBAsyncClient | None = None) -> None:
        raise AppendOnly("Stock movements are never deleted: record a correcting movement.")


class AllocationStatus(StrEnum):
    ALLOCATED = "allocated"
    SHIPPED = "shipped"
    RELEASED = "released"


class Allocation(TenantModel):
    """Stock reserved for a reference (an order, a transfer), spread over lots FIFO."""

    id = fields.UUIDField(primary_key=True)
    reference = fields.CharField(max_length=100)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="allocations", on_delete=fields.RESTRICT
    )
    sku_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="allocations", on_delete=fields.RESTRICT
    )
    warehouse_id: UUID
    quantity = fields.IntField()
    status = fields.CharEnumField(
        AllocationStatus, max_length=16, default=AllocationStatus.ALLOCATED
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "allocation"
        indexes = (("tenant_id", "reference"),)


class ReorderPolicy(TenantModel):
    """Safety stock and reorder point of one SKU in one warehouse."""

    id = fields.UUIDField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="reorder_policies", on_delete=fields.CASCADE
    )
    sku_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="reorder_policies", on_delete=fields.CASCADE
    )
    warehouse_id: UUID
    safety_stock = fields.IntField(default=0)
    reorder_point = fields.IntField(default=0)
    reorder_quantity = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reorder_policy"
        unique_together = (("tenant", "sku", "warehouse"),)


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class SkuAnalytics(TenantModel):
    """The latest ABC class and turnover of a SKU, written by the analytics job in SQL."""

    id = fields.UUIDField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="analytics", on_delete=fields.CASCADE
    )
    sku_id: UUID
    abc_class = fields.CharEnumField(AbcClass, max_length=1)
    usage_value = fields.DecimalField(max_digits=18, decimal_places=2)
    turnover = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    period_days = fields.IntField()
    computed_at = fields.DatetimeField()

    class Meta:
        table = "sku_analytics"
        unique_together = (("tenant", "sku"),)


__all__ = [
    "AbcClass",
    "Allocation",
    "AllocationStatus",
    "AppendOnly",
    "Lot",
    "MovementKind",
    "ReorderPolicy",
    "SkuAnalytics",
    "StockLevel",
    "StockMovement",
    "Warehouse",
    "Zone",
]
