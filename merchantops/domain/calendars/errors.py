"""Typed failures of the calendars area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError, InvalidInput


class CalendarHasNoWorkingTime(DomainError):
    """The calendar has no working time where one was looked for (every day empty or a
    holiday): a due time or a working day can never be reached."""

    code = "CALENDAR_HAS_NO_WORKING_TIME"


class CalendarIsDefault(DomainError):
    """The tenant's default calendar cannot be deleted or stop being the default: another
    calendar is made the default instead."""

    code = "CALENDAR_IS_DEFAULT"


class InvalidInterval(InvalidInput):
    """A working interval that is not `HH:MM-HH:MM` with its end after its start."""

    code = "INVALID_INTERVAL"


class OverlappingIntervals(InvalidInput):
    code = "OVERLAPPING_INTERVALS"


class UnknownTimeZone(InvalidInput):
    code = "UNKNOWN_TIME_ZONE"


class UnknownHolidayCountry(InvalidInput):
    """A country (or its subdivision) the `holidays` library has no holidays for."""

    code = "UNKNOWN_HOLIDAY_COUNTRY"


__all__ = [
    "CalendarHasNoWorkingTime",
    "CalendarIsDefault",
    "InvalidInterval",
    "OverlappingIntervals",
    "UnknownHolidayCountry",
    "UnknownTimeZone",
]
