"""An order's payment ledger: authorize, charge, void and refund transactions through the
tenant's payment provider, and the payment status derived from them.

    row = await record(order_id, Kind.CHARGE, Decimal("99.00"), "checkout-42")

Three steps, so no database transaction stays open while a gateway answers:

1. **Admit** (one transaction, the order row locked): `payments.admit` checks the request
   against every transaction of the order, the pending ones included, and the row is written
   PENDING. Two refunds at once queue on the order's lock; the second sees the first pending,
   so together they never pass what was charged.
2. **Send** to the provider with the transaction's idempotency key (a gateway retried with a
   key answers as the first time).
3. **Settle** (one transaction): the answer is written, the order's payment status and balances
   recomputed from the ledger (`payments.balances`) and stored, events emitted
   (`payment.succeeded` / `payment.failed`, `order.paid` when it becomes PAID, and for a
   refund `refund.succeeded` / `refund.failed`). A PENDING answer waits for `settle` to be
   called again (a provider's callback, or staff).

A key used again with the same content answers the first transaction (nothing sent again);
with other content `IDEMPOTENCY_CONFLICT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.orders import history
from merchantops.domain.orders.errors import PaymentNotAllowed
from merchantops.domain.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentTransaction,
    Refund,
    RefundStatus,
)
from merchantops.domain.orders.money import currency
from merchantops.domain.orders.payments import (
    Kind,
    ManualProvider,
    PaymentProvider,
    PaymentStatus,
    ProviderResult,
    TestProvider,
    Transaction,
    TransactionRequest,
    TransactionStatus,
    admit,
    balances,
)
from merchantops.domain.orders.placement import event_body, locked_order
from merchantops.domain.orders.policies import order_settings
from merchantops.errors import InvalidInput, NotFound
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor

PROVIDERS: Mapping[str, PaymentProvider] = {"manual": ManualProvider(), "test": TestProvider()}
NO_PAYMENTS = (OrderStatus.DRAFT, OrderStatus.CANCELED, OrderStatus.EXPIRED)


def provider(name: str) -> PaymentProvider:
    found = PROVIDERS.get(name)
    if found is None:
        raise InvalidInput(f"No payment provider {name!r}.", field="provider")
    return found


def as_transaction(row: PaymentTransaction) -> Transaction:
    return Transaction(
        Kind(row.kind),
        Decimal(row.amount),
        row.idempotency_key,
        TransactionStatus(row.status),
        row.parent_key,
        row.provider_reference,
    )


async def ledger(order_id: UUID) -> list[PaymentTransaction]:
    return list(await PaymentTransaction.filter(order_id=order_id).order_by("created_at", "id"))


def _key(key: str) -> str:
    key = key.strip()
    if not 1 <= len(key) <= 100:
        raise InvalidInput("An idempotency key is 1-100 characters.", field="idempotencyKey")
    return key


async def admit_locked(
    order: Order,
    kind: Kind,
    amount: Decimal,
    key: str,
    parent_key: str | None,
    provider_name: str,
    refund_id: UUID | None = None,
) -> tuple[PaymentTransaction, bool]:
    """Step 1 inside the caller's transaction, the order locked: the PENDING row, or the
    key's earlier one (`True`: replayed)."""
    if kind is not Kind.REFUND and order.status in NO_PAYMENTS:
        raise PaymentNotAllowed(f"A {order.status.value} order takes no payment.", field="orderId")
    rows = await ledger(order.id)
    money = currency(order.currency)
    if amount.is_finite() and amount != money.round(amount):
        raise InvalidInput(
            f"{money.code} amounts have at most {money.exponent} decimals.", field="amount"
        )
    admitted = admit(
        [as_transaction(row) for row in rows], TransactionRequest(kind, amount, key, parent_key)
    )
    if admitted.replayed:
        return next(row for row in rows if row.idempotency_key == key), True
    row = await PaymentTransaction.create(
        order_id=order.id,
        kind=kind.value,
        status=TransactionStatus.PENDING.value,
        amount=amount,
        idempotency_key=key,
        parent_key=parent_key,
        provider=provider_name,
        refund_id=refund_id,
        created_by=current_actor()[:100],
    )
    await history.append(
        order.id,
        "payment.requested",
        {"transaction_id": str(row.id), "kind": kind.value, "amount": str(amount)},
    )
    await audit.record(
        "payment.requested",
        "payment_transaction",
        row.id,
        after={"order_id": str(order.id), "kind": kind.value, "amount": str(amount), "key": key},
    )
    return row, False


async def send(row: PaymentTransaction, order: Order) -> ProviderResult:
    """Step 2: the provider's answer; outside any transaction."""
    gateway = provider(row.provider)
    amount = Decimal(row.amount)
    kind = Kind(row.kind)
    if kind is Kind.AUTHORIZE:
        return await gateway.authorize(amount, order.currency, row.idempotency_key)
    if kind is Kind.CHARGE:
        parent = await _parent_reference(row)
        return await gateway.charge(amount, order.currency, row.idempotency_key, parent)
    if kind is Kind.REFUND:
        return await gateway.refund(amount, order.currency, row.idempotency_key)
    return await gateway.void(await _parent_reference(row) or "", row.idempotency_key)


async def _parent_reference(row: PaymentTransaction) -> str | None:
    if row.parent_key is None:
        return None
    parent = await PaymentTransaction.get_or_none(
        order_id=row.order_id, idempotency_key=row.parent_key
    )
    return None if parent is None else parent.provider_reference


async def record(
    order_id: UUID,
    kind: Kind,
    amount: Decimal,
    idempotency_key: str,
    parent_key: str | None = None,
) -> PaymentTransaction:
    """Authorize, charge, or void through the tenant's provider (module steps 1-3)."""
    key = _key(idempotency_key)
    settings = await order_settings()
    async with in_transaction():
        order = await locked_order(order_id, "orderId")
        row, replayed = await admit_locked(
            order, kind, amount, key, parent_key, settings.payment_provider
        )
    if replayed or row.status != TransactionStatus.PENDING.value:
        return row
    result = await send(row, order)
    return await settle(row.id, result.status, result.reference)


async def settle(
    transaction_id: UUID, status: TransactionStatus, reference: str | None
) -> PaymentTransaction:
    """Step 3: write a provider's answer and everything that follows from it. Settling a
    settled transaction with the same answer changes nothing; with another, is refused."""
    found = await PaymentTransaction.get_or_none(id=transaction_id)
    if found is None:
        raise NotFound("No payment transaction with this id.", field="id")
    async with in_transaction():
        order = await locked_order(found.order_id)
        row = await PaymentTransaction.select_for_update().get(id=transaction_id)
        if row.status != TransactionStatus.PENDING.value:
            if row.status != status.value:
                raise PaymentNotAllowed(f"The transaction is {row.status} already.", field="status")
            return row
        if status is TransactionStatus.PENDING:
            if reference and reference != row.provider_reference:
                row.provider_reference = reference[:200]
                await row.save(update_fields=["provider_reference", "updated_at"])
            return row
        row.status, row.provider_reference = status.value, (reference or "")[:200] or None
        await row.save(update_fields=["status", "provider_reference", "updated_at"])
        outcome = "succeeded" if status is TransactionStatus.SUCCESS else "failed"
        await history.append(
            order.id,
            f"payment.{outcome}",
            {"transaction_id": str(row.id), "kind": row.kind, "amount": str(row.amount)},
        )
        await audit.record(
            f"payment.{outcome}",
            "payment_transaction",
            row.id,
            before={"status": "PENDING"},
            after={"status": status.value, "reference": row.provider_reference},
        )
        before = order.payment_status
        await refresh_balances(order)
        await outbox.emit(f"payment.{outcome}", {**event_body(order), **transaction_body(row)})
        if order.payment_status == PaymentStatus.PAID and before != PaymentStatus.PAID:
            await history.append(order.id, "order.paid", {"total": str(order.total)})
            await outbox.emit("order.paid", event_body(order))
        if row.refund_id is not None:
            await _settle_refund(row, order, status)
    return row


def transaction_body(row: PaymentTransaction) -> dict[str, Any]:
    return {
        "transaction_id": str(row.id),
        "kind": row.kind,
        "amount": float(row.amount),
        "transaction_status": row.status,
    }


async def refresh_balances(order: Order) -> None:
    """Store the payment status and balances the ledger gives (inside the change's
    transaction, the order locked)."""
    rows = await ledger(order.id)
    result = balances(Decimal(order.total), [as_transaction(row) for row in rows])
    order.payment_status = result.status.value
    order.charged, order.refunded = result.charged, result.refunded
    await order.save(update_fields=["payment_status", "charged", "refunded", "updated_at"])


async def _settle_refund(row: PaymentTransaction, order: Order, status: TransactionStatus) -> None:
    refund = await Refund.select_for_update().get(id=row.refund_id)
    refund.status = (
        RefundStatus.SUCCESS if status is TransactionStatus.SUCCESS else RefundStatus.FAILURE
    )
    refund.settled_at = datetime.now(UTC)
    await refund.save(update_fields=["status", "settled_at"])
    if refund.status is RefundStatus.FAILURE:  # give the lines' refundable value back
        for part in refund.lines:
            line = await OrderLine.select_for_update().get(id=part["order_line_id"])
            line.refunded = Decimal(line.refunded) - Decimal(part["amount"])
            await line.save(update_fields=["refunded"])
    outcome = "succeeded" if refund.status is RefundStatus.SUCCESS else "failed"
    await history.append(
        order.id, f"refund.{outcome}", {"refund_id": str(refund.id), "amount": str(refund.amount)}
    )
    await audit.record(
        f"refund.{outcome}",
        "refund",
        refund.id,
        before={"status": "PENDING"},
        after={"status": refund.status.value},
    )
    await outbox.emit(
        f"refund.{outcome}",
        {**event_body(order), "refund_id": str(refund.id), "amount": float(refund.amount)},
    )


__all__ = [
    "PROVIDERS",
    "admit_locked",
    "as_transaction",
    "ledger",
    "provider",
    "record",
    "refresh_balances",
    "send",
    "settle",
    "transaction_body",
]
