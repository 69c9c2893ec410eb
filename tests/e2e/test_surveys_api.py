"""Satisfaction surveys and support figures through the API: staff fetch a solved ticket's
survey token, the customer checks and answers it without logging in (once; forged, used and
bad scores refused with typed errors), the public paths are rate limited, and the figures
show the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from merchantops.domain.support import tickets
from merchantops.domain.support.policies import TicketStatus
from merchantops.domain.support.tickets import MessageSpec
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.global_ids import global_id
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD
from tests.helpdesk import Desk, make_desk, ticket_spec

ERRORS = "errors { field code message }"
TICKET_SURVEY = """query($id: ID!) { ticketSurvey(ticketId: $id) {
  token expiresAt answeredAt answerable csat nps comment } }"""
SURVEY = """query($token: String!) { survey(token: $token) {
  answerable ticketNumber subject expiresAt } }"""
ANSWER = f"""mutation($input: AnswerSurveyInput!) {{
  answerSurvey(input: $input) {{ answered {ERRORS} }} }}"""
METRICS = """query($from: DateTime!, $to: DateTime!, $by: SupportMetricsGroupBy!) {
  supportMetrics(period: {from: $from, to: $to}, groupBy: $by) {
    groupBy groups { teamId agentId unassigned
      firstReply { count p50Seconds p90Seconds }
      slaAttainment { target finished met rate }
      satisfaction { answers csat nps lowSample } } } }"""


async def _solved(desk: Desk) -> str:
    """A ticket solved just now; its global id."""
    now = datetime.now(UTC)
    with tenant_scope(desk.shop.tenant.id), actor_scope("user:agent"):
        spec = ticket_spec(desk, subject="Broken mug")
        ticket = (await tickets.create_ticket(spec, now=now - timedelta(hours=2))).ticket
        await tickets.add_message(ticket.id, MessageSpec("Sorry!"), now=now - timedelta(hours=1))
        await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=now)
    return global_id("Ticket", ticket.id)


async def _staff_token(gql: GraphQLClient, desk: Desk) -> str:
    session = await gql.login(desk.agent.email, PASSWORD)
    token: str = session["accessToken"]
    return token


async def _answer(gql: GraphQLClient, token: str, **values: Any) -> Any:
    variables = {"input": {"token": token, "csat": 5, "nps": 10, "comment": "", **values}}
    body = await gql.execute(ANSWER, variables)
    assert "errors" not in body, body
    return body["data"]["answerSurvey"]


async def test_staff_get_the_token_and_the_customer_answers_once_without_login(
    gql: GraphQLClient,
) -> None:
    desk = await make_desk()
    ticket_id = await _solved(desk)
    staff = await _staff_token(gql, desk)

    body = await gql.execute(TICKET_SURVEY, {"id": ticket_id}, token=staff, tenant="acme")
    survey = body["data"]["ticketSurvey"]
    assert survey["answerable"] is True
    assert survey["answeredAt"] is None
    token = survey["token"]

    status = (await gql.execute(SURVEY, {"token": token}))["data"]["survey"]
    assert status["answerable"] is True
    assert status["subject"] == "Broken mug"
    assert status["ticketNumber"] == 1

    # bad scores: typed, nothing written
    refused = await _answer(gql, token, csat=9)
    assert refused == {
        "answered": False,
        "errors": [
            {"field": "csat", "code": "INVALID_INPUT", "message": refused["errors"][0]["message"]}
        ],
    }
    assert (await _answer(gql, token, nps=-1))["errors"][0]["field"] == "nps"

    assert await _answer(gql, token, csat=4, nps=9, comment="Thanks a lot") == {
        "answered": True,
        "errors": [],
    }
    again = await _answer(gql, token)
    assert [e["code"] for e in again["errors"]] == ["SURVEY_UNAVAILABLE"]
    status = (await gql.execute(SURVEY, {"token": token}))["data"]["survey"]
    assert status == {"answerable": False, "ticketNumber": None, "subject": None, "expiresAt": None}

    body = await gql.execute(TICKET_SURVEY, {"id": ticket_id}, token=staff, tenant="acme")
    survey = body["data"]["ticketSurvey"]
    assert (survey["csat"], survey["nps"], survey["answerable"]) == (4, 9, False)
    assert survey["answeredAt"] is not None

    now = datetime.now(UTC)
    period = {
        "from": (now - timedelta(days=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat(),
    }
    body = await gql.execute(METRICS, {**period, "by": "TEAM"}, token=staff, tenant="acme")
    assert "errors" not in body, body
    (group,) = body["data"]["supportMetrics"]["groups"]
    assert group["teamId"] == global_id("SupportTeam", desk.team.id)
    assert group["unassigned"] is False
    assert group["firstReply"]["count"] == 1
    assert group["slaAttainment"] == [
        {"target": "FIRST_REPLY", "finished": 1, "met": 1, "rate": 1.0}
    ]
    assert group["satisfaction"] == {"answers": 1, "csat": 1.0, "nps": 100.0, "lowSample": True}


async def test_forged_tokens_and_anonymous_staff_fields_are_refused(gql: GraphQLClient) -> None:
    desk = await make_desk()
    ticket_id = await _solved(desk)
    staff = await _staff_token(gql, desk)
    body = await gql.execute(TICKET_SURVEY, {"id": ticket_id}, token=staff, tenant="acme")
    token = body["data"]["ticketSurvey"]["token"]

    for forged in (token[:-3] + "abc", "nonsense", token.replace(".", "..", 1)):
        assert [e["code"] for e in (await _answer(gql, forged))["errors"]] == ["SURVEY_UNAVAILABLE"]
        status = (await gql.execute(SURVEY, {"token": forged}))["data"]["survey"]
        assert status["answerable"] is False

    anonymous = await gql.execute(TICKET_SURVEY, {"id": ticket_id})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    period = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", "by": "NONE"}
    anonymous = await gql.execute(METRICS, period)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # the survey is still there to answer
    assert (await _answer(gql, token))["answered"] is True


async def test_the_public_survey_paths_are_rate_limited_per_client(gql: GraphQLClient) -> None:
    desk = await make_desk()
    await _solved(desk)
    statuses = []
    for _ in range(25):
        response = await gql.post(SURVEY, {"token": "forged.token.x.y"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            body = response.json()
            assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
            assert int(response.headers["Retry-After"]) >= 1
            break
    assert statuses[:20] == [200] * 20
    assert statuses[-1] == 429
    # answering shares the client's bucket
    response = await gql.post(
        ANSWER, {"input": {"token": "forged", "csat": 5, "nps": 10, "comment": ""}}
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "THROTTLED"


async def test_one_survey_takes_a_few_answers_at_once(gql: GraphQLClient) -> None:
    desk = await make_desk()
    ticket_id = await _solved(desk)
    staff = await _staff_token(gql, desk)
    body = await gql.execute(TICKET_SURVEY, {"id": ticket_id}, token=staff, tenant="acme")
    token = body["data"]["ticketSurvey"]["token"]
    for _ in range(5):
        assert (await _answer(gql, token, csat=0))["errors"][0]["code"] == "INVALID_INPUT"
    response = await gql.post(ANSWER, {"input": {"token": token, "csat": 5, "nps": 10}})
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
