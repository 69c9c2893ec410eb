"""Purchase orders: from draft through approval to receipt and close; and, on inventory's lots,
the order and receipt each came from (`EXTENDS`, `core/extensions.py`)."""

from __future__ import annotations

from merchantops.api.graphql.core.extensions import Extension
from merchantops.api.graphql.inventory.filters import LotFilter
from merchantops.api.graphql.inventory.types import LotNode
from merchantops.api.graphql.purchasing.filters import LotsOfOrder
from merchantops.api.graphql.purchasing.mutations import PurchaseOrderMutation as Mutation
from merchantops.api.graphql.purchasing.queries import PurchaseOrderQuery as Query
from merchantops.api.graphql.purchasing.types import LotProvenance

EXTENDS = (Extension(LotNode, LotProvenance), Extension(LotFilter, LotsOfOrder))

__all__ = ["EXTENDS", "Mutation", "Query"]
