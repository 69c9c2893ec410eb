"""Refunds: money given back per line, for shipping, or ad hoc with a reason.

    refund, held = await refund_order(evaluator, actor, order_id, RefundSpec(...))

A refund is asked of the tenant's compliance rules (`refund.create`; the templates: one over
a threshold needs a finance approver, nobody refunds an order they placed). Allowed, it is
written PENDING with its REFUND transaction in one transaction, the order locked, so refunds
at once never pass what was charged less what was refunded or is being refunded
(`REFUND_EXCEEDS_CHARGED`); then the provider is asked and the answer settles both
(`transactions.settle`): `PENDING -> SUCCESS | FAILURE`.

Per line: the value of `quantity` units is the line's total x quantity / line quantity,
rounded half-even to the minor unit, and never more than the line's total less what was
refunded of it. Shipping: never more than the order's shipping (with its tax when exclusive)
less the shipping refunded. Receiving returned goods never forces a refund: a return links
the refunds made for it, nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.orders import history, transactions
from merchantops.domain.orders.errors import (
    IdempotencyConflict,
    InvalidAmount,
    RefundExceedsCharged,
)
from merchantops.domain.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentTransaction,
    Refund,
    RefundStatus,
    Return,
)
from merchantops.domain.orders.money import amount as checked_amount
from merchantops.domain.orders.money import currency
from merchantops.domain.orders.payments import Kind, TransactionStatus
from merchantops.domain.orders.placement import event_body, get_order, locked_order
from merchantops.domain.orders.policies import order_settings
from merchantops.domain.values import text
from merchantops.errors import InvalidInput, NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor

CREATE = "refund.create"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class RefundLineSpec:
    order_line_id: UUID
    quantity: int


@dataclass(frozen=True, slots=True)
class RefundSpec:
    idempotency_key: str
    lines: tuple[RefundLineSpec, ...] = ()
    shipping: Decimal = ZERO
    adhoc: Decimal = ZERO
    reason: str = ""
    return_id: UUID | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "lines": [[str(line.order_line_id), line.quantity] for line in self.lines],
            "shipping": str(self.shipping),
            "adhoc": str(self.adhoc),
            "reason": self.reason,
            "return_id": str(self.return_id) if self.return_id else None,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> RefundSpec:
        return cls(
            idempotency_key=payload["idempotency_key"],
            lines=tuple(RefundLineSpec(UUID(a), int(b)) for a, b in payload["lines"]),
            shipping=Decimal(payload["shipping"]),
            adhoc=Decimal(payload["adhoc"]),
            reason=payload["reason"],
            return_id=UUID(payload["return_id"]) if payload["return_id"] else None,
        )


@dataclass(frozen=True, slots=True)
class Priced:
    lines: list[dict[str, Any]]
    lines_amount: Decimal
    shipping: Decimal
    adhoc: Decimal

    @property
    def total(self) -> Decimal:
        return self.lines_amount + self.shipping + self.adhoc


async def _price(order: Order, spec: RefundSpec) -> Priced:
    """What the spec refunds, checked against what each part still holds."""
    money = currency(order.currency)
    shipping = checked_amount(spec.shipping, "shipping", money)
    adhoc = checked_amount(spec.adhoc, "amount", money)  # the API names it amount
    if adhoc and not spec.reason.strip():
        raise InvalidInput("An ad hoc refund says why.", field="reason")
    lines = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    asked: dict[UUID, int] = defaultdict(int)
    parts: list[dict[str, str | int]] = []
    for i, part in enumerate(spec.lines):
        line = lines.get(part.order_line_id)
        if line is None:
            raise NotFound("No line of this order with this id.", field=f"lines.{i}.orderLineId")
        if not 1 <= part.quantity <= line.quantity:
            raise InvalidInput(
                f"A quantity is between 1 and the line's {line.quantity}.",
                field=f"lines.{i}.quantity",
            )
        asked[line.id] += part.quantity
        value = money.round(Decimal(line.total) * part.quantity / line.quantity)
        left = Decimal(line.total) - Decimal(line.refunded)
        if value > left or asked[line.id] > line.quantity:
            raise RefundExceedsCharged(
                f"At most {left} of this line can be refunded.", field=f"lines.{i}.quantity"
            )
        parts.append(
            {"order_line_id": str(line.id), "quantity": part.quantity, "amount": str(value)}
        )
    shipping_paid = Decimal(order.shipping) + (
        ZERO if _shipping_inclusive(order, lines.values()) else Decimal(order.shipping_tax)
    )
    shipping_refunded = sum(
        (
            Decimal(r.shipping)
            for r in await Refund.filter(order_id=order.id).exclude(status=RefundStatus.FAILURE)
        ),
        ZERO,
    )
    if shipping > shipping_paid - shipping_refunded:
        raise RefundExceedsCharged(
            f"At most {shipping_paid - shipping_refunded} of shipping can be refunded.",
            field="shipping",
        )
    priced = Priced(parts, sum((Decimal(str(p["amount"])) for p in parts), ZERO), shipping, adhoc)
    if priced.total <= 0:
        raise InvalidAmount(
            "A refund gives something back: lines, shipping or an amount.", field="lines"
        )
    return priced


def _shipping_inclusive(order: Order, lines: Iterable[OrderLine]) -> bool:
    """Whether the shipping tax is inside the shipping amount (total = lines + shipping)."""
    lines_total = sum((Decimal(line.total) for line in lines), ZERO)
    return Decimal(order.total) == lines_total + Decimal(order.shipping)


async def refund_facts(order: Order, priced: Priced) -> dict[str, Any]:
    """What compliance and risk rules see of a refund."""
    rate, orders = ZERO, 0
    if order.customer_id is not None:
        orders = (
            await Order.filter(customer_id=order.customer_id)
            .exclude(status=OrderStatus.DRAFT)
            .count()
        )
        refunded = await (
            Refund.filter(order__customer_id=order.customer_id)
            .exclude(status=RefundStatus.FAILURE)
            .values_list("order_id", flat=True)
        )
        with_refunds = len(set(refunded) - {order.id})
        rate = Decimal(with_refunds + 1) / Decimal(max(orders, 1))
    return {
        "amount": float(priced.total),
        "lines_amount": float(priced.lines_amount),
        "shipping": float(priced.shipping),
        "adhoc": float(priced.adhoc),
        "share_of_order": float(priced.total / Decimal(order.total)) if order.total else 1.0,
        "refunder": "placer" if order.placed_by == current_actor() else "other",
        "customer_orders": orders,
        "customer_refund_rate": float(min(rate, Decimal(1))),
    }


async def refund_order(
    evaluator: RuleEvaluator,
    actor: Actor,
    order_id: UUID,
    spec: RefundSpec,
    *,
    approved: bool = False,
) -> tuple[Refund | None, ApprovalRequest | None]:
    """Refund by the module's rules: the refund (settled if the provider answered at once),
    or the approval request it waits for."""
    key = transactions._key(spec.idempotency_key)
    reason = text(spec.reason, "reason", max_length=500, required=False)
    settings = await order_settings()
    async with in_transaction():
        order = await locked_order(order_id, "orderId")
        earlier = await Refund.get_or_none(order_id=order.id, idempotency_key=key)
        if earlier is not None:
            same = (
                [[p["order_line_id"], p["quantity"]] for p in earlier.lines]
                == spec.payload()["lines"]
                and Decimal(earlier.shipping) == Decimal(spec.shipping)
                and Decimal(earlier.adhoc) == Decimal(spec.adhoc)
            )
            if not same:
                raise IdempotencyConflict(
                    "This idempotency key was used for another refund.", field="idempotencyKey"
                )
            return earlier, None
        if order.status is OrderStatus.DRAFT:
            raise InvalidInput("A draft has nothing to refund.", field="orderId")
        if spec.return_id is not None and not await Return.exists(
            id=spec.return_id, order_id=order.id
        ):
            raise NotFound("No return of this order with this id.", field="returnId")
        priced = await _price(order, spec)
        facts = await refund_facts(order, priced)
        held = await approvals.governed(
            evaluator,
            actor,
            CREATE,
            {"refund": facts, "order": event_body(order)},
            subject=("order", order.id),
            payload={"order_id": str(order.id), "spec": spec.payload()},
            approved=approved,
        )
        if held is not None:
            await history.append(
                order.id,
                "refund.held",
                {"approval_request": str(held.id), "amount": str(priced.total)},
            )
            return None, held
        refund = await Refund.create(
            order_id=order.id,
            return_id=spec.return_id,
            amount=priced.total,
            lines_amount=priced.lines_amount,
            shipping=priced.shipping,
            adhoc=priced.adhoc,
            reason=reason,
            lines=priced.lines,
            idempotency_key=key,
            requested_by=current_actor()[:100],
        )
        row, _ = await transactions.admit_locked(
            order,
            Kind.REFUND,
            priced.total,
            f"refund:{key}",
            None,
            settings.payment_provider,
            refund.id,
        )
        for part in priced.lines:
            line = await OrderLine.select_for_update().get(id=part["order_line_id"])
            line.refunded = Decimal(line.refunded) + Decimal(part["amount"])
            await line.save(update_fields=["refunded"])
        await history.append(
            order.id,
            "refund.requested",
            {"refund_id": str(refund.id), "amount": str(refund.amount)},
        )
        await audit.record(
            "refund.requested",
            "refund",
            refund.id,
            after={"order_id": str(order.id), "amount": str(refund.amount), "reason": reason},
        )
        await outbox.emit(
            "refund.requested",
            {**event_body(order), **facts, "refund_id": str(refund.id)},
        )
    result = await transactions.send(row, order)
    await transactions.settle(row.id, result.status, result.reference)
    await refund.refresh_from_db()
    return refund, None


async def apply_approved_refund(
    request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor
) -> None:
    payload = cast(dict[str, Any], request.payload)
    spec = RefundSpec.from_payload(payload["spec"])
    order = await get_order(UUID(payload["order_id"]))
    await refund_order(evaluator, actor, order.id, spec, approved=True)


async def pending_refund_transaction(refund: Refund) -> PaymentTransaction | None:
    return await PaymentTransaction.get_or_none(
        refund_id=refund.id, status=TransactionStatus.PENDING.value
    )


__all__ = [
    "CREATE",
    "RefundLineSpec",
    "RefundSpec",
    "apply_approved_refund",
    "pending_refund_transaction",
    "refund_facts",
    "refund_order",
]
