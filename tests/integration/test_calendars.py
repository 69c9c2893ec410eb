"""Business calendars' services: typed refusals that write nothing, audited changes, one
default calendar per tenant, and loading a stored calendar for the business-time arithmetic."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from merchantops.domain.calendars import service as calendars
from merchantops.domain.calendars.business_time import add, between
from merchantops.domain.calendars.errors import (
    CalendarIsDefault,
    InvalidInterval,
    OverlappingIntervals,
    UnknownHolidayCountry,
    UnknownTimeZone,
)
from merchantops.domain.calendars.models import BusinessCalendar, CalendarHoliday
from merchantops.domain.onboarding import service as onboarding
from merchantops.errors import AlreadyExists, DomainError, InvalidInput, NotFound
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import AuditEntry
from tests.factories import make_shop

pytestmark = pytest.mark.usefixtures("db")
Spec = calendars.CalendarSpec
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _counts() -> tuple[int, int, int]:
    return (
        await BusinessCalendar.all().count(),
        await CalendarHoliday.all().count(),
        await AuditEntry.all().count(),
    )


@pytest.mark.parametrize(
    ("spec", "field", "error"),
    [
        (Spec(" "), "name", InvalidInput),
        (Spec("Office"), "name", AlreadyExists),
        (Spec("office"), "name", AlreadyExists),
        (Spec("Night", time_zone="Mars/Base"), "timeZone", UnknownTimeZone),
        (Spec("Night", week=[["09:00-12:00", "11:30-13:00"]]), "week.0", OverlappingIntervals),
        (Spec("Night", week=[[], ["12:00-09:00"]]), "week.1", InvalidInterval),
        (Spec("Night", week=[[], [], ["9 to 5"]]), "week.2", InvalidInterval),
        (Spec("Night", week=[[]] * 8), "week", InvalidInput),
        (Spec("Night", holiday_country="XX"), "holidayCountry", UnknownHolidayCountry),
        (
            Spec("Night", holiday_country="US", holiday_subdivision="ZZ"),
            "holidaySubdivision",
            UnknownHolidayCountry,
        ),
        (Spec("Night", holiday_subdivision="CA"), "holidaySubdivision", InvalidInput),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    spec: calendars.CalendarSpec, field: str, error: type[DomainError]
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await calendars.create_calendar(Spec("Office"))
        before = await _counts()

        with pytest.raises(error) as refused:
            await calendars.create_calendar(spec)

        assert refused.value.field == field
        assert await _counts() == before


async def test_a_tenants_first_calendar_is_its_default_until_another_is_made_the_default() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(Spec("Office", time_zone="Europe/Berlin"))
        support = await calendars.create_calendar(
            Spec("Support", week=[["08:00-12:00", "13:00-17:00", "18:00-22:00"]] * 7)
        )
        assert office.is_default
        assert not support.is_default

        await calendars.update_calendar(support.id, calendars.CalendarChanges(is_default=True))

        defaults = await BusinessCalendar.filter(is_default=True)
        assert [calendar.name for calendar in defaults] == ["Support"]
        with pytest.raises(CalendarIsDefault):
            await calendars.delete_calendar(support.id)
        with pytest.raises(CalendarIsDefault):
            await calendars.update_calendar(support.id, calendars.CalendarChanges(is_default=False))
        await calendars.delete_calendar(office.id)
        assert [calendar.name for calendar in await BusinessCalendar.all()] == ["Support"]


async def test_every_change_is_audited_with_what_it_changed() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(Spec("Office"))
        spare = await calendars.create_calendar(Spec("Spare"))
        await calendars.update_calendar(
            office.id,
            calendars.CalendarChanges(time_zone="Asia/Shanghai", holiday_country="cn"),
        )
        holiday = await calendars.add_holiday(
            office.id, calendars.DaySpec(date(2026, 6, 18), "Shop anniversary")
        )
        await calendars.remove_holiday(holiday.id)
        await calendars.delete_calendar(spare.id)

        entries = await AuditEntry.filter(target_type="calendar").order_by("created_at", "id")

    assert [entry.action for entry in entries] == [
        "calendar.created",
        "calendar.created",
        "calendar.updated",
        "calendar.day_added",
        "calendar.day_removed",
        "calendar.deleted",
    ]
    updated = entries[2].diff
    assert updated["after"] == {"holiday_country": "CN", "time_zone": "Asia/Shanghai"}
    assert updated["before"] == {"holiday_country": "", "time_zone": "UTC"}
    assert entries[3].diff["after"]["name"] == "Shop anniversary"  # type: ignore[index]


async def test_an_update_that_changes_nothing_records_nothing() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(Spec("Office"))
        before = await _counts()

        await calendars.update_calendar(
            office.id, calendars.CalendarChanges(name="Office", week=calendars.STANDARD_WEEK)
        )

        assert await _counts() == before


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (calendars.DaySpec(date(2026, 1, 1), intervals=["09:00-12:00"]), "intervals"),
        (calendars.DaySpec(date(2026, 1, 1), working=True, intervals=["25:00-26:00"]), "intervals"),
        (calendars.DaySpec(date(1900, 1, 1)), "date"),
        (calendars.DaySpec(date(2026, 1, 1), name="x" * 101), "name"),
    ],
)
async def test_a_bad_holiday_is_refused_and_writes_nothing(
    spec: calendars.DaySpec, field: str
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(Spec("Office"))
        before = await _counts()

        with pytest.raises(InvalidInput) as refused:
            await calendars.add_holiday(office.id, spec)

        assert refused.value.field == field
        assert await _counts() == before


async def test_a_date_added_again_replaces_what_it_had() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(Spec("Office"))
        await calendars.add_holiday(office.id, calendars.DaySpec(date(2026, 6, 6), "Sale"))
        await calendars.add_holiday(
            office.id,
            calendars.DaySpec(date(2026, 6, 6), "Sale", working=True, intervals=["10:00-14:00"]),
        )

        rows = await CalendarHoliday.all().values("kind", "intervals")
    assert rows == [{"kind": "working_day", "intervals": ["10:00-14:00"]}]


async def test_a_loaded_calendar_counts_public_and_own_holidays_and_working_days() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(
            Spec("Office", time_zone="Asia/Shanghai", holiday_country="CN")
        )
        await calendars.add_holiday(office.id, calendars.DaySpec(date(2026, 1, 5), "Stocktake"))
        await calendars.add_holiday(
            office.id,
            calendars.DaySpec(date(2026, 1, 10), working=True, intervals=["09:00-11:00"]),
        )

        loaded = await calendars.load_calendar(office.id)
        by_default = await calendars.load_calendar()

    new_year, after = datetime(2026, 1, 1, tzinfo=SHANGHAI), datetime(2026, 1, 12, tzinfo=SHANGHAI)
    # 1-2 January holidays, Sunday 4 worked instead, Monday 5 our stocktake, Tuesday to Friday
    # worked, Saturday 10 two hours: 8 + 4 * 8 + 2.
    assert between(loaded, new_year, after) == timedelta(hours=42)
    assert between(by_default, new_year, after) == timedelta(hours=42)
    assert add(loaded, datetime(2025, 12, 31, 17, tzinfo=SHANGHAI), timedelta(hours=2)) == (
        datetime(2026, 1, 4, 10, tzinfo=SHANGHAI)
    )


async def test_a_tenant_without_calendars_computes_with_office_hours_in_utc() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        loaded = await calendars.load_calendar()
    monday = datetime(2026, 6, 1, tzinfo=UTC)

    assert between(loaded, monday, monday + timedelta(days=7)) == timedelta(hours=40)


async def test_another_tenants_calendar_is_not_found() -> None:
    acme, globex = await make_shop("acme"), await make_shop("globex")
    with tenant_scope(globex.tenant.id):
        theirs = await calendars.create_calendar(Spec("Secret"))
    with tenant_scope(acme.tenant.id):
        for attempt in (
            calendars.load_calendar(theirs.id),
            calendars.update_calendar(theirs.id, calendars.CalendarChanges(name="Mine")),
            calendars.delete_calendar(theirs.id),
            calendars.add_holiday(theirs.id, calendars.DaySpec(date(2026, 1, 1))),
            calendars.load_calendar(uuid.uuid4()),
        ):
            with pytest.raises(NotFound):
                await attempt


async def test_a_new_tenant_starts_with_a_default_calendar_of_office_hours() -> None:
    created = await onboarding.create_tenant(
        "acme", "Acme", "owner@acme.example.com", invitation_ttl=timedelta(days=1)
    )
    with tenant_scope(created.tenant.id):
        calendar = await calendars.default_calendar()

    assert calendar is not None
    assert calendar.name == calendars.DEFAULT_NAME
    assert calendar.week[0] == ["09:00-12:00", "13:00-18:00"]
    assert calendar.week[5:] == [[], []]


async def test_a_subdivision_stays_with_its_country_and_goes_with_another() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        office = await calendars.create_calendar(
            Spec("Office", holiday_country="DE", holiday_subdivision="BY")
        )

        same = await calendars.update_calendar(
            office.id, calendars.CalendarChanges(holiday_country="de")
        )
        assert (same.holiday_country, same.holiday_subdivision) == ("DE", "BY")
        other = await calendars.update_calendar(
            office.id, calendars.CalendarChanges(holiday_country="FR")
        )
        assert (other.holiday_country, other.holiday_subdivision) == ("FR", "")
