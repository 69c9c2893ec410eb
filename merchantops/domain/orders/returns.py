"""Returns (RMA): a customer sends back shipped goods.

    REQUESTED -> APPROVED | DECLINED;  APPROVED -> IN_TRANSIT -> RECEIVED (partial, again)
    -> INSPECTED -> CLOSED            (APPROVED may be received without IN_TRANSIT)

A return is requested per line: units shipped and not already on a live return, of a SKU that
is returnable (`SkuOrderPolicy`), within the tenant's return window from the order's last
shipment, each with a reason from the tenant's list and evidence notes; the return names its
outcome (REFUND, EXCHANGE, STORE_CREDIT). Goods are received, partially and more than once;
receiving never refunds anything (refunds name the return they are for, `refunds.py`).
Inspection gives each received line a disposition:

- RESTOCK: back into stock through the inventory ledger (a `return` movement), into the lots
  they were taken from, so at their original cost and with their supplier and purchase order;
- QUARANTINE, SCRAP: kept out of stock, recorded;
- RETURN_TO_SUPPLIER: recorded with the original lot, its supplier and purchase order.

Closing carries out the outcome: STORE_CREDIT grants the received units' value to the
customer; EXCHANGE places a replacement order of the received units at no charge, linked to the
return; REFUND leaves the money to the refunds made for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.governance.approvals import Actor
from merchantops.domain.inventory import ledger
from merchantops.domain.inventory.models import Lot, MovementKind
from merchantops.domain.inventory.positions import emit_stock_changed
from merchantops.domain.inventory.warehouses import default_zone, get_zone
from merchantops.domain.orders import history, placement
from merchantops.domain.orders.errors import (
    ReturnNotAllowed,
    ReturnStatusConflict,
    UnknownReturnReason,
)
from merchantops.domain.orders.models import (
    Disposition,
    FulfillmentOrder,
    Order,
    OrderLine,
    OrderLineLot,
    OrderStatus,
    Return,
    ReturnLine,
    ReturnOutcome,
    ReturnReason,
    ReturnStatus,
    SkuOrderPolicy,
    StoreCredit,
)
from merchantops.domain.orders.money import currency
from merchantops.domain.orders.policies import order_settings
from merchantops.domain.purchasing.models import ReceivedLot
from merchantops.domain.values import text
from merchantops.errors import InvalidInput, NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor
from merchantops.tenants.sequences import next_value

RS = ReturnStatus
RETURNABLE_ORDERS = (OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED)
LIVE = (RS.REQUESTED, RS.APPROVED, RS.IN_TRANSIT, RS.RECEIVED, RS.INSPECTED, RS.CLOSED)


@dataclass(frozen=True, slots=True)
class ReturnLineSpec:
    order_line_id: UUID
    quantity: int
    reason_code: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class ReceivedSpec:
    return_line_id: UUID
    quantity: int


@dataclass(frozen=True, slots=True)
class InspectionSpec:
    return_line_id: UUID
    disposition: Disposition
    zone_id: UUID | None = None
    note: str = ""


def body(rma: Return, order: Order) -> dict[str, Any]:
    return {
        "id": str(rma.id),
        "number": str(rma.number),
        "order_id": str(order.id),
        "order_number": order.number,
        "customer_id": str(rma.customer_id) if rma.customer_id else None,
        "status": rma.status.value,
        "outcome": rma.outcome.value,
    }


async def _window_open(order: Order, window_days: int, now: datetime) -> bool:
    shipped = await FulfillmentOrder.filter(order_id=order.id, shipped_at__isnull=False)
    last = max((f.shipped_at for f in shipped if f.shipped_at is not None), default=None)
    return last is not None and now <= last + timedelta(days=window_days)


async def request_return(
    order_id: UUID,
    lines: tuple[ReturnLineSpec, ...],
    outcome: ReturnOutcome = ReturnOutcome.REFUND,
    note: str = "",
) -> Return:
    note = text(note, "note", max_length=2000, required=False)
    if not lines:
        raise InvalidInput("A return has at least one line.", field="lines")
    settings = await order_settings()
    reasons = {r.code: r for r in await ReturnReason.filter(active=True)}
    number = await next_value("return")
    now = datetime.now(UTC)
    async with in_transaction():
        order = await placement.locked_order(order_id, "orderId")
        if order.status not in RETURNABLE_ORDERS:
            raise ReturnNotAllowed(
                f"A {order.status.value} order takes no return.", field="orderId"
            )
        if not await _window_open(order, settings.return_window_days, now):
            raise ReturnNotAllowed(
                f"The {settings.return_window_days}-day return window has lapsed.", field="orderId"
            )
        if outcome is not ReturnOutcome.REFUND and order.customer_id is None:
            raise InvalidInput(
                "Exchange and store credit need the order's customer.", field="outcome"
            )
        order_lines = {
            line.id: line for line in await OrderLine.filter(order_id=order.id).select_for_update()
        }
        policies = {
            p.sku_id: p
            for p in await SkuOrderPolicy.filter(
                sku_id__in=[line.sku_id for line in order_lines.values()]
            )
        }
        asked: dict[UUID, int] = defaultdict(int)
        for i, spec in enumerate(lines):
            line = order_lines.get(spec.order_line_id)
            if line is None:
                raise NotFound(
                    "No line of this order with this id.", field=f"lines.{i}.orderLineId"
                )
            if spec.reason_code not in reasons:
                raise UnknownReturnReason(
                    f"No active return reason {spec.reason_code!r}.", field=f"lines.{i}.reasonCode"
                )
            policy = policies.get(line.sku_id)
            if policy is not None and not policy.returnable:
                raise ReturnNotAllowed(
                    f"{line.sku_code} cannot be returned.", field=f"lines.{i}.orderLineId"
                )
            asked[line.id] += spec.quantity
            left = line.quantity_shipped - line.quantity_returned
            if spec.quantity < 1 or asked[line.id] > left:
                raise ReturnNotAllowed(
                    f"{left} shipped units of this line can still be returned.",
                    field=f"lines.{i}.quantity",
                )
            text(spec.evidence, f"lines.{i}.evidence", max_length=2000, required=False)
        rma = await Return.create(
            number=number,
            order_id=order.id,
            customer_id=order.customer_id,
            outcome=outcome,
            note=note,
            requested_by=current_actor()[:100],
        )
        origins = await _origins(list(asked))
        rows = []
        for spec in lines:
            line = order_lines[spec.order_line_id]
            lot_id, supplier_id, po_id = origins.get(line.id, (None, None, None))
            rows.append(
                ReturnLine(
                    rma_id=rma.id,
                    order_line_id=line.id,
                    sku_id=line.sku_id,
                    quantity=spec.quantity,
                    reason_code=spec.reason_code,
                    evidence=spec.evidence.strip(),
                    lot_id=lot_id,
                    supplier_id=supplier_id,
                    purchase_order_id=po_id,
                )
            )
        await ReturnLine.bulk_create(rows)
        for line_id, quantity in asked.items():
            order_lines[line_id].quantity_returned += quantity
            await order_lines[line_id].save(update_fields=["quantity_returned"])
        await _record(rma, order, "return.requested", lines=len(rows), units=sum(asked.values()))
    return rma


async def _origins(order_line_ids: list[UUID]) -> dict[UUID, tuple[UUID, UUID | None, UUID | None]]:
    """Each line's first lot, its supplier and the purchase order that brought it in."""
    firsts: dict[UUID, UUID] = {}
    for taken in await OrderLineLot.filter(order_line_id__in=order_line_ids).order_by("id"):
        firsts.setdefault(taken.order_line_id, taken.lot_id)
    lots = {lot.id: lot for lot in await Lot.filter(id__in=list(firsts.values()))}
    purchase_orders = dict(
        await ReceivedLot.filter(lot_id__in=list(lots)).values_list("lot_id", "purchase_order_id")
    )
    return {
        line: (lot, lots[lot].supplier_id if lot in lots else None, purchase_orders.get(lot))
        for line, lot in firsts.items()
    }


async def _record(rma: Return, order: Order, event: str, **data: Any) -> None:
    await history.append(
        order.id, event, {"return_id": str(rma.id), "return_number": rma.number, **data}
    )
    await audit.record(event, "return", rma.id, after={"status": rma.status.value, **data})
    await outbox.emit(event, {**body(rma, order), **data})


async def _locked(return_id: UUID, *allowed: ReturnStatus) -> tuple[Return, Order]:
    found = await Return.get_or_none(id=return_id)
    if found is None:
        raise NotFound("No return with this id.", field="id")
    order = await placement.locked_order(found.order_id)
    rma = await Return.select_for_update().get(id=return_id)
    if rma.status not in allowed:
        raise ReturnStatusConflict(f"The return is {rma.status.value}.", field="id")
    return rma, order


async def _move(
    rma: Return, order: Order, status: ReturnStatus, event: str, fields: list[str], **data: Any
) -> None:
    rma.status = status
    await rma.save(update_fields=["status", *fields, "updated_at"])
    await _record(rma, order, event, **data)


async def approve_return(return_id: UUID) -> Return:
    async with in_transaction():
        rma, order = await _locked(return_id, RS.REQUESTED)
        await _move(rma, order, RS.APPROVED, "return.approved", [])
    return rma


async def decline_return(return_id: UUID, reason: str) -> Return:
    why = text(reason, "reason", max_length=500)
    async with in_transaction():
        rma, order = await _locked(return_id, RS.REQUESTED)
        rma.decline_reason = why
        for line in await ReturnLine.filter(rma_id=rma.id):
            order_line = await OrderLine.select_for_update().get(id=line.order_line_id)
            order_line.quantity_returned -= line.quantity
            await order_line.save(update_fields=["quantity_returned"])
        await _move(rma, order, RS.DECLINED, "return.declined", ["decline_reason"], reason=why)
    return rma


async def mark_in_transit(return_id: UUID, carrier: str = "", tracking_number: str = "") -> Return:
    async with in_transaction():
        rma, order = await _locked(return_id, RS.APPROVED)
        rma.carrier = text(carrier, "carrier", max_length=100, required=False)
        rma.tracking_number = text(
            tracking_number, "trackingNumber", max_length=100, required=False
        )
        await _move(rma, order, RS.IN_TRANSIT, "return.in_transit", ["carrier", "tracking_number"])
    return rma


async def receive_return(return_id: UUID, received: tuple[ReceivedSpec, ...]) -> Return:
    """Goods arrived: some or all units of some lines; again until inspected. No refund."""
    if not received:
        raise InvalidInput("Say what was received.", field="lines")
    async with in_transaction():
        rma, order = await _locked(return_id, RS.APPROVED, RS.IN_TRANSIT, RS.RECEIVED)
        lines = {
            line.id: line for line in await ReturnLine.filter(rma_id=rma.id).select_for_update()
        }
        units = 0
        skus: set[str] = set()
        reasons: set[str] = set()
        for i, spec in enumerate(received):
            line = lines.get(spec.return_line_id)
            if line is None:
                raise NotFound(
                    "No line of this return with this id.", field=f"lines.{i}.returnLineId"
                )
            if spec.quantity < 1 or line.quantity_received + spec.quantity > line.quantity:
                raise InvalidInput(
                    f"At most {line.quantity - line.quantity_received} more units of this line.",
                    field=f"lines.{i}.quantity",
                )
            line.quantity_received += spec.quantity
            await line.save(update_fields=["quantity_received"])
            units += spec.quantity
            skus.add(str(line.sku_id))
            reasons.add(line.reason_code)
        rma.received_at = datetime.now(UTC)
        await _move(
            rma,
            order,
            RS.RECEIVED,
            "return.received",
            ["received_at"],
            units=units,
            skus=sorted(skus),
            reasons=sorted(reasons),
            sku_reasons=sorted(
                {
                    f"{line.sku_id}|{line.reason_code}"
                    for line in lines.values()
                    if line.quantity_received
                }
            ),
        )
    return rma


async def inspect_return(return_id: UUID, inspections: tuple[InspectionSpec, ...]) -> Return:
    """A disposition for every received line; restocked units go back into their lots."""
    async with in_transaction():
        rma, order = await _locked(return_id, RS.RECEIVED)
        lines = {
            line.id: line for line in await ReturnLine.filter(rma_id=rma.id).select_for_update()
        }
        given: dict[UUID, InspectionSpec] = {}
        for i, spec in enumerate(inspections):
            line = lines.get(spec.return_line_id)
            if line is None:
                raise NotFound(
                    "No line of this return with this id.", field=f"lines.{i}.returnLineId"
                )
            if line.quantity_received == 0:
                raise InvalidInput(
                    "Nothing of this line was received.", field=f"lines.{i}.returnLineId"
                )
            given[line.id] = spec
        missing = [
            line for line in lines.values() if line.quantity_received and line.id not in given
        ]
        if missing:
            raise InvalidInput("Every received line needs a disposition.", field="lines")
        restocked = 0
        for i, (line_id, spec) in enumerate(given.items()):
            line = lines[line_id]
            line.disposition = spec.disposition
            line.disposition_note = text(
                spec.note, f"lines.{i}.note", max_length=500, required=False
            )
            if spec.disposition is Disposition.RESTOCK:
                line.restock_zone_id = await _restock(rma, line, spec.zone_id, f"lines.{i}.zoneId")
                restocked += line.quantity_received
            await line.save(update_fields=["disposition", "disposition_note", "restock_zone_id"])
        await _move(
            rma,
            order,
            RS.INSPECTED,
            "return.inspected",
            [],
            restocked=restocked,
            dispositions=sorted({spec.disposition.value for spec in given.values()}),
        )
    return rma


async def _restock(rma: Return, line: ReturnLine, zone_id: UUID | None, field: str) -> UUID:
    """Put the received units back into the lots they left, through the ledger."""
    taken = list(await OrderLineLot.filter(order_line_id=line.order_line_id).order_by("id"))
    if not taken:
        raise InvalidInput("The line has no lot to return the goods to.", field=field)
    if zone_id is not None:
        zone = await get_zone(zone_id, field)
    else:
        fulfillment = await FulfillmentOrder.get(id=taken[0].fulfillment_id)
        found = await default_zone(fulfillment.warehouse_id)
        if found is None:
            raise InvalidInput("The warehouse has no zone: name one.", field=field)
        zone = found
    left = line.quantity_received
    lots = {lot.id: lot for lot in await Lot.filter(id__in=[t.lot_id for t in taken])}
    for portion in taken:
        put = min(left, portion.quantity)
        if put <= 0:
            break
        level = await ledger.level_for(lots[portion.lot_id], zone)
        await ledger.apply(
            level, MovementKind.RETURN, on_hand=put, reference=f"return:{rma.number}"
        )
        left -= put
    if left:  # more came back than the lots recorded (cannot happen through the API)
        level = await ledger.level_for(lots[taken[-1].lot_id], zone)
        await ledger.apply(
            level, MovementKind.RETURN, on_hand=left, reference=f"return:{rma.number}"
        )
    await emit_stock_changed(line.sku_id, zone.warehouse_id, "return")
    return zone.id


async def close_return(evaluator: RuleEvaluator, actor: Actor, return_id: UUID) -> Return:
    """Carry out the outcome (module docstring) and close."""
    async with in_transaction():
        rma, order = await _locked(return_id, RS.INSPECTED)
        lines = list(await ReturnLine.filter(rma_id=rma.id))
        order_lines = {
            line.id: line
            for line in await OrderLine.filter(id__in=[rl.order_line_id for rl in lines])
        }
        money = currency(order.currency)
        value = sum(
            (
                money.round(
                    Decimal(order_lines[rl.order_line_id].total)
                    * rl.quantity_received
                    / order_lines[rl.order_line_id].quantity
                )
                for rl in lines
            ),
            Decimal(0),
        )
        data: dict[str, Any] = {}
        if rma.outcome is ReturnOutcome.STORE_CREDIT and value > 0:
            assert order.customer_id is not None
            await StoreCredit.create(
                customer_id=order.customer_id,
                amount=value,
                currency=order.currency,
                return_id=rma.id,
                reason=f"Return {rma.number}",
            )
            rma.store_credit = value
            data["store_credit"] = str(value)
        if rma.outcome is ReturnOutcome.EXCHANGE and any(rl.quantity_received for rl in lines):
            placed = await placement.place_order(
                evaluator,
                actor,
                placement.OrderSpec(
                    lines=tuple(
                        placement.LineSpec(
                            order_lines[rl.order_line_id].sku_id, rl.quantity_received, Decimal(0)
                        )
                        for rl in lines
                        if rl.quantity_received
                    ),
                    customer_id=order.customer_id,
                    shipping_address=None,
                    note="",
                    idempotency_key=f"exchange:{rma.id}",
                    exchange_for_return_id=rma.id,
                ),
            )
            await _copy_address(order, placed.order)
            rma.replacement_order_id = placed.order.id
            data["replacement_order_id"] = str(placed.order.id)
        rma.closed_at = datetime.now(UTC)
        await _move(
            rma,
            order,
            RS.CLOSED,
            "return.closed",
            ["store_credit", "replacement_order_id", "closed_at"],
            **data,
        )
    return rma


async def _copy_address(source: Order, target: Order) -> None:
    names = [name for name in Order._meta.fields_map if name.startswith("ship_")] + [
        "email",
        "phone",
        "address_key",
    ]
    for name in names:
        setattr(target, name, getattr(source, name))
    await target.save(update_fields=names)


async def store_credit_balance(customer_id: UUID) -> Decimal:
    return sum(
        (
            Decimal(a)
            for a in await StoreCredit.filter(customer_id=customer_id).values_list(
                "amount", flat=True
            )
        ),
        Decimal(0),
    )


__all__ = [
    "InspectionSpec",
    "ReceivedSpec",
    "ReturnLineSpec",
    "approve_return",
    "body",
    "close_return",
    "decline_return",
    "inspect_return",
    "mark_in_transit",
    "receive_return",
    "request_return",
    "store_credit_balance",
]
