"""Business calendars of a tenant: working hours per weekday in a time zone, public holidays of
a country, and the tenant's own holidays and working days (issue: SLA clocks in business
hours, projects counting working days). Model docstrings become table comments: keep
semicolons out of them.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields

from merchantops.tenants.base import TenantModel


class BusinessCalendar(TenantModel):
    """Working hours in a time zone, with holidays. The default one serves where none is named."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=100)
    time_zone = fields.CharField(max_length=64)
    holiday_country = fields.CharField(max_length=2, default="")
    holiday_subdivision = fields.CharField(max_length=10, default="")
    # Seven lists (Monday first) of "HH:MM-HH:MM" texts, validated by the service.
    week: list[list[str]] = fields.JSONField(default=list)
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    days: fields.ReverseRelation[CalendarHoliday]

    class Meta:
        table = "business_calendar"
        unique_together = (("tenant", "name"),)


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKING_DAY = "working_day"


class CalendarHoliday(TenantModel):
    """A date that differs from its calendar's week: a holiday, or a working day."""

    id = fields.UUIDField(primary_key=True)
    calendar: fields.ForeignKeyRelation[BusinessCalendar] = fields.ForeignKeyField(
        "merchantops.BusinessCalendar", related_name="days", on_delete=fields.CASCADE
    )
    calendar_id: UUID
    day = fields.DateField()
    name = fields.CharField(max_length=100, default="")
    kind = fields.CharEnumField(DayKind, max_length=16, default=DayKind.HOLIDAY)
    # A working day's "HH:MM-HH:MM" texts; none: the calendar's standard day.
    intervals: list[str] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "calendar_holiday"
        unique_together = (("tenant", "calendar", "day"),)


__all__ = ["BusinessCalendar", "CalendarHoliday", "DayKind"]
