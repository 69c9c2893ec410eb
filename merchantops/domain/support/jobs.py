"""The customer-service area's background work. Thin: each calls a domain service for the
tenant in context.

- Every `ticket.*` event: submit the SLA timers the ticket's running clocks owe, a warning job
  at `warn_at` and a breach job at `due_at`, each keyed by its clock and version
  (`sla.timers`): the queue holds each once, a rescheduled clock gets new ones and the old
  ones find nothing to do (`escalation.fire`). No minute-poll: each timer wakes at its instant.
- `support.sla_timer`: run one timer.
- `support.close` (hourly): close SOLVED tickets past the auto-close window and time out
  unanswered resolution confirmations (`tickets.close_due`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.support import escalation, sla, tickets
from merchantops.domain.support.models import SlaClock
from merchantops.tenants.jobs import JobContext, JobFunction, Schedule
from merchantops.tenants.models import OutboxEvent

TIMER = "support.sla_timer"
CLOSE = "support.close"
MAX_EARLY = 5  # a timer woken early is scheduled again at most this often


async def timer_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    outcome = await escalation.fire(UUID(payload["clock_id"]), payload["version"], payload["kind"])
    again = int(payload.get("again", 0))
    if outcome == "early" and again < MAX_EARLY:
        await ctx.enqueue(
            TIMER,
            key=f"{payload['key']}:again:{again + 1}",
            payload={**payload, "again": again + 1},
            not_before=datetime.fromisoformat(payload["at"]),
        )


async def close_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    count = await tickets.close_due()
    await ctx.progress(count, count)


SCHEDULES = (Schedule(CLOSE, 3600),)


def jobs(deps: Dependencies) -> Mapping[str, JobFunction]:
    return {TIMER: timer_job, CLOSE: close_job}


async def schedule_timers(ctx: JobContext, ticket_id: UUID) -> int:
    """Submit the timers a ticket's clocks owe; how many were new."""
    rows = list(await SlaClock.filter(ticket_id=ticket_id, due_at__not_isnull=True))
    submitted = 0
    for timer in sla.timers(rows):
        submitted += await ctx.enqueue(
            TIMER,
            key=timer.key,
            payload={
                "key": timer.key,
                "clock_id": str(timer.clock_id),
                "version": timer.version,
                "kind": timer.kind,
                "at": timer.at.isoformat(),
            },
            not_before=timer.at,
        )
    return submitted


async def _on_event(ctx: JobContext, payload: dict[str, Any]) -> None:
    event = await OutboxEvent.get_or_none(id=payload["event_id"])
    if event is None or not event.type.startswith("ticket."):
        return
    ticket_id = event.payload.get("ticket_id")
    if ticket_id:
        await schedule_timers(ctx, UUID(str(ticket_id)))


def on_event(deps: Dependencies) -> JobFunction:
    return _on_event


__all__ = [
    "CLOSE",
    "SCHEDULES",
    "TIMER",
    "close_job",
    "jobs",
    "on_event",
    "schedule_timers",
    "timer_job",
]
