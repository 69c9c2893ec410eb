"""The customer-service area's filter and sort inputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from merchantops.api.graphql.core.sorting import SortDirection
from merchantops.api.graphql.support.types import (
    TicketChannel,
    TicketPriority,
    TicketStatus,
    TicketType,
)


@strawberry.enum
class TicketSortField(Enum):
    CREATED_AT = "created_at"
    NUMBER = "number"
    NEXT_DUE = "next_due"


@strawberry.input(
    description="NEXT_DUE: the earliest due time of a running, unmet clock (tickets without "
    "one last)."
)
class TicketSort:
    field: TicketSortField = TicketSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


@strawberry.input(description="Every field set narrows the tickets; lists match any of theirs.")
class TicketFilter:
    status: list[TicketStatus] | None = None
    type: list[TicketType] | None = None
    channel: list[TicketChannel] | None = None
    priority: list[TicketPriority] | None = None
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="A `User` id.")
    team_id: strawberry.ID | None = None
    customer_id: strawberry.ID | None = None
    breaching_within_minutes: int | None = strawberry.field(
        default=None,
        description="Tickets with a running clock, neither met nor breached, due between now "
        "and this many minutes from now (60: breaching within the hour).",
    )
    breached: bool | None = strawberry.field(
        default=None, description="true: a clock is breached and not met; false: none is."
    )
    search: str | None = strawberry.field(default=None, description="Words in the subject.")


__all__ = ["TicketFilter", "TicketSort", "TicketSortField"]
