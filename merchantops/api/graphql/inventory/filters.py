"""Filter and sort inputs of inventory's connections.

Ids in filters are global ids, decoded where the query uses them (`core/ids.py`). Areas that
depend on inventory may add filter fields of their own (`core/extensions.filter_field`): a
query applies them with `narrowed(filter, rows)`.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection
from merchantops.api.graphql.inventory.analytics_types import AbcClass
from merchantops.api.graphql.inventory.types import AllocationStatus, MovementKind


@strawberry.enum
class StockLevelSortField(Enum):
    RECEIVED_AT = "received_at"
    EXPIRES_ON = "expires_on"
    ON_HAND = "on_hand"
    ALLOCATED = "allocated"


@strawberry.input
class StockLevelSort:
    field: StockLevelSortField = StockLevelSortField.RECEIVED_AT
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class StockLevelFilter:
    sku_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    zone_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None
    only_available: bool = strawberry.field(
        default=False, description="Only levels with units not allocated."
    )


@strawberry.input
class StockMovementFilter:
    sku_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None
    kind: MovementKind | None = None
    since: datetime | None = None
    until: datetime | None = None


@strawberry.input
class AllocationFilter:
    sku_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    status: AllocationStatus | None = None
    reference: str | None = None


@strawberry.enum
class LotSortField(Enum):
    RECEIVED_AT = "received_at"
    EXPIRES_ON = "expires_on"
    TRACE_CODE = "trace_code"


@strawberry.input
class LotSort:
    field: LotSortField = LotSortField.RECEIVED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class LotFilter:
    sku_id: strawberry.ID | None = None
    supplier_id: strawberry.ID | None = None
    expires_before: datetime | None = None


@strawberry.input
class ReorderPolicyFilter:
    sku_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class SkuAnalyticsFilter:
    abc_class: AbcClass | None = None
    sku_id: strawberry.ID | None = None


__all__ = [
    "AllocationFilter",
    "LotFilter",
    "LotSort",
    "LotSortField",
    "ReorderPolicyFilter",
    "SkuAnalyticsFilter",
    "StockLevelFilter",
    "StockLevelSort",
    "StockLevelSortField",
    "StockMovementFilter",
]
