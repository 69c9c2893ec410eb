"""Purchasing's events: a purchase order's life."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "purchase_order.submitted",
    "purchase_order.approved",
    "purchase_order.received",
    "purchase_order.closed",
    "purchase_order.cancelled",
)

__all__ = ["EVENTS"]
