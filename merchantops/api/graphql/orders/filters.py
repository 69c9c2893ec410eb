"""The orders area's filter and sort inputs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection
from merchantops.api.graphql.orders.types import (
    OrderChannel,
    OrderStatus,
    PaymentStatus,
    ReturnStatus,
)


@strawberry.enum
class OrderSortField(Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    NUMBER = "number"
    TOTAL = "total"


@strawberry.input
class OrderSort:
    field: OrderSortField = OrderSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input(description="Every field set narrows the orders; lists match any of theirs.")
class OrderFilter:
    status: list[OrderStatus] | None = None
    payment_status: list[PaymentStatus] | None = None
    channel: OrderChannel | None = None
    customer_id: strawberry.ID | None = None
    sku_id: strawberry.ID | None = strawberry.field(
        default=None, description="Orders with a line of this SKU."
    )
    number: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    total_at_least: Decimal | None = None
    total_at_most: Decimal | None = None


@strawberry.enum
class ReturnSortField(Enum):
    CREATED_AT = "created_at"
    NUMBER = "number"


@strawberry.input
class ReturnSort:
    field: ReturnSortField = ReturnSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class ReturnFilter:
    status: list[ReturnStatus] | None = None
    order_id: strawberry.ID | None = None
    created_after: datetime | None = None


__all__ = [
    "OrderFilter",
    "OrderSort",
    "OrderSortField",
    "ReturnFilter",
    "ReturnSort",
    "ReturnSortField",
]
