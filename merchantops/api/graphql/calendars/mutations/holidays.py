"""A calendar's own dates: adding and removing holidays and working days."""

from __future__ import annotations

from datetime import date

import strawberry

from merchantops.api.graphql.calendars.types import CalendarHolidayNode
from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.calendars import service

WRITE = TenantPermission("calendar", "write")


@strawberry.input(description="Replaces what the calendar had on that date.")
class AddCalendarHolidayInput:
    calendar_id: strawberry.ID
    date: date
    name: str = ""
    working: bool = strawberry.field(
        default=False, description="A working day (a make-up day) rather than a holiday."
    )
    intervals: list[str] = strawberry.field(
        default_factory=list,
        description="A working day's intervals (HH:MM-HH:MM); none: the standard day's.",
    )


@strawberry.input
class RemoveCalendarHolidayInput:
    id: strawberry.ID


@strawberry.type
class CalendarHolidayPayload:
    holiday: CalendarHolidayNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HolidayMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_calendar_holiday(self, input: AddCalendarHolidayInput) -> CalendarHolidayPayload:
        holiday = await service.add_holiday(
            decode_id(input.calendar_id, "BusinessCalendar", "calendarId"),
            service.DaySpec(input.date, input.name, input.working, input.intervals),
        )
        return CalendarHolidayPayload(holiday=CalendarHolidayNode.from_model(holiday))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def remove_calendar_holiday(self, input: RemoveCalendarHolidayInput) -> DeletePayload:
        await service.remove_holiday(decode_id(input.id, "CalendarHoliday"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["CalendarHolidayPayload", "HolidayMutation"]
