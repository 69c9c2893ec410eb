"""Filter and sort inputs of purchasing's connections, and the filter field purchasing adds to
inventory's lots (`purchaseOrderId`: the lots an order's receipts brought in)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from merchantops.api.graphql.core.extensions import filter_field
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.sorting import SortDirection
from merchantops.api.graphql.purchasing.types import PoStatus
from merchantops.domain.purchasing.models import ReceivedLot


@strawberry.enum
class PurchaseOrderSortField(Enum):
    NUMBER = "number"
    TOTAL = "total"
    CREATED_AT = "created_at"
    DELIVERY_DATE = "delivery_date"


@strawberry.input
class PurchaseOrderSort:
    field: PurchaseOrderSortField = PurchaseOrderSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class PurchaseOrderFilter:
    statuses: list[PoStatus] | None = None
    supplier_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    total_at_least: Decimal | None = None
    total_at_most: Decimal | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    awaiting_approval: bool | None = None


def lots_of_order(lots: QuerySet[Any], order_id: str) -> QuerySet[Any]:
    """The lots the receipts of an order brought in (none for another tenant's order)."""
    order = decode_id(order_id, "PurchaseOrder", "filter.purchaseOrderId")
    received = ReceivedLot.filter(purchase_order_id=order).values("lot_id")
    return lots.filter(id__in=Subquery(received))


@strawberry.input
class LotsOfOrder:
    """What purchasing adds to inventory's `LotFilter`."""

    purchase_order_id: strawberry.ID | None = filter_field(
        after="supplier_id", narrow=lots_of_order
    )


__all__ = [
    "LotsOfOrder",
    "PurchaseOrderFilter",
    "PurchaseOrderSort",
    "PurchaseOrderSortField",
    "lots_of_order",
]
