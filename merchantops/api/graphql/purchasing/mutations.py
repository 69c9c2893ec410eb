from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.purchasing import models, service
from merchantops.errors import DomainError
from merchantops.rules.evaluation import RuleEvaluator

WRITE = TenantPermission("purchase_order", "write")
APPROVE = TenantPermission("purchase_order", "approve")


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


@strawberry.input
class PurchaseOrderInput:
    id: strawberry.ID


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
class PurchaseOrderPayload:
    purchase_order: PurchaseOrderNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when the step waits for an approval instead."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


Step = Callable[[RuleEvaluator, Actor, UUID], Awaitable[service.Transition]]


async def _governed(info: Info, input: PurchaseOrderInput, step: Step) -> PurchaseOrderPayload:
    try:
        moved = await step(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.id, "PurchaseOrder"),
        )
    except DomainError as error:
        return PurchaseOrderPayload(errors=user_errors(error))
    return PurchaseOrderPayload(
        purchase_order=PurchaseOrderNode.from_model(moved.order),
        approval_request=ApprovalRequestNode.from_model(moved.approval) if moved.approval else None,
    )


async def _plain(
    input: PurchaseOrderInput, step: Callable[[UUID], Awaitable[models.PurchaseOrder]]
) -> PurchaseOrderPayload:
    try:
        order = await step(decode_id(input.id, "PurchaseOrder"))
    except DomainError as error:
        return PurchaseOrderPayload(errors=user_errors(error))
    return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))


@strawberry.type
class PurchaseOrderMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="A new order, as a draft.")
    async def create_purchase_order(self, input: CreatePurchaseOrderInput) -> PurchaseOrderPayload:
        try:
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
        except DomainError as error:
            return PurchaseOrderPayload(errors=user_errors(error))
        return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Draft -> submitted, as compliance allows: refused (COMPLIANCE_DENIED), "
        "held for an approval (approvalRequest set), or done.",
    )
    async def submit_purchase_order(
        self, info: Info, input: PurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await _governed(info, input, service.submit)

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Submitted -> approved, as compliance allows (like submit).",
    )
    async def approve_purchase_order(
        self, info: Info, input: PurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await _governed(info, input, service.approve)

    @strawberry.mutation(
        extensions=[requires(TenantPermission("inventory", "write"))],
        description="Goods arrived: each line becomes a lot with a trace code and a receipt "
        "movement; the order becomes partially received or received.",
    )
    async def receive_purchase_order(
        self, input: ReceivePurchaseOrderInput
    ) -> PurchaseOrderPayload:
        try:
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
        except DomainError as error:
            return PurchaseOrderPayload(errors=user_errors(error))
        return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def close_purchase_order(self, input: PurchaseOrderInput) -> PurchaseOrderPayload:
        return await _plain(input, service.close)

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def cancel_purchase_order(self, input: PurchaseOrderInput) -> PurchaseOrderPayload:
        return await _plain(input, service.cancel)


__all__ = ["PurchaseOrderMutation"]
