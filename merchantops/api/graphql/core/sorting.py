"""Sorting of connections: each area names its sortable fields in an enum whose values are
model field names; every order ends with the primary key, so pages never overlap or skip.

    @strawberry.enum
    class SupplierSortField(Enum):
        NAME = "name"

    suppliers.order_by(*order(sort.field.value, sort.direction))
"""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def order(field: str, direction: SortDirection) -> tuple[str, str]:
    sign = "-" if direction is SortDirection.DESC else ""
    return f"{sign}{field}", f"{sign}id"


__all__ = ["SortDirection", "order"]
