"""Fulfilment orders: what one warehouse ships of an order.

    OPEN <-> ON_HOLD(reason);  OPEN -> IN_PROGRESS -> SHIPPED -> DELIVERED;  CANCELED

Shipping takes the reserved units out of stock (`stock.ship` of each line's allocation) and
moves the order to PARTIALLY_FULFILLED, or FULFILLED when every live fulfilment order has
shipped. Only a confirmed order ships (not a draft, nor UNCONFIRMED). Each change is audited,
appended to the order's history and emitted (`fulfillment.<change>`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.inventory import stock
from merchantops.domain.orders import history
from merchantops.domain.orders.errors import FulfillmentStatusConflict
from merchantops.domain.orders.models import (
    FulfillmentLine,
    FulfillmentOrder,
    FulfillmentStatus,
    Order,
    OrderLine,
    OrderStatus,
)
from merchantops.domain.orders.placement import event_body, locked_order
from merchantops.domain.values import text
from merchantops.errors import NotFound
from merchantops.tenants import audit, outbox

S = FulfillmentStatus
ALLOWED: dict[str, tuple[tuple[FulfillmentStatus, ...], FulfillmentStatus]] = {
    "held": ((S.OPEN, S.IN_PROGRESS), S.ON_HOLD),
    "released": ((S.ON_HOLD,), S.OPEN),
    "started": ((S.OPEN,), S.IN_PROGRESS),
    "shipped": ((S.OPEN, S.IN_PROGRESS), S.SHIPPED),
    "delivered": ((S.SHIPPED,), S.DELIVERED),
}
SHIPPABLE_ORDERS = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)


async def _locked(fulfillment_id: UUID) -> tuple[FulfillmentOrder, Order]:
    found = await FulfillmentOrder.get_or_none(id=fulfillment_id)
    if found is None:
        raise NotFound("No fulfilment order with this id.", field="id")
    order = await locked_order(found.order_id)  # the order first: one lock order for everyone
    fulfillment = await FulfillmentOrder.select_for_update().get(id=fulfillment_id)
    return fulfillment, order


def body(fulfillment: FulfillmentOrder, order: Order) -> dict[str, Any]:
    return {
        "id": str(fulfillment.id),
        "order_id": str(order.id),
        "order_number": order.number,
        "warehouse_id": str(fulfillment.warehouse_id),
        "status": fulfillment.status.value,
    }


async def _move(fulfillment_id: UUID, change: str, **values: Any) -> tuple[FulfillmentOrder, Order]:
    sources, target = ALLOWED[change]
    async with in_transaction():
        fulfillment, order = await _locked(fulfillment_id)
        if fulfillment.status not in sources:
            raise FulfillmentStatusConflict(
                f"A {fulfillment.status.value} fulfilment order cannot be {change}.", field="id"
            )
        if change in ("started", "shipped") and order.status not in SHIPPABLE_ORDERS:
            raise FulfillmentStatusConflict(
                f"The order is {order.status.value}: it ships once confirmed.", field="id"
            )
        before = fulfillment.status
        fulfillment.status = target
        for key, value in values.items():
            setattr(fulfillment, key, value)
        await fulfillment.save(update_fields=["status", *values, "updated_at"])
        if change == "shipped":
            await _ship_units(fulfillment)
        data = {"fulfillment_id": str(fulfillment.id), "from": before.value, "to": target.value}
        if change == "held":
            data["reason"] = fulfillment.hold_reason
        if change == "shipped":
            data |= {"carrier": fulfillment.carrier, "tracking": fulfillment.tracking_number}
        await history.append(order.id, f"fulfillment.{change}", data)
        await audit.record(
            f"fulfillment.{change}",
            "fulfillment_order",
            fulfillment.id,
            before={"status": before.value},
            after={"status": target.value},
        )
        await outbox.emit(f"fulfillment.{change}", body(fulfillment, order))
        if change == "shipped":
            await _order_progress(order)
    return fulfillment, order


async def _ship_units(fulfillment: FulfillmentOrder) -> None:
    for line in await FulfillmentLine.filter(fulfillment_id=fulfillment.id):
        await stock.ship(line.allocation_id)
        order_line = await OrderLine.select_for_update().get(id=line.order_line_id)
        order_line.quantity_shipped += line.quantity
        await order_line.save(update_fields=["quantity_shipped"])


async def _order_progress(order: Order) -> None:
    statuses = [
        f.status for f in await FulfillmentOrder.filter(order_id=order.id).only("id", "status")
    ]
    live = [status for status in statuses if status != S.CANCELED]
    done = all(status in (S.SHIPPED, S.DELIVERED) for status in live)
    target = OrderStatus.FULFILLED if done else OrderStatus.PARTIALLY_FULFILLED
    if order.status == target:
        return
    before = order.status
    order.status = target
    if done:
        order.fulfilled_at = datetime.now(UTC)
    await order.save(update_fields=["status", "fulfilled_at", "updated_at"])
    event = "order.fulfilled" if done else "order.partially_fulfilled"
    await history.append(order.id, event, {"from": before.value, "to": target.value})
    await audit.record(
        event, "order", order.id, before={"status": before.value}, after={"status": target.value}
    )
    await outbox.emit(event, event_body(order))


async def hold(fulfillment_id: UUID, reason: str) -> FulfillmentOrder:
    why = text(reason, "reason", max_length=500)
    return (await _move(fulfillment_id, "held", hold_reason=why))[0]


async def release_hold(fulfillment_id: UUID) -> FulfillmentOrder:
    return (await _move(fulfillment_id, "released", hold_reason=""))[0]


async def start(fulfillment_id: UUID) -> FulfillmentOrder:
    return (await _move(fulfillment_id, "started"))[0]


async def ship(
    fulfillment_id: UUID, carrier: str = "", tracking_number: str = ""
) -> FulfillmentOrder:
    return (
        await _move(
            fulfillment_id,
            "shipped",
            carrier=text(carrier, "carrier", max_length=100, required=False),
            tracking_number=text(tracking_number, "trackingNumber", max_length=100, required=False),
            shipped_at=datetime.now(UTC),
        )
    )[0]


async def deliver(fulfillment_id: UUID) -> FulfillmentOrder:
    return (await _move(fulfillment_id, "delivered", delivered_at=datetime.now(UTC)))[0]


__all__ = ["ALLOWED", "body", "deliver", "hold", "release_hold", "ship", "start"]
