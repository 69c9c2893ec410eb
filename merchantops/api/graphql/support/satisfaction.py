"""Satisfaction surveys and customer service's figures in the GraphQL API.

- `survey(token)` and `answerSurvey(input)` are public: the customer follows the link of a
  solved ticket without logging in. The signed token names the tenant, and both work inside
  that tenant's scope (`tenant_scope`), never another's. Both are rate limited per client
  address, and answering also per survey, in the API's leaky buckets (`api/throttle.py`, Redis
  when configured) under keys of their own: a client may try `CLIENT_BURST` times at once and
  then once per `capacity / leak / CLIENT_BURST` seconds (`THROTTLED`, HTTP 429 and
  `Retry-After`, like the API's own throttle).
- `ticketSurvey(ticketId)` gives staff (ticket:write) a solved ticket's survey: its token (to
  put in the link), validity and answer, the comment masked as classified.
- `supportMetrics(period, groupBy)` (ticket:read): `domain/support/metrics.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any, cast

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import ApiError, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.masking import masked
from merchantops.api.graphql.core.permissions import PUBLIC, TenantPermission, requires
from merchantops.domain.support import metrics, surveys
from merchantops.domain.support.errors import SurveyUnavailable
from merchantops.domain.support.models import SurveyResponse
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import optional_global_id

READ = TenantPermission("ticket", "read")
WRITE = TenantPermission("ticket", "write")
CLIENT_BURST = 20  # survey requests a client address may make at once
TOKEN_BURST = 5  # answers one survey may be sent at once
THROTTLED = "THROTTLED"


async def _throttle(info: Info, key: str, burst: int) -> None:
    buckets = info.context.throttle
    if buckets is None:
        return
    settings = info.context.settings
    decision = await buckets.drain(f"survey:{key}", max(1, settings.throttle_capacity // burst))
    if decision.allowed:
        return
    seconds = decision.retry_after
    response = info.context.response
    if response is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(seconds)
    error = ApiError(THROTTLED, f"Too many survey requests. Retry in {seconds} s.")
    error.extensions = cast(Any, {"code": THROTTLED, "retryAfter": seconds})
    raise error


def _client(info: Info) -> str:
    client = info.context.request.client
    return f"client:{client.host if client else 'unknown'}"


def _global_id(type_name: str, key: object | None) -> strawberry.ID | None:
    found = optional_global_id(type_name, key)
    return None if found is None else strawberry.ID(found)


def _secret(info: Info) -> str:
    return info.context.settings.secret_key.get_secret_value()


@strawberry.type(description="Whether a survey link can still be answered, and its ticket.")
class SurveyStatus:
    answerable: bool = strawberry.field(
        description="False for a link that is not valid, expired or answered already."
    )
    ticket_number: int | None = None
    subject: str | None = None
    expires_at: datetime | None = None


@strawberry.input
class AnswerSurveyInput:
    token: str = strawberry.field(metadata=limit(max_length=surveys.MAX_TOKEN_LENGTH))
    csat: int = strawberry.field(description="Satisfaction, 1 (very unhappy) to 5 (very happy).")
    nps: int = strawberry.field(description="Likelihood to recommend us, 0 to 10.")
    comment: str = strawberry.field(
        default="", metadata=limit(max_length=surveys.MAX_COMMENT_LENGTH + 1000)
    )


@strawberry.type
class AnswerSurveyPayload:
    answered: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(name="TicketSurvey", description="A solved ticket's satisfaction survey.")
class TicketSurveyNode:
    token: str = strawberry.field(description="The signed token the survey link carries.")
    sent_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    answerable: bool
    csat: int | None
    nps: int | None
    comment: str | None = masked(SurveyResponse)

    @classmethod
    def from_model(cls, survey: SurveyResponse, token: str, now: datetime) -> TicketSurveyNode:
        return cls(
            token=token,
            sent_at=survey.sent_at,
            expires_at=survey.expires_at,
            answered_at=survey.answered_at,
            answerable=surveys.answerable(survey, now),
            csat=survey.csat,
            nps=survey.nps,
            comment=survey.comment,
        )


@strawberry.enum(name="SupportMetricsGroupBy")
class GroupBy(Enum):
    TEAM = "TEAM"
    AGENT = "AGENT"
    NONE = "NONE"


@strawberry.input(description="From (inclusive) to (exclusive).")
class SupportPeriodInput:
    from_: datetime = strawberry.field(name="from")
    to: datetime


@strawberry.type(description="Working seconds of the targets met in the period.")
class SupportDurations:
    count: int
    p50_seconds: float | None
    p90_seconds: float | None

    @classmethod
    def of(cls, durations: metrics.Durations) -> SupportDurations:
        return cls(count=durations.count, p50_seconds=durations.p50, p90_seconds=durations.p90)


@strawberry.type(description="Clocks of one target met in the period, and those never breached.")
class SlaAttainment:
    target: str
    finished: int
    met: int
    rate: float | None


@strawberry.type(description="Open tickets by the time since they were opened.")
class SupportBacklog:
    under_1_day: int
    days_1_to_3: int
    days_3_to_7: int
    over_7_days: int
    total: int


@strawberry.type(description="Survey answers of the period: CSAT (a share), NPS (-100 to 100).")
class SupportSatisfaction:
    answers: int
    csat: float | None = strawberry.field(description="Answers of 4 or 5 / answers.")
    nps: float | None = strawberry.field(description="% promoters (9-10) - % detractors (0-6).")
    promoters: int
    detractors: int
    low_sample: bool = strawberry.field(description="Fewer than 30 answers.")


@strawberry.type(description="One team's or agent's figures (both null: the whole tenant).")
class SupportMetricsGroup:
    team_id: strawberry.ID | None
    agent_id: strawberry.ID | None
    unassigned: bool = strawberry.field(
        description="Grouped, the tickets without a team (or assignee)."
    )
    first_reply: SupportDurations
    resolution: SupportDurations
    sla_attainment: list[SlaAttainment]
    reopened: int
    solved: int
    reopen_rate: float | None
    backlog: SupportBacklog
    satisfaction: SupportSatisfaction

    @classmethod
    def of(cls, group: metrics.GroupMetrics, by: metrics.GroupBy) -> SupportMetricsGroup:
        backlog, answers = group.backlog, group.satisfaction
        return cls(
            team_id=_global_id("SupportTeam", group.key) if by == metrics.GroupBy.TEAM else None,
            agent_id=_global_id("User", group.key) if by == metrics.GroupBy.AGENT else None,
            unassigned=by != metrics.GroupBy.NONE and group.key is None,
            first_reply=SupportDurations.of(group.first_reply),
            resolution=SupportDurations.of(group.resolution),
            sla_attainment=[
                SlaAttainment(target=a.target.value, finished=a.finished, met=a.met, rate=a.rate)
                for a in group.attainment
            ],
            reopened=group.reopened,
            solved=group.solved,
            reopen_rate=group.reopen_rate,
            backlog=SupportBacklog(
                under_1_day=backlog.under_1_day,
                days_1_to_3=backlog.days_1_to_3,
                days_3_to_7=backlog.days_3_to_7,
                over_7_days=backlog.over_7_days,
                total=backlog.total,
            ),
            satisfaction=SupportSatisfaction(
                answers=answers.answers,
                csat=answers.csat,
                nps=answers.nps,
                promoters=answers.promoters,
                detractors=answers.detractors,
                low_sample=answers.low_sample,
            ),
        )


@strawberry.type
class SupportMetricsResult:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    as_of: datetime = strawberry.field(description="When the backlog was counted.")
    group_by: GroupBy
    groups: list[SupportMetricsGroup]


@strawberry.type
class SatisfactionQuery:
    @strawberry.field(
        extensions=[requires(PUBLIC)],
        description="Whether a survey link can still be answered (no login; rate limited).",
    )
    async def survey(self, info: Info, token: str) -> SurveyStatus:
        await _throttle(info, _client(info), CLIENT_BURST)
        now = datetime.now(UTC)
        try:
            parts = surveys.verify(_secret(info), token)
            with tenant_scope(parts.tenant_id):
                survey, ticket = await surveys.find(parts)
        except SurveyUnavailable:
            return SurveyStatus(answerable=False)
        if not surveys.answerable(survey, now):
            return SurveyStatus(answerable=False)
        return SurveyStatus(
            answerable=True,
            ticket_number=ticket.number,
            subject=ticket.subject,
            expires_at=survey.expires_at,
        )

    @strawberry.field(
        extensions=[requires(WRITE)],
        description="A ticket's satisfaction survey and its link token (null until solved).",
    )
    async def ticket_survey(self, info: Info, ticket_id: strawberry.ID) -> TicketSurveyNode | None:
        survey = await surveys.of_ticket(decode_id(ticket_id, "Ticket", "ticketId"))
        if survey is None:
            return None
        token = surveys.token_for(_secret(info), survey)
        return TicketSurveyNode.from_model(survey, token, datetime.now(UTC))

    @strawberry.field(
        extensions=[requires(READ)],
        description="First-reply and resolution times, SLA attainment, reopen rate, backlog, "
        "CSAT and NPS over a period, per team, per agent or for the whole tenant.",
    )
    async def support_metrics(
        self, period: SupportPeriodInput, group_by: GroupBy = GroupBy.NONE
    ) -> SupportMetricsResult:
        by = metrics.GroupBy(group_by.value)
        found = await metrics.support_metrics(period.from_, period.to, by, now=datetime.now(UTC))
        return SupportMetricsResult(
            from_=found.start,
            to=found.stop,
            as_of=found.now,
            group_by=group_by,
            groups=[SupportMetricsGroup.of(group, by) for group in found.groups],
        )


@strawberry.type
class SatisfactionMutation:
    @strawberry.mutation(
        extensions=[requires(PUBLIC)],
        description="Answer a solved ticket's satisfaction survey with its link's token (no "
        "login; once; rate limited). `SURVEY_UNAVAILABLE` for a link that is not valid, "
        "expired or answered already.",
    )
    async def answer_survey(self, info: Info, input: AnswerSurveyInput) -> AnswerSurveyPayload:
        await _throttle(info, _client(info), CLIENT_BURST)
        parts = surveys.verify(_secret(info), input.token)
        await _throttle(info, f"survey:{parts.survey_id}", TOKEN_BURST)
        with tenant_scope(parts.tenant_id):
            await surveys.answer(parts, input.csat, input.nps, input.comment, datetime.now(UTC))
        return AnswerSurveyPayload(answered=True)


__all__ = ["SatisfactionMutation", "SatisfactionQuery"]
