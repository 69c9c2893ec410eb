"""Typed failures of the inventory area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.domain.inventory.ledger import InsufficientStock
from merchantops.tenants.errors import GovernanceError


class AllocationNotOpen(GovernanceError):
    code = "ALLOCATION_NOT_OPEN"


class BelowAllocated(GovernanceError):
    code = "BELOW_ALLOCATED"


__all__ = ["AllocationNotOpen", "BelowAllocated", "InsufficientStock"]
