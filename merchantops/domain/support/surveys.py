"""Satisfaction surveys (standard 5): after a ticket is solved, a survey the customer answers
without logging in (CSAT 1-5, NPS 0-10, a comment).

`issue` records the survey when the ticket is solved (once per ticket: a ticket solved again
keeps its survey, with a fresh validity if it was not answered).

The link the customer gets carries a signed token: `<tenant>.<survey>.<nonce>.<signature>`,
the tenant's and the survey's ids (hex), the survey's nonce and an HMAC-SHA256 over the three
with the app's secret key (`Settings.secret_key`, handed in by the caller: `sign` and `verify`
are pure), under a label of its own so no other signature made with that key is a survey
token. The token holds no expiry: the survey row decides (`expires_at`, which solving again
renews, and `answered_at`). `verify` compares in constant time and refuses anything it did not
sign with `SurveyUnavailable`; `answer` refuses an expired or answered survey with the same
code, so a caller cannot tell a forged token from a used one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.support.config import support_settings
from merchantops.domain.support.errors import SurveyUnavailable
from merchantops.domain.support.history import ticket_body
from merchantops.domain.support.models import SurveyResponse, Ticket
from merchantops.errors import InvalidInput, NotFound
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_tenant_id

LABEL = b"merchantops.support.survey.v1:"
MAX_TOKEN_LENGTH = 300
MAX_COMMENT_LENGTH = 2000
CSAT_RANGE = range(1, 6)
NPS_RANGE = range(0, 11)
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
UNAVAILABLE = "This survey link is not valid any more."


@dataclass(frozen=True, slots=True)
class SurveyToken:
    """What a verified token names."""

    tenant_id: UUID
    survey_id: UUID
    nonce: str


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), LABEL + body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(secret: str, tenant_id: UUID, survey_id: UUID, nonce: str) -> str:
    """The survey's token (URL-safe: hex, letters, digits, `-`, `_` and `.`)."""
    if not _NONCE.match(nonce):
        raise ValueError("a survey nonce is URL-safe base64, at most 64 characters")
    body = f"{tenant_id.hex}.{survey_id.hex}.{nonce}"
    return f"{body}.{_signature(secret, body)}"


def verify(secret: str, token: str) -> SurveyToken:
    """What the token names, or `SurveyUnavailable` when this key did not sign it."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    parts = token.split(".")
    if len(parts) != 4:
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    tenant, survey, nonce, offered = parts
    expected = _signature(secret, f"{tenant}.{survey}.{nonce}")
    # constant time over the signature; the shape checks after it reveal nothing of the key
    valid = hmac.compare_digest(expected.encode(), offered.encode("utf-8", "replace"))
    if not valid or not (_HEX32.match(tenant) and _HEX32.match(survey) and _NONCE.match(nonce)):
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    return SurveyToken(UUID(hex=tenant), UUID(hex=survey), nonce)


def token_for(secret: str, survey: SurveyResponse) -> str:
    return sign(secret, survey.tenant_id, survey.id, survey.nonce)


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


def _matches(survey: SurveyResponse | None, token: SurveyToken) -> bool:
    return survey is not None and hmac.compare_digest(survey.nonce.encode(), token.nonce.encode())


async def find(token: SurveyToken) -> tuple[SurveyResponse, Ticket]:
    """The token's survey and ticket, answered or not (`SurveyUnavailable` when the tenant in
    context is not the token's or the survey is gone)."""
    if current_tenant_id("SurveyResponse") != token.tenant_id:
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    survey = await SurveyResponse.get_or_none(id=token.survey_id)
    if survey is None or not _matches(survey, token):
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    ticket = await Ticket.get(id=survey.ticket_id)
    return survey, ticket


def answerable(survey: SurveyResponse, now: datetime) -> bool:
    return survey.answered_at is None and now < survey.expires_at


def _validate(csat: int, nps: int, comment: str) -> str:
    if csat not in CSAT_RANGE:
        raise InvalidInput("Satisfaction is a whole number from 1 to 5.", field="csat")
    if nps not in NPS_RANGE:
        raise InvalidInput("Likelihood to recommend is a whole number from 0 to 10.", field="nps")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInput(
            f"A comment has at most {MAX_COMMENT_LENGTH} characters.", field="comment"
        )
    return comment


async def answer(
    token: SurveyToken, csat: int, nps: int, comment: str, now: datetime
) -> SurveyResponse:
    """The customer's answer, once, before the survey expires (one transaction, the survey's
    row locked: two answers at once record one). Refused with `SurveyUnavailable` when the
    token's survey is not the tenant in context's, is gone, expired or answered; bad scores or
    a long comment are `InvalidInput` naming the field, before anything is read."""
    comment = _validate(csat, nps, comment)
    if current_tenant_id("SurveyResponse") != token.tenant_id:
        raise SurveyUnavailable(UNAVAILABLE, field="token")
    async with in_transaction():
        survey = await SurveyResponse.select_for_update().get_or_none(id=token.survey_id)
        if survey is None or not _matches(survey, token) or not answerable(survey, now):
            raise SurveyUnavailable(UNAVAILABLE, field="token")
        ticket = await Ticket.get(id=survey.ticket_id)
        survey.answered_at = now
        survey.csat, survey.nps, survey.comment = csat, nps, comment
        survey.team_id, survey.assignee_id = ticket.team_id, ticket.assignee_id
        await survey.save(
            update_fields=["answered_at", "csat", "nps", "comment", "team_id", "assignee_id"]
        )
        scores: dict[str, Any] = {"csat": csat, "nps": nps}
        await audit.record(
            "ticket.survey_answered",
            "ticket",
            ticket.id,
            after={**scores, "has_comment": bool(comment)},
        )
        await outbox.emit("ticket.survey_answered", ticket_body(ticket, now, **scores))
    return survey


async def of_ticket(ticket_id: UUID) -> SurveyResponse | None:
    """The ticket's survey (None until the ticket was first solved); `NotFound` for a ticket
    the tenant in context does not have."""
    if not await Ticket.exists(id=ticket_id):
        raise NotFound("No such ticket.", field="ticketId")
    return await SurveyResponse.get_or_none(ticket_id=ticket_id)


__all__ = [
    "MAX_COMMENT_LENGTH",
    "MAX_TOKEN_LENGTH",
    "SurveyToken",
    "answer",
    "answerable",
    "find",
    "issue",
    "of_ticket",
    "sign",
    "token_for",
    "verify",
]
