"""A ticket's SLA clocks as rows: the pure clocks of `clocks.py` kept in `SlaClock`, driven by
what happens to the ticket, and the timers that warn and breach them.

The ticket's service (`tickets.py`) calls these inside its transaction, with the ticket's row
locked: `start_clocks` when a policy applies, `retarget_clocks` when priority, type or
severity change, `on_status` at every status change, `on_agent_reply` / `on_customer_message`
at every public message. Each bumps a clock's `version` whenever its due instant changes.

Timers: every `ticket.*` event has the support step (`jobs.py`) submit, per running clock, a
warning job at `warn_at` and a breach job at `due_at`, keyed by the clock and its version: a
clock rescheduled gets new jobs, and `fire` of an old one finds the version moved on and does
nothing. `fire` locks the clock's row and marks it once (`warned_at`, `breached_at`), so two
workers running the same timer breach it once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.queryset import QuerySet

from merchantops.domain.calendars.business_time import WorkingCalendar
from merchantops.domain.calendars.service import load_calendar
from merchantops.domain.support import clocks
from merchantops.domain.support.clocks import Clock, ClockState, Target
from merchantops.domain.support.models import SlaClock, SupportSettings, Ticket
from merchantops.domain.support.policies import Policy, TargetRule, TicketStatus

AROUND_THE_CLOCK = WorkingCalendar.around_the_clock()
STOPPED = frozenset({TicketStatus.SOLVED, TicketStatus.CLOSED})
# started at once when a policy applies; NEXT_REPLY starts at a customer's message after a reply
AT_ONCE = (Target.FIRST_REPLY, Target.PERIODIC_UPDATE, Target.RESOLUTION)


@dataclass(frozen=True, slots=True)
class Calendars:
    """The ticket's business calendar and its settings' warning share."""

    business: WorkingCalendar
    warning_share: float

    def of(self, row: SlaClock) -> WorkingCalendar:
        return self.business if row.business_hours else AROUND_THE_CLOCK


async def calendars(ticket: Ticket, settings: SupportSettings) -> Calendars:
    calendar_id = ticket.calendar_id or settings.calendar_id
    return Calendars(await load_calendar(calendar_id), settings.warning_share)


def targets_document(policy: Policy | None, ticket: Ticket) -> dict[str, Any]:
    """The targets a policy sets for the ticket's priority, as stored on the ticket."""
    if policy is None:
        return {}
    return {
        target.value: {
            "minutes": rule.minutes,
            "business_hours": rule.business_hours,
            "pause_on": sorted(rule.pause_on),
        }
        for target, rule in policy.targets_for(ticket.priority).items()
    }


def _rule(document: dict[str, Any]) -> TargetRule:
    return TargetRule(
        int(document["minutes"]),
        bool(document["business_hours"]),
        frozenset(TicketStatus(s) for s in document.get("pause_on", [])),
    )


def to_clock(row: SlaClock) -> Clock:
    return Clock(
        target=Target(row.target),
        goal=timedelta(minutes=row.goal_minutes),
        started_at=row.started_at,
        spent=timedelta(seconds=row.spent_seconds),
        running_since=row.running_since,
        due_at=row.due_at,
        met_at=row.met_at,
        breached_at=row.breached_at,
        version=row.version,
    )


def _store(row: SlaClock, clock: Clock, cals: Calendars) -> None:
    row.goal_minutes = int(clock.goal.total_seconds() // 60)
    row.started_at = clock.started_at
    row.spent_seconds = int(clock.spent.total_seconds())
    row.running_since = clock.running_since
    row.due_at = clock.due_at
    row.met_at = clock.met_at
    row.breached_at = clock.breached_at
    row.version = clock.version
    row.warn_at = clocks.warn_at(clock, cals.of(row), cals.warning_share)


FIELDS = (
    "goal_minutes",
    "business_hours",
    "pause_on",
    "started_at",
    "spent_seconds",
    "running_since",
    "due_at",
    "warn_at",
    "met_at",
    "breached_at",
    "warned_at",
    "version",
)


async def _save(row: SlaClock, clock: Clock, cals: Calendars) -> None:
    _store(row, clock, cals)
    await row.save(update_fields=list(FIELDS))


def _pauses(row: SlaClock, status: TicketStatus) -> bool:
    return status in STOPPED or status.value in row.pause_on


async def _new(
    ticket: Ticket, target: Target, rule: TargetRule, cals: Calendars, now: datetime
) -> SlaClock:
    row = SlaClock(
        ticket_id=ticket.id,
        target=target,
        goal_minutes=rule.minutes,
        business_hours=rule.business_hours,
        pause_on=sorted(rule.pause_on),
        started_at=now,
    )
    clock = clocks.start(target, rule.goal, cals.of(row), now)
    if _pauses(row, TicketStatus(ticket.status)):
        clock = clocks.pause(clock, cals.of(row), now)
    _store(row, clock, cals)
    await row.save()
    return row


async def rows_of(ticket_id: UUID) -> list[SlaClock]:
    return list(await SlaClock.filter(ticket_id=ticket_id).select_for_update().order_by("target"))


async def start_clocks(ticket: Ticket, cals: Calendars, now: datetime) -> list[SlaClock]:
    """The clocks of the targets fixed on the ticket (`ticket.sla_targets`) that start at once."""
    started = []
    for name, document in ticket.sla_targets.items():
        target = Target(name)
        if target in AT_ONCE:
            started.append(await _new(ticket, target, _rule(document), cals, now))
    return started


async def retarget_clocks(ticket: Ticket, cals: Calendars, now: datetime) -> None:
    """After the ticket's targets were fixed again (priority, type or severity changed): each
    clock keeps what it spent and takes its new goal and calendar; a target the new policy
    drops stops (its row goes), one it adds starts."""
    targets = {Target(name): _rule(doc) for name, doc in ticket.sla_targets.items()}
    status = TicketStatus(ticket.status)
    seen: set[Target] = set()
    for row in await rows_of(ticket.id):
        target = Target(row.target)
        seen.add(target)
        rule = targets.get(target)
        if rule is None:
            await row.delete()
            continue
        clock = to_clock(row)
        if clock.met_at is not None:
            row.goal_minutes, row.business_hours = rule.minutes, rule.business_hours
            row.pause_on = sorted(rule.pause_on)
            await row.save(update_fields=["goal_minutes", "business_hours", "pause_on"])
            continue
        was_running = clock.running
        clock = clocks.pause(clock, cals.of(row), now)  # spent so far, on the old calendar
        row.business_hours, row.pause_on = rule.business_hours, sorted(rule.pause_on)
        clock = clocks.retarget(clock, rule.goal, cals.of(row), now)
        if was_running and not _pauses(row, status):
            clock = clocks.resume(clock, cals.of(row), now)
        await _save(row, clock, cals)
    for target, rule in targets.items():
        if target in AT_ONCE and target not in seen and status not in STOPPED:
            await _new(ticket, target, rule, cals, now)


async def on_status(
    ticket: Ticket, cals: Calendars, old: TicketStatus, new: TicketStatus, now: datetime
) -> None:
    """Pause the clocks the new status pauses, resume the others; solving meets them all; a
    reopened ticket's resolution clock runs again with what it had spent."""
    for row in await rows_of(ticket.id):
        clock = to_clock(row)
        calendar = cals.of(row)
        if new == TicketStatus.SOLVED:
            changed = clocks.meet(clock, calendar, now)
        elif old in STOPPED and clock.met_at is not None and row.target == Target.RESOLUTION:
            changed = clocks.resume(replace(clock, met_at=None), calendar, now)
        elif _pauses(row, new):
            changed = clocks.pause(clock, calendar, now)
        else:
            changed = clocks.resume(clock, calendar, now)
        if changed != clock:
            await _save(row, changed, cals)


async def on_agent_reply(ticket: Ticket, cals: Calendars, now: datetime) -> None:
    """A public reply meets the first-reply and next-reply targets and starts the periodic
    update's count again."""
    for row in await rows_of(ticket.id):
        clock = to_clock(row)
        calendar = cals.of(row)
        if row.target in (Target.FIRST_REPLY, Target.NEXT_REPLY):
            changed = clocks.meet(clock, calendar, now)
        elif row.target == Target.PERIODIC_UPDATE and clock.met_at is None:
            changed = _restart(clock, calendar, now)
            if _pauses(row, TicketStatus(ticket.status)):
                changed = clocks.pause(changed, calendar, now)
            row.warned_at = None
        else:
            continue
        if changed != clock:
            await _save(row, changed, cals)


async def on_customer_message(ticket: Ticket, cals: Calendars, now: datetime) -> None:
    """A customer's message after a reply starts the next-reply target (if the policy sets
    one and it is not running already)."""
    document = ticket.sla_targets.get(Target.NEXT_REPLY.value)
    if document is None or ticket.first_replied_at is None:
        return
    row = await SlaClock.filter(ticket_id=ticket.id, target=Target.NEXT_REPLY).first()
    if row is None:
        await _new(ticket, Target.NEXT_REPLY, _rule(document), cals, now)
        return
    clock = to_clock(row)
    if clock.met_at is None:
        return  # still waiting for the reply to the earlier message
    changed = _restart(clock, cals.of(row), now)
    if _pauses(row, TicketStatus(ticket.status)):
        changed = clocks.pause(changed, cals.of(row), now)
    row.warned_at = None
    await _save(row, changed, cals)


def _restart(clock: Clock, calendar: WorkingCalendar, now: datetime) -> Clock:
    fresh = clocks.start(clock.target, clock.goal, calendar, now)
    return replace(fresh, version=clock.version + 1)


@dataclass(frozen=True, slots=True)
class Timer:
    """A job owed for a clock: `kind` "warning" or "breach", at `at`, for `version`."""

    clock_id: UUID
    ticket_id: UUID
    version: int
    kind: str
    at: datetime

    @property
    def key(self) -> str:
        return f"sla:{self.clock_id}:{self.version}:{self.kind}"


def timers(rows: list[SlaClock]) -> list[Timer]:
    """The timers the running clocks of a ticket owe (the queue drops ones it has by key)."""
    owed = []
    for row in rows:
        if row.due_at is None or row.met_at is not None:
            continue
        if row.warned_at is None and row.warn_at is not None and row.breached_at is None:
            owed.append(Timer(row.id, row.ticket_id, row.version, "warning", row.warn_at))
        if row.breached_at is None:
            owed.append(Timer(row.id, row.ticket_id, row.version, "breach", row.due_at))
    return owed


def breaching_within(now: datetime, within: timedelta) -> QuerySet[SlaClock]:
    """The tenant's clocks that breach in `[now, now + within)` (running, unmet, not
    breached yet): one range scan of the `(tenant_id, due_at)` index, since `due_at` is set
    exactly while a clock runs unmet. The tickets list's `breachingWithinMinutes` filter and
    `metrics.due_soon` are this query."""
    return SlaClock.filter(due_at__gte=now, due_at__lt=now + within, breached_at__isnull=True)


def view(row: SlaClock, cals: Calendars, now: datetime) -> dict[str, Any]:
    """What a ticket shows of a clock: due, remaining (negative: overdue), state."""
    clock = to_clock(row)
    calendar = cals.of(row)
    state = clocks.state(clock, calendar, now, cals.warning_share)
    return {
        "state": state,
        "remaining": clocks.remaining(clock, calendar, now),
        "elapsed": clocks.elapsed(clock, calendar, now),
    }


__all__ = [
    "AROUND_THE_CLOCK",
    "Calendars",
    "ClockState",
    "Timer",
    "breaching_within",
    "calendars",
    "on_agent_reply",
    "on_customer_message",
    "on_status",
    "retarget_clocks",
    "rows_of",
    "start_clocks",
    "targets_document",
    "timers",
    "to_clock",
    "view",
]
