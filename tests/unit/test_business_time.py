"""Business-time arithmetic against a reference walk over UTC minutes.

The reference asks of every UTC minute "is this working time?" from the local wall clock
alone: the minute is working when, for one interval [s, e) of its local date, the clock has
already read s or later today (the day's highest reading so far) and will still read something
before e today (the day's lowest reading from now on). That is the calendar's rule stated
without instants: a local time skipped by spring-forward starts or ends work when the clock
jumps over it, and the hour repeated by fall-back is worked for as long as it really lasts.

Every generated value is a whole minute and every zone's offset a whole number of minutes, so
counting minutes is exact. The default run keeps to a few seconds; set
BUSINESS_TIME_EXAMPLES (for example to 2000) for a long run.
"""

from __future__ import annotations

import os
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merchantops.domain.calendars.business_time import (
    Interval,
    WorkingCalendar,
    add,
    add_working_days,
    between,
    is_working,
    next_working_instant,
    working_days_between,
)
from merchantops.domain.calendars.errors import (
    CalendarHasNoWorkingTime,
    InvalidInterval,
    OverlappingIntervals,
    UnknownTimeZone,
)
from merchantops.domain.calendars.public_holidays import Holidays, MakeUpDays
from merchantops.errors import InvalidInput

EXAMPLES = int(os.environ.get("BUSINESS_TIME_EXAMPLES", "50"))
MINUTE = timedelta(minutes=1)
WINDOW_DAYS = 6
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai", "UTC")

Pairs = tuple[tuple[int, int], ...]


# --- the reference ----------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    zone: str
    week: tuple[Pairs, ...]
    holidays: frozenset[date] = frozenset()
    make_up: frozenset[date] = frozenset()
    special: dict[date, Pairs] = field(default_factory=dict)

    def calendar(self) -> WorkingCalendar:
        def intervals(pairs: Pairs) -> list[Interval]:
            return [Interval(start, end) for start, end in pairs]

        return WorkingCalendar.build(
            self.zone,
            [intervals(day) for day in self.week],
            holidays=self.holidays,
            make_up_days=self.make_up,
            special_days={day: intervals(pairs) for day, pairs in self.special.items()},
        )

    def pairs_on(self, day: date) -> Pairs:
        if day in self.special:
            return self.special[day]
        if day in self.holidays:
            return ()
        weekly = self.week[day.weekday()]
        if not weekly and day in self.make_up:
            return next((d for d in self.week if d), ())
        return weekly


def reference_minutes(spec: Spec, first: datetime, count: int) -> list[bool]:
    """Whether each of the `count` UTC minutes from `first` is working time."""
    zone, pad = ZoneInfo(spec.zone), 2 * 24 * 60
    readings = [
        (first + (i - pad) * MINUTE).astimezone(zone).replace(tzinfo=None)
        for i in range(count + 2 * pad)
    ]
    days = [reading.date() for reading in readings]
    clock_minutes = [reading.hour * 60 + reading.minute for reading in readings]
    highest, lowest = clock_minutes[:], clock_minutes[:]
    for i in range(1, len(readings)):
        if days[i] == days[i - 1]:
            highest[i] = max(highest[i - 1], clock_minutes[i])
    for i in range(len(readings) - 2, -1, -1):
        if days[i] == days[i + 1]:
            lowest[i] = min(lowest[i + 1], clock_minutes[i])
    return [
        any(highest[i] >= s and lowest[i] < e for s, e in spec.pairs_on(days[i]))
        for i in range(pad, pad + count)
    ]


def reference_due(flags: list[bool], start: datetime, minutes: int) -> datetime:
    if minutes == 0:
        return start
    seen = 0
    for i, working in enumerate(flags):
        seen += working
        if seen == minutes:
            return start + (i + 1) * MINUTE
    raise AssertionError("the window is too short for the target")


# --- generated calendars and instants -----------------------------------------------------
def transitions(zone_name: str, year: int) -> list[datetime]:
    """The instants (to the minute) at which `zone_name` changes its offset in `year`."""
    zone, found = ZoneInfo(zone_name), []

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(zone).utcoffset()

    moment = datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        later = moment + timedelta(hours=1)
        if offset(moment) != offset(later):
            minutes = (moment + m * MINUTE for m in range(1, 61))
            found.append(next(m for m in minutes if offset(m) != offset(moment)))
        moment = later
    return found


def _anchors(zone: str) -> list[datetime]:
    year = 1988 if zone == "Asia/Shanghai" else 2026  # Shanghai kept summer time 1986-1991
    return transitions(zone, year) or [datetime(year, 6, 1, tzinfo=UTC)]


ANCHORS = {zone: _anchors(zone) for zone in ZONES}


def clock_bounds(zone: str, anchor: datetime) -> list[int]:
    """Interval bounds where the clock jumps at `anchor`: the reading it jumps from, the one it
    jumps to, and half an hour either side of each."""
    tz, found = ZoneInfo(zone), set[int]()
    before, after = (anchor - MINUTE).astimezone(tz), anchor.astimezone(tz)
    for reading in (before.hour * 60 + before.minute + 1, after.hour * 60 + after.minute):
        found.update(m for m in (reading - 30, reading, reading + 30) if 0 <= m <= 1440)
    return sorted(found)


def bounds(hot: list[int]) -> st.SearchStrategy[int]:
    """Interval bounds: often where the clock jumps, else whole and half hours or any minute."""
    return st.one_of(
        st.sampled_from(hot),
        st.sampled_from(hot),
        st.sampled_from([0, 540, 720, 780, 1080, 1440]),
        st.integers(0, 48).map(lambda half_hours: half_hours * 30),
        st.integers(0, 24 * 60),
    )


@st.composite
def days_intervals(draw: st.DrawFn, hot: list[int], max_intervals: int = 3) -> Pairs:
    count = draw(st.integers(0, max_intervals))
    points = draw(st.lists(bounds(hot), min_size=2 * count, max_size=2 * count, unique=True))
    points.sort()
    return tuple(zip(points[::2], points[1::2], strict=True))


@dataclass(frozen=True)
class Case:
    spec: Spec
    start: datetime
    jump: int
    """Minutes from `start` to the instant the clock jumps (or to any instant, in UTC)."""


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(ANCHORS[zone]))
    hot = clock_bounds(zone, anchor)
    jump = draw(st.integers(0, (WINDOW_DAYS - 1) * 24 * 60))
    start = anchor - jump * MINUTE
    lunch = draw(st.booleans())
    if lunch:  # office hours with a lunch break on most days
        office = ((540, 720), (780, 1080))
        week = tuple(draw(st.sampled_from([office, office, ()])) for _ in range(7))
    else:
        week = tuple(draw(days_intervals(hot)) for _ in range(7))
    local_start = start.astimezone(ZoneInfo(zone)).date()
    nearby = st.integers(-2, WINDOW_DAYS + 1).map(lambda n: local_start + timedelta(days=n))
    holidays = frozenset(draw(st.lists(nearby, max_size=4)))
    make_up = frozenset(draw(st.lists(nearby, max_size=2)))
    special = draw(st.dictionaries(nearby, days_intervals(hot), max_size=2))
    if draw(st.booleans()):  # the day the clock jumps has intervals bounded where it jumps
        jump_day = anchor.astimezone(ZoneInfo(zone)).date()
        special[jump_day] = draw(days_intervals([0, *hot, *hot, 1440]))
    return Case(Spec(zone, week, holidays, make_up, special), start, jump)


def minutes_near(case: Case, count: int) -> st.SearchStrategy[int]:
    """Minutes of the window, often within two hours of the jump."""
    return st.one_of(
        st.integers(0, count),
        st.integers(max(0, case.jump - 120), min(count, case.jump + 120)),
    )


PROFILE = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROFILE
@given(case=cases(), data=st.data())
def test_add_reaches_the_instant_the_reference_walk_reaches(
    case: Case, data: st.DataObject
) -> None:
    # given
    spec, start, count = case.spec, case.start, WINDOW_DAYS * 24 * 60
    flags = reference_minutes(spec, start, count)
    until = data.draw(minutes_near(case, count), label="until")
    minutes = sum(flags[:until])  # the working time up to a minute near the jump, often
    calendar = spec.calendar()

    # when
    due = add(calendar, start, minutes * MINUTE)

    # then
    assert due == reference_due(flags, start, minutes)
    assert between(calendar, start, due) == minutes * MINUTE
    assert is_working(calendar, start) == flags[0]
    if any(flags):
        assert next_working_instant(calendar, start) == start + flags.index(True) * MINUTE


@PROFILE
@given(case=cases(), data=st.data())
def test_between_counts_the_working_minutes_the_reference_counts_and_adds_up(
    case: Case, data: st.DataObject
) -> None:
    # given
    spec, start, count = case.spec, case.start, WINDOW_DAYS * 24 * 60
    flags = reference_minutes(spec, start, count)
    i, j, k = (data.draw(minutes_near(case, count), label=name) for name in "ijk")
    calendar = spec.calendar()

    def at(n: int) -> datetime:
        return start + n * MINUTE

    def measured(a: int, b: int) -> timedelta:
        return between(calendar, at(a), at(b))

    # then
    assert measured(i, j) == (sum(flags[i:j]) - sum(flags[j:i])) * MINUTE
    assert measured(i, j) + measured(j, k) == measured(i, k)
    assert measured(i, j) == -measured(j, i)
    low, high = sorted((j, k))
    assert measured(i, low) <= measured(i, high)
    shorter, longer = sorted((sum(flags[:j]), sum(flags[:k])))
    assert add(calendar, start, shorter * MINUTE) <= add(calendar, start, longer * MINUTE)


# --- examples a reader can check by hand ---------------------------------------------------
OFFICE = [["09:00-12:00", "13:00-18:00"]] * 5
BERLIN = WorkingCalendar.build("Europe/Berlin", OFFICE)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_add_skips_the_lunch_break_and_the_weekend_across_spring_forward() -> None:
    # Friday 17:00 CET: an hour left that day, then Monday 09:00-12:00 CEST.
    assert add(BERLIN, utc(2026, 3, 27, 16), timedelta(hours=4)) == utc(2026, 3, 30, 10)
    # Tuesday 11:00 CEST, two hours: 11-12 then 13-14.
    assert add(BERLIN, utc(2026, 3, 31, 9), timedelta(hours=2)) == utc(2026, 3, 31, 12)


def test_a_due_time_falls_at_the_end_of_a_span_not_the_start_of_the_next() -> None:
    assert add(BERLIN, utc(2026, 6, 1, 7), timedelta(hours=3)) == utc(2026, 6, 1, 10)


def test_a_zero_duration_is_the_start_itself_even_outside_working_hours() -> None:
    saturday = utc(2026, 6, 6, 12)
    assert add(BERLIN, saturday, timedelta(0)) == saturday


def test_the_hour_repeated_by_fall_back_is_worked_for_its_real_length() -> None:
    night = WorkingCalendar.build("Europe/Berlin", [["01:00-04:00"]] * 7)
    fall_back = utc(2026, 10, 24, 12)  # noon before the night of 25 October

    assert between(night, fall_back, fall_back + timedelta(days=1)) == timedelta(hours=4)


def test_the_hour_skipped_by_spring_forward_is_not_worked() -> None:
    night = WorkingCalendar.build("Europe/Berlin", [["01:00-02:30", "02:30-04:00"]] * 7)
    spring = utc(2026, 3, 28, 12)

    assert between(night, spring, spring + timedelta(days=1)) == timedelta(hours=2)
    assert next_working_instant(night, utc(2026, 3, 29, 1)) == utc(2026, 3, 29, 1)


def test_lord_howe_moves_its_clock_by_half_an_hour() -> None:
    early = WorkingCalendar.build("Australia/Lord_Howe", [["01:00-03:00"]] * 7)
    # 5 April 2026, 02:00 local daylight time goes back to 01:30: 2.5 real hours of work.
    before = datetime(2026, 4, 4, 12, tzinfo=ZoneInfo("Australia/Lord_Howe"))

    assert between(early, before, before + timedelta(days=1)) == timedelta(hours=2, minutes=30)


def test_an_interval_may_end_at_midnight_and_calendar_hours_are_real_hours() -> None:
    evening = WorkingCalendar.build("Asia/Shanghai", [["18:00-24:00"]] * 7)
    clock_hours = WorkingCalendar.around_the_clock("America/New_York")
    start = utc(2026, 3, 7, 0)

    assert add(evening, utc(2026, 1, 1, 10), timedelta(hours=6)) == utc(2026, 1, 1, 16)
    assert between(clock_hours, start, start + timedelta(days=2)) == timedelta(days=2)


def test_holidays_and_make_up_days_of_china_move_the_due_time() -> None:
    china = WorkingCalendar.build(
        "Asia/Shanghai",
        OFFICE,
        holidays=Holidays("CN"),
        make_up_days=MakeUpDays("CN"),
    )
    new_year_eve = datetime(2025, 12, 31, 17, tzinfo=ZoneInfo("Asia/Shanghai"))

    # 1 and 2 January are holidays, Sunday 4 January is worked instead.
    due = add(china, new_year_eve, timedelta(hours=2))
    assert due == datetime(2026, 1, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert add_working_days(china, date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_a_tenants_own_holiday_and_special_day() -> None:
    calendar = WorkingCalendar.build(
        "Europe/Berlin",
        OFFICE,
        holidays=Holidays(own=frozenset({date(2026, 6, 1)})),
        special_days={date(2026, 6, 6): ["10:00-12:00"]},
    )

    assert between(calendar, utc(2026, 6, 1), utc(2026, 6, 8)) == timedelta(hours=34)


def test_working_days_count_what_adding_them_passes() -> None:
    monday = date(2026, 6, 1)

    assert add_working_days(BERLIN, monday, 5) == date(2026, 6, 8)
    assert add_working_days(BERLIN, date(2026, 6, 6), 1) == date(2026, 6, 8)
    assert add_working_days(BERLIN, monday, -1) == date(2026, 5, 29)
    assert working_days_between(BERLIN, monday, date(2026, 6, 8)) == 5
    assert working_days_between(BERLIN, date(2026, 6, 8), monday) == -5
    for n in range(12):
        assert working_days_between(BERLIN, monday, add_working_days(BERLIN, monday, n)) == n


def test_ten_thousand_hours_take_milliseconds() -> None:
    china = WorkingCalendar.build(
        "Asia/Shanghai", OFFICE, holidays=Holidays("CN"), make_up_days=MakeUpDays("CN")
    )
    start = utc(2026, 1, 1)

    began = clock.perf_counter()
    due = add(china, start, timedelta(hours=10_000))
    took = clock.perf_counter() - began

    assert between(china, start, due) == timedelta(hours=10_000)
    assert took < 0.5  # about 10 ms on one core


def test_a_calendar_without_working_time_refuses_instead_of_walking_forever() -> None:
    never = WorkingCalendar.build("UTC", [])
    all_holidays = WorkingCalendar.build(
        "UTC", OFFICE, holidays=Holidays(own=frozenset(date(2026, 1, 1) + timedelta(days=n)
                                                        for n in range(4000)))
    )  # fmt: skip

    with pytest.raises(CalendarHasNoWorkingTime):
        add(never, utc(2026, 1, 1), MINUTE)
    with pytest.raises(CalendarHasNoWorkingTime):
        add(all_holidays, utc(2026, 1, 1), MINUTE)
    with pytest.raises(CalendarHasNoWorkingTime):
        add_working_days(never, date(2026, 1, 1), 1)
    assert add(never, utc(2026, 1, 1), timedelta(0)) == utc(2026, 1, 1)
    assert between(never, utc(2026, 1, 1), utc(2027, 1, 1)) == timedelta(0)


@pytest.mark.parametrize(
    ("week", "error"),
    [
        ([["09:00-12:00", "11:00-13:00"]], OverlappingIntervals),
        ([["12:00-09:00"]], InvalidInterval),
        ([["09:00-09:00"]], InvalidInterval),
        ([["24:00-24:00"]], InvalidInterval),
        ([["09:00-24:30"]], InvalidInterval),
        ([["9-12"]], InvalidInterval),
        ([[]] * 8, InvalidInput),
    ],
)
def test_bad_intervals_are_refused_with_their_own_code(
    week: list[list[str]], error: type[Exception]
) -> None:
    with pytest.raises(error):
        WorkingCalendar.build("UTC", week)


def test_an_unknown_time_zone_and_a_naive_instant_are_refused() -> None:
    with pytest.raises(UnknownTimeZone):
        WorkingCalendar.build("Mars/Olympus_Mons", OFFICE)
    with pytest.raises(UnknownTimeZone):
        WorkingCalendar.build("../etc/passwd", OFFICE)
    with pytest.raises(InvalidInput):
        add(BERLIN, datetime(2026, 1, 1), MINUTE)
    with pytest.raises(InvalidInput):
        add(BERLIN, utc(2026, 1, 1), -MINUTE)
