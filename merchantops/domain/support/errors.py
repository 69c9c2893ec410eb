"""Typed failures of the customer-service area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class InvalidTicketTransition(DomainError):
    """A status change the ticket's life does not allow (a closed ticket reopened, ...)."""

    code = "INVALID_TICKET_TRANSITION"


class TicketClosed(DomainError):
    """A closed ticket takes no more messages: open a follow-up ticket."""

    code = "TICKET_CLOSED"


class LoopNotClosed(DomainError):
    """A complaint solved without its root cause, corrective action, product or the
    customer's confirmation (or its timeout): the closed loop of standard 4.3."""

    code = "COMPLAINT_LOOP_OPEN"


class IdempotencyConflict(DomainError):
    """An idempotency key used before for other content."""

    code = "IDEMPOTENCY_CONFLICT"


class NotAMember(DomainError):
    """An assignee or team lead who is not a member of the tenant."""

    code = "NOT_A_MEMBER"


class SurveyUnavailable(DomainError):
    """A survey token that is forged, expired or answered already (one code for all three,
    so a caller learns nothing about other tickets' surveys)."""

    code = "SURVEY_UNAVAILABLE"


__all__ = [
    "IdempotencyConflict",
    "InvalidTicketTransition",
    "LoopNotClosed",
    "NotAMember",
    "SurveyUnavailable",
    "TicketClosed",
]
