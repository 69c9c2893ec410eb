"""Purchase orders, their lines and receipts, after the standard's chapter 3.1-3.2, and the
lots each receipt brought in (`ReceivedLot`: inventory's lots know nothing of purchasing).

Model docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields

from merchantops.tenants.base import TenantModel

if TYPE_CHECKING:
    from merchantops.domain.catalog.models import Sku
    from merchantops.domain.inventory.models import Lot, Warehouse
    from merchantops.domain.suppliers.models import Supplier


class PoStatus(StrEnum):
    """Where an order is. `awaiting_approval`: a submit or an approve compliance held back."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PurchaseOrder(TenantModel):
    id = fields.UUIDField(primary_key=True)
    number = fields.CharField(max_length=32)
    supplier: fields.ForeignKeyRelation[Supplier] = fields.ForeignKeyField(
        "merchantops.Supplier", related_name="purchase_orders", on_delete=fields.RESTRICT
    )
    supplier_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name="purchase_orders", on_delete=fields.RESTRICT
    )
    warehouse_id: UUID
    status = fields.CharEnumField(PoStatus, max_length=20, default=PoStatus.DRAFT)
    currency = fields.CharField(max_length=3, default="USD")
    total = fields.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))
    # Contract terms
    delivery_date: date | None = fields.DateField(null=True)
    quality_standard = fields.CharField(max_length=500, default="")
    payment_terms = fields.CharField(max_length=200, default="")
    penalty_terms = fields.CharField(max_length=500, default="")
    # The approval request the next transition waits for, if any.
    pending_approval_id = fields.UUIDField(null=True)
    created_by = fields.CharField(max_length=100)
    submitted_at = fields.DatetimeField(null=True)
    approved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    lines: fields.ReverseRelation[PurchaseOrderLine]

    class Meta:
        table = "purchase_order"
        unique_together = (("tenant", "number"),)
        indexes = (("tenant_id", "status"), ("tenant_id", "supplier_id"))


class PurchaseOrderLine(TenantModel):
    id = fields.UUIDField(primary_key=True)
    purchase_order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "merchantops.PurchaseOrder", related_name="lines", on_delete=fields.CASCADE
    )
    purchase_order_id: UUID
    line_no = fields.IntField()
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="purchase_order_lines", on_delete=fields.RESTRICT
    )
    sku_id: UUID
    quantity = fields.IntField()
    unit_cost = fields.DecimalField(max_digits=14, decimal_places=2)
    received_quantity = fields.IntField(default=0)

    class Meta:
        table = "purchase_order_line"
        unique_together = (("tenant", "purchase_order", "line_no"),)


class Receipt(TenantModel):
    """Goods received against a purchase order. Each received line becomes a lot."""

    id = fields.UUIDField(primary_key=True)
    purchase_order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "merchantops.PurchaseOrder", related_name="receipts", on_delete=fields.RESTRICT
    )
    purchase_order_id: UUID
    received_by = fields.CharField(max_length=100)
    note = fields.CharField(max_length=500, default="")
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "receipt"


class ReceivedLot(TenantModel):
    """A lot a receipt brought in: the provenance purchasing keeps of the stock it received."""

    id = fields.UUIDField(primary_key=True)
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "merchantops.Lot", related_name=False, on_delete=fields.CASCADE
    )
    lot_id: UUID
    receipt: fields.ForeignKeyRelation[Receipt] = fields.ForeignKeyField(
        "merchantops.Receipt", related_name="received_lots", on_delete=fields.RESTRICT
    )
    receipt_id: UUID
    # The receipt's order, kept here so the lots of an order are found without a join.
    purchase_order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "merchantops.PurchaseOrder", related_name="received_lots", on_delete=fields.RESTRICT
    )
    purchase_order_id: UUID

    class Meta:
        table = "received_lot"
        unique_together = (("tenant", "lot"),)  # one receipt brought each lot in
        indexes = (("tenant_id", "purchase_order_id"),)


__all__ = ["PoStatus", "PurchaseOrder", "PurchaseOrderLine", "Receipt", "ReceivedLot"]
