"""The customers' filter and sort inputs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection


@strawberry.enum
class CustomerSortField(Enum):
    NAME = "name"
    EMAIL = "email"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class CustomerSort:
    field: CustomerSortField = CustomerSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, e-mail or phone, case-insensitive."
    )
    tag: str | None = strawberry.field(default=None, description="Customers with this tag.")
    created_after: datetime | None = None
    include_erased: bool = strawberry.field(
        default=False, description="Erased customers too (hidden by default)."
    )


__all__ = ["CustomerFilter", "CustomerSort", "CustomerSortField"]
