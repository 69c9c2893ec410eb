"""Satisfaction surveys on both databases: the signed token (forged, tampered, another key or
tenant refused with one code), answering once before expiry, typed refusals of bad scores
writing nothing, the answer's copy of team and assignee, its audit entry and event (scores,
never the comment)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from merchantops.domain.support import surveys, tickets
from merchantops.domain.support.errors import SurveyUnavailable
from merchantops.domain.support.models import SurveyResponse, Ticket
from merchantops.domain.support.policies import TicketStatus
from merchantops.domain.support.tickets import MessageSpec
from merchantops.errors import InvalidInput
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from tests.helpdesk import MONDAY, Desk, make_desk, ticket_spec

pytestmark = pytest.mark.usefixtures("db")
SECRET = "survey-test-secret-key-long-enough"
HOUR = timedelta(hours=1)
LATER = MONDAY + 4 * HOUR


async def solved(desk: Desk, subject: str = "Where is my parcel?") -> tuple[Ticket, str]:
    """A solved ticket of the desk's tenant and its survey's token."""
    with tenant_scope(desk.shop.tenant.id), actor_scope("user:agent"):
        ticket = (
            await tickets.create_ticket(ticket_spec(desk, subject=subject), now=MONDAY)
        ).ticket
        await tickets.add_message(ticket.id, MessageSpec("On its way."), now=MONDAY + HOUR)
        await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=MONDAY + 2 * HOUR)
        survey = await SurveyResponse.get(ticket_id=ticket.id)
    return ticket, surveys.token_for(SECRET, survey)


async def answer(desk: Desk, token: str, csat: int = 5, nps: int = 10, comment: str = "") -> None:
    parts = surveys.verify(SECRET, token)
    with tenant_scope(desk.shop.tenant.id), actor_scope("anonymous"):
        await surveys.answer(parts, csat, nps, comment, LATER)


def test_a_token_names_tenant_survey_and_nonce_and_verifies() -> None:
    tenant, survey = uuid4(), uuid4()
    token = surveys.sign(SECRET, tenant, survey, "abc_DEF-123")
    parts = surveys.verify(SECRET, token)
    assert (parts.tenant_id, parts.survey_id, parts.nonce) == (tenant, survey, "abc_DEF-123")


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: uuid4().hex + t[32:],  # another tenant, same signature
        lambda t: t.rsplit(".", 1)[0],  # no signature
        lambda t: t + ".x",  # a part too many
        lambda t: "",
        lambda t: "x" * 1000,
        lambda t: surveys.sign("another-secret-key-entirely", *_parts(t)),  # another key
    ],
)
def test_a_forged_token_is_refused(forge: object) -> None:
    token = surveys.sign(SECRET, uuid4(), uuid4(), "nonce")
    assert callable(forge)
    with pytest.raises(SurveyUnavailable) as refused:
        surveys.verify(SECRET, forge(token))
    assert refused.value.code == "SURVEY_UNAVAILABLE"


def _parts(token: str) -> tuple[UUID, UUID, str]:
    parts = surveys.verify(SECRET, token)
    return parts.tenant_id, parts.survey_id, parts.nonce


async def test_an_answer_is_recorded_once_with_team_and_assignee_audited_and_emitted() -> None:
    desk = await make_desk()
    ticket, token = await solved(desk)
    await answer(desk, token, csat=4, nps=9, comment="  Quick and kind.  ")

    with tenant_scope(desk.shop.tenant.id):
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        assert (survey.csat, survey.nps, survey.comment) == (4, 9, "Quick and kind.")
        assert survey.answered_at == LATER
        assert (survey.team_id, survey.assignee_id) == (desk.team.id, desk.agent.id)
        events = await OutboxEvent.filter(type="ticket.survey_answered")
        assert len(events) == 1
        body = events[0].payload
        assert (body["csat"], body["nps"], body["ticket_id"]) == (4, 9, str(ticket.id))
        assert "Quick" not in str(body)
        entry = await AuditEntry.get(action="ticket.survey_answered")
        assert entry.target_id == str(ticket.id)
        assert "Quick" not in str(entry.diff)

    # the same token again: refused, the first answer kept
    with pytest.raises(SurveyUnavailable):
        await answer(desk, token, csat=1, nps=0)
    with tenant_scope(desk.shop.tenant.id):
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        assert (survey.csat, survey.nps) == (4, 9)
        assert await OutboxEvent.filter(type="ticket.survey_answered").count() == 1


async def test_two_answers_at_once_record_one() -> None:
    desk = await make_desk()
    _, token = await solved(desk)
    outcomes = await asyncio.gather(
        answer(desk, token, csat=5), answer(desk, token, csat=1), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, SurveyUnavailable)]
    assert len(refused) == 1, outcomes
    with tenant_scope(desk.shop.tenant.id):
        assert await OutboxEvent.filter(type="ticket.survey_answered").count() == 1


async def test_an_expired_survey_is_refused_with_the_same_code() -> None:
    desk = await make_desk()
    ticket, token = await solved(desk)
    parts = surveys.verify(SECRET, token)
    with tenant_scope(desk.shop.tenant.id):
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        expired = survey.expires_at
        with pytest.raises(SurveyUnavailable):
            await surveys.answer(parts, 5, 10, "", expired)
        await surveys.answer(parts, 5, 10, "", expired - timedelta(seconds=1))


async def test_a_token_of_another_tenant_cannot_answer_here_or_there() -> None:
    acme, globex = await make_desk("acme"), await make_desk("globex")
    ticket, token = await solved(acme)
    parts = surveys.verify(SECRET, token)
    # inside the other tenant's scope: refused
    with tenant_scope(globex.shop.tenant.id), pytest.raises(SurveyUnavailable):
        await surveys.answer(parts, 5, 10, "", LATER)
    # signed (with the real key) for the other tenant but naming acme's survey: refused
    relabelled = surveys.sign(SECRET, globex.shop.tenant.id, parts.survey_id, parts.nonce)
    with pytest.raises(SurveyUnavailable):
        await answer(globex, relabelled)
    # a wrong nonce for the right survey: refused
    wrong_nonce = surveys.sign(SECRET, acme.shop.tenant.id, parts.survey_id, "guessed")
    with pytest.raises(SurveyUnavailable):
        await answer(acme, wrong_nonce)
    with tenant_scope(acme.shop.tenant.id):
        assert (await SurveyResponse.get(ticket_id=ticket.id)).answered_at is None


@pytest.mark.parametrize(
    ("csat", "nps", "comment", "field"),
    [
        (0, 5, "", "csat"),
        (6, 5, "", "csat"),
        (3, -1, "", "nps"),
        (3, 11, "", "nps"),
        (3, 5, "x" * (surveys.MAX_COMMENT_LENGTH + 1), "comment"),
    ],
)
async def test_bad_scores_are_typed_refusals_writing_nothing(
    csat: int, nps: int, comment: str, field: str
) -> None:
    desk = await make_desk()
    ticket, token = await solved(desk)
    with pytest.raises(InvalidInput) as refused:
        await answer(desk, token, csat=csat, nps=nps, comment=comment)
    assert refused.value.field == field
    with tenant_scope(desk.shop.tenant.id):
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        assert survey.answered_at is None
        assert survey.csat is None
        assert await OutboxEvent.filter(type="ticket.survey_answered").count() == 0
        assert await AuditEntry.filter(action="ticket.survey_answered").count() == 0
    await answer(desk, token, csat=3, nps=7, comment="x" * surveys.MAX_COMMENT_LENGTH)


async def test_solving_again_renews_an_unanswered_survey_and_keeps_its_token() -> None:
    desk = await make_desk()
    ticket, token = await solved(desk)
    with tenant_scope(desk.shop.tenant.id), actor_scope("user:agent"):
        await tickets.set_status(ticket.id, TicketStatus.OPEN, now=MONDAY + 3 * HOUR)
        again = MONDAY + timedelta(days=20)
        await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=again)
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        assert surveys.token_for(SECRET, survey) == token
        assert survey.expires_at > again
        await surveys.answer(surveys.verify(SECRET, token), 5, 10, "", again + HOUR)
