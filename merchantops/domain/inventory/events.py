"""Inventory's events: a stock change with the position after it; the periodic low-stock check."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "inventory.stock_changed",
    "inventory.stock_low",
)

__all__ = ["EVENTS"]
