"""Tickets: creating (by staff, or by a partner's channel tool with an API key and an
idempotency key), messages and notes, changes, assignment, statuses, the complaint's closed
loop and linked articles. Every one needs `ticket:write`; refusals come back as the payload's
`errors` (`core/boundary.py`)."""

from __future__ import annotations

from enum import Enum
from uuid import UUID

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.support.types import (
    ComplaintSeverity,
    TicketChannel,
    TicketMessageKind,
    TicketMessageNode,
    TicketNode,
    TicketPriority,
    TicketStatus,
    TicketType,
)
from merchantops.domain.support import models, policies, tickets

WRITE = TenantPermission("ticket", "write")


def _key(what: str) -> str:
    return (
        f"Retrying with the same key answers the first {what}, never a second one; the same "
        "key with other content is IDEMPOTENCY_CONFLICT."
    )


@strawberry.enum(name="MessageAuthor", description="Who a message added through the API is from.")
class MessageAuthor(Enum):
    AGENT = "AGENT"
    CUSTOMER = "CUSTOMER"


@strawberry.input(description="Ids are global ids; the channel is where the ticket came in.")
class CreateTicketInput:
    subject: str
    type: TicketType
    channel: TicketChannel
    body: str = strawberry.field(default="", description="The customer's first message.")
    priority: TicketPriority = policies.Priority.NORMAL
    severity: ComplaintSeverity | None = strawberry.field(
        default=None, description="Complaints only: GENERAL when left out."
    )
    concerns_product: bool = strawberry.field(
        default=False, description="A product complaint: solving it needs the SKU."
    )
    requester_name: str = ""
    requester_email: str = ""
    customer_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    return_id: strawberry.ID | None = None
    sku_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="A `User` id.")
    idempotency_key: str | None = strawberry.field(default=None, description=_key("ticket"))
    search_id: strawberry.ID | None = strawberry.field(
        default=None, description="The knowledge-base search that preceded it (deflection)."
    )


@strawberry.type
class CreateTicketPayload:
    ticket: TicketNode | None = None
    replayed: bool = strawberry.field(
        default=False, description="True when the key's earlier ticket is answered again."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AddTicketMessageInput:
    ticket_id: strawberry.ID
    body: str
    kind: TicketMessageKind = strawberry.field(
        default=models.MessageKind.PUBLIC, description="NOTE: internal, written by agents."
    )
    author: MessageAuthor = MessageAuthor.AGENT
    channel: TicketChannel | None = strawberry.field(
        default=None, description="Where it came in; the ticket's channel when left out."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_key("message"))


@strawberry.type
class AddTicketMessagePayload:
    message: TicketMessageNode | None = None
    ticket: TicketNode | None = None
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TicketPayload:
    ticket: TicketNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(
    description="Fields left out (or null) stay as they are. A new type, priority or severity "
    "applies the SLA policies again: the clocks keep what they spent and take the new targets."
)
class UpdateTicketInput:
    id: strawberry.ID
    subject: str | None = None
    type: TicketType | None = None
    priority: TicketPriority | None = None
    severity: ComplaintSeverity | None = None
    concerns_product: bool | None = None
    sku_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None


@strawberry.input(description="The agent and team it goes to; left out or null: none.")
class AssignTicketInput:
    ticket_id: strawberry.ID
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="A `User` id.")
    team_id: strawberry.ID | None = None


@strawberry.input
class SetTicketStatusInput:
    id: strawberry.ID
    status: TicketStatus


@strawberry.input(description="A complaint's root cause and corrective action (standard 4.3).")
class RecordTicketResolutionInput:
    ticket_id: strawberry.ID
    root_cause: str
    corrective_action: str
    sku_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None


@strawberry.input
class TicketIdInput:
    ticket_id: strawberry.ID


@strawberry.input
class TicketArticleInput:
    ticket_id: strawberry.ID
    article_id: strawberry.ID


def _spec(input: CreateTicketInput) -> tickets.TicketSpec:
    return tickets.TicketSpec(
        subject=input.subject,
        type=policies.TicketType(input.type),
        channel=policies.Channel(input.channel),
        body=input.body,
        priority=policies.Priority(input.priority),
        severity=policies.Severity(input.severity) if input.severity else None,
        concerns_product=input.concerns_product,
        requester_name=input.requester_name,
        requester_email=input.requester_email,
        customer_id=decode_optional_id(input.customer_id, "Customer", "customerId"),
        order_id=decode_optional_id(input.order_id, "Order", "orderId"),
        return_id=decode_optional_id(input.return_id, "Return", "returnId"),
        sku_id=decode_optional_id(input.sku_id, "Sku", "skuId"),
        lot_id=decode_optional_id(input.lot_id, "Lot", "lotId"),
        team_id=decode_optional_id(input.team_id, "SupportTeam", "teamId"),
        assignee_id=decode_optional_id(input.assignee_id, "User", "assigneeId"),
        idempotency_key=input.idempotency_key,
        search_id=decode_optional_id(input.search_id, "KnowledgeSearch", "searchId"),
    )


async def _ticket(ticket_id: UUID) -> TicketPayload:
    found = await tickets.get_ticket(ticket_id, "ticketId")
    return TicketPayload(ticket=TicketNode.from_model(found))


@strawberry.type
class TicketMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="A ticket, its first message and its SLA policy's clocks; a major complaint "
        "goes to management at once.",
    )
    async def create_ticket(self, input: CreateTicketInput) -> CreateTicketPayload:
        created = await tickets.create_ticket(_spec(input))
        return CreateTicketPayload(
            ticket=TicketNode.from_model(created.ticket), replayed=created.replayed
        )

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="A reply (meets the reply targets), a customer's message (opens or reopens "
        "the ticket) or an internal note.",
    )
    async def add_ticket_message(self, input: AddTicketMessageInput) -> AddTicketMessagePayload:
        ticket_id = decode_id(input.ticket_id, "Ticket", "ticketId")
        posted = await tickets.add_message(
            ticket_id,
            tickets.MessageSpec(
                body=input.body,
                kind=models.MessageKind(input.kind),
                author=models.Author(input.author.value),
                channel=policies.Channel(input.channel) if input.channel else None,
                idempotency_key=input.idempotency_key,
            ),
        )
        ticket = await tickets.get_ticket(ticket_id, "ticketId")
        return AddTicketMessagePayload(
            message=TicketMessageNode.from_model(posted.message),
            ticket=TicketNode.from_model(ticket),
            replayed=posted.replayed,
        )

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_ticket(self, input: UpdateTicketInput) -> TicketPayload:
        ticket = await tickets.update_ticket(
            decode_id(input.id, "Ticket"),
            tickets.TicketChanges(
                subject=input.subject,
                type=policies.TicketType(input.type) if input.type else None,
                priority=policies.Priority(input.priority) if input.priority else None,
                severity=policies.Severity(input.severity) if input.severity else None,
                concerns_product=input.concerns_product,
                sku_id=decode_optional_id(input.sku_id, "Sku", "skuId"),
                lot_id=decode_optional_id(input.lot_id, "Lot", "lotId"),
            ),
        )
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def assign_ticket(self, input: AssignTicketInput) -> TicketPayload:
        ticket = await tickets.assign(
            decode_id(input.ticket_id, "Ticket", "ticketId"),
            assignee_id=decode_optional_id(input.assignee_id, "User", "assigneeId"),
            team_id=decode_optional_id(input.team_id, "SupportTeam", "teamId"),
        )
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Move a ticket by hand; SOLVED checks a complaint's closed loop "
        "(COMPLAINT_LOOP_OPEN, one error per gap) and sends the survey.",
    )
    async def set_ticket_status(self, input: SetTicketStatusInput) -> TicketPayload:
        ticket = await tickets.set_status(
            decode_id(input.id, "Ticket"), policies.TicketStatus(input.status)
        )
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def record_ticket_resolution(self, input: RecordTicketResolutionInput) -> TicketPayload:
        ticket = await tickets.record_resolution(
            decode_id(input.ticket_id, "Ticket", "ticketId"),
            tickets.Resolution(
                root_cause=input.root_cause,
                corrective_action=input.corrective_action,
                sku_id=decode_optional_id(input.sku_id, "Sku", "skuId"),
                lot_id=decode_optional_id(input.lot_id, "Lot", "lotId"),
            ),
        )
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Ask the customer to confirm the resolution: the ticket waits for them.",
    )
    async def request_resolution_confirmation(self, input: TicketIdInput) -> TicketPayload:
        ticket = await tickets.request_confirmation(
            decode_id(input.ticket_id, "Ticket", "ticketId")
        )
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="The customer confirmed: a complaint whose loop is then closed is solved.",
    )
    async def confirm_resolution(self, input: TicketIdInput) -> TicketPayload:
        ticket = await tickets.confirm_resolution(decode_id(input.ticket_id, "Ticket", "ticketId"))
        return TicketPayload(ticket=TicketNode.from_model(ticket))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def link_ticket_article(self, input: TicketArticleInput) -> TicketPayload:
        ticket_id = decode_id(input.ticket_id, "Ticket", "ticketId")
        await tickets.link_article(ticket_id, decode_id(input.article_id, "Article", "articleId"))
        return await _ticket(ticket_id)

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def unlink_ticket_article(self, input: TicketArticleInput) -> TicketPayload:
        ticket_id = decode_id(input.ticket_id, "Ticket", "ticketId")
        await tickets.unlink_article(ticket_id, decode_id(input.article_id, "Article", "articleId"))
        return await _ticket(ticket_id)


__all__ = ["TicketMutation", "TicketPayload"]
