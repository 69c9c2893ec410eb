"""What a ticket's events carry: ids, number, statuses and the `ticket.*` facts risk rules
read (the standard's templates ask for `ticket.kind`, `ticket.severity`,
`ticket.hours_unanswered` and `ticket.hours_open`). Never personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from merchantops.domain.support.models import Ticket


def _value(value: object) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def _hours(since: datetime, now: datetime) -> float:
    return round(max((now - since).total_seconds(), 0.0) / 3600, 2)


def ticket_body(ticket: Ticket, now: datetime, **extra: Any) -> dict[str, Any]:
    status = _value(ticket.status)
    answered = ticket.first_replied_at is not None
    return {
        "ticket_id": str(ticket.id),
        "number": str(ticket.number),
        "status": status,
        "type": _value(ticket.type),
        "priority": _value(ticket.priority),
        "channel": _value(ticket.channel),
        "severity": _value(ticket.severity),
        "assignee_id": _value(ticket.assignee_id),
        "team_id": _value(ticket.team_id),
        "ticket": {
            "id": str(ticket.id),
            "kind": _value(ticket.type).lower(),
            "severity": _value(ticket.severity).lower(),
            "priority": _value(ticket.priority).lower(),
            "channel": _value(ticket.channel).lower(),
            "status": status.lower(),
            "hours_open": _hours(ticket.created_at, now),
            "hours_unanswered": 0.0 if answered else _hours(ticket.created_at, now),
            "reopen_count": ticket.reopen_count,
            "has_lot": ticket.lot_id is not None,
        },
        **extra,
    }


__all__ = ["ticket_body"]
