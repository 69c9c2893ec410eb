"""Placing an order (by staff, or by a storefront partner with an API key), drafts,
confirmation, cancellation and notes. Every one needs `order:write`."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from uuid import UUID

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.orders.types import OrderNode
from merchantops.domain.customers.service import AddressSpec
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus
from merchantops.domain.orders import placement
from merchantops.domain.orders.models import OrderChannel
from merchantops.domain.orders.pricing import Discount, DiscountKind

WRITE = TenantPermission("order", "write")


@strawberry.enum
class DiscountType(Enum):
    AMOUNT = "AMOUNT"
    PERCENT = "PERCENT"


@strawberry.input(description="An amount off, or a percentage (0-100) of what is left.")
class DiscountInput:
    kind: DiscountType
    value: Decimal
    reason: str = ""


@strawberry.input
class OrderLineInput:
    sku_id: strawberry.ID
    quantity: int
    unit_price: Decimal | None = strawberry.field(
        default=None, description="The SKU's list price when left out."
    )
    discounts: list[DiscountInput] = strawberry.field(default_factory=list)


@strawberry.input
class ShippingAddressInput:
    recipient: str
    line1: str
    city: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""


@strawberry.input
class PlaceOrderInput:
    lines: list[OrderLineInput]
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Retrying with the same key answers the first placement, never a second "
        "order; the same key with another request is IDEMPOTENCY_CONFLICT.",
    )
    customer_id: strawberry.ID | None = None
    email: str = ""
    phone: str = ""
    shipping_address: ShippingAddressInput | None = None
    shipping: Decimal = Decimal(0)
    shipping_tax_category: str | None = None
    discounts: list[DiscountInput] = strawberry.field(default_factory=list)
    note: str = ""
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="Ship everything from this warehouse (else chosen by stock)."
    )
    draft: bool = strawberry.field(
        default=False, description="A draft: priced, nothing reserved, completed later."
    )


@strawberry.type
class PlaceOrderPayload:
    order: OrderNode | None = None
    replayed: bool = strawberry.field(
        default=False, description="True when the key's earlier order is answered again."
    )
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when compliance holds the order (UNCONFIRMED) for approval."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrderPayload:
    order: OrderNode | None = None
    approval_request: ApprovalRequestNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class OrderIdInput:
    id: strawberry.ID


@strawberry.input
class CompleteDraftOrderInput:
    id: strawberry.ID
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class CancelOrderInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class AddOrderNoteInput:
    id: strawberry.ID
    note: str


def _discounts(discounts: list[DiscountInput]) -> tuple[Discount, ...]:
    return tuple(Discount(DiscountKind(d.kind.value), d.value, d.reason) for d in discounts)


def _spec(input: PlaceOrderInput) -> placement.OrderSpec:
    address = input.shipping_address
    return placement.OrderSpec(
        lines=tuple(
            placement.LineSpec(
                decode_id(line.sku_id, "Sku", f"lines.{i}.skuId"),
                line.quantity,
                line.unit_price,
                _discounts(line.discounts),
            )
            for i, line in enumerate(input.lines)
        ),
        customer_id=decode_optional_id(input.customer_id, "Customer", "customerId"),
        email=input.email,
        phone=input.phone,
        shipping_address=None
        if address is None
        else AddressSpec(
            recipient=address.recipient,
            line1=address.line1,
            city=address.city,
            country=address.country,
            line2=address.line2,
            region=address.region,
            postal_code=address.postal_code,
            phone=address.phone,
        ),
        shipping=input.shipping,
        shipping_tax_category=input.shipping_tax_category,
        discounts=_discounts(input.discounts),
        note=input.note,
        warehouse_id=decode_optional_id(input.warehouse_id, "Warehouse", "warehouseId"),
        draft=input.draft,
        idempotency_key=input.idempotency_key,
    )


@strawberry.type
class PlacementMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Price an order, ask compliance, reserve its stock FIFO: one transaction.",
    )
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        channel = (
            OrderChannel.PARTNER
            if info.context.principal.api_key is not None
            else OrderChannel.STAFF
        )
        placed = await placement.place_order(
            info.context.require_evaluator(), info.context.actor(), _spec(input), channel=channel
        )
        held = None
        if placed.order.status.value == "UNCONFIRMED":
            held = await _waiting_request(placed.order.id)
        return PlaceOrderPayload(
            order=OrderNode.from_model(placed.order),
            replayed=placed.replayed,
            approval_request=ApprovalRequestNode.from_model(held) if held else None,
        )

    @strawberry.mutation(extensions=[requires(WRITE)], description="UNCONFIRMED -> UNFULFILLED.")
    async def confirm_order(self, input: OrderIdInput) -> OrderPayload:
        order = await placement.confirm_order(decode_id(input.id, "Order"))
        return OrderPayload(order=OrderNode.from_model(order))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="A draft is placed: compliance asked, stock reserved.",
    )
    async def complete_draft_order(
        self, info: Info, input: CompleteDraftOrderInput
    ) -> OrderPayload:
        order, held = await placement.complete_draft(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.id, "Order"),
            decode_optional_id(input.warehouse_id, "Warehouse", "warehouseId"),
        )
        return OrderPayload(
            order=OrderNode.from_model(order),
            approval_request=ApprovalRequestNode.from_model(held) if held else None,
        )

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Cancel until the first shipment: stock released; governed by compliance.",
    )
    async def cancel_order(self, info: Info, input: CancelOrderInput) -> OrderPayload:
        order, held = await placement.cancel_order(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.id, "Order"),
            input.reason,
        )
        return OrderPayload(
            order=OrderNode.from_model(order),
            approval_request=ApprovalRequestNode.from_model(held) if held else None,
        )

    @strawberry.mutation(
        extensions=[requires(WRITE)], description="A note in the order's history (masked)."
    )
    async def add_order_note(self, input: AddOrderNoteInput) -> OrderPayload:
        order = await placement.add_note(decode_id(input.id, "Order"), input.note)
        return OrderPayload(order=OrderNode.from_model(order))


async def _waiting_request(order_id: UUID) -> ApprovalRequest | None:
    return await ApprovalRequest.filter(
        action=placement.PLACE, subject_id=str(order_id), status=ApprovalStatus.PENDING
    ).first()


__all__ = ["OrderPayload", "PlacementMutation"]
