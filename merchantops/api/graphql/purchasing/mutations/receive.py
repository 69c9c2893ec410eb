"""Goods arrived against an order: each received line becomes a lot."""

from __future__ import annotations

from datetime import date

import strawberry

from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.purchasing.mutations.payloads import PurchaseOrderPayload
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode
from merchantops.domain.purchasing import models, service


@strawberry.input
class ReceiptLineInput:
    line_id: strawberry.ID
    quantity: int
    trace_code: str | None = strawberry.field(
        default=None, description="The lot's quality trace code; generated when absent."
    )
    expires_on: date | None = None
    zone_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where it goes; the warehouse's first zone when absent."
    )


@strawberry.input
class ReceivePurchaseOrderInput:
    id: strawberry.ID
    lines: list[ReceiptLineInput]
    note: str = strawberry.field(default="", metadata=limit(max_length=500))


@strawberry.type
class ReceiveMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("inventory", "write"))],
        description="Goods arrived: each line becomes a lot with a trace code and a receipt "
        "movement; the order becomes partially received or received.",
    )
    async def receive_purchase_order(
        self, input: ReceivePurchaseOrderInput
    ) -> PurchaseOrderPayload:
        order_id = decode_id(input.id, "PurchaseOrder")
        lines = [
            service.ReceiptLine(
                decode_id(line.line_id, "PurchaseOrderLine", f"lines.{index}.lineId"),
                line.quantity,
                line.trace_code,
                line.expires_on,
                decode_optional_id(line.zone_id, "Zone", f"lines.{index}.zoneId"),
            )
            for index, line in enumerate(input.lines)
        ]
        await service.receive(order_id, lines, note=input.note)
        order = await models.PurchaseOrder.get(id=order_id)
        return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))


__all__ = ["ReceiveMutation"]
