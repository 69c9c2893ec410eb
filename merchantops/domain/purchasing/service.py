"""Purchase orders: draft -> submitted -> approved -> (partially) received -> closed, or cancelled.

Compliance is asked at submit and at approve with the facts of `FACTS`. A deny refuses the
transition and writes nothing; a required approval moves the order to `awaiting_approval`
(`pending_approval_id` names the request) until the role decides: approval applies the
transition, rejection puts the order back where it was (draft, or submitted): `handlers.py`.
Receiving turns each received line into a lot with its trace code and a receipt movement
(inventory's `ledger.receive`), in the zone a line names or the warehouse's default zone, and
records the lot as the receipt's (`ReceivedLot`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.inventory import ledger, positions, warehouses
from merchantops.domain.inventory.models import Lot, Warehouse, Zone
from merchantops.domain.purchasing.errors import AwaitingApproval, InvalidTransition
from merchantops.domain.purchasing.models import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceivedLot,
)
from merchantops.domain.suppliers.models import Supplier
from merchantops.domain.values import money, text
from merchantops.errors import InvalidInput, NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox, sequences
from merchantops.tenants.context import current_actor

SUBMIT = "purchase_order.submit"
APPROVE = "purchase_order.approve"
MAX_LINES = 200
MAX_QUANTITY = 10_000_000


@dataclass(frozen=True, slots=True)
class LineSpec:
    sku_id: UUID
    quantity: int
    unit_cost: Decimal


@dataclass(frozen=True, slots=True)
class Terms:
    delivery_date: date | None = None
    quality_standard: str = ""
    payment_terms: str = ""
    penalty_terms: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    line_id: UUID
    quantity: int
    trace_code: str | None = None
    expires_on: date | None = None
    zone_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """What a governed transition did: moved the order, or left it waiting for `approval`."""

    order: PurchaseOrder
    approval: ApprovalRequest | None = None


async def create(
    supplier_id: UUID,
    warehouse_id: UUID,
    lines: list[LineSpec],
    *,
    terms: Terms = Terms(),
    currency: str = "USD",
) -> PurchaseOrder:
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidInput(f"A purchase order has 1 to {MAX_LINES} lines.", field="lines")
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("A currency is a three-letter ISO code.", field="currency")
    checked_terms = _terms(terms)
    for index, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidInput(
                f"A quantity is 1 to {MAX_QUANTITY}.", field=f"lines.{index}.quantity"
            )
        money(line.unit_cost, f"lines.{index}.unitCost")
    supplier = await Supplier.get_or_none(id=supplier_id)
    if supplier is None:
        raise NotFound("No supplier with this id.", field="supplierId")
    if not await Warehouse.exists(id=warehouse_id):
        raise NotFound("No warehouse with this id.", field="warehouseId")
    sku_ids = {line.sku_id for line in lines}
    found = {sku.id for sku in await Sku.filter(id__in=list(sku_ids)).only("id")}
    for index, line in enumerate(lines):
        if line.sku_id not in found:
            raise NotFound("No SKU with this id.", field=f"lines.{index}.skuId")
    total = sum((line.unit_cost * line.quantity for line in lines), Decimal(0))
    number = await _next_number()  # before the transaction: it queues nobody (`sequences`)
    async with in_transaction():
        order = await PurchaseOrder.create(
            number=number,
            supplier=supplier,
            warehouse_id=warehouse_id,
            currency=currency,
            total=total,
            created_by=current_actor()[:100],
            **checked_terms,
        )
        for line_no, line in enumerate(lines, start=1):
            await PurchaseOrderLine.create(
                purchase_order=order,
                line_no=line_no,
                sku_id=line.sku_id,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
            )
        await audit.record(
            "purchase_order.created",
            "purchase_order",
            order.id,
            after={"number": order.number, "supplier": supplier.code, "total": str(total)},
        )
    return order


async def submit(evaluator: RuleEvaluator, actor: Actor, id: UUID) -> Transition:
    return await _governed_step(evaluator, actor, id, PoStatus.DRAFT, "submitted", SUBMIT)


async def approve(evaluator: RuleEvaluator, actor: Actor, id: UUID) -> Transition:
    return await _governed_step(evaluator, actor, id, PoStatus.SUBMITTED, "approved", APPROVE)


async def _governed_step(
    evaluator: RuleEvaluator,
    actor: Actor,
    id: UUID,
    status: PoStatus,
    target: str,
    action: str,
) -> Transition:
    """Move an order out of `status` as compliance allows: refused, held for approval, or done."""
    async with in_transaction():
        order = await _locked(id, status, target)
        pending = await approvals.governed(
            evaluator,
            actor,
            action,
            await compliance_fact(order),
            subject=("purchase_order", order.id),
        )
        if pending is not None:
            return Transition(await _wait(order, pending), pending)
        return Transition(await advance(order, action))


async def advance(order: PurchaseOrder, action: str) -> PurchaseOrder:
    """Apply the step of `action` (`SUBMIT` or `APPROVE`), compliance having allowed it or an
    approver approved it. In the caller's transaction, the order locked."""
    return await (_submitted if action == SUBMIT else _approved)(order)


async def receive(id: UUID, lines: list[ReceiptLine], *, note: str = "") -> Receipt:
    """Goods arrived: each line becomes a lot in the order's warehouse (or the given zone)."""
    if not lines:
        raise InvalidInput("Receive at least one line.", field="lines")
    note = text(note, "note", max_length=500, required=False)
    async with in_transaction():
        order = await PurchaseOrder.select_for_update().get_or_none(id=id)
        if order is None:
            raise NotFound("No purchase order with this id.", field="id")
        if order.status not in (PoStatus.APPROVED, PoStatus.PARTIALLY_RECEIVED):
            raise InvalidTransition(
                f"A {order.status.value} purchase order receives no goods.", field="id"
            )
        by_id = {line.id: line for line in await PurchaseOrderLine.filter(purchase_order=order)}
        default_zone = await warehouses.default_zone(order.warehouse_id)
        receipt = await Receipt.create(
            purchase_order=order, received_by=current_actor()[:100], note=note
        )
        now = datetime.now(UTC)
        received: list[dict[str, Any]] = []
        for index, item in enumerate(lines):
            line = by_id.get(item.line_id)
            if line is None:
                raise NotFound("No line of this purchase order.", field=f"lines.{index}.lineId")
            remaining = line.quantity - line.received_quantity
            if not 1 <= item.quantity <= remaining:
                raise InvalidInput(
                    f"Line {line.line_no} expects 1 to {remaining} more.",
                    field=f"lines.{index}.quantity",
                )
            zone = default_zone
            if item.zone_id is not None:
                zone = await Zone.get_or_none(id=item.zone_id, warehouse_id=order.warehouse_id)
                if zone is None:
                    raise NotFound(
                        "No zone with this id in the order's warehouse.",
                        field=f"lines.{index}.zoneId",
                    )
            if zone is None:
                raise NotFound("The order's warehouse has no zone.", field="id")
            code = item.trace_code or f"{order.number}-{line.line_no}-{str(receipt.id)[:8]}"
            code = text(code, f"lines.{index}.traceCode", max_length=64)
            if await Lot.exists(trace_code=code):
                raise InvalidInput(
                    f"Trace code '{code}' is taken.", field=f"lines.{index}.traceCode"
                )
            lot = await ledger.receive(
                sku_id=line.sku_id,
                zone=zone,
                quantity=item.quantity,
                trace_code=code,
                received_at=now,
                reference=order.number,
                supplier_id=order.supplier_id,
                expires_on=item.expires_on,
            )
            await ReceivedLot.create(lot=lot, receipt=receipt, purchase_order=order)
            line.received_quantity += item.quantity
            await line.save(update_fields=["received_quantity"])
            received.append(
                {"line": line.line_no, "quantity": item.quantity, "lot": lot.trace_code}
            )
        for sku_id in {line.sku_id for line in by_id.values() if line.received_quantity}:
            await positions.emit_stock_changed(sku_id, order.warehouse_id, "receipt")
        complete = all(line.received_quantity >= line.quantity for line in by_id.values())
        before = order.status
        order.status = PoStatus.RECEIVED if complete else PoStatus.PARTIALLY_RECEIVED
        await order.save(update_fields=["status", "updated_at"])
        await audit.record(
            "purchase_order.received",
            "purchase_order",
            order.id,
            before={"status": before.value},
            after={"status": order.status.value, "lines": received},
        )
        await outbox.emit(
            "purchase_order.received",
            {"id": str(order.id), "number": order.number, "status": order.status.value},
        )
    return receipt


async def close(id: UUID) -> PurchaseOrder:
    """Done with the order; a partially received one closes short."""
    return await _finish(id, (PoStatus.RECEIVED, PoStatus.PARTIALLY_RECEIVED), PoStatus.CLOSED)


async def cancel(id: UUID) -> PurchaseOrder:
    """Call the order off before any goods arrived; its pending approvals lapse."""
    return await _finish(
        id,
        (PoStatus.DRAFT, PoStatus.AWAITING_APPROVAL, PoStatus.SUBMITTED, PoStatus.APPROVED),
        PoStatus.CANCELLED,
    )


async def _finish(id: UUID, sources: tuple[PoStatus, ...], target: PoStatus) -> PurchaseOrder:
    async with in_transaction():
        order = await PurchaseOrder.select_for_update().get_or_none(id=id)
        if order is None:
            raise NotFound("No purchase order with this id.", field="id")
        if order.status not in sources:
            raise InvalidTransition(
                f"A {order.status.value} purchase order cannot be {target.value}.", field="id"
            )
        before = order.status
        order.status, order.closed_at, order.pending_approval_id = target, datetime.now(UTC), None
        await order.save(update_fields=["status", "closed_at", "pending_approval_id", "updated_at"])
        await approvals.cancel_pending(order.id)
        await audit.record(
            f"purchase_order.{target.value}",
            "purchase_order",
            order.id,
            before={"status": before.value},
            after={"status": target.value},
        )
        await outbox.emit(
            f"purchase_order.{target.value}", {"id": str(order.id), "number": order.number}
        )
    return order


async def _locked(id: UUID, status: PoStatus, target: str) -> PurchaseOrder:
    order = await PurchaseOrder.select_for_update().get_or_none(id=id)
    if order is None:
        raise NotFound("No purchase order with this id.", field="id")
    if order.pending_approval_id is not None:
        raise AwaitingApproval("This purchase order waits for an approval decision.", field="id")
    if order.status is not status:
        raise InvalidTransition(
            f"A {order.status.value} purchase order cannot be {target}.", field="id"
        )
    return order


async def _wait(order: PurchaseOrder, pending: ApprovalRequest) -> PurchaseOrder:
    before = order.status
    order.status, order.pending_approval_id = PoStatus.AWAITING_APPROVAL, pending.id
    await order.save(update_fields=["status", "pending_approval_id", "updated_at"])
    await audit.record(
        "purchase_order.held",
        "purchase_order",
        order.id,
        before={"status": before.value},
        after={"status": order.status.value, "approval": str(pending.id)},
    )
    return order


async def _submitted(order: PurchaseOrder) -> PurchaseOrder:
    return await _move(order, PoStatus.SUBMITTED, "submitted_at", "purchase_order.submitted")


async def _approved(order: PurchaseOrder) -> PurchaseOrder:
    return await _move(order, PoStatus.APPROVED, "approved_at", "purchase_order.approved")


async def _move(order: PurchaseOrder, status: PoStatus, stamp: str, event: str) -> PurchaseOrder:
    before = order.status
    order.status = status
    setattr(order, stamp, datetime.now(UTC))
    await order.save(update_fields=["status", stamp, "pending_approval_id", "updated_at"])
    await audit.record(
        event,
        "purchase_order",
        order.id,
        before={"status": before.value},
        after={"status": status.value},
    )
    await outbox.emit(
        event,
        {"id": str(order.id), "number": order.number, "total": float(order.total)},
    )
    return order


async def compliance_fact(order: PurchaseOrder) -> dict[str, Any]:
    """What compliance decides a step of `order` on (the facts of `FACTS`)."""
    supplier = await Supplier.get(id=order.supplier_id)
    return {
        "po": {
            "number": order.number,
            "total": float(order.total),
            "currency": order.currency,
            "lines": await PurchaseOrderLine.filter(purchase_order_id=order.id).count(),
        },
        "supplier": {
            "code": supplier.code,
            "grade": supplier.grade.value if supplier.grade else "",
        },
    }


async def _next_number() -> str:
    return f"PO-{await sequences.next_value('purchase_order'):06d}"


def _terms(terms: Terms) -> dict[str, Any]:
    return {
        "delivery_date": terms.delivery_date,
        "quality_standard": text(
            terms.quality_standard, "qualityStandard", max_length=500, required=False
        ),
        "payment_terms": text(terms.payment_terms, "paymentTerms", max_length=200, required=False),
        "penalty_terms": text(terms.penalty_terms, "penaltyTerms", max_length=500, required=False),
    }


__all__ = [
    "APPROVE",
    "SUBMIT",
    "LineSpec",
    "ReceiptLine",
    "Terms",
    "Transition",
    "advance",
    "approve",
    "cancel",
    "close",
    "compliance_fact",
    "create",
    "receive",
]
