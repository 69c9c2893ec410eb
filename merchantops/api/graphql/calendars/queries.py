"""The calendars' queries: calendars, and previews of business time (a due instant, the
working time between two instants) so clients show what an SLA clock will do."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

import strawberry

from merchantops.api.graphql.calendars.filters import BusinessCalendarSort
from merchantops.api.graphql.calendars.types import (
    BusinessCalendarNode,
    BusinessTimeBetweenPayload,
    BusinessTimePayload,
)
from merchantops.api.graphql.core.boundary import PayloadErrors
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.domain.calendars import service
from merchantops.domain.calendars.business_time import add, between
from merchantops.domain.calendars.models import BusinessCalendar
from merchantops.errors import InvalidInput

READ = TenantPermission("calendar", "read")
MAX_MINUTES = 6_000_000  # 100,000 hours
CALENDAR_ID = "The calendar; the tenant's default one when left out."


@strawberry.type
class CalendarQuery:
    @strawberry.field(extensions=[requires(READ)])
    async def business_calendar(self, info: Info, id: strawberry.ID) -> BusinessCalendarNode | None:
        found = await info.context.loaders.by_id(BusinessCalendar).load(
            decode_id(id, "BusinessCalendar")
        )
        return BusinessCalendarNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def business_calendars(
        self, info: Info, sort: BusinessCalendarSort | None = None, page: Page = EVERY_ROW
    ) -> Connection[BusinessCalendarNode]:
        sort = sort or BusinessCalendarSort()
        rows = BusinessCalendar.all().order_by(*order(sort.field.value, sort.direction))
        return await paginate(info, rows, page, to_node=BusinessCalendarNode.from_model)

    # Queries with a payload: the mutations' error boundary puts a refusal in its `errors`.
    @strawberry.field(
        extensions=[requires(READ), PayloadErrors(BusinessTimePayload)],
        description="When `minutes` of working time after `start` are over; writes nothing.",
    )
    async def business_time(
        self,
        start: datetime,
        minutes: int,
        calendar_id: Annotated[
            strawberry.ID | None, strawberry.argument(description=CALENDAR_ID)
        ] = None,
    ) -> BusinessTimePayload:
        if not 0 <= minutes <= MAX_MINUTES:
            raise InvalidInput(f"Between 0 and {MAX_MINUTES} minutes.", field="minutes")
        calendar = await service.load_calendar(_calendar_id(calendar_id))
        return BusinessTimePayload(due=add(calendar, start, timedelta(minutes=minutes)))

    @strawberry.field(
        extensions=[requires(READ), PayloadErrors(BusinessTimeBetweenPayload)],
        description="The working time in [from, to) (negative when `to` is before `from`).",
    )
    async def business_time_between(
        self,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        calendar_id: Annotated[
            strawberry.ID | None, strawberry.argument(description=CALENDAR_ID)
        ] = None,
    ) -> BusinessTimeBetweenPayload:
        calendar = await service.load_calendar(_calendar_id(calendar_id))
        span = between(calendar, from_, to)
        return BusinessTimeBetweenPayload(seconds=int(span.total_seconds()))


def _calendar_id(value: strawberry.ID | None) -> UUID | None:
    return decode_optional_id(value, "BusinessCalendar", "calendarId")


__all__ = ["CalendarQuery"]
