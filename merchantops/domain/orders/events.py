"""The orders area's events. Bodies carry ids, numbers, statuses and amounts, never personal
data (partners subscribe to them with webhooks; risk rules see them)."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "order.placed",
    "order.confirmed",
    "order.canceled",
    "order.expired",
    "order.partially_fulfilled",
    "order.fulfilled",
    "order.closed",
    "order.paid",
    "payment.succeeded",
    "payment.failed",
    "fulfillment.held",
    "fulfillment.released",
    "fulfillment.started",
    "fulfillment.shipped",
    "fulfillment.delivered",
    "refund.requested",
    "refund.succeeded",
    "refund.failed",
    "return.requested",
    "return.approved",
    "return.declined",
    "return.in_transit",
    "return.received",
    "return.inspected",
    "return.closed",
)
# What its stored records call its objects -> the GraphQL type (ids in webhook bodies).
ID_KINDS: dict[str, str] = {
    "order": "Order",
    "fulfillment_order": "FulfillmentOrder",
    "payment_transaction": "PaymentTransaction",
    "refund": "Refund",
    "return": "Return",
    "return_reason": "ReturnReason",
    "tax_rate": "TaxRate",
    "order_settings": "OrderSettings",
}

__all__ = ["EVENTS", "ID_KINDS"]
