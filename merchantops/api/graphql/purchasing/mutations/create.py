"""A new purchase order, as a draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import requires
from merchantops.api.graphql.purchasing.mutations.payloads import WRITE, PurchaseOrderPayload
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode
from merchantops.domain.purchasing import service


@strawberry.input
class PurchaseOrderLineInput:
    sku_id: strawberry.ID
    quantity: int
    unit_cost: Decimal


@strawberry.input
class CreatePurchaseOrderInput:
    supplier_id: strawberry.ID
    warehouse_id: strawberry.ID
    lines: list[PurchaseOrderLineInput]
    currency: str = "USD"
    delivery_date: date | None = None
    quality_standard: str = strawberry.field(default="", metadata=limit(max_length=500))
    payment_terms: str = ""
    penalty_terms: str = strawberry.field(default="", metadata=limit(max_length=500))


@strawberry.type
class CreateMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="A new order, as a draft.")
    async def create_purchase_order(self, input: CreatePurchaseOrderInput) -> PurchaseOrderPayload:
        order = await service.create(
            decode_id(input.supplier_id, "Supplier", "supplierId"),
            decode_id(input.warehouse_id, "Warehouse", "warehouseId"),
            [
                service.LineSpec(
                    decode_id(line.sku_id, "Sku", f"lines.{index}.skuId"),
                    line.quantity,
                    line.unit_cost,
                )
                for index, line in enumerate(input.lines)
            ],
            terms=service.Terms(
                delivery_date=input.delivery_date,
                quality_standard=input.quality_standard,
                payment_terms=input.payment_terms,
                penalty_terms=input.penalty_terms,
            ),
            currency=input.currency,
        )
        return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))


__all__ = ["CreateMutation"]
