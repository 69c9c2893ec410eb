"""Tickets' services on both databases: creation from every channel with the first matching SLA
policy, clocks driven by replies and statuses (paused, resumed, retargeted), timers that warn
and breach once and never when stale, the escalation ladder, the complaint's closed loop, the
quality loop, auto-close, reopening, idempotent partner creation and typed refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from merchantops.domain.calendars.service import CalendarSpec, create_calendar
from merchantops.domain.governance.models import RiskAlert
from merchantops.domain.orders.policies import SettingsChanges as OrderSettingsChanges
from merchantops.domain.orders.policies import update_settings as update_order_settings
from merchantops.domain.support import config, escalation, tickets
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.errors import (
    IdempotencyConflict,
    InvalidTicketTransition,
    LoopNotClosed,
    NotAMember,
    TicketClosed,
)
from merchantops.domain.support.models import (
    Author,
    Confirmation,
    EscalationLevel,
    EscalationReason,
    MessageKind,
    SlaClock,
    SurveyResponse,
    Ticket,
    TicketEscalation,
    TicketMessage,
)
from merchantops.domain.support.policies import (
    Channel,
    Priority,
    Severity,
    TicketStatus,
    TicketType,
)
from merchantops.domain.support.tickets import MessageSpec, Resolution, TicketChanges
from merchantops.errors import DomainError, InvalidInput, NotFound
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from tests.helpdesk import MONDAY, make_desk, ticket_spec
from tests.inventory import make_sku

pytestmark = pytest.mark.usefixtures("db")
HOUR = timedelta(hours=1)


async def _clocks(ticket: Ticket) -> dict[Target, SlaClock]:
    return {Target(c.target): c for c in await SlaClock.filter(ticket_id=ticket.id)}


async def _events(kind: str) -> list[dict[str, Any]]:
    return [e.payload for e in await OutboxEvent.filter(type=kind).order_by("created_at")]


def _reply(body: str = "We are on it.", **changes: Any) -> MessageSpec:
    return MessageSpec(body, **changes)


def _customer(body: str = "Any news?") -> MessageSpec:
    return MessageSpec(body, author=Author.CUSTOMER)


async def test_a_ticket_takes_the_first_matching_policy_and_starts_its_clocks() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id), actor_scope("user:agent"):
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket

        assert ticket.number == 1
        assert ticket.status is TicketStatus.NEW
        assert ticket.policy_name == "Every ticket: answered in 24 h"
        clocks = await _clocks(ticket)
        assert set(clocks) == {Target.FIRST_REPLY}
        first = clocks[Target.FIRST_REPLY]
        assert first.due_at == MONDAY + 24 * HOUR  # calendar hours
        assert first.warn_at == MONDAY + timedelta(hours=19.2)  # 80 %
        [message] = await TicketMessage.filter(ticket_id=ticket.id)
        assert (message.kind, message.author_kind) == (MessageKind.PUBLIC, Author.CUSTOMER)
        [created] = await _events("ticket.created")
        assert created["number"] == "1"
        assert created["ticket"]["kind"] == "inquiry"
        assert "Li Wei" not in str(created)
        assert "li.wei" not in str(created)
        assert await AuditEntry.filter(action="ticket.created").count() == 1

        # a complex problem: first reply, next reply and resolution
        rma = await tickets.create_ticket(
            ticket_spec(desk, type=TicketType.WARRANTY, channel=Channel.PHONE), now=MONDAY
        )
        assert set(await _clocks(rma.ticket)) == {
            Target.FIRST_REPLY,
            Target.RESOLUTION,
        }  # next reply starts at the customer's message after a reply
        assert rma.ticket.sla_targets["RESOLUTION"]["minutes"] == 48 * 60


async def test_replies_meet_targets_and_a_customer_message_starts_the_next_reply() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.AFTER_SALES)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        await tickets.add_message(ticket.id, _reply(), now=MONDAY + 2 * HOUR)
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.status is TicketStatus.OPEN
        assert ticket.first_replied_at == MONDAY + 2 * HOUR
        clocks = await _clocks(ticket)
        assert clocks[Target.FIRST_REPLY].met_at == MONDAY + 2 * HOUR
        assert clocks[Target.FIRST_REPLY].due_at is None
        assert Target.NEXT_REPLY not in clocks

        # an internal note changes no clock
        await tickets.add_message(
            ticket.id, _reply("check the courier", kind=MessageKind.NOTE), now=MONDAY + 3 * HOUR
        )
        await tickets.add_message(ticket.id, _customer(), now=MONDAY + 5 * HOUR)
        nxt = (await _clocks(ticket))[Target.NEXT_REPLY]
        assert nxt.due_at == MONDAY + 29 * HOUR
        assert nxt.met_at is None
        await tickets.add_message(ticket.id, _reply("Shipped today."), now=MONDAY + 6 * HOUR)
        nxt = (await _clocks(ticket))[Target.NEXT_REPLY]
        assert nxt.met_at == MONDAY + 6 * HOUR
        # the next message starts it again, a new version
        await tickets.add_message(ticket.id, _customer("Thanks, and?"), now=MONDAY + 7 * HOUR)
        again = (await _clocks(ticket))[Target.NEXT_REPLY]
        assert (again.met_at, again.due_at) == (None, MONDAY + 31 * HOUR)
        assert again.version > nxt.version


async def test_waiting_for_the_customer_pauses_the_resolution_clock() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.COMPLAINT)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        resolution = (await _clocks(ticket))[Target.RESOLUTION]
        assert resolution.due_at == MONDAY + 72 * HOUR

        await tickets.set_status(ticket.id, TicketStatus.PENDING_CUSTOMER, now=MONDAY + 10 * HOUR)
        paused = (await _clocks(ticket))[Target.RESOLUTION]
        assert (paused.due_at, paused.running_since, paused.spent_seconds) == (None, None, 36000)
        # the customer answers 30 hours later: the ticket opens, the clock resumes
        await tickets.add_message(ticket.id, _customer(), now=MONDAY + 40 * HOUR)
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.status is TicketStatus.OPEN
        resumed = (await _clocks(ticket))[Target.RESOLUTION]
        assert resumed.due_at == MONDAY + (72 + 30) * HOUR
        assert resumed.version == paused.version + 1


async def test_a_priority_change_moves_the_due_time_and_leaves_the_old_timer_stale() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        document = {
            "name": "By priority",
            "targets": {
                "NORMAL": {"FIRST_REPLY": {"minutes": 8 * 60, "business_hours": False}},
                "URGENT": {"FIRST_REPLY": {"minutes": 60, "business_hours": False}},
            },
        }
        await config.replace_policies([document])
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket
        before = (await _clocks(ticket))[Target.FIRST_REPLY]
        assert before.due_at == MONDAY + 8 * HOUR

        await tickets.update_ticket(
            ticket.id, TicketChanges(priority=Priority.URGENT), now=MONDAY + 0.5 * HOUR
        )
        after = (await _clocks(ticket))[Target.FIRST_REPLY]
        assert after.due_at == MONDAY + HOUR  # half an hour spent of the new hour
        assert after.version > before.version
        # the timer scheduled for 8 hours finds its version gone; the new one breaches
        assert await escalation.fire(before.id, before.version, "breach", MONDAY + 8 * HOUR) == (
            "stale"
        )
        assert await escalation.fire(after.id, after.version, "breach", MONDAY + HOUR) == (
            "breached"
        )
        assert len(await _events("ticket.sla_breached")) == 1


async def test_a_paused_clock_never_fires_its_timer() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket
        first = (await _clocks(ticket))[Target.FIRST_REPLY]
        # first reply pauses in no status: reply instead, then fire the old timers
        await tickets.add_message(ticket.id, _reply(), now=MONDAY + HOUR)
        for kind, at in (("warning", first.warn_at), ("breach", first.due_at)):
            assert await escalation.fire(first.id, first.version, kind, at) == "stale"
        assert await _events("ticket.sla_breached") == []
        assert await _events("ticket.sla_warning") == []


async def test_a_warning_warns_the_assignee_and_a_breach_hands_the_ticket_to_the_lead() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket
        clock = (await _clocks(ticket))[Target.FIRST_REPLY]
        assert clock.warn_at is not None
        assert clock.due_at is not None
        assert await escalation.fire(clock.id, clock.version, "warning", clock.warn_at - HOUR) == (
            "early"
        )
        assert await escalation.fire(clock.id, clock.version, "warning", clock.warn_at) == "warned"
        assert await escalation.fire(clock.id, clock.version, "warning", clock.warn_at) == "stale"
        [warning] = await _events("ticket.sla_warning")
        assert warning["target"] == "FIRST_REPLY"
        assert warning["assignee_id"] == str(desk.agent.id)

        assert await escalation.fire(clock.id, clock.version, "breach", clock.due_at) == "breached"
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.assignee_id == desk.lead.id
        assert ticket.escalation_level is EscalationLevel.TEAM_LEAD
        steps = await TicketEscalation.filter(ticket_id=ticket.id).order_by("created_at")
        assert [(s.level, s.reason) for s in steps] == [
            (EscalationLevel.ASSIGNEE, EscalationReason.SLA_WARNING),
            (EscalationLevel.TEAM_LEAD, EscalationReason.SLA_BREACH),
        ]
        assert (steps[1].from_assignee_id, steps[1].to_assignee_id) == (desk.agent.id, desk.lead.id)
        [breached] = await _events("ticket.sla_breached")
        assert breached["ticket"]["hours_unanswered"] == 24.0
        [escalated] = await _events("ticket.escalated")
        assert escalated["level"] == "TEAM_LEAD"
        # the breached clock still shows how overdue it is until met
        await tickets.add_message(ticket.id, _reply(), now=clock.due_at + 2 * HOUR)
        met = (await _clocks(ticket))[Target.FIRST_REPLY]
        assert met.breached_at == clock.due_at
        assert met.met_at == clock.due_at + 2 * HOUR


async def test_a_major_complaint_goes_to_management_at_once() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.COMPLAINT, severity=Severity.MAJOR)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        assert ticket.policy_name.startswith("Major complaint")
        assert ticket.escalation_level is EscalationLevel.MANAGEMENT
        [escalated] = await _events("ticket.escalated")
        assert (escalated["level"], escalated["reason"]) == ("MANAGEMENT", "MAJOR_COMPLAINT")
        assert escalated["ticket"]["severity"] == "major"
        clocks = await _clocks(ticket)
        assert clocks[Target.FIRST_REPLY].due_at == MONDAY + 4 * HOUR

        # a general complaint raised to major later escalates then, once
        general = (
            await tickets.create_ticket(ticket_spec(desk, type=TicketType.COMPLAINT), now=MONDAY)
        ).ticket
        for _ in range(2):
            await tickets.update_ticket(
                general.id, TicketChanges(severity=Severity.MAJOR), now=MONDAY + HOUR
            )
        assert len(await _events("ticket.escalated")) == 2
        first = (await _clocks(general))[Target.FIRST_REPLY]
        assert first.due_at == MONDAY + 4 * HOUR  # the major complaint's 4 hours, from creation


async def test_a_complaint_is_solved_only_with_its_loop_closed() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.COMPLAINT, concerns_product=True)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket

        with pytest.raises(LoopNotClosed) as refused:
            await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=MONDAY + HOUR)
        assert [field for field, _ in refused.value.details()] == [
            "rootCause",
            "correctiveAction",
            "skuId",
            "confirmation",
        ]
        await tickets.record_resolution(
            ticket.id,
            Resolution("Glaze cracked in the kiln", "Supplier re-fires the batch", desk.sku.id),
            now=MONDAY + HOUR,
        )
        with pytest.raises(InvalidTicketTransition):  # not asked yet
            await tickets.confirm_resolution(ticket.id, now=MONDAY + 2 * HOUR)
        await tickets.request_confirmation(ticket.id, now=MONDAY + 2 * HOUR)
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.status is TicketStatus.PENDING_CUSTOMER
        await tickets.confirm_resolution(ticket.id, now=MONDAY + 3 * HOUR)

        ticket = await Ticket.get(id=ticket.id)
        assert (ticket.status, ticket.confirmation) == (
            TicketStatus.SOLVED,
            Confirmation.CONFIRMED,
        )
        assert ticket.solved_at == MONDAY + 3 * HOUR
        assert all(c.met_at is not None for c in (await _clocks(ticket)).values())
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        assert survey.expires_at == MONDAY + 3 * HOUR + timedelta(days=14)
        assert len(await _events("ticket.solved")) == 1


async def test_an_unanswered_confirmation_times_out_and_solved_tickets_close() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.COMPLAINT)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        await tickets.record_resolution(
            ticket.id, Resolution("Courier lost it", "Resent with tracking"), now=MONDAY
        )
        await tickets.request_confirmation(ticket.id, now=MONDAY)
        assert await tickets.close_due(MONDAY + timedelta(days=2)) == 0
        assert await tickets.close_due(MONDAY + timedelta(days=3)) == 1
        ticket = await Ticket.get(id=ticket.id)
        assert (ticket.status, ticket.confirmation) == (
            TicketStatus.SOLVED,
            Confirmation.TIMED_OUT,
        )
        assert await tickets.close_due(MONDAY + timedelta(days=9, hours=23)) == 0
        assert await tickets.close_due(MONDAY + timedelta(days=10)) == 1
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.status is TicketStatus.CLOSED
        with pytest.raises(TicketClosed):
            await tickets.add_message(ticket.id, _customer(), now=MONDAY + timedelta(days=11))
        with pytest.raises(InvalidTicketTransition):
            await tickets.set_status(ticket.id, TicketStatus.OPEN)


async def test_a_customer_reply_reopens_a_solved_ticket_and_repeated_reopens_escalate() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.RETURN)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        await tickets.add_message(ticket.id, _reply(), now=MONDAY + HOUR)
        for n in (1, 2):
            await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=MONDAY + (2 * n) * HOUR)
            resolution = (await _clocks(ticket))[Target.RESOLUTION]
            assert resolution.met_at is not None
            await tickets.add_message(
                ticket.id, _customer("Still broken"), now=MONDAY + 5 * n * HOUR
            )
            ticket = await Ticket.get(id=ticket.id)
            assert (ticket.status, ticket.reopen_count) == (TicketStatus.OPEN, n)
            resolution = (await _clocks(ticket))[Target.RESOLUTION]
            assert resolution.met_at is None
            assert resolution.due_at is not None
        assert len(await _events("ticket.reopened")) == 2
        [escalated] = await _events("ticket.escalated")
        assert (escalated["level"], escalated["reason"]) == ("MANAGEMENT", "REOPENED")


async def test_complaints_naming_a_lot_feed_the_quality_alert() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        await update_order_settings(OrderSettingsChanges(quality_return_threshold=2))
        spec = ticket_spec(desk, type=TicketType.COMPLAINT, lot_id=desk.lot.id)
        first = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        assert first.sku_id == desk.sku.id  # the lot's
        assert await RiskAlert.all().count() == 0
        await tickets.create_ticket(spec, now=MONDAY + HOUR)
        [alert] = await RiskAlert.all()
        assert alert.dedup_key == f"quality:{desk.sku.id}:complaint"
        assert "2 complaints" in alert.title


async def test_a_partner_creates_tickets_and_messages_idempotently() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id), actor_scope("api_key:chat-tool"):
        spec = ticket_spec(desk, channel=Channel.CHAT, idempotency_key="chat-42")
        first = await tickets.create_ticket(spec, now=MONDAY)
        again = await tickets.create_ticket(spec, now=MONDAY)
        assert (first.replayed, again.replayed) == (False, True)
        assert again.ticket.id == first.ticket.id
        with pytest.raises(IdempotencyConflict):
            await tickets.create_ticket(
                ticket_spec(desk, subject="Other", idempotency_key="chat-42"), now=MONDAY
            )
        message = MessageSpec("hello?", author=Author.CUSTOMER, idempotency_key="chat-42-m1")
        posted = await tickets.add_message(first.ticket.id, message, now=MONDAY)
        repeated = await tickets.add_message(first.ticket.id, message, now=MONDAY)
        assert repeated.replayed
        assert repeated.message.id == posted.message.id
        assert await Ticket.all().count() == 1
        assert await TicketMessage.all().count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"subject": " "}, "subject", InvalidInput),
        ({"severity": Severity.MAJOR}, "severity", InvalidInput),  # an inquiry has none
        ({"requester_email": "not-an-email"}, "requesterEmail", DomainError),
        ({"idempotency_key": ""}, "idempotencyKey", InvalidInput),
        ({"body": "x" * 50_001}, "body", InvalidInput),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    changes: dict[str, Any], field: str, error: type[DomainError]
) -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        with pytest.raises(error) as refused:
            await tickets.create_ticket(ticket_spec(desk, **changes), now=MONDAY)
        assert refused.value.field == field
        assert await Ticket.all().count() == 0
        assert await AuditEntry.filter(action__startswith="ticket.").count() == 0


async def test_another_tenants_records_and_strangers_are_refused() -> None:
    desk = await make_desk()
    other = await make_desk("other")
    with tenant_scope(desk.shop.tenant.id):
        for changes, field in (
            ({"customer_id": other.customer.id}, "customerId"),
            ({"sku_id": other.sku.id}, "skuId"),
            ({"lot_id": other.lot.id}, "lotId"),
            ({"team_id": other.team.id}, "teamId"),
        ):
            with pytest.raises(NotFound) as refused:
                await tickets.create_ticket(ticket_spec(desk, **changes), now=MONDAY)
            assert refused.value.field == field
        with pytest.raises(NotAMember):
            await tickets.create_ticket(ticket_spec(desk, assignee_id=other.agent.id), now=MONDAY)
        second_sku = await make_sku("MUG-2")
        with pytest.raises(InvalidInput) as mismatch:
            await tickets.create_ticket(
                ticket_spec(desk, sku_id=second_sku.id, lot_id=desk.lot.id), now=MONDAY
            )
        assert mismatch.value.field == "lotId"
        assert await Ticket.all().count() == 0
    with tenant_scope(other.shop.tenant.id):
        theirs = (await tickets.create_ticket(ticket_spec(other), now=MONDAY)).ticket
    with tenant_scope(desk.shop.tenant.id):
        with pytest.raises(NotFound):
            await tickets.add_message(theirs.id, _reply())
        with pytest.raises(NotFound):
            await tickets.set_status(theirs.id, TicketStatus.OPEN)


async def test_business_hour_targets_count_the_policys_calendar_across_a_weekend_and_dst() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        berlin = await create_calendar(
            CalendarSpec("Berlin office", "Europe/Berlin", [["09:00-12:00", "13:00-18:00"]] * 5)
        )
        await config.replace_policies(
            [
                {
                    "name": "Berlin office hours",
                    "calendar_id": str(berlin.id),
                    "targets": {
                        "NORMAL": {
                            "FIRST_REPLY": {"minutes": 3 * 60},
                            "RESOLUTION": {"minutes": 12 * 60},
                        }
                    },
                }
            ]
        )
        friday_5pm = datetime(2026, 3, 27, 16, 0, tzinfo=UTC)  # 17:00 CET
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=friday_5pm)).ticket

        clocks = await _clocks(ticket)
        # Friday 17-18, then Monday 09-11 in summer time (clocks went forward on Sunday)
        assert clocks[Target.FIRST_REPLY].due_at == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
        # Friday 1 h, Monday 3 + 5 h around lunch, Tuesday 09-12
        assert clocks[Target.RESOLUTION].due_at == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)


async def test_a_clock_stopped_past_its_target_before_its_timer_ran_is_breached() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        late = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket
        # the reply comes a minute after the due instant, before the breach timer ran
        await tickets.add_message(late.id, _reply(), now=MONDAY + 24 * HOUR + timedelta(minutes=1))
        first = (await _clocks(late))[Target.FIRST_REPLY]
        assert first.met_at is not None
        assert first.breached_at is not None
        assert len(await _events("ticket.sla_breached")) == 1
        assert await TicketEscalation.filter(ticket_id=late.id).count() == 0  # answered

        spec = ticket_spec(desk, type=TicketType.COMPLAINT)
        paused = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        await tickets.set_status(
            paused.id, TicketStatus.ON_HOLD, now=MONDAY + 72 * HOUR + timedelta(minutes=5)
        )
        resolution = (await _clocks(paused))[Target.RESOLUTION]
        assert resolution.running_since is None
        assert resolution.breached_at is not None
        assert (await Ticket.get(id=paused.id)).assignee_id == desk.lead.id


async def test_a_confirmation_before_the_loop_is_closed_hands_the_ticket_back() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id):
        spec = ticket_spec(desk, type=TicketType.COMPLAINT)
        ticket = (await tickets.create_ticket(spec, now=MONDAY)).ticket
        await tickets.request_confirmation(ticket.id, now=MONDAY + HOUR)
        await tickets.confirm_resolution(ticket.id, now=MONDAY + 2 * HOUR)
        ticket = await Ticket.get(id=ticket.id)
        assert ticket.status is TicketStatus.OPEN  # the root cause is still missing
        assert ticket.confirmation is Confirmation.CONFIRMED
        assert [field for field, _ in tickets.loop_gaps(ticket)] == [
            "rootCause",
            "correctiveAction",
        ]
