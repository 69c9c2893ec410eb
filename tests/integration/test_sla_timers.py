"""SLA timers end to end: a ticket's event has the support step schedule its clocks' warning
and breach jobs; the embedded runner fires them at their instants; a met clock's timer does
nothing; two workers racing on one breach breach it once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from merchantops.domain.support import config, escalation, tickets
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.jobs import TIMER
from merchantops.domain.support.models import (
    Author,
    SlaClock,
    Ticket,
    TicketEscalation,
    TicketMessage,
)
from merchantops.domain.support.policies import TicketStatus
from merchantops.domain.support.tickets import MessageSpec
from merchantops.tenants import jobs as tenant_jobs
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.jobs import RetryPolicy
from merchantops.tenants.models import JobRecord, JobStatus, OutboxEvent
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from tests.helpdesk import Desk, make_desk, ticket_spec

ONE_MINUTE = {
    "name": "One minute",
    "targets": {"NORMAL": {"FIRST_REPLY": {"minutes": 1, "business_hours": False}}},
}


async def _due_in(desk: Desk, seconds: float) -> Ticket:
    """A ticket whose one-minute first-reply clock is due `seconds` from now (its warning,
    at 80 %, already past)."""
    await config.replace_policies([ONE_MINUTE])
    opened = datetime.now(UTC) - timedelta(seconds=60 - seconds)
    return (await tickets.create_ticket(ticket_spec(desk), now=opened)).ticket


async def _run_events(jobs: InProcessQueue) -> None:
    for _ in range(3):  # the breach's own events schedule nothing new
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()


async def _count(kind: str) -> int:
    return await OutboxEvent.filter(type=kind).count()


async def test_a_breach_timer_fires_at_the_due_instant(db: str, jobs: InProcessQueue) -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        ticket = await _due_in(desk, 0.8)
        clock = await SlaClock.get(ticket_id=ticket.id, target=Target.FIRST_REPLY)
    await _run_events(jobs)

    with tenant_scope(desk.shop.tenant.id):
        clock = await SlaClock.get(id=clock.id)
        assert clock.warned_at is not None
        assert clock.breached_at is not None
        assert clock.due_at is not None
        assert clock.breached_at >= clock.due_at  # not a moment before
        assert clock.breached_at - clock.due_at < timedelta(seconds=5)
        assert await _count("ticket.sla_warning") == 1
        assert await _count("ticket.sla_breached") == 1
        assert (await Ticket.get(id=ticket.id)).assignee_id == desk.lead.id
        keys = {
            str(key) for key in await JobRecord.filter(name=TIMER).values_list("key", flat=True)
        }
        assert keys == {
            f"sla:{clock.id}:{clock.version}:warning",
            f"sla:{clock.id}:{clock.version}:breach",
        }


async def test_a_clock_met_before_its_instant_never_breaches(db: str, jobs: InProcessQueue) -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        ticket = await _due_in(desk, 3.0)
    await relay_outbox(jobs, jobs.policy)
    with tenant_scope(desk.shop.tenant.id):
        for _ in range(100):  # until the event's job has scheduled its timers
            if await JobRecord.exists(key__endswith=":breach"):
                break
            await asyncio.sleep(0.05)
        await tickets.add_message(ticket.id, MessageSpec("On it."))  # met before the instant
    await _run_events(jobs)

    with tenant_scope(desk.shop.tenant.id):
        clock = await SlaClock.get(ticket_id=ticket.id, target=Target.FIRST_REPLY)
        assert clock.met_at is not None
        assert clock.breached_at is None
        assert await _count("ticket.sla_breached") == 0
        assert await TicketEscalation.filter(level="TEAM_LEAD").count() == 0
        # the breach job ran and found nothing to do
        breach = await JobRecord.get(key__endswith=":breach")
        assert breach.status is JobStatus.SUCCEEDED


@pytest.mark.postgres
async def test_two_workers_on_one_breach_breach_it_once(pg_db: str) -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        await config.replace_policies([ONE_MINUTE])
        opened = datetime.now(UTC) - timedelta(minutes=5)
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=opened)).ticket
        clock = await SlaClock.get(ticket_id=ticket.id)

        # the queue holds a timer once: a second worker submitting it is refused
        policy = RetryPolicy()
        first, second = InProcessQueue({}, policy), InProcessQueue({}, policy)
        key = f"sla:{clock.id}:{clock.version}:breach"
        payload = {"clock_id": str(clock.id), "version": clock.version, "kind": "breach"}
        submitted = [
            await tenant_jobs.submit(
                queue, policy, TIMER, key=key, tenant_id=desk.shop.tenant.id, payload=payload,
                not_before=datetime.now(UTC) + timedelta(hours=1),
            )
            for queue in (first, second)
        ]  # fmt: skip
        assert submitted == [True, False]
        await first.close()
        await second.close()

        # and two runs of it at once (a redelivered job) breach once: the row lock decides
        outcomes = await asyncio.gather(
            *(escalation.fire(clock.id, clock.version, "breach") for _ in range(4))
        )
        assert sorted(outcomes) == ["breached", "stale", "stale", "stale"]
        assert await _count("ticket.sla_breached") == 1
        assert await TicketEscalation.filter(ticket_id=ticket.id, reason="SLA_BREACH").count() == 1


@pytest.mark.postgres
async def test_racing_clients_on_one_tenant_make_one_ticket_and_keep_every_message(
    pg_db: str,
) -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, idempotency_key="chat-7")
        created = await asyncio.gather(*(tickets.create_ticket(spec) for _ in range(6)))
        assert len({c.ticket.id for c in created}) == 1
        assert sum(not c.replayed for c in created) == 1
        ticket = created[0].ticket

        # an agent and the customer write at once: both messages kept, the clocks consistent
        await asyncio.gather(
            tickets.add_message(ticket.id, MessageSpec("On it.")),
            tickets.add_message(ticket.id, MessageSpec("Hello?", author=Author.CUSTOMER)),
        )
        assert await Ticket.all().count() == 1
        assert await TicketMessage.filter(ticket_id=ticket.id).count() == 3
        first = await SlaClock.get(ticket_id=ticket.id, target=Target.FIRST_REPLY)
        assert first.met_at is not None
        assert (await Ticket.get(id=ticket.id)).status is TicketStatus.OPEN
