"""Tickets: the only place they change. One transaction each, with the ticket's row locked,
audited, with events; the SLA clocks (`sla.py`) and the escalation ladder (`escalation.py`)
move in the same transaction.

Life: NEW -> OPEN <-> PENDING_CUSTOMER | ON_HOLD -> SOLVED -> CLOSED. A customer's message
opens a NEW or PENDING_CUSTOMER ticket and reopens a SOLVED one (inside the auto-close window);
a CLOSED ticket takes no more messages. A complaint is solved only once its loop is closed
(standard 4.3): root cause, corrective action, the SKU for a product complaint, and the
customer's confirmation or its timeout. Complaints naming a lot feed the orders area's quality
loop. Solving sends a satisfaction survey (`surveys.py`).

Partners' channel tools create tickets and messages with an API key and an idempotency key:
the same key answers the first ticket (or message), other content under it is
IDEMPOTENCY_CONFLICT.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers.models import Customer
from merchantops.domain.inventory.models import Lot
from merchantops.domain.knowledge.models import Article
from merchantops.domain.knowledge.search import link_search_to_ticket
from merchantops.domain.orders import quality
from merchantops.domain.orders.models import Order, Return
from merchantops.domain.support import escalation, sla, surveys
from merchantops.domain.support.config import sla_policies, support_settings
from merchantops.domain.support.errors import (
    IdempotencyConflict,
    InvalidTicketTransition,
    LoopNotClosed,
    NotAMember,
    TicketClosed,
)
from merchantops.domain.support.history import ticket_body
from merchantops.domain.support.models import (
    Author,
    Confirmation,
    EscalationLevel,
    EscalationReason,
    MessageKind,
    SupportTeam,
    Ticket,
    TicketArticle,
    TicketMessage,
)
from merchantops.domain.support.policies import (
    Channel,
    Priority,
    Severity,
    TicketFacts,
    TicketStatus,
    TicketType,
    applicable,
)
from merchantops.domain.values import email_address, text
from merchantops.errors import InvalidInput, NotFound
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor
from merchantops.tenants.models import Membership
from merchantops.tenants.sequences import next_value

MAX_SUBJECT = 200
MAX_BODY = 50_000
MAX_KEY = 100
S = TicketStatus
# status -> where it may go by `set_status` (SOLVED goes through the closed-loop check)
MOVES: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING_CUSTOMER, S.ON_HOLD, S.SOLVED}),
    S.OPEN: frozenset({S.PENDING_CUSTOMER, S.ON_HOLD, S.SOLVED}),
    S.PENDING_CUSTOMER: frozenset({S.OPEN, S.ON_HOLD, S.SOLVED}),
    S.ON_HOLD: frozenset({S.OPEN, S.PENDING_CUSTOMER, S.SOLVED}),
    S.SOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class TicketSpec:
    subject: str
    type: TicketType
    channel: Channel
    body: str = ""  # the customer's first message
    priority: Priority = Priority.NORMAL
    severity: Severity | None = None
    concerns_product: bool = False
    requester_name: str = ""
    requester_email: str = ""
    customer_id: UUID | None = None
    order_id: UUID | None = None
    return_id: UUID | None = None
    sku_id: UUID | None = None
    lot_id: UUID | None = None
    team_id: UUID | None = None
    assignee_id: UUID | None = None
    idempotency_key: str | None = None
    search_id: UUID | None = None  # the knowledge-base search that preceded it


@dataclass(frozen=True, slots=True)
class MessageSpec:
    body: str
    kind: MessageKind = MessageKind.PUBLIC
    author: Author = Author.AGENT
    channel: Channel | None = None  # None: the ticket's
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """What an update sets; None leaves it as it is. A priority, type or severity change
    applies the policy list again and moves the clocks' due times."""

    subject: str | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    severity: Severity | None = None
    concerns_product: bool | None = None
    sku_id: UUID | None = None
    lot_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    root_cause: str
    corrective_action: str
    sku_id: UUID | None = None
    lot_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Created:
    ticket: Ticket
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Posted:
    message: TicketMessage
    replayed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _key(value: str | None) -> str | None:
    if value is None:
        return None
    key = value.strip()
    if not 1 <= len(key) <= MAX_KEY:
        raise InvalidInput(f"An idempotency key of 1-{MAX_KEY} characters.", field="idempotencyKey")
    return key


def _digest(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _body(value: str, field: str = "body", *, required: bool = True) -> str:
    return text(value, field, max_length=MAX_BODY, required=required)


async def get_ticket(ticket_id: UUID, field: str = "id") -> Ticket:
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("No ticket with this id.", field=field)
    return ticket


async def _locked(ticket_id: UUID, field: str = "id") -> Ticket:
    ticket = await Ticket.select_for_update().get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound("No ticket with this id.", field=field)
    return ticket


async def _member(user_id: UUID, field: str) -> UUID:
    if not await Membership.exists(user_id=user_id):
        raise NotAMember("Not a member of this organisation.", field=field)
    return user_id


async def _exists(model: Any, record_id: UUID | None, field: str, what: str) -> Any:
    if record_id is None:
        return None
    found = await model.get_or_none(id=record_id)
    if found is None:
        raise NotFound(f"No {what} with this id.", field=field)
    return found


async def _product(sku_id: UUID | None, lot_id: UUID | None) -> UUID | None:
    """The SKU a ticket concerns: the one given, or its lot's."""
    await _exists(Sku, sku_id, "skuId", "SKU")
    lot = await _exists(Lot, lot_id, "lotId", "lot")
    if lot is not None and sku_id is not None and lot.sku_id != sku_id:
        raise InvalidInput("This lot holds another SKU.", field="lotId")
    return sku_id or (lot.sku_id if lot is not None else None)


def _severity(kind: TicketType, severity: Severity | None) -> Severity | None:
    if kind == TicketType.COMPLAINT:
        return severity or Severity.GENERAL
    if severity is not None:
        raise InvalidInput("Only complaints have a severity.", field="severity")
    return None


async def _facts(ticket: Ticket) -> TicketFacts:
    tags: frozenset[str] = frozenset()
    if ticket.customer_id is not None:
        customer = await Customer.get_or_none(id=ticket.customer_id)
        if customer is not None:
            tags = frozenset(str(tag).lower() for tag in customer.tags)
    return TicketFacts(
        TicketType(ticket.type),
        Priority(ticket.priority),
        Channel(ticket.channel),
        Severity(ticket.severity) if ticket.severity else None,
        tags,
    )


async def _apply_policy(ticket: Ticket) -> bool:
    """Fix the targets of the first matching policy on the ticket; whether it escalates at
    once."""
    policy = applicable(await sla_policies(), await _facts(ticket))
    ticket.policy_name = policy.name if policy else ""
    ticket.calendar_id = UUID(str(policy.calendar_id)) if policy and policy.calendar_id else None
    ticket.sla_targets = sla.targets_document(policy, ticket)
    return bool(policy and policy.escalate_at_once)


def _request(spec: TicketSpec) -> dict[str, Any]:
    content = asdict(spec)
    content.pop("idempotency_key")
    return content


async def _replay(key: str, digest: str) -> Created | None:
    earlier = await Ticket.get_or_none(idempotency_key=key)
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise IdempotencyConflict(
            "This idempotency key was used for another ticket.", field="idempotencyKey"
        )
    return Created(earlier, replayed=True)


async def create_ticket(spec: TicketSpec, *, now: datetime | None = None) -> Created:
    """A new ticket, its first message, its policy's clocks; a major complaint goes to
    management at once."""
    now = _now(now)
    key = _key(spec.idempotency_key)
    digest = _digest(_request(spec))
    if key is not None and (earlier := await _replay(key, digest)) is not None:
        return earlier
    subject = text(spec.subject, "subject", max_length=MAX_SUBJECT)
    body = _body(spec.body, required=False)
    severity = _severity(spec.type, spec.severity)
    name = text(spec.requester_name, "requesterName", max_length=200, required=False)
    email = email_address(spec.requester_email, "requesterEmail") if spec.requester_email else ""
    customer = await _exists(Customer, spec.customer_id, "customerId", "customer")
    order = await _exists(Order, spec.order_id, "orderId", "order")
    rma = await _exists(Return, spec.return_id, "returnId", "return")
    sku_id = await _product(spec.sku_id, spec.lot_id)
    team = await _exists(SupportTeam, spec.team_id, "teamId", "team")
    if spec.assignee_id is not None:
        await _member(spec.assignee_id, "assigneeId")
    if rma is not None and order is not None and rma.order_id != order.id:
        raise InvalidInput("This return belongs to another order.", field="returnId")
    if order is None and rma is not None:
        order = await Order.get(id=rma.order_id)
    if customer is None and order is not None and order.customer_id is not None:
        customer = await Customer.get_or_none(id=order.customer_id)
    settings = await support_settings()
    number = await next_value("ticket")  # before the transaction: see tenants/sequences.py
    try:
        async with in_transaction():
            ticket = Ticket(
                number=number,
                subject=subject,
                type=spec.type,
                priority=spec.priority,
                severity=severity,
                channel=spec.channel,
                status=TicketStatus.NEW,
                concerns_product=spec.concerns_product,
                requester_name=name,
                requester_email=email,
                customer_id=customer.id if customer else None,
                order_id=order.id if order else None,
                rma_id=rma.id if rma else None,
                sku_id=sku_id,
                lot_id=spec.lot_id,
                team_id=team.id if team else None,
                assignee_id=spec.assignee_id,
                idempotency_key=key,
                request_hash=digest if key else "",
                created_by=current_actor()[:100],
                last_customer_message_at=now if body else None,
                created_at=now,
            )
            at_once = await _apply_policy(ticket)
            await ticket.save()
            if body:
                await TicketMessage.create(
                    ticket_id=ticket.id,
                    kind=MessageKind.PUBLIC,
                    author_kind=Author.CUSTOMER,
                    author=current_actor()[:100],
                    channel=spec.channel,
                    body=body,
                    created_at=now,
                )
            cals = await sla.calendars(ticket, settings)
            await sla.start_clocks(ticket, cals, now)
            if spec.search_id is not None:
                await link_search_to_ticket(spec.search_id, ticket.id)
            await audit.record(
                "ticket.created",
                "ticket",
                ticket.id,
                after={
                    "number": number,
                    "type": spec.type.value,
                    "priority": spec.priority.value,
                    "channel": spec.channel.value,
                    "policy": ticket.policy_name,
                },
            )
            await outbox.emit("ticket.created", ticket_body(ticket, now))
            if at_once:
                await escalation.escalate(
                    ticket, EscalationLevel.MANAGEMENT, EscalationReason.MAJOR_COMPLAINT, now
                )
            await _feed_quality(ticket, now)
    except IntegrityError:
        if key is not None and (earlier := await _replay(key, digest)) is not None:
            return earlier
        raise
    return Created(ticket)


async def _replay_message(key: str, ticket_id: UUID, digest: str) -> Posted | None:
    earlier = await TicketMessage.get_or_none(idempotency_key=key)
    if earlier is None:
        return None
    if earlier.ticket_id != ticket_id or earlier.request_hash != digest:
        raise IdempotencyConflict(
            "This idempotency key was used for another message.", field="idempotencyKey"
        )
    return Posted(earlier, replayed=True)


async def add_message(ticket_id: UUID, spec: MessageSpec, *, now: datetime | None = None) -> Posted:
    """A public reply, a customer's message or an internal note, and what it does to the
    ticket's status and clocks."""
    now = _now(now)
    key = _key(spec.idempotency_key)
    body = _body(spec.body)
    if spec.kind == MessageKind.NOTE and spec.author != Author.AGENT:
        raise InvalidInput("Internal notes are written by agents.", field="author")
    digest = _digest({"body": body, "kind": spec.kind, "author": spec.author})
    if key is not None and (earlier := await _replay_message(key, ticket_id, digest)) is not None:
        return earlier
    try:
        async with in_transaction():
            ticket = await _locked(ticket_id, "ticketId")
            status = TicketStatus(ticket.status)
            if status == TicketStatus.CLOSED and spec.kind == MessageKind.PUBLIC:
                raise TicketClosed(
                    "This ticket is closed: open a new one that refers to it.", field="ticketId"
                )
            message = await TicketMessage.create(
                ticket_id=ticket.id,
                kind=spec.kind,
                author_kind=spec.author,
                author=current_actor()[:100],
                channel=spec.channel or ticket.channel,
                body=body,
                idempotency_key=key,
                request_hash=digest if key else "",
                created_at=now,
            )
            if spec.kind == MessageKind.PUBLIC:
                if spec.author == Author.CUSTOMER:
                    await _customer_wrote(ticket, status, now)
                else:
                    await _agent_replied(ticket, status, now)
            await audit.record(
                "ticket.message_added",
                "ticket",
                ticket.id,
                after={"kind": spec.kind.value, "author": spec.author.value},
            )
    except IntegrityError:
        if key is not None and (earlier := await _replay_message(key, ticket_id, digest)):
            return earlier
        raise
    return Posted(message)


async def _customer_wrote(ticket: Ticket, status: TicketStatus, now: datetime) -> None:
    cals = await sla.calendars(ticket, await support_settings())
    ticket.last_customer_message_at = now
    await ticket.save(update_fields=["last_customer_message_at", "updated_at"])
    if status == TicketStatus.SOLVED:
        await _reopen(ticket, cals, now)
    elif status == TicketStatus.PENDING_CUSTOMER:
        await _move(ticket, cals, TicketStatus.OPEN, now)
    await sla.on_customer_message(ticket, cals, now)
    await outbox.emit("ticket.customer_replied", ticket_body(ticket, now))


async def _agent_replied(ticket: Ticket, status: TicketStatus, now: datetime) -> None:
    cals = await sla.calendars(ticket, await support_settings())
    if ticket.first_replied_at is None:
        ticket.first_replied_at = now
        await ticket.save(update_fields=["first_replied_at", "updated_at"])
    await sla.on_agent_reply(ticket, cals, now)
    await escalation.settle_overdue(ticket, now)
    if status == TicketStatus.NEW:
        await _move(ticket, cals, TicketStatus.OPEN, now)
    await outbox.emit("ticket.replied", ticket_body(ticket, now))


async def _move(ticket: Ticket, cals: sla.Calendars, new: TicketStatus, now: datetime) -> None:
    old = TicketStatus(ticket.status)
    ticket.status = new
    updated = ["status", "updated_at"]
    if new == TicketStatus.SOLVED:
        ticket.solved_at = now
        updated.append("solved_at")
    elif new == TicketStatus.CLOSED:
        ticket.closed_at = now
        updated.append("closed_at")
    await ticket.save(update_fields=updated)
    await sla.on_status(ticket, cals, old, new, now)
    await escalation.settle_overdue(ticket, now)
    await audit.record(
        "ticket.status_changed", "ticket", ticket.id, before={"status": old}, after={"status": new}
    )
    event = {
        TicketStatus.SOLVED: "ticket.solved",
        TicketStatus.CLOSED: "ticket.closed",
    }.get(new, "ticket.reopened" if old == TicketStatus.SOLVED else "ticket.status_changed")
    await outbox.emit(event, ticket_body(ticket, now, previous_status=old.value))


async def _reopen(ticket: Ticket, cals: sla.Calendars, now: datetime) -> None:
    ticket.reopen_count += 1
    ticket.solved_at = None
    await ticket.save(update_fields=["reopen_count", "solved_at", "updated_at"])
    await _move(ticket, cals, TicketStatus.OPEN, now)
    await escalation.on_reopen(ticket, now)


def loop_gaps(ticket: Ticket) -> list[tuple[str, str]]:
    """What a complaint still lacks before it may be solved (standard 4.3), as (field,
    message) pairs; none for other tickets."""
    if ticket.type != TicketType.COMPLAINT:
        return []
    gaps = []
    if not ticket.root_cause.strip():
        gaps.append(("rootCause", "A complaint is solved with its root cause recorded."))
    if not ticket.corrective_action.strip():
        gaps.append(("correctiveAction", "A complaint is solved with a corrective action."))
    if ticket.concerns_product and ticket.sku_id is None:
        gaps.append(("skuId", "A product complaint names the SKU it concerns."))
    if ticket.confirmation is None:
        gaps.append(
            ("confirmation", "The customer confirms the resolution, or the confirmation times out.")
        )
    return gaps


class _LoopOpen(LoopNotClosed):
    def __init__(self, gaps: list[tuple[str, str]]) -> None:
        super().__init__(gaps[0][1], field=gaps[0][0])
        self._gaps = gaps

    def details(self) -> list[tuple[str | None, str]]:
        return list(self._gaps)


async def set_status(
    ticket_id: UUID, status: TicketStatus, *, now: datetime | None = None
) -> Ticket:
    """Move a ticket by hand; solving checks a complaint's closed loop and sends the survey."""
    now = _now(now)
    async with in_transaction():
        ticket = await _locked(ticket_id)
        old = TicketStatus(ticket.status)
        if status == old:
            return ticket
        if status not in MOVES[old] or status == TicketStatus.NEW:
            raise InvalidTicketTransition(
                f"A {old.value} ticket does not become {status.value}.", field="status"
            )
        cals = await sla.calendars(ticket, await support_settings())
        if status == TicketStatus.SOLVED:
            await _solve(ticket, cals, now)
        elif old == TicketStatus.SOLVED and status == TicketStatus.OPEN:
            await _reopen(ticket, cals, now)
        else:
            await _move(ticket, cals, status, now)
    return ticket


async def _solve(ticket: Ticket, cals: sla.Calendars, now: datetime) -> None:
    gaps = loop_gaps(ticket)
    if gaps:
        raise _LoopOpen(gaps)
    await _move(ticket, cals, TicketStatus.SOLVED, now)
    await surveys.issue(ticket, now)


async def assign(
    ticket_id: UUID,
    *,
    assignee_id: UUID | None,
    team_id: UUID | None,
    now: datetime | None = None,
) -> Ticket:
    """Give the ticket to an agent (a member of the tenant) and/or a team; None clears."""
    now = _now(now)
    if assignee_id is not None:
        await _member(assignee_id, "assigneeId")
    team = await _exists(SupportTeam, team_id, "teamId", "team")
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        before = {"assignee_id": ticket.assignee_id, "team_id": ticket.team_id}
        ticket.assignee_id = assignee_id
        ticket.team_id = team.id if team else None
        after = {"assignee_id": ticket.assignee_id, "team_id": ticket.team_id}
        if before == after:
            return ticket
        await ticket.save(update_fields=["assignee_id", "team_id", "updated_at"])
        await audit.record(
            "ticket.assigned",
            "ticket",
            ticket.id,
            before={k: str(v) if v else None for k, v in before.items()},
            after={k: str(v) if v else None for k, v in after.items()},
        )
        await outbox.emit("ticket.assigned", ticket_body(ticket, now))
    return ticket


async def update_ticket(
    ticket_id: UUID, changes: TicketChanges, *, now: datetime | None = None
) -> Ticket:
    """Change a ticket's subject, classification or product; a new priority, type or
    severity applies the policy list again: the clocks keep what they spent and take the new
    targets (their due times and timers move)."""
    now = _now(now)
    subject = None if changes.subject is None else text(changes.subject, "subject", max_length=200)
    async with in_transaction():
        ticket = await _locked(ticket_id)
        if TicketStatus(ticket.status) == TicketStatus.CLOSED:
            raise TicketClosed("A closed ticket does not change.", field="id")
        kind = changes.type or TicketType(ticket.type)
        severity: Severity | None = changes.severity or (
            Severity(ticket.severity) if ticket.severity else None
        )
        if changes.type is not None and changes.type != TicketType.COMPLAINT:
            severity = changes.severity  # only complaints have one: dropped unless given
        severity = _severity(kind, severity)
        sku_id = changes.sku_id or ticket.sku_id
        lot_id = changes.lot_id or ticket.lot_id
        if changes.sku_id is not None or changes.lot_id is not None:
            sku_id = await _product(sku_id, lot_id)
        before = _classification(ticket)
        reclassified = (
            kind != ticket.type
            or (changes.priority is not None and changes.priority != ticket.priority)
            or severity != (Severity(ticket.severity) if ticket.severity else None)
        )
        ticket.type = kind
        ticket.severity = severity  # type: ignore[assignment]
        ticket.priority = changes.priority or ticket.priority
        ticket.subject = subject or ticket.subject
        if changes.concerns_product is not None:
            ticket.concerns_product = changes.concerns_product
        ticket.sku_id, ticket.lot_id = sku_id, lot_id
        at_once = False
        if reclassified:
            already = ticket.escalation_level == EscalationLevel.MANAGEMENT
            at_once = await _apply_policy(ticket) and not already
        await ticket.save()
        if reclassified:
            cals = await sla.calendars(ticket, await support_settings())
            await sla.retarget_clocks(ticket, cals, now)
            await escalation.settle_overdue(ticket, now)
        after = _classification(ticket)
        if before == after:
            return ticket
        await audit.record("ticket.updated", "ticket", ticket.id, before=before, after=after)
        await outbox.emit("ticket.updated", ticket_body(ticket, now))
        if at_once:
            await escalation.escalate(
                ticket, EscalationLevel.MANAGEMENT, EscalationReason.MAJOR_COMPLAINT, now
            )
        if changes.lot_id is not None:
            await _feed_quality(ticket, now)
    return ticket


def _classification(ticket: Ticket) -> dict[str, Any]:
    return {
        "subject": ticket.subject,
        "type": str(ticket.type),
        "priority": str(ticket.priority),
        "severity": str(ticket.severity) if ticket.severity else None,
        "concerns_product": ticket.concerns_product,
        "sku_id": str(ticket.sku_id) if ticket.sku_id else None,
        "lot_id": str(ticket.lot_id) if ticket.lot_id else None,
        "policy": ticket.policy_name,
    }


async def record_resolution(
    ticket_id: UUID, resolution: Resolution, *, now: datetime | None = None
) -> Ticket:
    """A complaint's root cause and corrective action (and the SKU and lot it concerns)."""
    now = _now(now)
    root_cause = _body(resolution.root_cause, "rootCause")
    action = _body(resolution.corrective_action, "correctiveAction")
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        if TicketStatus(ticket.status) in (TicketStatus.SOLVED, TicketStatus.CLOSED):
            raise InvalidTicketTransition(
                "Reopen the ticket to change its resolution.", field="ticketId"
            )
        sku_id = resolution.sku_id or ticket.sku_id
        lot_id = resolution.lot_id or ticket.lot_id
        sku_id = await _product(sku_id, lot_id)
        fed = lot_id is not None and lot_id != ticket.lot_id
        ticket.root_cause, ticket.corrective_action = root_cause, action
        ticket.sku_id, ticket.lot_id = sku_id, lot_id
        await ticket.save(
            update_fields=["root_cause", "corrective_action", "sku_id", "lot_id", "updated_at"]
        )
        await audit.record(
            "ticket.resolution_recorded",
            "ticket",
            ticket.id,
            after={
                "sku_id": str(sku_id) if sku_id else None,
                "lot_id": str(lot_id) if lot_id else None,
            },
        )
        await outbox.emit("ticket.updated", ticket_body(ticket, now))
        if fed:
            await _feed_quality(ticket, now)
    return ticket


async def request_confirmation(ticket_id: UUID, *, now: datetime | None = None) -> Ticket:
    """Ask the customer to confirm the resolution: the ticket waits for them (its clocks
    paused as the policy says); without an answer within the tenant's window the
    confirmation times out (`close_due`)."""
    now = _now(now)
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        status = TicketStatus(ticket.status)
        if status in (TicketStatus.SOLVED, TicketStatus.CLOSED):
            raise InvalidTicketTransition("The ticket is solved already.", field="ticketId")
        ticket.confirmation_requested_at = now
        ticket.confirmation = None  # type: ignore[assignment]
        await ticket.save(update_fields=["confirmation_requested_at", "confirmation", "updated_at"])
        await audit.record("ticket.confirmation_requested", "ticket", ticket.id)
        if status != TicketStatus.PENDING_CUSTOMER:
            cals = await sla.calendars(ticket, await support_settings())
            await _move(ticket, cals, TicketStatus.PENDING_CUSTOMER, now)
    return ticket


async def confirm_resolution(ticket_id: UUID, *, now: datetime | None = None) -> Ticket:
    """The customer confirms the resolution; a complaint whose loop is then closed is
    solved."""
    return await _confirmed(ticket_id, Confirmation.CONFIRMED, _now(now))


async def _confirmed(ticket_id: UUID, outcome: Confirmation, now: datetime) -> Ticket:
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        status = TicketStatus(ticket.status)
        if status in (TicketStatus.SOLVED, TicketStatus.CLOSED):
            raise InvalidTicketTransition("The ticket is solved already.", field="ticketId")
        if ticket.confirmation_requested_at is None:
            raise InvalidTicketTransition(
                "Ask the customer to confirm the resolution first.", field="ticketId"
            )
        ticket.confirmation = outcome
        await ticket.save(update_fields=["confirmation", "updated_at"])
        await audit.record(
            "ticket.confirmation", "ticket", ticket.id, after={"confirmation": outcome.value}
        )
        cals = await sla.calendars(ticket, await support_settings())
        if not loop_gaps(ticket):
            await _solve(ticket, cals, now)
        elif status == TicketStatus.PENDING_CUSTOMER:
            await _move(ticket, cals, TicketStatus.OPEN, now)  # answered: over to the agent
    return ticket


async def link_article(ticket_id: UUID, article_id: UUID) -> TicketArticle:
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        await _exists(Article, article_id, "articleId", "article")
        link, created = await TicketArticle.get_or_create(
            ticket_id=ticket.id, article_id=article_id
        )
        if created:
            await audit.record(
                "ticket.article_linked", "ticket", ticket.id, after={"article_id": str(article_id)}
            )
    return link


async def unlink_article(ticket_id: UUID, article_id: UUID) -> None:
    async with in_transaction():
        ticket = await _locked(ticket_id, "ticketId")
        deleted = await TicketArticle.filter(ticket_id=ticket.id, article_id=article_id).delete()
        if not deleted:
            raise NotFound("This article is not linked to the ticket.", field="articleId")
        await audit.record(
            "ticket.article_unlinked", "ticket", ticket.id, after={"article_id": str(article_id)}
        )


async def close_due(now: datetime | None = None) -> int:
    """Close SOLVED tickets past the tenant's auto-close window, and time out the
    confirmations nobody answered (solving complaints whose loop that closes). The count of
    tickets changed."""
    now = _now(now)
    settings = await support_settings()
    changed = 0
    expired = Ticket.filter(
        status__not_in=[TicketStatus.SOLVED, TicketStatus.CLOSED],
        confirmation=None,
        confirmation_requested_at__lte=now - timedelta(days=settings.confirmation_timeout_days),
    )
    for ticket_id in await expired.values_list("id", flat=True):
        await _confirmed(ticket_id, Confirmation.TIMED_OUT, now)  # type: ignore[arg-type]
        changed += 1
    due = Ticket.filter(
        status=TicketStatus.SOLVED, solved_at__lte=now - timedelta(days=settings.auto_close_days)
    )
    for ticket_id in await due.values_list("id", flat=True):
        async with in_transaction():
            ticket = await _locked(ticket_id)  # type: ignore[arg-type]
            if ticket.status != TicketStatus.SOLVED:
                continue  # reopened meanwhile
            cals = await sla.calendars(ticket, settings)
            await _move(ticket, cals, TicketStatus.CLOSED, now)
            changed += 1
    return changed


async def _feed_quality(ticket: Ticket, now: datetime) -> None:
    """A complaint naming a lot counts in the quality loop of its SKU (orders' quality.py)."""
    if ticket.type != TicketType.COMPLAINT or ticket.lot_id is None:
        return
    sku_id = ticket.sku_id or (await Lot.get(id=ticket.lot_id)).sku_id
    since = now - timedelta(days=(await quality.order_settings()).quality_period_days)
    rows = Ticket.filter(
        type=TicketType.COMPLAINT, sku_id=sku_id, lot_id__not_isnull=True, created_at__gte=since
    )
    lot_ids = frozenset(cast(list[UUID], await rows.values_list("lot_id", flat=True)))
    await quality.check(
        sku_id, quality.COMPLAINT, now, complaints=quality.Complaints(await rows.count(), lot_ids)
    )


__all__ = [
    "MOVES",
    "Created",
    "MessageSpec",
    "Posted",
    "Resolution",
    "TicketChanges",
    "TicketSpec",
    "add_message",
    "assign",
    "close_due",
    "confirm_resolution",
    "create_ticket",
    "get_ticket",
    "link_article",
    "loop_gaps",
    "record_resolution",
    "request_confirmation",
    "set_status",
    "unlink_article",
    "update_ticket",
]
