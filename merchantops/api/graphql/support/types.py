"""The customer-service area's node types: tickets with their messages, SLA clocks,
escalations, linked articles and what a complaint's loop still lacks; support teams, SLA
policies and settings.

Requester contacts and message bodies are masked by the tenant's rules. Relations load
through the request's DataLoaders, and a clock's business calendar is loaded once per
calendar per request (`calendars_of`), so a page of tickets with their clocks costs the same
few statements whatever its size. People (assignees, team leads) are global `User` ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Self
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader

from merchantops.api.graphql.catalog.types import SkuNode, load_sku
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import masked
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.api.graphql.inventory.types import LotNode
from merchantops.api.graphql.knowledge.types import ArticleNode
from merchantops.api.graphql.orders.types import OrderNode, ReturnNode
from merchantops.domain.calendars.service import load_calendar
from merchantops.domain.customers.models import Customer
from merchantops.domain.inventory.models import Lot
from merchantops.domain.knowledge.models import Article
from merchantops.domain.orders.models import Order, Return
from merchantops.domain.support import clocks, models, policies, sla
from merchantops.domain.support.config import support_settings
from merchantops.domain.support.tickets import loop_gaps
from merchantops.tenants.global_ids import global_id

TicketType = policies.TicketType
strawberry.enum(TicketType, name="TicketType")
TicketPriority = policies.Priority
strawberry.enum(TicketPriority, name="TicketPriority")
ComplaintSeverity = policies.Severity
strawberry.enum(ComplaintSeverity, name="ComplaintSeverity")
TicketChannel = policies.Channel
strawberry.enum(TicketChannel, name="TicketChannel")
TicketStatus = policies.TicketStatus
strawberry.enum(TicketStatus, name="TicketStatus")
SlaTarget = clocks.Target
strawberry.enum(SlaTarget, name="SlaTarget")
SlaClockState = clocks.ClockState
strawberry.enum(SlaClockState, name="SlaClockState")
TicketMessageKind = models.MessageKind
strawberry.enum(TicketMessageKind, name="TicketMessageKind")
TicketAuthor = models.Author
strawberry.enum(TicketAuthor, name="TicketAuthor")
EscalationLevel = models.EscalationLevel
strawberry.enum(EscalationLevel, name="EscalationLevel")
EscalationReason = models.EscalationReason
strawberry.enum(EscalationReason, name="EscalationReason")
ResolutionConfirmation = models.Confirmation
strawberry.enum(ResolutionConfirmation, name="ResolutionConfirmation")


def user_id(pk: UUID | None) -> strawberry.ID | None:
    """A person of the tenant (assignee, lead) as the `User` global id `members` shows."""
    return None if pk is None else strawberry.ID(global_id("User", pk))


def _calendars_loader() -> DataLoader[Any, sla.Calendars]:
    async def load(keys: Sequence[Any]) -> list[sla.Calendars]:
        settings = await support_settings()
        made: dict[UUID | None, sla.Calendars] = {}
        found = []
        for key in keys:
            # what sla.calendars(ticket, settings) gives: the ticket's policy's calendar, else
            # the settings' one, else the tenant's default calendar
            calendar_id = key or settings.calendar_id
            if calendar_id not in made:
                made[calendar_id] = sla.Calendars(
                    await load_calendar(calendar_id), settings.warning_share
                )
            found.append(made[calendar_id])
        return found

    return DataLoader(load_fn=load)


_CALENDARS = "support.calendars"


async def calendars_of(info: Info, calendar_id: UUID | None) -> sla.Calendars:
    """The calendars a ticket's clocks count in, loaded once per calendar per request."""
    loader = info.context.loaders.custom(_CALENDARS, _calendars_loader)
    found: sla.Calendars = await loader.load(calendar_id)
    return found


@strawberry.type(description="Something a complaint still lacks before it may be solved.")
class LoopGap:
    field: str = strawberry.field(description="The ticket field (input name) at fault.")
    message: str


@strawberry.type(
    description="One SLA target of a ticket. `remainingSeconds` is negative once overdue; "
    "`dueAt` is set while the clock runs, `warnAt` when the warning falls due."
)
class SlaClock:
    target: SlaTarget
    goal_minutes: int
    business_hours: bool = strawberry.field(
        description="Counted in the calendar's working hours (else around the clock)."
    )
    paused_in: list[TicketStatus] = strawberry.field(description="Statuses that pause it.")
    state: SlaClockState
    due_at: datetime | None
    warn_at: datetime | None
    remaining_seconds: int
    elapsed_seconds: int
    started_at: datetime
    met_at: datetime | None
    breached_at: datetime | None
    warned_at: datetime | None

    @classmethod
    def from_model(cls, row: models.SlaClock, cals: sla.Calendars, now: datetime) -> Self:
        shown = sla.view(row, cals, now)
        return cls(
            target=clocks.Target(row.target),
            goal_minutes=row.goal_minutes,
            business_hours=row.business_hours,
            paused_in=[policies.TicketStatus(s) for s in row.pause_on],
            state=shown["state"],
            due_at=row.due_at,
            warn_at=row.warn_at,
            remaining_seconds=int(shown["remaining"].total_seconds()),
            elapsed_seconds=int(shown["elapsed"].total_seconds()),
            started_at=row.started_at,
            met_at=row.met_at,
            breached_at=row.breached_at,
            warned_at=row.warned_at,
        )


@strawberry.type(description="One step up a ticket's escalation ladder, and when it happened.")
class TicketEscalation:
    level: EscalationLevel
    reason: EscalationReason
    target: SlaTarget | None = strawberry.field(description="The SLA target that warned/breached.")
    from_assignee_id: strawberry.ID | None
    to_assignee_id: strawberry.ID | None
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.TicketEscalation) -> Self:
        return cls(
            level=models.EscalationLevel(row.level),
            reason=models.EscalationReason(row.reason),
            target=clocks.Target(row.target) if row.target else None,
            from_assignee_id=user_id(row.from_assignee_id),
            to_assignee_id=user_id(row.to_assignee_id),
            created_at=row.created_at,
        )


TicketMessage = models.TicketMessage


@strawberry.type(
    name="TicketMessage",
    description="A public reply, a customer's message or an internal note (NOTE: agents only).",
)
class TicketMessageNode(relay.Node):
    id: relay.NodeID[str]
    kind: TicketMessageKind
    author_kind: TicketAuthor
    author: str = strawberry.field(description="Who wrote it (`user:<id>` or `api_key:<id>`).")
    channel: TicketChannel
    body: str | None = masked(TicketMessage)
    created_at: datetime

    @classmethod
    def from_model(cls, message: models.TicketMessage) -> Self:
        return cls(
            id=str(message.id),
            kind=models.MessageKind(message.kind),
            author_kind=models.Author(message.author_kind),
            author=message.author,
            channel=policies.Channel(message.channel),
            body=message.body,
            created_at=message.created_at,
        )


@strawberry.type(name="SupportTeam", description="A team tickets go to, and its lead.")
class SupportTeamNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    lead_id: strawberry.ID | None = strawberry.field(
        description="The lead (a `User` id), who takes the team's breached tickets."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, team: models.SupportTeam) -> Self:
        return cls(
            id=str(team.id),
            name=team.name,
            lead_id=user_id(team.lead_id),
            created_at=team.created_at,
        )


Ticket = models.Ticket


@strawberry.type(name="Ticket", description="A customer's problem from any channel.")
class TicketNode(relay.Node):
    id: relay.NodeID[str]
    number: int
    subject: str
    type: TicketType
    priority: TicketPriority
    severity: ComplaintSeverity | None = strawberry.field(description="Complaints only.")
    channel: TicketChannel
    status: TicketStatus
    concerns_product: bool
    requester_name: str | None = masked(Ticket)
    requester_email: str | None = masked(Ticket)
    assignee_id: strawberry.ID | None = strawberry.field(description="The agent (a `User` id).")
    policy_name: str = strawberry.field(description="The SLA policy that applied ('' for none).")
    escalation_level: EscalationLevel | None
    reopen_count: int
    first_replied_at: datetime | None
    last_customer_message_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    root_cause: str
    corrective_action: str
    confirmation: ResolutionConfirmation | None
    confirmation_requested_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Ticket]

    @strawberry.field
    async def customer(self, info: Info) -> CustomerNode | None:
        pk = self.model.customer_id
        found = None if pk is None else await info.context.loaders.by_id(Customer).load(pk)
        return CustomerNode.from_model(found) if found else None

    @strawberry.field
    async def order(self, info: Info) -> OrderNode | None:
        pk = self.model.order_id
        found = None if pk is None else await info.context.loaders.by_id(Order).load(pk)
        return OrderNode.from_model(found) if found else None

    @strawberry.field(name="return", description="The return (RMA) it is about.")
    async def return_(self, info: Info) -> ReturnNode | None:
        pk = self.model.rma_id
        found = None if pk is None else await info.context.loaders.by_id(Return).load(pk)
        return ReturnNode.from_model(found) if found else None

    @strawberry.field
    async def sku(self, info: Info) -> SkuNode | None:
        pk = self.model.sku_id
        return None if pk is None else await load_sku(info, pk)

    @strawberry.field
    async def lot(self, info: Info) -> LotNode | None:
        pk = self.model.lot_id
        found = None if pk is None else await info.context.loaders.by_id(Lot).load(pk)
        return LotNode.from_model(found) if found else None

    @strawberry.field
    async def team(self, info: Info) -> SupportTeamNode | None:
        pk = self.model.team_id
        found = (
            None if pk is None else await info.context.loaders.by_id(models.SupportTeam).load(pk)
        )
        return SupportTeamNode.from_model(found) if found else None

    @strawberry.field(description="Messages and internal notes, oldest first; bodies masked.")
    @paged
    async def messages(self, info: Info, page: Page = EVERY_ROW) -> Connection[TicketMessageNode]:
        rows = await info.context.loaders.grouped(
            models.TicketMessage, "ticket_id", "created_at"
        ).load(self.model.id)
        return await paginate(info, rows, page, to_node=TicketMessageNode.from_model)

    @strawberry.field(description="Its SLA clocks, one per target of its policy.")
    async def sla_clocks(self, info: Info) -> list[SlaClock]:
        rows = await info.context.loaders.grouped(models.SlaClock, "ticket_id", "target").load(
            self.model.id
        )
        if not rows:
            return []
        cals = await calendars_of(info, self.model.calendar_id)
        now = datetime.now(UTC)
        return [SlaClock.from_model(row, cals, now) for row in rows]

    @strawberry.field(description="Every escalation step, oldest first, with its time.")
    async def escalations(self, info: Info) -> list[TicketEscalation]:
        rows = await info.context.loaders.grouped(
            models.TicketEscalation, "ticket_id", "created_at"
        ).load(self.model.id)
        return [TicketEscalation.from_model(row) for row in rows]

    @strawberry.field(description="Knowledge-base articles linked to it.")
    async def articles(self, info: Info) -> list[ArticleNode]:
        links = await info.context.loaders.grouped(
            models.TicketArticle, "ticket_id", "created_at"
        ).load(self.model.id)
        loader = info.context.loaders.by_id(Article)
        found = await loader.load_many([link.article_id for link in links])
        return [ArticleNode.from_model(article) for article in found if article is not None]

    @strawberry.field(
        description="What a complaint still lacks before it may be solved (none for others)."
    )
    def loop_gaps(self) -> list[LoopGap]:
        return [LoopGap(field=field, message=message) for field, message in loop_gaps(self.model)]

    @classmethod
    def from_model(cls, ticket: models.Ticket) -> Self:
        return cls(
            id=str(ticket.id),
            number=ticket.number,
            subject=ticket.subject,
            type=policies.TicketType(ticket.type),
            priority=policies.Priority(ticket.priority),
            severity=policies.Severity(ticket.severity) if ticket.severity else None,
            channel=policies.Channel(ticket.channel),
            status=policies.TicketStatus(ticket.status),
            concerns_product=ticket.concerns_product,
            requester_name=ticket.requester_name,
            requester_email=ticket.requester_email,
            assignee_id=user_id(ticket.assignee_id),
            policy_name=ticket.policy_name,
            escalation_level=(
                models.EscalationLevel(ticket.escalation_level) if ticket.escalation_level else None
            ),
            reopen_count=ticket.reopen_count,
            first_replied_at=ticket.first_replied_at,
            last_customer_message_at=ticket.last_customer_message_at,
            solved_at=ticket.solved_at,
            closed_at=ticket.closed_at,
            root_cause=ticket.root_cause,
            corrective_action=ticket.corrective_action,
            confirmation=models.Confirmation(ticket.confirmation) if ticket.confirmation else None,
            confirmation_requested_at=ticket.confirmation_requested_at,
            created_by=ticket.created_by,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            model=ticket,
        )


@strawberry.type(description="A policy's conditions: an empty list matches anything.")
class SlaConditions:
    types: list[TicketType]
    priorities: list[TicketPriority]
    severities: list[ComplaintSeverity]
    channels: list[TicketChannel]
    customer_tags: list[str] = strawberry.field(description="Any of them (lower-case).")


@strawberry.type(description="A target a policy sets for tickets of one priority.")
class SlaTargetRule:
    priority: TicketPriority
    target: SlaTarget
    minutes: int
    business_hours: bool
    pause_on: list[TicketStatus]


@strawberry.type(
    description="One SLA policy of the tenant's ordered list: the first match applies."
)
class SlaPolicy:
    position: int
    name: str
    conditions: SlaConditions
    targets: list[SlaTargetRule]
    escalate_at_once: bool = strawberry.field(description="Management is notified at creation.")
    calendar_id: strawberry.ID | None = strawberry.field(
        description="The business calendar it counts in; null: the settings' (or default) one."
    )
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.SlaPolicyRecord) -> Self:
        policy = policies.parse_policy(row.document)
        c = policy.conditions
        return cls(
            position=row.position,
            name=policy.name,
            conditions=SlaConditions(
                types=sorted(c.types),
                priorities=sorted(c.priorities, key=list(policies.Priority).index),
                severities=sorted(c.severities),
                channels=sorted(c.channels),
                customer_tags=sorted(c.customer_tags),
            ),
            targets=[
                SlaTargetRule(
                    priority=priority,
                    target=target,
                    minutes=rule.minutes,
                    business_hours=rule.business_hours,
                    pause_on=sorted(rule.pause_on),
                )
                for priority in policies.Priority
                for target in clocks.Target
                if (rule := policy.targets_for(priority).get(target)) is not None
            ],
            escalate_at_once=policy.escalate_at_once,
            calendar_id=(
                strawberry.ID(global_id("BusinessCalendar", policy.calendar_id))
                if policy.calendar_id
                else None
            ),
            updated_at=row.updated_at,
        )


@strawberry.type
class SupportSettings:
    warning_share: float = strawberry.field(
        description="Share of a target spent when its warning goes out (0.8)."
    )
    auto_close_days: int = strawberry.field(description="Solved tickets close after this.")
    reopen_escalation_threshold: int = strawberry.field(
        description="Reopens that notify management."
    )
    confirmation_timeout_days: int
    survey_valid_days: int
    calendar_id: strawberry.ID | None = strawberry.field(
        description="The business calendar SLA clocks count in; null: the tenant's default."
    )
    updated_at: datetime

    @classmethod
    def from_model(cls, settings: models.SupportSettings) -> Self:
        return cls(
            warning_share=settings.warning_share,
            auto_close_days=settings.auto_close_days,
            reopen_escalation_threshold=settings.reopen_escalation_threshold,
            confirmation_timeout_days=settings.confirmation_timeout_days,
            survey_valid_days=settings.survey_valid_days,
            calendar_id=(
                strawberry.ID(global_id("BusinessCalendar", settings.calendar_id))
                if settings.calendar_id
                else None
            ),
            updated_at=settings.updated_at,
        )


__all__ = [
    "ComplaintSeverity",
    "EscalationLevel",
    "EscalationReason",
    "LoopGap",
    "ResolutionConfirmation",
    "SlaClock",
    "SlaClockState",
    "SlaConditions",
    "SlaPolicy",
    "SlaTarget",
    "SlaTargetRule",
    "SupportSettings",
    "SupportTeamNode",
    "TicketAuthor",
    "TicketChannel",
    "TicketEscalation",
    "TicketMessageKind",
    "TicketMessageNode",
    "TicketNode",
    "TicketPriority",
    "TicketStatus",
    "TicketType",
    "calendars_of",
    "user_id",
]
