"""Facts of the customer-service area's events (`merchantops/rules/facts.py`).

Every ticket event carries the ticket as `ticket.*` (what the standard risk templates ask:
`ticket.kind`, `ticket.severity`, `ticket.hours_unanswered`, `ticket.hours_open`), SLA events
their clock, escalations their level and reason."""

from __future__ import annotations

from merchantops.domain.support.events import EVENTS
from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

RISK = RuleSetKind.RISK
S, N, B = FactType.STRING, FactType.NUMBER, FactType.BOOLEAN

TICKET = (
    *ids("ticket_id"),
    Fact("number", S, "Ticket number, as text"),
    Fact("status", S, "Ticket status (NEW ... CLOSED)"),
    Fact("type", S, "INQUIRY, COMPLAINT, AFTER_SALES, RETURN or WARRANTY"),
    Fact("priority", S, "LOW, NORMAL, HIGH or URGENT"),
    Fact("channel", S, "EMAIL, CHAT, PHONE, APP or SOCIAL"),
    Fact("severity", S, "A complaint's GENERAL or MAJOR, '' for none"),
    Fact("assignee_id", S, "Id (UUID) of the assigned user, '' for none"),
    Fact("team_id", S, "Id (UUID) of the assigned team, '' for none"),
    Fact("ticket.id", S, "Ticket id"),
    Fact("ticket.kind", S, "Ticket type, lower case: inquiry, complaint, after_sales, ..."),
    Fact("ticket.severity", S, "Complaint severity, lower case (general, major), '' for none"),
    Fact("ticket.priority", S, "low, normal, high or urgent"),
    Fact("ticket.channel", S, "email, chat, phone, app or social"),
    Fact("ticket.status", S, "Ticket status, lower case"),
    Fact("ticket.hours_open", N, "Hours since the ticket was opened"),
    Fact(
        "ticket.hours_unanswered", N, "Hours since opening without a public reply (0 once answered)"
    ),
    Fact("ticket.reopen_count", N, "Times the ticket was reopened"),
    Fact("ticket.has_lot", B, "Whether the ticket names a lot"),
)
SLA = (
    Fact("target", S, "FIRST_REPLY, NEXT_REPLY, PERIODIC_UPDATE or RESOLUTION"),
    Fact("due_at", S, "When the target is due (ISO 8601)"),
    Fact("goal_minutes", N, "The target's working minutes"),
    Fact("business_hours", B, "Whether the target counts business hours"),
)

FACTS: tuple[Source, ...] = (
    Source(RISK, EVENTS, TICKET),
    Source(RISK, ("ticket.sla_warning", "ticket.sla_breached"), SLA),
    Source(
        RISK,
        ("ticket.escalated",),
        (
            Fact("level", S, "ASSIGNEE, TEAM_LEAD or MANAGEMENT"),
            Fact("reason", S, "SLA_WARNING, SLA_BREACH, MAJOR_COMPLAINT or REOPENED"),
            Fact("target", S, "The SLA target behind it, null for none"),
        ),
    ),
    Source(
        RISK,
        ("ticket.status_changed", "ticket.solved", "ticket.reopened", "ticket.closed"),
        (Fact("previous_status", S, "The status before"),),
    ),
    Source(
        RISK,
        ("ticket.survey_answered",),
        (Fact("csat", N, "Satisfaction, 1-5"), Fact("nps", N, "Likelihood to recommend, 0-10")),
    ),
)

__all__ = ["FACTS", "TICKET"]
