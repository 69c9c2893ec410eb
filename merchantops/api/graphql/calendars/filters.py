"""The calendars' sort input."""

from __future__ import annotations

from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection


@strawberry.enum
class BusinessCalendarSortField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input
class BusinessCalendarSort:
    field: BusinessCalendarSortField = BusinessCalendarSortField.NAME
    direction: SortDirection = SortDirection.ASC


__all__ = ["BusinessCalendarSort", "BusinessCalendarSortField"]
