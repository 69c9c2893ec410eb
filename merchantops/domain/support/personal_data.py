"""What customer service holds about a customer, for their data-subject requests: their
tickets' requester contacts, the messages on them and their survey comments (numbers,
statuses and scores kept for the metrics), exported with the customer's data and blanked in
the erasure's transaction (`customers.privacy.Holder`, installed by `bootstrap.wire`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from merchantops.domain.support.models import SurveyResponse, Ticket, TicketMessage
from merchantops.tenants import audit

NAME = "tickets"
ERASED = "[erased]"


async def export(customer_id: UUID) -> list[dict[str, Any]]:
    tickets = await Ticket.filter(customer_id=customer_id).order_by("created_at", "id")
    ids = [ticket.id for ticket in tickets]
    messages: dict[UUID, list[dict[str, Any]]] = {}
    for message in await TicketMessage.filter(ticket_id__in=ids).order_by("created_at", "id"):
        messages.setdefault(message.ticket_id, []).append(
            {
                "at": message.created_at.isoformat(),
                "kind": message.kind.value,
                "author": message.author_kind.value,
                "body": message.body,
            }
        )
    comments = {
        s.ticket_id: s.comment
        for s in await SurveyResponse.filter(ticket_id__in=ids).exclude(comment="")
    }
    return [
        {
            "id": str(ticket.id),
            "number": ticket.number,
            "subject": ticket.subject,
            "status": ticket.status.value,
            "requester_name": ticket.requester_name,
            "requester_email": ticket.requester_email,
            "messages": messages.get(ticket.id, []),
            "survey_comment": comments.get(ticket.id, ""),
        }
        for ticket in tickets
    ]


async def erase(customer_id: UUID) -> int:
    """Blank the requester contacts, message bodies and survey comments of the customer's
    tickets; their numbers, statuses, clocks and scores stay."""
    ids = list(await Ticket.filter(customer_id=customer_id).values_list("id", flat=True))
    if not ids:
        return 0
    await Ticket.filter(id__in=ids).update(requester_name="", requester_email="")
    await TicketMessage.filter(ticket_id__in=ids).update(body=ERASED)
    await SurveyResponse.filter(ticket_id__in=ids).exclude(comment="").update(comment="")
    await audit.record("ticket.anonymised", "customer", customer_id, after={"tickets": len(ids)})
    return len(ids)


__all__ = ["NAME", "erase", "export"]
