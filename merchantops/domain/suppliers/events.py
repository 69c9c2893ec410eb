"""Suppliers' events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "supplier.created",
    "supplier.evaluated",
    "supplier.contact_added",
)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "supplier": "Supplier",
}

__all__ = ["EVENTS", "ID_KINDS"]
