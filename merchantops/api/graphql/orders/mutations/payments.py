"""An order's payments and refunds through the tenant's payment provider. Each needs
`order:write`; a refund is governed by compliance (it may wait for an approval)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.orders.types import (
    OrderNode,
    PaymentTransactionNode,
    RefundNode,
    TransactionStatus,
)
from merchantops.domain.orders import refunds, transactions
from merchantops.domain.orders.models import Order, PaymentTransaction
from merchantops.domain.orders.payments import Kind
from merchantops.domain.orders.payments import TransactionStatus as Status

WRITE = TenantPermission("order", "write")


@strawberry.type
class PaymentPayload:
    transaction: PaymentTransactionNode | None = None
    order: OrderNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AuthorizePaymentInput:
    order_id: strawberry.ID
    amount: Decimal
    idempotency_key: str


@strawberry.input
class ChargePaymentInput:
    order_id: strawberry.ID
    amount: Decimal
    idempotency_key: str
    authorization_key: str | None = strawberry.field(
        default=None, description="Capture of this authorization (its idempotency key)."
    )


@strawberry.input
class VoidPaymentInput:
    order_id: strawberry.ID
    authorization_key: str
    idempotency_key: str


@strawberry.input(description="A provider's answer to a PENDING transaction (its callback).")
class SettlePaymentInput:
    id: strawberry.ID
    status: TransactionStatus
    provider_reference: str | None = None


@strawberry.input
class RefundLineInput:
    order_line_id: strawberry.ID
    quantity: int


@strawberry.input(description="Lines, shipping and an ad hoc amount (with a reason), together.")
class RefundOrderInput:
    order_id: strawberry.ID
    idempotency_key: str
    lines: list[RefundLineInput] = strawberry.field(default_factory=list)
    shipping: Decimal = Decimal(0)
    amount: Decimal = strawberry.field(default=Decimal(0), description="Ad hoc, with a reason.")
    reason: str = ""
    return_id: strawberry.ID | None = None


@strawberry.type
class RefundOrderPayload:
    refund: RefundNode | None = None
    order: OrderNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when compliance holds the refund for approval."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _payload(row: PaymentTransaction) -> PaymentPayload:
    order = await Order.get(id=row.order_id)
    return PaymentPayload(
        transaction=PaymentTransactionNode.from_model(row, order.currency),
        order=OrderNode.from_model(order),
    )


@strawberry.type
class PaymentMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="Hold an amount.")
    async def authorize_payment(self, input: AuthorizePaymentInput) -> PaymentPayload:
        row = await transactions.record(
            decode_id(input.order_id, "Order", "orderId"),
            Kind.AUTHORIZE,
            input.amount,
            input.idempotency_key,
        )
        return await _payload(row)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Take money: direct, or capturing an authorization.",
    )
    async def charge_payment(self, input: ChargePaymentInput) -> PaymentPayload:
        row = await transactions.record(
            decode_id(input.order_id, "Order", "orderId"),
            Kind.CHARGE,
            input.amount,
            input.idempotency_key,
            input.authorization_key,
        )
        return await _payload(row)

    @strawberry.mutation(extensions=[requires(WRITE)], description="Release an authorization.")
    async def void_payment(self, input: VoidPaymentInput) -> PaymentPayload:
        row = await transactions.record(
            decode_id(input.order_id, "Order", "orderId"),
            Kind.VOID,
            Decimal(0),
            input.idempotency_key,
            input.authorization_key,
        )
        return await _payload(row)

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def settle_payment_transaction(self, input: SettlePaymentInput) -> PaymentPayload:
        row = await transactions.settle(
            decode_id(input.id, "PaymentTransaction"),
            Status(input.status.value),
            input.provider_reference,
        )
        return await _payload(row)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Refund lines, shipping and/or an ad hoc amount; never more than charged "
        "less refunded; governed by compliance.",
    )
    async def refund_order(self, info: Info, input: RefundOrderInput) -> RefundOrderPayload:
        order_id = decode_id(input.order_id, "Order", "orderId")
        refund, held = await refunds.refund_order(
            info.context.require_evaluator(),
            info.context.actor(),
            order_id,
            refunds.RefundSpec(
                idempotency_key=input.idempotency_key,
                lines=tuple(
                    refunds.RefundLineSpec(
                        decode_id(line.order_line_id, "OrderLine", f"lines.{i}.orderLineId"),
                        line.quantity,
                    )
                    for i, line in enumerate(input.lines)
                ),
                shipping=input.shipping,
                adhoc=input.amount,
                reason=input.reason,
                return_id=decode_optional_id(input.return_id, "Return", "returnId"),
            ),
        )
        order = await Order.get(id=order_id)
        return RefundOrderPayload(
            refund=RefundNode.from_model(refund, order.currency) if refund else None,
            order=OrderNode.from_model(order),
            approval_request=ApprovalRequestNode.from_model(held) if held else None,
        )


__all__ = ["PaymentMutation"]
