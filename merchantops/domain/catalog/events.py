"""The catalogue's events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "product.created",
    "product.stage_changed",
    "sku.price_changed",
)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "product": "Product",
    "sku": "Sku",
}

__all__ = ["EVENTS", "ID_KINDS"]
