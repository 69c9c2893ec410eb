"""The escalation ladder and the SLA timers that climb it.

- a clock's warning (at the tenant's share of its target, 80% by default) warns the assignee:
  `ticket.sla_warning`, an ASSIGNEE step;
- its breach, exactly at the due instant, reassigns the ticket to its team's lead:
  `ticket.sla_breached`, then a TEAM_LEAD step and `ticket.escalated` (when there is no lead, or
  the lead is the one who breached, management is told instead);
- a major complaint (its policy escalates at once) and a ticket reopened as often as the
  tenant's threshold notify management: a MANAGEMENT step and `ticket.escalated`.

Every step is a `TicketEscalation` row with its time (what zammad #3928 asks to see), audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.support import clocks, sla
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.config import support_settings
from merchantops.domain.support.history import ticket_body
from merchantops.domain.support.models import (
    EscalationLevel,
    EscalationReason,
    SlaClock,
    SupportTeam,
    Ticket,
    TicketEscalation,
)
from merchantops.observability import metrics
from merchantops.tenants import audit, outbox

RANK = {EscalationLevel.ASSIGNEE: 1, EscalationLevel.TEAM_LEAD: 2, EscalationLevel.MANAGEMENT: 3}
KEEP: Any = object()  # `to_assignee` default: leave the assignee as it is


async def escalate(
    ticket: Ticket,
    level: EscalationLevel,
    reason: EscalationReason,
    now: datetime,
    *,
    target: Target | None = None,
    to_assignee: Any = KEEP,
) -> TicketEscalation:
    """One step up the ladder, in the caller's transaction (the ticket's row locked)."""
    before = ticket.assignee_id
    updated = ["updated_at"]
    if to_assignee is not KEEP and to_assignee != ticket.assignee_id:
        ticket.assignee_id = to_assignee
        updated.append("assignee_id")
    current = ticket.escalation_level
    if current is None or RANK[level] > RANK[EscalationLevel(current)]:
        ticket.escalation_level = level
        updated.append("escalation_level")
    await ticket.save(update_fields=updated)
    step = await TicketEscalation.create(
        ticket_id=ticket.id,
        level=level,
        reason=reason,
        target=target,
        from_assignee_id=before,
        to_assignee_id=ticket.assignee_id,
        created_at=now,
    )
    record = {"level": level.value, "reason": reason.value, "target": target and target.value}
    await audit.record("ticket.escalated", "ticket", ticket.id, after=record)
    if level != EscalationLevel.ASSIGNEE:
        await outbox.emit("ticket.escalated", ticket_body(ticket, now, **record))
    return step


async def fire(clock_id: UUID, version: int, kind: str, now: datetime | None = None) -> str:
    """Run a warning or breach timer: "warned" / "breached" when it acted, "stale" when the
    clock moved on (rescheduled, paused, met, gone, done already), "early" when its instant
    has not come (a queue that woke too soon: the caller schedules it again)."""
    now = now or datetime.now(UTC)
    found = await SlaClock.get_or_none(id=clock_id)
    if found is None:
        return "stale"
    async with in_transaction():
        # the ticket first, as every ticket service locks it: no deadlock with them
        ticket = await Ticket.select_for_update().get(id=found.ticket_id)
        row = await SlaClock.select_for_update().get_or_none(id=clock_id)
        if row is None or row.version != version or row.met_at is not None:
            return "stale"
        if row.running_since is None or row.breached_at is not None:
            return "stale"
        if kind == "warning":
            return await _warn(ticket, row, now)
        return await _breach(ticket, row, version, now)


async def _warn(ticket: Ticket, row: SlaClock, now: datetime) -> str:
    if row.warned_at is not None:
        return "stale"
    if row.warn_at is None or now < row.warn_at:
        return "early"
    row.warned_at = now
    await row.save(update_fields=["warned_at"])
    target = Target(row.target)
    await outbox.emit("ticket.sla_warning", ticket_body(ticket, now, **_clock(row)))
    await escalate(
        ticket, EscalationLevel.ASSIGNEE, EscalationReason.SLA_WARNING, now, target=target
    )
    metrics.sla_event("warning", target.value.lower())
    return "warned"


async def _breach(ticket: Ticket, row: SlaClock, version: int, now: datetime) -> str:
    clock = sla.to_clock(row)
    if not clocks.fires(clock, version, now):
        return "early"
    await _mark_breached(ticket, row, now)
    return "breached"


async def _mark_breached(ticket: Ticket, row: SlaClock, now: datetime) -> None:
    row.breached_at = now
    await row.save(update_fields=["breached_at"])
    target = Target(row.target)
    await outbox.emit("ticket.sla_breached", ticket_body(ticket, now, **_clock(row)))
    await audit.record("ticket.sla_breached", "ticket", ticket.id, after=_clock(row))
    metrics.sla_event("breach", target.value.lower())
    if row.met_at is not None:
        return  # met late: the breach is counted, nobody is left to chase
    team = await SupportTeam.get_or_none(id=ticket.team_id) if ticket.team_id else None
    lead = team.lead_id if team is not None else None
    if lead is not None and lead != ticket.assignee_id:
        await escalate(
            ticket,
            EscalationLevel.TEAM_LEAD,
            EscalationReason.SLA_BREACH,
            now,
            target=target,
            to_assignee=lead,
        )
    else:
        await escalate(
            ticket, EscalationLevel.MANAGEMENT, EscalationReason.SLA_BREACH, now, target=target
        )


async def settle_overdue(ticket: Ticket, now: datetime) -> None:
    """Breach the clocks a change stopped past their target before their timer ran (met by a
    late reply, paused after the due instant): their timers are stale now and would never
    count them. In the caller's transaction, the ticket's row locked."""
    stopped = SlaClock.filter(ticket_id=ticket.id, breached_at__isnull=True, running_since=None)
    for row in await stopped.select_for_update():
        if row.spent_seconds > row.goal_minutes * 60:
            await _mark_breached(ticket, row, now)


def _clock(row: SlaClock) -> dict[str, Any]:
    return {
        "target": row.target.value if isinstance(row.target, Target) else str(row.target),
        "due_at": row.due_at.isoformat() if row.due_at else None,
        "goal_minutes": row.goal_minutes,
        "business_hours": row.business_hours,
    }


async def on_reopen(ticket: Ticket, now: datetime) -> None:
    """Management hears of a ticket reopened as often as the tenant's threshold (once)."""
    settings = await support_settings()
    if ticket.reopen_count == settings.reopen_escalation_threshold:
        await escalate(ticket, EscalationLevel.MANAGEMENT, EscalationReason.REOPENED, now)


__all__ = ["KEEP", "escalate", "fire", "on_reopen", "settle_overdue"]
