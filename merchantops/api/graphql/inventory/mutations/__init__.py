from __future__ import annotations

import strawberry

from merchantops.api.graphql.inventory.mutations.analytics import AnalyticsMutation
from merchantops.api.graphql.inventory.mutations.stock import StockMutation
from merchantops.api.graphql.inventory.mutations.warehouses import WarehouseMutation


@strawberry.type
class InventoryMutation(WarehouseMutation, StockMutation, AnalyticsMutation):
    pass


__all__ = ["InventoryMutation"]
