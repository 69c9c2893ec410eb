"""Warehouses, stock, the movement ledger, reorder policies and ABC analytics."""

from __future__ import annotations

from merchantops.api.graphql.inventory.mutations import InventoryMutation as Mutation
from merchantops.api.graphql.inventory.queries import InventoryQuery as Query

__all__ = ["Mutation", "Query"]
