"""SLA clocks against a reference: whatever pauses and resumes happen, a clock has spent the
working time of its running stretches, its due instant is when the rest runs out, a new
target moves the due instant keeping what was spent, and a timer scheduled for an earlier
version of the clock never fires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from merchantops.domain.calendars.business_time import WorkingCalendar, add, between
from merchantops.domain.support import clocks
from merchantops.domain.support.clocks import ClockState, Target

OFFICE = WorkingCalendar.build(
    "Europe/Berlin", [["09:00-12:00", "13:00-18:00"]] * 5, holidays=frozenset()
)
ALWAYS = WorkingCalendar.around_the_clock()
T0 = datetime(2026, 3, 26, 8, 0, tzinfo=UTC)  # a Thursday; summer time starts on the 29th
HOUR = timedelta(hours=1)


def test_a_clock_counts_office_hours_only() -> None:
    clock = clocks.start(Target.FIRST_REPLY, 24 * HOUR, OFFICE, T0)

    # 24 working hours of 8 a day from Thursday 09:00 Berlin: Monday 18:00 (summer time)
    assert clock.due_at == datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
    assert clocks.state(clock, OFFICE, T0) is ClockState.RUNNING
    later = datetime(2026, 3, 30, 14, 0, tzinfo=UTC)  # Monday 16:00 local: 8 + 8 + 6 hours
    assert clocks.elapsed(clock, OFFICE, later) == 22 * HOUR
    assert clocks.state(clock, OFFICE, later) is ClockState.WARNING


def test_pausing_stops_the_count_and_resuming_moves_the_due_instant() -> None:
    clock = clocks.start(Target.RESOLUTION, 4 * HOUR, ALWAYS, T0)
    paused = clocks.pause(clock, ALWAYS, T0 + HOUR)
    assert (paused.due_at, paused.spent, paused.version) == (None, HOUR, 2)
    assert clocks.state(paused, ALWAYS, T0 + 10 * HOUR) is ClockState.PAUSED

    resumed = clocks.resume(paused, ALWAYS, T0 + 10 * HOUR)

    assert resumed.due_at == T0 + 13 * HOUR
    assert not clocks.fires(resumed, clock.version, T0 + 13 * HOUR)  # the first run's timer
    assert clocks.fires(resumed, resumed.version, T0 + 13 * HOUR)


def test_a_priority_change_moves_the_due_instant_and_invalidates_its_timer() -> None:
    clock = clocks.start(Target.RESOLUTION, 72 * HOUR, ALWAYS, T0)
    sooner = clocks.retarget(clock, 24 * HOUR, ALWAYS, T0 + 2 * HOUR)

    assert sooner.due_at == T0 + 24 * HOUR
    assert not clocks.fires(sooner, clock.version, T0 + 72 * HOUR)
    assert clocks.fires(sooner, sooner.version, T0 + 24 * HOUR)
    overdue = clocks.retarget(sooner, HOUR, ALWAYS, T0 + 3 * HOUR)
    assert overdue.due_at == T0 + 3 * HOUR  # spent more than the new target: due at once


def test_a_met_clock_never_fires_and_stays_met() -> None:
    clock = clocks.start(Target.FIRST_REPLY, HOUR, ALWAYS, T0)
    met = clocks.meet(clock, ALWAYS, T0 + HOUR / 2)

    assert clocks.state(met, ALWAYS, T0 + 5 * HOUR) is ClockState.MET
    assert not clocks.fires(met, met.version, T0 + 5 * HOUR)
    assert clocks.resume(met, ALWAYS, T0 + 2 * HOUR) == met


def test_a_breach_is_marked_once_and_the_warning_comes_at_eighty_percent() -> None:
    clock = clocks.start(Target.FIRST_REPLY, 10 * HOUR, ALWAYS, T0)
    assert clocks.warn_at(clock, ALWAYS) == T0 + 8 * HOUR
    breached = clocks.breach(clock, T0 + 10 * HOUR)
    again = clocks.breach(breached, T0 + 11 * HOUR)

    assert again.breached_at == T0 + 10 * HOUR
    assert clocks.state(again, ALWAYS, T0 + 11 * HOUR) is ClockState.BREACHED
    assert not clocks.fires(again, again.version, T0 + 12 * HOUR)


# generated: a target, then pause/resume/retarget steps at increasing instants
steps = st.lists(
    st.tuples(
        st.sampled_from(["pause", "resume", "retarget"]),
        st.integers(1, 60 * 24 * 4),  # minutes after the previous step
        st.integers(0, 60 * 40),  # a new target in minutes (retarget)
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    calendar=st.sampled_from([OFFICE, ALWAYS]),
    start=st.integers(0, 60 * 24 * 14).map(lambda m: T0 + timedelta(minutes=m)),
    goal=st.integers(0, 60 * 40).map(lambda m: timedelta(minutes=m)),
    script=steps,
)
def test_elapsed_and_due_match_the_running_stretches(
    calendar: WorkingCalendar, start: datetime, goal: timedelta, script: list[tuple[str, int, int]]
) -> None:
    clock = clocks.start(Target.RESOLUTION, goal, calendar, start)
    now = start
    runs: list[tuple[datetime, datetime]] = []  # reference: the running stretches
    running_since: datetime | None = start
    versions = {clock.version}
    for action, after, minutes in script:
        now += timedelta(minutes=after)
        before = clock
        if action == "pause":
            clock = clocks.pause(clock, calendar, now)
            if running_since is not None:
                runs.append((running_since, now))
                running_since = None
        elif action == "resume":
            clock = clocks.resume(clock, calendar, now)
            if running_since is None:
                running_since = now
        else:
            clock = clocks.retarget(clock, timedelta(minutes=minutes), calendar, now)
            if running_since is not None and clock.goal != before.goal:
                runs.append((running_since, now))
                running_since = now
        if clock.version != before.version:
            assert clock.version not in versions  # a change of due instant is a new version
            versions.add(clock.version)

    spent = sum((between(calendar, a, b) for a, b in runs), timedelta(0))
    assert clock.spent == spent
    expected = spent + (between(calendar, running_since, now) if running_since else timedelta(0))
    assert clocks.elapsed(clock, calendar, now) == expected
    if running_since is None:
        assert clock.due_at is None
    else:
        left = max(clock.goal - spent, timedelta(0))
        assert clock.due_at == add(calendar, running_since, left)
        assert clocks.remaining(clock, calendar, clock.due_at) <= timedelta(0)
        # only the current version's timer acts, and only once due
        for version in versions - {clock.version}:
            assert not clocks.fires(clock, version, clock.due_at)
        assert clocks.fires(clock, clock.version, clock.due_at)
