"""Satisfaction surveys (standard 5): after a ticket is solved, a survey the customer answers
without logging in (CSAT 1-5, NPS 0-10, a comment).

`issue` records the survey when the ticket is solved (once per ticket: a ticket solved again
keeps its survey, with a fresh validity if it was not answered)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from merchantops.domain.support.config import support_settings
from merchantops.domain.support.models import SurveyResponse, Ticket


async def issue(ticket: Ticket, now: datetime) -> SurveyResponse:
    """The ticket's survey, valid for the tenant's window from now (in the caller's
    transaction)."""
    settings = await support_settings()
    expires = now + timedelta(days=settings.survey_valid_days)
    survey = await SurveyResponse.get_or_none(ticket_id=ticket.id)
    if survey is None:
        return await SurveyResponse.create(
            ticket_id=ticket.id,
            nonce=secrets.token_urlsafe(24),
            sent_at=now,
            expires_at=expires,
        )
    if survey.answered_at is None:
        survey.sent_at, survey.expires_at = now, expires
        await survey.save(update_fields=["sent_at", "expires_at"])
    return survey


__all__ = ["issue"]
