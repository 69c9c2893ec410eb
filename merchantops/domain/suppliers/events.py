"""Suppliers' events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "supplier.created",
    "supplier.evaluated",
    "supplier.contact_added",
)

__all__ = ["EVENTS"]
