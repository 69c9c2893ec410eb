"""Working time of a calendar: how far business hours reach from an instant, how many lie
between two. Pure: no database, no clock; SLA timers and project plans build on it.

A `WorkingCalendar` is a time zone and, per weekday, local wall-clock intervals (`09:00-12:00`,
`13:00-18:00`: any number a day, one may end at `24:00`), with holidays (local dates without
working time), make-up working days (a weekend worked instead of a bridge day, as in China: the
calendar's standard day) and special days with intervals of their own. The day's intervals are
those of its special day, else none on a holiday, else the weekday's (the standard day's on a
make-up day whose weekday has none).

Working time is a set of real instants. An instant of local date D works for D's interval
`[start, end)` when the clock has already read `start` or later on D and will still read
something earlier than `end` on D: the span from the first instant the clock reads `start` (or
later) to the last instant before which it reads earlier than `end` (`24:00` is the first
instant of D + 1). Daylight saving follows from that:

- spring forward: a local time that does not exist is resolved forward, to the instant the
  clock jumps (on a 02:00 -> 03:00 day, 01:00-02:30 ends at the jump and 02:30-04:00 starts
  there); the hour that never happens is not worked;
- fall back: a start read twice is its first reading, an end read twice its second, so the
  repeated hour counts for its real elapsed time (01:00-04:00 on a 03:00 -> 02:00 day is four
  hours of work, 01:00-02:30 two and a half); an end the clock jumps back to exactly (02:00
  there) is its first reading, as nothing earlier is read after it.

Spans that meet or overlap (two intervals whose bounds lie in the repeated hour) count once.

- `add(calendar, start, duration)` is the earliest instant `t >= start` such that the working
  time in `[start, t)` equals `duration`; `add(c, s, timedelta(0)) == s`. A due time falls on
  the end of a working span, never on the start of the next one.
- `between(calendar, a, b)` is the working time in `[a, b)` when `a <= b`, and
  `-between(calendar, b, a)` otherwise: it is additive (`between(a, b) + between(b, c) ==
  between(a, c)` for any three instants) and `between(s, add(s, d)) == d`.
- `add_working_days(calendar, day, n)` is the n-th working day (a local date with at least one
  interval) after `day` (before it for negative n); `working_days_between(calendar, a, b)`
  counts the working days in `(a, b]` (negated when `b < a`), so
  `working_days_between(c, d, add_working_days(c, d, n)) == n` for n >= 0.

The walk goes day by day over UTC spans (one zone look-up a day where the offset does not
change), so a 10,000-hour target takes milliseconds. A calendar without working time raises
`CalendarHasNoWorkingTime` instead of walking forever, as does one whose next working time lies
further than `MAX_IDLE_DAYS` days away, or a target further than `MAX_SPAN_DAYS`; a span longer
than that is refused (`InvalidInput`).

    >>> office = WorkingCalendar.build("Europe/Berlin", [["09:00-12:00", "13:00-18:00"]] * 5)
    >>> add(office, datetime(2026, 3, 27, 16, 0, tzinfo=UTC), timedelta(hours=4))
    datetime.datetime(2026, 3, 30, 10, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from merchantops.domain.calendars.errors import (
    CalendarHasNoWorkingTime,
    InvalidInterval,
    OverlappingIntervals,
    UnknownTimeZone,
)
from merchantops.errors import InvalidInput

MINUTES_A_DAY = 24 * 60
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
MAX_IDLE_DAYS = 3660
"""Days without working time after which the search for the next working time gives up."""
MAX_SPAN_DAYS = 100 * 366
"""How far a walk goes: no due time, measured span or working-day count reaches further."""
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Span = tuple[datetime, datetime]


class DaySet(Protocol):
    """Local dates: a frozenset, or a lazily computed set such as a country's holidays."""

    def __contains__(self, day: object, /) -> bool: ...


@dataclass(frozen=True, order=True, slots=True)
class Interval:
    """Local working time of a day, in minutes after midnight: `[start, end)`, end <= 1440."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_A_DAY:
            raise InvalidInterval(
                f"An interval runs from 00:00 to 24:00 at most and ends after it starts, "
                f"not {_clock(self.start)}-{_clock(self.end)}."
            )

    @classmethod
    def parse(cls, text: str) -> Interval:
        """`"09:00-12:00"`; `24:00` may end an interval."""
        found = _INTERVAL.match(text)
        if found is None:
            raise InvalidInterval(f"'{text}' is not an interval like 09:00-12:00.")
        hours_from, minutes_from, hours_to, minutes_to = map(int, found.groups())
        if minutes_from > 59 or minutes_to > 59 or hours_from > 23 or hours_to > 24:
            raise InvalidInterval(f"'{text}' has a time that does not exist.")
        if hours_to == 24 and minutes_to:
            raise InvalidInterval(f"'{text}' ends after 24:00.")
        return cls(hours_from * 60 + minutes_from, hours_to * 60 + minutes_to)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_intervals(intervals: Iterable[Interval | str]) -> tuple[Interval, ...]:
    """A day's intervals sorted, refused if two overlap (meeting ends and starts are fine)."""
    parsed = sorted(i if isinstance(i, Interval) else Interval.parse(i) for i in intervals)
    for before, after in pairwise(parsed):
        if after.start < before.end:
            raise OverlappingIntervals(f"{before} and {after} overlap.")
    return tuple(parsed)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name` (`Europe/Berlin`), or `UnknownTimeZone`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(f"'{name}' is not an IANA time zone such as Asia/Shanghai.") from None


@dataclass(frozen=True)
class WorkingCalendar:
    zone: ZoneInfo
    week: tuple[tuple[Interval, ...], ...]
    """Seven days' intervals, Monday first, each sorted and without overlaps."""
    holidays: DaySet = frozenset()
    make_up_days: DaySet = frozenset()
    special_days: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidInput("A week has seven days, Monday first.", field="week")

    @classmethod
    def build(
        cls,
        time_zone: str,
        week: Sequence[Iterable[Interval | str]],
        *,
        holidays: DaySet = frozenset(),
        make_up_days: DaySet = frozenset(),
        special_days: Mapping[date, Iterable[Interval | str]] | None = None,
    ) -> WorkingCalendar:
        """A calendar from names and texts; `week` lists Monday first and may stop early
        (the days left out have no working time)."""
        if len(week) > 7:
            raise InvalidInput("A week has seven days, Monday first.", field="week")
        days = [day_intervals(intervals) for intervals in week]
        return cls(
            zone(time_zone),
            tuple(days) + ((),) * (7 - len(days)),
            holidays,
            make_up_days,
            {day: day_intervals(i) for day, i in (special_days or {}).items()},
        )

    @classmethod
    def around_the_clock(cls, time_zone: str = "UTC") -> WorkingCalendar:
        """Calendar hours: every day 00:00-24:00, no holidays."""
        return cls(zone(time_zone), ((Interval(0, MINUTES_A_DAY),),) * 7)

    @cached_property
    def standard_day(self) -> tuple[Interval, ...]:
        """The intervals of a make-up working day: the first weekday's that has any."""
        return next((day for day in self.week if day), ())

    @cached_property
    def weekly_minutes(self) -> int:
        return sum(interval.minutes for day in self.week for interval in day)

    @cached_property
    def has_working_time(self) -> bool:
        return self.weekly_minutes > 0 or any(self.special_days.values())

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        special = self.special_days.get(day)
        if special is not None:
            return special
        if day in self.holidays:
            return ()
        weekly = self.week[day.weekday()]
        if not weekly and day in self.make_up_days:
            return self.standard_day
        return weekly


def add(calendar: WorkingCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant (UTC) by which `duration` of working time has passed since
    `start`; `start` itself for a zero duration."""
    start = _utc(start, "start")
    if duration < timedelta(0):
        raise InvalidInput("A duration is zero or more.", field="duration")
    if not duration:
        return start
    remaining = duration
    for begin, end in _spans_from(calendar, start):
        if remaining <= end - begin:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("unreachable: _spans_from never ends")  # pragma: no cover


def between(calendar: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time in `[a, b)`; negative (`-between(b, a)`) when b is before a."""
    a, b = _utc(a, "from"), _utc(b, "to")
    if b < a:
        return -between(calendar, b, a)
    if b - a > MAX_SPAN_DAYS * DAY:
        raise InvalidInput(f"At most {MAX_SPAN_DAYS} days apart.", field="to")
    total = timedelta(0)
    day, last = a.astimezone(calendar.zone).date(), b.astimezone(calendar.zone).date()
    while day <= last:
        for begin, end in _spans(calendar, day):
            begin, end = max(begin, a), min(end, b)
            if begin < end:
                total += end - begin
        day += DAY
    return total


def next_working_instant(calendar: WorkingCalendar, instant: datetime) -> datetime:
    """`instant` (UTC) if it is working time, else the instant the next working time starts."""
    instant = _utc(instant, "instant")
    for begin, _end in _spans_from(calendar, instant):
        return begin
    raise AssertionError("unreachable: _spans_from never ends")  # pragma: no cover


def is_working(calendar: WorkingCalendar, instant: datetime) -> bool:
    instant = _utc(instant, "instant")
    day = instant.astimezone(calendar.zone).date()
    return any(begin <= instant < end for begin, end in _spans(calendar, day))


def is_working_day(calendar: WorkingCalendar, day: date) -> bool:
    return bool(calendar.intervals_on(day))


def add_working_days(calendar: WorkingCalendar, day: date, n: int) -> date:
    """The n-th working day after `day` (before it when n < 0); `day` itself for 0."""
    step, left, idle = (DAY if n >= 0 else -DAY), abs(n), 0
    if left > MAX_SPAN_DAYS:
        raise InvalidInput(f"At most {MAX_SPAN_DAYS} working days.", field="days")
    while left:
        day = _next_day(day, step)
        if is_working_day(calendar, day):
            left, idle = left - 1, 0
        else:
            idle += 1
            if idle > MAX_IDLE_DAYS:
                raise CalendarHasNoWorkingTime(
                    f"No working day within {MAX_IDLE_DAYS} days of {day}."
                )
    return day


def working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Working days in `(start, end]`; negative when end is before start."""
    if end < start:
        return -working_days_between(calendar, end, start)
    if (end - start).days > MAX_SPAN_DAYS:
        raise InvalidInput(f"At most {MAX_SPAN_DAYS} days apart.", field="to")
    count, day = 0, start
    while day < end:
        day += DAY
        count += is_working_day(calendar, day)
    return count


def _utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput("An instant needs its time zone (or offset).", field=name)
    return instant.astimezone(UTC)


def _next_day(day: date, step: timedelta) -> date:
    try:
        return day + step
    except OverflowError:
        raise CalendarHasNoWorkingTime("No working time before the end of the calendar.") from None


def _spans_from(calendar: WorkingCalendar, start: datetime) -> Iterator[Span]:
    """The working spans at or after `start`, the first cut to begin there; endless."""
    if not calendar.has_working_time:
        raise CalendarHasNoWorkingTime("This calendar has no working time on any day.")
    day, idle = start.astimezone(calendar.zone).date(), 0
    last = day + MAX_SPAN_DAYS * DAY if day.year < 9000 else date.max
    while True:
        spans = _spans(calendar, day)
        for begin, end in spans:
            if end > start:
                yield max(begin, start), end
        idle = 0 if spans else idle + 1
        if idle > MAX_IDLE_DAYS:
            raise CalendarHasNoWorkingTime(
                f"No working time within {MAX_IDLE_DAYS} days after {start.isoformat()}."
            )
        if day >= last:
            raise CalendarHasNoWorkingTime(
                f"Not enough working time within {MAX_SPAN_DAYS} days of {start.isoformat()}."
            )
        day = _next_day(day, DAY)


def _spans(calendar: WorkingCalendar, day: date) -> list[Span]:
    """The working time of local date `day` as sorted, disjoint UTC spans."""
    intervals = calendar.intervals_on(day)
    if not intervals:
        return []
    tz = calendar.zone
    midnight = datetime.combine(day, time())
    following = midnight + DAY
    offset, next_offset = tz.utcoffset(midnight), tz.utcoffset(following)
    if offset == next_offset and offset is not None:
        # No transition on this day: local minutes map to UTC by one offset.
        base = (midnight - offset).replace(tzinfo=UTC)
        return [
            (base + timedelta(minutes=i.start), base + timedelta(minutes=i.end)) for i in intervals
        ]
    spans: list[Span] = []
    for interval in intervals:
        begin = _first(tz, midnight + timedelta(minutes=interval.start))
        if interval.end == MINUTES_A_DAY:
            end = _first(tz, following)
        else:
            end = _last(tz, midnight + timedelta(minutes=interval.end))
        if begin < end:
            if spans and begin <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((begin, end))
    return spans


def _first(tz: ZoneInfo, local: datetime) -> datetime:
    """The first instant the clock reads `local` or later: where an interval starts."""
    return _resolve(tz, local, 0)


def _last(tz: ZoneInfo, local: datetime) -> datetime:
    """The instant after which the clock never again reads earlier than `local` that day:
    where an interval ends. A time read twice ends at its second reading, unless the clock
    jumped back to exactly that time (then nothing earlier is read after its first one)."""
    second = _resolve(tz, local, 1)
    if (second - SECOND).astimezone(tz).replace(tzinfo=None) < local:
        return second
    return _resolve(tz, local, 0)


def _resolve(tz: ZoneInfo, local: datetime, fold: int) -> datetime:
    instant = local.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == local:
        return instant
    # `local` falls in a gap: its two readings bracket the jump, found to the second.
    low = int(local.replace(tzinfo=tz, fold=1).timestamp())
    high = int(local.replace(tzinfo=tz, fold=0).timestamp())
    low, high = min(low, high), max(low, high)
    before = datetime.fromtimestamp(low, tz).utcoffset()
    while low < high:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == before:
            low = middle + 1
        else:
            high = middle
    return datetime.fromtimestamp(low, UTC)


__all__ = [
    "DAY",
    "MAX_IDLE_DAYS",
    "MAX_SPAN_DAYS",
    "MINUTES_A_DAY",
    "DaySet",
    "Interval",
    "WorkingCalendar",
    "add",
    "add_working_days",
    "between",
    "day_intervals",
    "is_working",
    "is_working_day",
    "next_working_instant",
    "working_days_between",
    "zone",
]
