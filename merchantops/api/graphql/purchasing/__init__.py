"""Purchase orders: from draft through approval to receipt and close."""

from __future__ import annotations

from merchantops.api.graphql.purchasing.mutations import PurchaseOrderMutation as Mutation
from merchantops.api.graphql.purchasing.queries import PurchaseOrderQuery as Query

__all__ = ["Mutation", "Query"]
