"""Customer service (issue 18, standard 5 and 4.3): tickets, their messages, one SLA clock per
target, escalations, links to knowledge-base articles, satisfaction surveys, support teams, the
tenant's ordered SLA policies and its support settings.

A ticket's clocks are rows (`SlaClock`), one per target its policy sets, holding what
`clocks.Clock` holds: what was spent before the current run, since when it runs, its due
instant while it runs, and a version bumped at every change of that instant, which a timer job
carries so a stale timer does nothing. `due_at` is set exactly while a clock runs unmet, so
"breaching within the next hour" is one range scan of the `(tenant_id, due_at)` index.
Requester contacts, message bodies and survey comments are personal data: classified, masked,
blanked when the customer is erased. Model docstrings become table comments: keep semicolons
out of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from tortoise import fields

from merchantops.domain.support.clocks import Target
from merchantops.domain.support.policies import (
    Channel,
    Priority,
    Severity,
    TicketStatus,
    TicketType,
)
from merchantops.rules.masking import Classification
from merchantops.tenants.base import TenantModel

if TYPE_CHECKING:
    from merchantops.domain.catalog.models import Sku
    from merchantops.domain.customers.models import Customer
    from merchantops.domain.inventory.models import Lot
    from merchantops.domain.knowledge.models import Article
    from merchantops.domain.orders.models import Order, Return

PERSONAL = Classification.CONFIDENTIAL_PERSONAL


class MessageKind(StrEnum):
    PUBLIC = "PUBLIC"  # a reply the customer sees, or the customer's own message
    NOTE = "NOTE"  # internal: agents only


class Author(StrEnum):
    AGENT = "AGENT"
    CUSTOMER = "CUSTOMER"
    SYSTEM = "SYSTEM"


class EscalationLevel(StrEnum):
    ASSIGNEE = "ASSIGNEE"  # the assignee is warned
    TEAM_LEAD = "TEAM_LEAD"  # reassigned to the team's lead
    MANAGEMENT = "MANAGEMENT"  # management notified (major complaint, repeated reopens)


class EscalationReason(StrEnum):
    SLA_WARNING = "SLA_WARNING"
    SLA_BREACH = "SLA_BREACH"
    MAJOR_COMPLAINT = "MAJOR_COMPLAINT"
    REOPENED = "REOPENED"


class Confirmation(StrEnum):
    CONFIRMED = "CONFIRMED"  # the customer confirmed the resolution
    TIMED_OUT = "TIMED_OUT"  # asked, no answer within the tenant's window


class SupportSettings(TenantModel):
    """A tenant's customer-service settings: warnings, auto-close, reopen escalation, surveys."""

    id = fields.UUIDField(primary_key=True)
    warning_share = fields.FloatField(default=0.8)
    auto_close_days = fields.IntField(default=7)
    reopen_escalation_threshold = fields.IntField(default=2)
    confirmation_timeout_days = fields.IntField(default=3)
    survey_valid_days = fields.IntField(default=14)
    calendar_id = fields.UUIDField(null=True)  # None: the tenant's default calendar
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "support_settings"
        unique_together = (("tenant",),)


class SlaPolicyRecord(TenantModel):
    """One SLA policy of the tenant's ordered list, as a checked document (policies.py)."""

    id = fields.UUIDField(primary_key=True)
    position = fields.IntField()
    document: dict[str, Any] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sla_policy"
        unique_together = (("tenant", "position"),)


class SupportTeam(TenantModel):
    """A team tickets are assigned to, and its lead (who takes breached tickets)."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=120)
    lead_id = fields.UUIDField(null=True)  # a user of the tenant
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_team"
        unique_together = (("tenant", "name"),)


class Ticket(TenantModel):
    """A customer's problem from any channel, its SLA policy, assignment and closed loop."""

    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "requester_name": PERSONAL,
        "requester_email": PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    number = fields.IntField()
    subject = fields.CharField(max_length=200)
    type = fields.CharEnumField(TicketType, max_length=16)
    priority = fields.CharEnumField(Priority, max_length=16, default=Priority.NORMAL)
    severity = fields.CharEnumField(Severity, max_length=16, null=True)
    channel = fields.CharEnumField(Channel, max_length=16)
    status = fields.CharEnumField(TicketStatus, max_length=24, default=TicketStatus.NEW)
    # a complaint about a product: solving it needs the SKU (and the lot, where known)
    concerns_product = fields.BooleanField(default=False)
    requester_name = fields.CharField(max_length=200, default="")
    requester_email = fields.CharField(max_length=254, default="")
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "merchantops.Customer", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    customer_id: UUID | None
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    order_id: UUID | None
    rma: fields.ForeignKeyNullableRelation[Return] = fields.ForeignKeyField(
        "merchantops.Return", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    rma_id: UUID | None
    sku: fields.ForeignKeyNullableRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    sku_id: UUID | None
    lot: fields.ForeignKeyNullableRelation[Lot] = fields.ForeignKeyField(
        "merchantops.Lot", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    lot_id: UUID | None
    team: fields.ForeignKeyNullableRelation[SupportTeam] = fields.ForeignKeyField(
        "merchantops.SupportTeam", related_name="tickets", null=True, on_delete=fields.RESTRICT
    )
    team_id: UUID | None
    assignee_id = fields.UUIDField(null=True)  # a user of the tenant
    policy_name = fields.CharField(max_length=200, default="")
    # the targets fixed when the policy applied: {target: {minutes, business_hours, pause_on}}
    sla_targets: dict[str, Any] = fields.JSONField(default=dict)
    calendar_id = fields.UUIDField(null=True)  # the policy's calendar, None: the default one
    escalation_level = fields.CharEnumField(EscalationLevel, max_length=16, null=True)
    reopen_count = fields.IntField(default=0)
    first_replied_at = fields.DatetimeField(null=True)
    last_customer_message_at = fields.DatetimeField(null=True)
    solved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    # the closed loop (standard 4.3): what caused it, what was done, whether the customer agreed
    root_cause = fields.TextField(default="")
    corrective_action = fields.TextField(default="")
    confirmation = fields.CharEnumField(Confirmation, max_length=16, null=True)
    confirmation_requested_at = fields.DatetimeField(null=True)
    idempotency_key = fields.CharField(max_length=100, null=True)
    request_hash = fields.CharField(max_length=64, default="")
    created_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ticket"
        unique_together = (("tenant", "number"), ("tenant", "idempotency_key"))
        indexes = (
            ("tenant_id", "status", "created_at"),
            ("tenant_id", "assignee_id"),
            ("tenant_id", "team_id"),
        )


class TicketMessage(TenantModel):
    """A public reply, a customer's message or an internal note on a ticket."""

    CLASSIFIED: ClassVar[dict[str, Classification]] = {"body": PERSONAL}

    id = fields.UUIDField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "merchantops.Ticket", related_name="messages", on_delete=fields.CASCADE
    )
    ticket_id: UUID
    kind = fields.CharEnumField(MessageKind, max_length=8)
    author_kind = fields.CharEnumField(Author, max_length=8)
    author = fields.CharField(max_length=100)
    channel = fields.CharEnumField(Channel, max_length=16)
    body = fields.TextField()
    idempotency_key = fields.CharField(max_length=100, null=True)
    request_hash = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ticket_message"
        unique_together = (("tenant", "idempotency_key"),)
        indexes = (("tenant_id", "ticket_id", "created_at"),)


class SlaClock(TenantModel):
    """One SLA target of a ticket, counted in working time of a calendar (clocks.py)."""

    id = fields.UUIDField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "merchantops.Ticket", related_name="clocks", on_delete=fields.CASCADE
    )
    ticket_id: UUID
    target = fields.CharEnumField(Target, max_length=16)
    goal_minutes = fields.IntField()
    business_hours = fields.BooleanField(default=True)
    pause_on: list[str] = fields.JSONField(default=list)
    started_at = fields.DatetimeField()
    spent_seconds = fields.BigIntField(default=0)
    running_since = fields.DatetimeField(null=True)
    due_at = fields.DatetimeField(null=True)
    warn_at = fields.DatetimeField(null=True)
    met_at = fields.DatetimeField(null=True)
    breached_at = fields.DatetimeField(null=True)
    warned_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)

    class Meta:
        table = "sla_clock"
        unique_together = (("tenant", "ticket", "target"),)
        indexes = (("tenant_id", "due_at"),)


class TicketEscalation(TenantModel):
    """One step up the escalation ladder, and when it happened."""

    id = fields.UUIDField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "merchantops.Ticket", related_name="escalations", on_delete=fields.CASCADE
    )
    ticket_id: UUID
    level = fields.CharEnumField(EscalationLevel, max_length=16)
    reason = fields.CharEnumField(EscalationReason, max_length=16)
    target = fields.CharEnumField(Target, max_length=16, null=True)
    from_assignee_id = fields.UUIDField(null=True)
    to_assignee_id = fields.UUIDField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ticket_escalation"
        indexes = (("tenant_id", "ticket_id"),)


class TicketArticle(TenantModel):
    """A knowledge-base article linked from a ticket (sent to the customer or used to answer)."""

    id = fields.UUIDField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "merchantops.Ticket", related_name="article_links", on_delete=fields.CASCADE
    )
    ticket_id: UUID
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "merchantops.Article", related_name="ticket_links", on_delete=fields.CASCADE
    )
    article_id: UUID
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ticket_article"
        unique_together = (("tenant", "ticket", "article"),)


class SurveyResponse(TenantModel):
    """The satisfaction survey of a solved ticket: its single-use token's id and the answer."""

    CLASSIFIED: ClassVar[dict[str, Classification]] = {"comment": PERSONAL}

    id = fields.UUIDField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "merchantops.Ticket", related_name="surveys", on_delete=fields.CASCADE
    )
    ticket_id: UUID
    nonce = fields.CharField(max_length=64)  # what the signed token names, once
    sent_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)
    csat = fields.IntField(null=True)  # 1-5
    nps = fields.IntField(null=True)  # 0-10
    comment = fields.TextField(default="")
    # copied from the ticket when answered, so metrics group without joining
    team_id = fields.UUIDField(null=True)
    assignee_id = fields.UUIDField(null=True)

    class Meta:
        table = "ticket_survey"
        unique_together = (("tenant", "ticket"), ("tenant", "nonce"))
        indexes = (("tenant_id", "answered_at"),)


__all__ = [
    "Author",
    "Confirmation",
    "EscalationLevel",
    "EscalationReason",
    "MessageKind",
    "SlaClock",
    "SlaPolicyRecord",
    "SupportSettings",
    "SupportTeam",
    "SurveyResponse",
    "Ticket",
    "TicketArticle",
    "TicketEscalation",
    "TicketMessage",
]
