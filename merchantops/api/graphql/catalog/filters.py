"""The catalogue's filter and sort inputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from merchantops.api.graphql.catalog.types import LifecycleStage
from merchantops.api.graphql.core.sorting import SortDirection


@strawberry.enum
class ProductSortField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ProductSort:
    field: ProductSortField = ProductSortField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class ProductFilter:
    stage: LifecycleStage | None = None
    category: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Part of the name, case-insensitive."
    )


@strawberry.enum
class SkuSortField(Enum):
    CODE = "code"
    PRICE = "price"
    COST = "cost"


@strawberry.input
class SkuSort:
    field: SkuSortField = SkuSortField.CODE
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class SkuFilter:
    product_id: strawberry.ID | None = None
    search: str | None = strawberry.field(
        default=None, description="Part of the code or name, case-insensitive."
    )


__all__ = [
    "ProductFilter",
    "ProductSort",
    "ProductSortField",
    "SkuFilter",
    "SkuSort",
    "SkuSortField",
]
