"""SLA clocks, pure: a target (first reply, next reply, periodic update, resolution) counted in
working time of a calendar (business hours, or `WorkingCalendar.around_the_clock()` for
calendar hours), paused by the statuses its policy names, met or breached.

A clock keeps what it has `spent` before its current run and when that run started
(`running_since`, None while paused or stopped). While it runs, its `due_at` is the instant its
remaining working time runs out: `add(calendar, running_since, target - spent)`. So:

- `elapsed(now) = spent + between(calendar, running_since, now)` (working time only);
- pausing adds the run to `spent` and forgets `due_at`; resuming starts a run and computes
  `due_at` again: paused time never counts;
- a new target (the ticket's priority or type changed) keeps what was spent and moves `due_at`;
- every change of the due instant bumps `version`. A timer job carries the version it was
  scheduled for, and `fires(clock, version, now)` is false for a stale one (rescheduled,
  paused, met): a stale timer never breaches anything.

`warn_at(share)` is when `share` (0.8 by default) of the target is spent, `state(now)` one of
RUNNING, WARNING, PAUSED, MET, BREACHED (a breached clock still runs until met: it shows how
far it is overdue).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from merchantops.domain.calendars.business_time import WorkingCalendar, add, between

ZERO = timedelta(0)


class Target(StrEnum):
    FIRST_REPLY = "FIRST_REPLY"
    NEXT_REPLY = "NEXT_REPLY"
    PERIODIC_UPDATE = "PERIODIC_UPDATE"
    RESOLUTION = "RESOLUTION"


class ClockState(StrEnum):
    RUNNING = "RUNNING"
    WARNING = "WARNING"
    PAUSED = "PAUSED"
    MET = "MET"
    BREACHED = "BREACHED"


@dataclass(frozen=True, slots=True)
class Clock:
    target: Target
    goal: timedelta  # the target's working time
    started_at: datetime
    spent: timedelta = ZERO
    running_since: datetime | None = None
    due_at: datetime | None = None
    met_at: datetime | None = None
    breached_at: datetime | None = None
    version: int = 0

    @property
    def running(self) -> bool:
        return self.running_since is not None


def start(target: Target, goal: timedelta, calendar: WorkingCalendar, now: datetime) -> Clock:
    """A running clock from `now`."""
    if goal < ZERO:
        raise ValueError("a target is not negative")
    return Clock(target, goal, now, running_since=now, due_at=add(calendar, now, goal), version=1)


def elapsed(clock: Clock, calendar: WorkingCalendar, now: datetime) -> timedelta:
    """Working time spent so far (paused time never counts)."""
    if clock.running_since is None:
        return clock.spent
    return clock.spent + max(between(calendar, clock.running_since, now), ZERO)


def remaining(clock: Clock, calendar: WorkingCalendar, now: datetime) -> timedelta:
    """Working time left; negative once overdue."""
    return clock.goal - elapsed(clock, calendar, now)


def pause(clock: Clock, calendar: WorkingCalendar, now: datetime) -> Clock:
    if clock.running_since is None:
        return clock
    return replace(
        clock,
        spent=elapsed(clock, calendar, now),
        running_since=None,
        due_at=None,
        version=clock.version + 1,
    )


def resume(clock: Clock, calendar: WorkingCalendar, now: datetime) -> Clock:
    if clock.running_since is not None or clock.met_at is not None:
        return clock
    left = max(clock.goal - clock.spent, ZERO)
    return replace(
        clock, running_since=now, due_at=add(calendar, now, left), version=clock.version + 1
    )


def retarget(clock: Clock, goal: timedelta, calendar: WorkingCalendar, now: datetime) -> Clock:
    """A new target, what was spent kept: the due instant moves (earlier or later)."""
    if goal < ZERO:
        raise ValueError("a target is not negative")
    if clock.met_at is not None or goal == clock.goal:
        return replace(clock, goal=goal)
    if clock.running_since is None:
        return replace(clock, goal=goal, version=clock.version + 1)
    spent = elapsed(clock, calendar, now)
    due = add(calendar, now, max(goal - spent, ZERO))
    # a breach stays breached (its events went out), even if the new target is longer
    return replace(
        clock, goal=goal, spent=spent, running_since=now, due_at=due, version=clock.version + 1
    )


def meet(clock: Clock, calendar: WorkingCalendar, now: datetime) -> Clock:
    """The target is reached (a reply sent, the ticket solved): the clock stops."""
    if clock.met_at is not None:
        return clock
    return replace(
        clock,
        spent=elapsed(clock, calendar, now),
        running_since=None,
        due_at=None,
        met_at=now,
        version=clock.version + 1,
    )


def breach(clock: Clock, now: datetime) -> Clock:
    """Marked breached (once); it keeps running until met."""
    return clock if clock.breached_at is not None else replace(clock, breached_at=now)


def warn_at(clock: Clock, calendar: WorkingCalendar, share: float = 0.8) -> datetime | None:
    """When `share` of the target is spent, if the clock runs and that is still ahead of its
    current run's start; None otherwise."""
    if clock.running_since is None:
        return None
    left = clock.goal * share - clock.spent
    return add(calendar, clock.running_since, left) if left > ZERO else clock.running_since


def fires(clock: Clock, version: int, now: datetime) -> bool:
    """Whether a breach timer scheduled for `version` acts: the clock is the one it was
    scheduled for, still running, not met, not breached, and due."""
    return (
        clock.version == version
        and clock.running_since is not None
        and clock.met_at is None
        and clock.breached_at is None
        and clock.due_at is not None
        and now >= clock.due_at
    )


def state(clock: Clock, calendar: WorkingCalendar, now: datetime, share: float = 0.8) -> ClockState:
    if clock.met_at is not None:
        return ClockState.MET
    if clock.breached_at is not None or (clock.due_at is not None and now >= clock.due_at):
        return ClockState.BREACHED
    if clock.running_since is None:
        return ClockState.PAUSED
    if elapsed(clock, calendar, now) >= clock.goal * share:
        return ClockState.WARNING
    return ClockState.RUNNING


__all__ = [
    "Clock",
    "ClockState",
    "Target",
    "breach",
    "elapsed",
    "fires",
    "meet",
    "pause",
    "remaining",
    "resume",
    "retarget",
    "start",
    "state",
    "warn_at",
]
