"""Inventory's events: a stock change with the position after it; the periodic low-stock check."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "inventory.stock_changed",
    "inventory.stock_low",
)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "allocation": "Allocation",
    "lot": "Lot",
    "warehouse": "Warehouse",
    "zone": "Zone",
}

__all__ = ["EVENTS", "ID_KINDS"]
