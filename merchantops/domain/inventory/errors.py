"""Typed failures of the inventory area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class InsufficientStock(DomainError):
    """A change would take a level below zero, or below what is allocated."""

    code = "OUT_OF_STOCK"


class AllocationNotOpen(DomainError):
    code = "ALLOCATION_NOT_OPEN"


class BelowAllocated(DomainError):
    code = "BELOW_ALLOCATED"


__all__ = ["AllocationNotOpen", "BelowAllocated", "InsufficientStock"]
