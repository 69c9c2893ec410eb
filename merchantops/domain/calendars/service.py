"""Business calendars: creating, changing and deleting them, their holidays and working days,
and loading one as the pure `WorkingCalendar` other areas compute with. The only place their
state changes; every change audited.

A tenant has one default calendar (its first, and the one onboarding creates); it stays the
default until another is made the default, and cannot be deleted while it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.calendars.business_time import (
    Interval,
    WorkingCalendar,
    day_intervals,
    zone,
)
from merchantops.domain.calendars.errors import CalendarIsDefault
from merchantops.domain.calendars.models import BusinessCalendar, CalendarHoliday, DayKind
from merchantops.domain.calendars.public_holidays import Holidays, MakeUpDays, check_country
from merchantops.domain.values import text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit

OFFICE_HOURS = ("09:00-12:00", "13:00-18:00")
STANDARD_WEEK: tuple[tuple[str, ...], ...] = (OFFICE_HOURS,) * 5 + ((), ())
"""Monday to Friday 09:00-12:00 and 13:00-18:00: a new tenant's default calendar."""
DEFAULT_NAME = "Office hours"
MAX_INTERVALS_A_DAY = 12
EARLIEST, LATEST = date(1970, 1, 1), date(2200, 12, 31)


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    name: str
    time_zone: str = "UTC"
    week: Sequence[Sequence[str]] = STANDARD_WEEK
    """Monday first; days left out have no working time."""
    holiday_country: str = ""
    holiday_subdivision: str = ""
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class CalendarChanges:
    """What an update sets; None leaves a field as it is."""

    name: str | None = None
    time_zone: str | None = None
    week: Sequence[Sequence[str]] | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    is_default: bool | None = None


@dataclass(frozen=True, slots=True)
class DaySpec:
    """A date that differs from the week: a holiday, or (`working`) a working day with
    `intervals`, or the calendar's standard day when it names none."""

    day: date
    name: str = ""
    working: bool = False
    intervals: Sequence[str] = ()


async def create_calendar(spec: CalendarSpec) -> BusinessCalendar:
    name = text(spec.name, "name", max_length=100)
    time_zone = _time_zone(spec.time_zone)
    week = _week(spec.week)
    country, subdivision = _country(spec.holiday_country, spec.holiday_subdivision)
    async with in_transaction():
        await _name_free(name, None)
        first = not await BusinessCalendar.exists()
        is_default = spec.is_default or first
        if is_default and not first:
            await BusinessCalendar.filter(is_default=True).update(is_default=False)
        calendar = await BusinessCalendar.create(
            name=name,
            time_zone=time_zone,
            week=week,
            holiday_country=country,
            holiday_subdivision=subdivision,
            is_default=is_default,
        )
        await audit.record("calendar.created", "calendar", calendar.id, after=_recorded(calendar))
    return calendar


async def update_calendar(calendar_id: UUID, changes: CalendarChanges) -> BusinessCalendar:
    values: dict[str, object] = {}
    if changes.name is not None:
        values["name"] = text(changes.name, "name", max_length=100)
    if changes.time_zone is not None:
        values["time_zone"] = _time_zone(changes.time_zone)
    if changes.week is not None:
        values["week"] = _week(changes.week)
    async with in_transaction():
        calendar = await _calendar(calendar_id, lock=True)
        if changes.holiday_country is not None or changes.holiday_subdivision is not None:
            country = changes.holiday_country
            if country is None:
                country = calendar.holiday_country
            subdivision = changes.holiday_subdivision
            if subdivision is None:  # kept, unless the country changes
                moved = country.strip().upper() != calendar.holiday_country
                subdivision = "" if moved else calendar.holiday_subdivision
            values["holiday_country"], values["holiday_subdivision"] = _country(
                country, subdivision
            )
        if changes.is_default is False and calendar.is_default:
            raise CalendarIsDefault(
                "A tenant always has a default calendar: make another one the default instead.",
                field="isDefault",
            )
        if changes.is_default and not calendar.is_default:
            values["is_default"] = True
        if "name" in values:
            await _name_free(str(values["name"]), calendar.id)
        changed = sorted(key for key, value in values.items() if getattr(calendar, key) != value)
        if not changed:
            return calendar
        before = _recorded(calendar)
        if "is_default" in changed:
            await BusinessCalendar.filter(is_default=True).update(is_default=False)
        for key in changed:
            setattr(calendar, key, values[key])
        await calendar.save(update_fields=[*changed, "updated_at"])
        after = _recorded(calendar)
        await audit.record(
            "calendar.updated",
            "calendar",
            calendar.id,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return calendar


async def delete_calendar(calendar_id: UUID) -> None:
    async with in_transaction():
        calendar = await _calendar(calendar_id, lock=True)
        if calendar.is_default:
            raise CalendarIsDefault(
                "The default calendar cannot be deleted: make another one the default first."
            )
        await CalendarHoliday.filter(calendar_id=calendar.id).delete()
        await calendar.delete()
        await audit.record("calendar.deleted", "calendar", calendar.id, before=_recorded(calendar))


async def add_holiday(calendar_id: UUID, spec: DaySpec) -> CalendarHoliday:
    """A holiday, or a working day, on one date of a calendar; replaces what the date had."""
    name = text(spec.name, "name", max_length=100, required=False)
    if not EARLIEST <= spec.day <= LATEST:
        raise InvalidInput(f"A date lies between {EARLIEST} and {LATEST}.", field="date")
    intervals: list[str] = []
    if spec.working:
        intervals = [str(i) for i in _day(spec.intervals, "intervals")]
    elif spec.intervals:
        raise InvalidInput("A holiday has no working intervals.", field="intervals")
    kind = DayKind.WORKING_DAY if spec.working else DayKind.HOLIDAY
    async with in_transaction():
        calendar = await _calendar(calendar_id, field="calendarId", lock=True)
        replaced = await CalendarHoliday.get_or_none(calendar_id=calendar.id, day=spec.day)
        if replaced is not None:
            await replaced.delete()
        holiday = await CalendarHoliday.create(
            calendar=calendar, day=spec.day, name=name, kind=kind, intervals=intervals
        )
        await audit.record(
            "calendar.day_added",
            "calendar",
            calendar.id,
            before=None if replaced is None else _recorded_day(replaced),
            after=_recorded_day(holiday),
        )
    return holiday


async def remove_holiday(holiday_id: UUID) -> None:
    async with in_transaction():
        holiday = await CalendarHoliday.select_for_update().get_or_none(id=holiday_id)
        if holiday is None:
            raise NotFound("No calendar holiday with this id.", field="id")
        await holiday.delete()
        await audit.record(
            "calendar.day_removed", "calendar", holiday.calendar_id, before=_recorded_day(holiday)
        )


async def install_default(time_zone: str = "UTC", holiday_country: str = "") -> BusinessCalendar:
    """The default calendar of a new tenant (the tenant in context): office hours."""
    return await create_calendar(
        CalendarSpec(
            DEFAULT_NAME,
            time_zone=time_zone,
            holiday_country=holiday_country,
            is_default=True,
        )
    )


async def get_calendar(calendar_id: UUID, field: str = "id") -> BusinessCalendar:
    return await _calendar(calendar_id, field=field)


async def default_calendar() -> BusinessCalendar | None:
    return await BusinessCalendar.get_or_none(is_default=True)


async def load_calendar(
    calendar_id: UUID | None = None, *, field: str = "calendarId"
) -> WorkingCalendar:
    """The calendar `calendar_id` of the tenant in context (its default one for None) with its
    holidays and working days, ready for `business_time`. A tenant without any calendar yet
    (created before calendars existed) computes with office hours in UTC."""
    if calendar_id is None:
        calendar = await default_calendar()
        if calendar is None:
            return WorkingCalendar.build("UTC", STANDARD_WEEK)
    else:
        calendar = await _calendar(calendar_id, field=field)
    days = await CalendarHoliday.filter(calendar_id=calendar.id)
    return working_calendar(calendar, days)


def working_calendar(
    calendar: BusinessCalendar, days: Sequence[CalendarHoliday]
) -> WorkingCalendar:
    """The pure calendar of a stored one and its dates."""
    standard = WorkingCalendar.build(calendar.time_zone, calendar.week)
    own_holidays = frozenset(d.day for d in days if d.kind == DayKind.HOLIDAY)
    working = [d for d in days if d.kind == DayKind.WORKING_DAY]
    special: dict[date, tuple[Interval, ...]] = {
        d.day: day_intervals(d.intervals) for d in working if d.intervals
    }
    country, subdivision = calendar.holiday_country, calendar.holiday_subdivision
    return WorkingCalendar(
        standard.zone,
        standard.week,
        holidays=Holidays(country, subdivision, own_holidays),
        make_up_days=MakeUpDays(
            country, subdivision, frozenset(d.day for d in working if not d.intervals)
        ),
        special_days=special,
    )


async def _calendar(
    calendar_id: UUID, field: str = "id", *, lock: bool = False
) -> BusinessCalendar:
    rows = BusinessCalendar.select_for_update() if lock else BusinessCalendar.all()
    calendar = await rows.get_or_none(id=calendar_id)
    if calendar is None:
        raise NotFound("No business calendar with this id.", field=field)
    return calendar


async def _name_free(name: str, own: UUID | None) -> None:
    rows = BusinessCalendar.filter(name__iexact=name)
    if own is not None:
        rows = rows.exclude(id=own)
    if await rows.exists():
        raise AlreadyExists(f"A business calendar named '{name}' exists.", field="name")


def _time_zone(name: str) -> str:
    name = name.strip()
    try:
        zone(name)
    except InvalidInput as error:
        error.field = "timeZone"
        raise
    return name


def _country(country: str, subdivision: str) -> tuple[str, str]:
    if not country.strip():
        if subdivision.strip():
            raise InvalidInput("A subdivision needs its country.", field="holidaySubdivision")
        return "", ""
    return check_country(country, subdivision)


def _week(week: Sequence[Sequence[str]]) -> list[list[str]]:
    if len(week) > 7:
        raise InvalidInput("A week has seven days, Monday first.", field="week")
    days = [[str(i) for i in _day(texts, f"week.{index}")] for index, texts in enumerate(week)]
    return days + [[] for _ in range(7 - len(days))]


def _day(texts: Sequence[str], field: str) -> tuple[Interval, ...]:
    if len(texts) > MAX_INTERVALS_A_DAY:
        raise InvalidInput(f"At most {MAX_INTERVALS_A_DAY} intervals a day.", field=field)
    if any(len(t) > 20 for t in texts):
        raise InvalidInput("An interval is written like 09:00-12:00.", field=field)
    try:
        return day_intervals(texts)
    except InvalidInput as error:
        error.field = field
        raise


def _recorded(calendar: BusinessCalendar) -> dict[str, object]:
    return {
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "week": calendar.week,
        "holiday_country": calendar.holiday_country,
        "holiday_subdivision": calendar.holiday_subdivision,
        "is_default": calendar.is_default,
    }


def _recorded_day(day: CalendarHoliday) -> dict[str, object]:
    return {
        "id": str(day.id),
        "date": day.day.isoformat(),
        "name": day.name,
        "kind": day.kind.value,
        "intervals": day.intervals,
    }


__all__ = [
    "DEFAULT_NAME",
    "OFFICE_HOURS",
    "STANDARD_WEEK",
    "CalendarChanges",
    "CalendarSpec",
    "DaySpec",
    "add_holiday",
    "create_calendar",
    "default_calendar",
    "delete_calendar",
    "get_calendar",
    "install_default",
    "load_calendar",
    "remove_holiday",
    "update_calendar",
    "working_calendar",
]
