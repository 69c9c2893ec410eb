"""Purchasing's events: a purchase order's life."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "purchase_order.submitted",
    "purchase_order.approved",
    "purchase_order.received",
    "purchase_order.closed",
    "purchase_order.cancelled",
)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "purchase_order": "PurchaseOrder",
}

__all__ = ["EVENTS", "ID_KINDS"]
