"""What the orders area holds about a customer, for their data-subject requests: each order's
contact, shipping address and notes (with its number, status and amounts, kept for
accounting), exported with the customer's data and anonymised in the erasure's transaction
(`customers.privacy.Holder`, installed by `bootstrap.wire`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from merchantops.domain.orders.models import Order, OrderEvent
from merchantops.tenants import audit

NAME = "orders"
ERASED_RECIPIENT = "erased"


def _address(order: Order) -> str:
    parts = (
        order.ship_recipient,
        order.ship_line1,
        order.ship_line2,
        order.ship_postal_code,
        order.ship_city,
        order.ship_region,
        order.ship_country,
        order.ship_phone,
    )
    return ", ".join(part for part in parts if part)


async def export(customer_id: UUID) -> list[dict[str, Any]]:
    orders = await Order.filter(customer_id=customer_id).order_by("created_at", "id")
    notes: dict[UUID, list[str]] = {}
    for event in await OrderEvent.filter(
        order_id__in=[o.id for o in orders], message__not=""
    ).order_by("id"):
        notes.setdefault(event.order_id, []).append(event.message)
    return [
        {
            "id": str(order.id),
            "number": order.number,
            "status": order.status.value,
            "placed_at": order.placed_at.isoformat() if order.placed_at else None,
            "total": str(order.total),
            "currency": order.currency,
            "email": order.email,
            "phone": order.phone,
            "address": _address(order),
            "note": "\n".join([order.note, *notes.get(order.id, [])]).strip(),
        }
        for order in orders
    ]


async def erase(customer_id: UUID) -> int:
    """Replace the personal fields of the customer's orders; their amounts stay."""
    blank: dict[str, Any] = {name: "" for name in Order.CLASSIFIED}
    blank["ship_recipient"] = ERASED_RECIPIENT
    changed = await Order.filter(customer_id=customer_id).update(**blank, address_key="")
    if changed:
        order_ids = await Order.filter(customer_id=customer_id).values_list("id", flat=True)
        await OrderEvent.filter(order_id__in=list(order_ids)).exclude(message="").update(message="")
        await audit.record("order.anonymised", "customer", customer_id, after={"orders": changed})
    return changed


__all__ = ["NAME", "erase", "export"]
