"""The customer-service area's events. Bodies carry ids, numbers, statuses, targets and
instants, never personal data (partners subscribe to them with webhooks; risk rules see
them). Every `ticket.*` event also has the support step schedule the ticket's SLA timers."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "ticket.created",
    "ticket.updated",
    "ticket.assigned",
    "ticket.replied",
    "ticket.customer_replied",
    "ticket.status_changed",
    "ticket.solved",
    "ticket.reopened",
    "ticket.closed",
    "ticket.sla_warning",
    "ticket.sla_breached",
    "ticket.escalated",
    "ticket.survey_answered",
)
# What its stored records call its objects -> the GraphQL type (ids in webhook bodies).
ID_KINDS: dict[str, str] = {
    "ticket": "Ticket",
    "support_team": "SupportTeam",
    "sla_policy": "SlaPolicy",
}

__all__ = ["EVENTS", "ID_KINDS"]
