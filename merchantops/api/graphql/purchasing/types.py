"""GraphQL types of the purchasing area, and what it adds to inventory's `Lot` (the order and
the receipt that brought a lot in: purchasing records them, `core/extensions.py`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

import strawberry
from strawberry import relay

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.catalog.types import SkuNode, load_sku
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.extensions import contributed
from merchantops.api.graphql.inventory.types import LotNode, global_id
from merchantops.api.graphql.suppliers.types import SupplierNode, load_supplier
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.purchasing import models
from merchantops.domain.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceivedLot,
)

# The domain's own enum, exposed as it is: one list of values to keep.
PoStatus = models.PoStatus
strawberry.enum(PoStatus, name="PurchaseOrderStatus")


@strawberry.type(name="PurchaseOrderLine")
class PurchaseOrderLineNode(relay.Node):
    id: relay.NodeID[str]
    line_no: int
    quantity: int
    unit_cost: Decimal
    received_quantity: int
    sku_pk: strawberry.Private[UUID]

    @strawberry.field
    def amount(self) -> Decimal:
        return self.unit_cost * self.quantity

    @strawberry.field
    async def sku(self, info: Info) -> SkuNode:
        return await load_sku(info, self.sku_pk)

    @classmethod
    def from_model(cls, line: models.PurchaseOrderLine) -> Self:
        return cls(
            id=str(line.id),
            line_no=line.line_no,
            quantity=line.quantity,
            unit_cost=line.unit_cost,
            received_quantity=line.received_quantity,
            sku_pk=line.sku_id,
        )


@strawberry.type(name="Receipt", description="Goods received against a purchase order.")
class ReceiptNode(relay.Node):
    id: relay.NodeID[str]
    received_by: str
    note: str
    received_at: datetime
    order_pk: strawberry.Private[UUID]

    @strawberry.field
    async def purchase_order(self, info: Info) -> PurchaseOrderNode:
        order = await info.context.loaders.by_id(PurchaseOrder).load(self.order_pk)
        assert order is not None
        return PurchaseOrderNode.from_model(order)

    @classmethod
    def from_model(cls, receipt: models.Receipt) -> Self:
        return cls(
            id=str(receipt.id),
            received_by=receipt.received_by,
            note=receipt.note,
            received_at=receipt.received_at,
            order_pk=receipt.purchase_order_id,
        )


@strawberry.type(name="PurchaseOrder")
class PurchaseOrderNode(relay.Node):
    id: relay.NodeID[str]
    number: str
    status: PoStatus
    currency: str
    total: Decimal
    delivery_date: date | None
    quality_standard: str
    payment_terms: str
    penalty_terms: str
    created_by: str
    submitted_at: datetime | None
    approved_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    warehouse_id: strawberry.ID
    supplier_pk: strawberry.Private[UUID]
    pending_approval_pk: strawberry.Private[UUID | None]

    @strawberry.field
    async def supplier(self, info: Info) -> SupplierNode:
        return await load_supplier(info, self.supplier_pk)

    @strawberry.field
    async def lines(self, info: Info) -> list[PurchaseOrderLineNode]:
        rows = await info.context.loaders.grouped(
            PurchaseOrderLine, "purchase_order_id", "line_no"
        ).load(self.id)
        return [PurchaseOrderLineNode.from_model(row) for row in rows]

    @strawberry.field(description="The approval the next step waits for, if any.")
    async def pending_approval(self, info: Info) -> ApprovalRequestNode | None:
        if self.pending_approval_pk is None:
            return None
        found = await info.context.loaders.by_id(ApprovalRequest).load(self.pending_approval_pk)
        return ApprovalRequestNode.from_model(found) if found else None

    @classmethod
    def from_model(cls, order: models.PurchaseOrder) -> Self:
        return cls(
            id=str(order.id),
            number=order.number,
            status=order.status,
            currency=order.currency,
            total=order.total,
            delivery_date=order.delivery_date,
            quality_standard=order.quality_standard,
            payment_terms=order.payment_terms,
            penalty_terms=order.penalty_terms,
            created_by=order.created_by,
            submitted_at=order.submitted_at,
            approved_at=order.approved_at,
            closed_at=order.closed_at,
            created_at=order.created_at,
            updated_at=order.updated_at,
            warehouse_id=strawberry.ID(str(order.warehouse_id)),
            supplier_pk=order.supplier_id,
            pending_approval_pk=order.pending_approval_id,
        )


async def _received(root: LotNode, info: Info) -> ReceivedLot | None:
    """The record of the receipt that brought the lot in; None for a lot received otherwise."""
    found = await info.context.loaders.grouped(ReceivedLot, "lot_id", "id").load(root.id)
    return found[0] if found else None


async def lot_purchase_order_id(root: LotNode, info: Info) -> strawberry.ID | None:
    received = await _received(root, info)
    return None if received is None else global_id("PurchaseOrder", received.purchase_order_id)


async def lot_purchase_order(root: LotNode, info: Info) -> PurchaseOrderNode | None:
    received = await _received(root, info)
    if received is None:
        return None
    order = await info.context.loaders.by_id(PurchaseOrder).load(received.purchase_order_id)
    return PurchaseOrderNode.from_model(order) if order else None


async def lot_receipt_id(root: LotNode, info: Info) -> strawberry.ID | None:
    received = await _received(root, info)
    return None if received is None else global_id("Receipt", received.receipt_id)


async def lot_receipt(root: LotNode, info: Info) -> ReceiptNode | None:
    received = await _received(root, info)
    if received is None:
        return None
    receipt = await info.context.loaders.by_id(Receipt).load(received.receipt_id)
    return ReceiptNode.from_model(receipt) if receipt else None


@strawberry.type
class LotProvenance:
    """What purchasing adds to inventory's `Lot`: the order and the receipt it came from."""

    purchase_order_id: strawberry.ID | None = contributed(
        after="supplier_id", resolver=lot_purchase_order_id
    )
    purchase_order: PurchaseOrderNode | None = contributed(
        after="supplier",
        resolver=lot_purchase_order,
        description="Traceability: the order the lot came from.",
    )
    receipt_id: strawberry.ID | None = contributed(after="purchase_order", resolver=lot_receipt_id)
    receipt: ReceiptNode | None = contributed(
        after="receipt_id",
        resolver=lot_receipt,
        description="Traceability: the receipt that brought the lot in.",
    )


__all__ = [
    "LotProvenance",
    "PoStatus",
    "PurchaseOrderLineNode",
    "PurchaseOrderNode",
    "ReceiptNode",
    "lot_purchase_order",
    "lot_purchase_order_id",
    "lot_receipt",
    "lot_receipt_id",
]
