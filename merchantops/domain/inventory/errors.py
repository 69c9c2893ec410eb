"""Typed failures of the inventory area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.domain.inventory.ledger import InsufficientStock
from merchantops.errors import DomainError


class AllocationNotOpen(DomainError):
    code = "ALLOCATION_NOT_OPEN"


class BelowAllocated(DomainError):
    code = "BELOW_ALLOCATED"


__all__ = ["AllocationNotOpen", "BelowAllocated", "InsufficientStock"]
