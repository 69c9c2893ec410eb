"""The catalogue's events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "product.created",
    "product.stage_changed",
    "sku.price_changed",
)

__all__ = ["EVENTS"]
