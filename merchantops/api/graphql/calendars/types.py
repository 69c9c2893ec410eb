"""The calendars' node types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.domain.calendars import models

WEEK = "Seven lists of working intervals (HH:MM-HH:MM, 24:00 may end one), Monday first."


@strawberry.type(
    name="CalendarHoliday",
    description="A date that differs from its calendar's week: a holiday or a working day.",
)
class CalendarHolidayNode(relay.Node):
    id: relay.NodeID[str]
    date: date
    name: str
    working: bool = strawberry.field(
        description="A working day (a make-up day) rather than a holiday."
    )
    intervals: list[str] = strawberry.field(
        description="A working day's intervals; none: the calendar's standard day."
    )

    @classmethod
    def from_model(cls, day: models.CalendarHoliday) -> Self:
        return cls(
            id=str(day.id),
            date=day.day,
            name=day.name,
            working=day.kind == models.DayKind.WORKING_DAY,
            intervals=list(day.intervals),
        )


@strawberry.type(
    name="BusinessCalendar",
    description="Working hours in a time zone, with public and own holidays: SLA clocks and "
    "project plans count business time with it.",
)
class BusinessCalendarNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    time_zone: str = strawberry.field(description="IANA time zone, such as Asia/Shanghai.")
    week: list[list[str]] = strawberry.field(description=WEEK)
    holiday_country: str = strawberry.field(
        description="ISO 3166-1 alpha-2 code whose public holidays apply; empty: none."
    )
    holiday_subdivision: str
    is_default: bool = strawberry.field(description="Used where no calendar is named.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The calendar's own holidays and working days, by date.")
    async def holidays(self, info: Info) -> list[CalendarHolidayNode]:
        rows = await info.context.loaders.grouped(
            models.CalendarHoliday, "calendar_id", "day"
        ).load(self.id)
        return [CalendarHolidayNode.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, calendar: models.BusinessCalendar) -> Self:
        return cls(
            id=str(calendar.id),
            name=calendar.name,
            time_zone=calendar.time_zone,
            week=[list(day) for day in calendar.week],
            holiday_country=calendar.holiday_country,
            holiday_subdivision=calendar.holiday_subdivision,
            is_default=calendar.is_default,
            created_at=calendar.created_at,
            updated_at=calendar.updated_at,
        )


@strawberry.type(description="When a duration of working time is over.")
class BusinessTimePayload:
    due: datetime | None = strawberry.field(
        default=None, description="The earliest instant by which the working time has passed (UTC)."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Working time between two instants of a calendar.")
class BusinessTimeBetweenPayload:
    seconds: int | None = strawberry.field(
        default=None, description="Negative when `to` is before `from`."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

    @strawberry.field(description="The same in hours.")
    def hours(self) -> float | None:
        return None if self.seconds is None else self.seconds / 3600


__all__ = [
    "BusinessCalendarNode",
    "BusinessTimeBetweenPayload",
    "BusinessTimePayload",
    "CalendarHolidayNode",
]
