"""Customers' events. Their bodies carry ids and tags, never personal data."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "customer.created",
    "customer.updated",
    "customer.erased",
)
# What its stored records call its objects -> the GraphQL type (ids in webhook bodies).
ID_KINDS: dict[str, str] = {
    "customer": "Customer",
    "customer_address": "CustomerAddress",
}

__all__ = ["EVENTS", "ID_KINDS"]
