"""The suppliers' filter and sort inputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection
from merchantops.api.graphql.suppliers.types import Grade


@strawberry.enum
class SupplierSortField(Enum):
    CODE = "code"
    NAME = "name"
    SCORE = "score"
    CREATED_AT = "created_at"


@strawberry.input
class SupplierSort:
    field: SupplierSortField = SupplierSortField.CODE
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class SupplierFilter:
    grades: list[Grade] | None = None
    country: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Part of the code or name, case-insensitive."
    )


__all__ = ["SupplierFilter", "SupplierSort", "SupplierSortField"]
