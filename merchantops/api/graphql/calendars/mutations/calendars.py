"""Creating, changing and deleting a business calendar."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.calendars.types import WEEK, BusinessCalendarNode
from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.calendars import service

WRITE = TenantPermission("calendar", "write")


@strawberry.input
class CreateBusinessCalendarInput:
    name: str
    time_zone: str = strawberry.field(
        default="UTC", description="IANA time zone, such as Asia/Shanghai."
    )
    week: list[list[str]] = strawberry.field(
        default_factory=lambda: [list(day) for day in service.STANDARD_WEEK],
        description=WEEK + " Default: Monday to Friday 09:00-12:00 and 13:00-18:00.",
    )
    holiday_country: str = strawberry.field(
        default="", description="ISO 3166-1 alpha-2 code whose public holidays apply."
    )
    holiday_subdivision: str = ""
    is_default: bool = strawberry.field(
        default=False, description="A tenant's first calendar is the default anyway."
    )


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateBusinessCalendarInput:
    id: strawberry.ID
    name: str | None = None
    time_zone: str | None = None
    week: list[list[str]] | None = strawberry.field(default=None, description=WEEK)
    holiday_country: str | None = strawberry.field(
        default=None,
        description="Empty: no public holidays; another country clears the subdivision.",
    )
    holiday_subdivision: str | None = None
    is_default: bool | None = strawberry.field(
        default=None, description="Only true: making another calendar the default clears it here."
    )


@strawberry.input
class DeleteBusinessCalendarInput:
    id: strawberry.ID


@strawberry.type
class BusinessCalendarPayload:
    calendar: BusinessCalendarNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BusinessCalendarMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_business_calendar(
        self, input: CreateBusinessCalendarInput
    ) -> BusinessCalendarPayload:
        calendar = await service.create_calendar(
            service.CalendarSpec(
                name=input.name,
                time_zone=input.time_zone,
                week=input.week,
                holiday_country=input.holiday_country,
                holiday_subdivision=input.holiday_subdivision,
                is_default=input.is_default,
            )
        )
        return BusinessCalendarPayload(calendar=BusinessCalendarNode.from_model(calendar))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_business_calendar(
        self, input: UpdateBusinessCalendarInput
    ) -> BusinessCalendarPayload:
        calendar = await service.update_calendar(
            decode_id(input.id, "BusinessCalendar"),
            service.CalendarChanges(
                name=input.name,
                time_zone=input.time_zone,
                week=input.week,
                holiday_country=input.holiday_country,
                holiday_subdivision=input.holiday_subdivision,
                is_default=input.is_default,
            ),
        )
        return BusinessCalendarPayload(calendar=BusinessCalendarNode.from_model(calendar))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def delete_business_calendar(self, input: DeleteBusinessCalendarInput) -> DeletePayload:
        await service.delete_calendar(decode_id(input.id, "BusinessCalendar"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["BusinessCalendarMutation", "BusinessCalendarPayload"]
