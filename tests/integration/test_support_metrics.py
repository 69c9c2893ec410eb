"""Customer service's figures on both databases, computed in SQL: generated clocks and survey
answers against a reference in Python (`statistics`' inclusive quantiles are the same linear
interpolation as `percentile_cont`), hand-picked cases, and a desk driven through the
services (replies, solving, reopening, answering)."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merchantops.domain.support import metrics, surveys, tickets
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.metrics import GroupBy
from merchantops.domain.support.models import SlaClock, SupportTeam, SurveyResponse, Ticket
from merchantops.domain.support.policies import Channel, TicketStatus, TicketType
from merchantops.domain.support.tickets import MessageSpec
from merchantops.errors import InvalidInput
from merchantops.tenants.context import actor_scope, tenant_scope
from tests.factories import make_shop
from tests.helpdesk import MONDAY, make_desk, ticket_spec

pytestmark = pytest.mark.usefixtures("db")
START, STOP = MONDAY, MONDAY + timedelta(days=7)
INSIDE, OUTSIDE = MONDAY + timedelta(days=1), MONDAY - timedelta(days=1)
_shops = itertools.count()


@dataclass
class Seeded:
    tenant: UUID
    teams: list[UUID | None]
    numbers: itertools.count[int]


async def _seed() -> Seeded:
    """A fresh tenant with teams A and B (and None: no team); use it in its tenant_scope."""
    shop = await make_shop(f"metrics{next(_shops)}")
    with tenant_scope(shop.tenant.id):
        a = await SupportTeam.create(name="A")
        b = await SupportTeam.create(name="B")
    return Seeded(shop.tenant.id, [a.id, b.id, None], itertools.count(1))


async def _ticket(seeded: Seeded, team: UUID | None, **values: Any) -> Ticket:
    return await Ticket.create(
        number=next(seeded.numbers),
        subject="Generated",
        type=TicketType.INQUIRY,
        channel=Channel.EMAIL,
        status=values.pop("status", TicketStatus.SOLVED),
        team_id=team,
        assignee_id=values.pop("assignee_id", None),
        **values,
    )


async def _clock(
    seeded: Seeded, team: UUID | None, target: Target, spent: int, met_at: datetime, breached: bool
) -> None:
    ticket = await _ticket(seeded, team)
    await SlaClock.create(
        ticket_id=ticket.id,
        target=target,
        goal_minutes=60,
        started_at=met_at - timedelta(seconds=spent),
        spent_seconds=spent,
        met_at=met_at,
        breached_at=met_at if breached else None,
    )


async def _answer(
    seeded: Seeded, team: UUID | None, csat: int, nps: int, at: datetime, agent: UUID | None = None
) -> None:
    ticket = await _ticket(seeded, team)
    await SurveyResponse.create(
        ticket_id=ticket.id,
        nonce=uuid4().hex,
        sent_at=at - timedelta(hours=1),
        expires_at=at + timedelta(days=14),
        answered_at=at,
        csat=csat,
        nps=nps,
        team_id=team,
        assignee_id=agent,
    )


def _quantiles(values: list[int]) -> tuple[float, float]:
    if len(values) == 1:
        return float(values[0]), float(values[0])
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return float(statistics.median(values)), float(cuts[8])


CLOCK = st.tuples(
    st.integers(0, 2),  # team A, B or none
    st.sampled_from([Target.FIRST_REPLY, Target.RESOLUTION]),
    st.integers(0, 2_000_000),  # working seconds spent
    st.booleans(),  # met inside the period
    st.booleans(),  # breached
)
ANSWER = st.tuples(st.integers(0, 2), st.integers(1, 5), st.integers(0, 10), st.booleans())


@pytest.mark.timeout(600)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(clocks=st.lists(CLOCK, max_size=14), answers=st.lists(ANSWER, max_size=14))
async def test_generated_figures_equal_the_reference(
    clocks: list[tuple[int, Target, int, bool, bool]],
    answers: list[tuple[int, int, int, bool]],
) -> None:
    seeded = await _seed()
    with tenant_scope(seeded.tenant):
        for team, target, spent, inside, breached in clocks:
            met = INSIDE + timedelta(minutes=len(target)) if inside else OUTSIDE
            await _clock(seeded, seeded.teams[team], target, spent, met, breached)
        for team, csat, nps, inside in answers:
            await _answer(seeded, seeded.teams[team], csat, nps, INSIDE if inside else OUTSIDE)

        for by in (GroupBy.TEAM, GroupBy.NONE):
            found = await metrics.support_metrics(START, STOP, by, now=STOP)
            _check(found, by, seeded.teams, clocks, answers)


def _check(
    found: metrics.SupportMetrics,
    by: GroupBy,
    teams: list[UUID | None],
    clocks: list[tuple[int, Target, int, bool, bool]],
    answers: list[tuple[int, int, int, bool]],
) -> None:
    """The figures against the reference computed here from the generated rows."""

    def key_of(team: int) -> UUID | None:
        return teams[team] if by == GroupBy.TEAM else None

    groups = {g.key: g for g in found.groups}
    keys = {key_of(c[0]) for c in clocks if c[3]} | {key_of(a[0]) for a in answers if a[3]}
    assert set(groups) == (keys if by == GroupBy.TEAM else {None})
    for key, group in groups.items():
        attained = {a.target: a for a in group.attainment}
        for target, durations in (
            (Target.FIRST_REPLY, group.first_reply),
            (Target.RESOLUTION, group.resolution),
        ):
            mine = [c for c in clocks if c[3] and c[1] == target and key_of(c[0]) == key]
            spent = sorted(c[2] for c in mine)
            assert durations.count == len(spent)
            if spent:
                p50, p90 = _quantiles(spent)
                assert durations.p50 == pytest.approx(p50, abs=1e-6)
                assert durations.p90 == pytest.approx(p90, abs=1e-6)
                assert attained[target].finished == len(mine)
                assert attained[target].met == sum(1 for c in mine if not c[4])
            else:
                assert durations.p50 is None
                assert target not in attained
        given_ = [a for a in answers if a[3] and key_of(a[0]) == key]
        satisfaction = group.satisfaction
        assert satisfaction.answers == len(given_)
        if given_:
            satisfied = sum(1 for a in given_ if a[1] >= 4)
            promoters = sum(1 for a in given_ if a[2] >= 9)
            detractors = sum(1 for a in given_ if a[2] <= 6)
            assert satisfaction.csat == pytest.approx(satisfied / len(given_))
            assert satisfaction.nps == pytest.approx(100 * (promoters - detractors) / len(given_))
        else:
            assert satisfaction.csat is None
            assert satisfaction.nps is None
        assert satisfaction.low_sample is (len(given_) < 30)


async def test_hand_picked_percentiles_and_scores() -> None:
    seeded = await _seed()
    with tenant_scope(seeded.tenant):
        team = seeded.teams[0]
        for spent in (4, 1, 3, 2):
            await _clock(seeded, team, Target.FIRST_REPLY, spent, INSIDE, breached=spent == 4)
        await _clock(seeded, team, Target.RESOLUTION, 7, INSIDE, breached=False)
        for csat, nps in ((5, 10), (4, 9), (3, 8), (2, 7), (1, 6), (5, 0)):
            await _answer(seeded, team, csat, nps, INSIDE)

        (group,) = (await metrics.support_metrics(START, STOP, GroupBy.NONE, now=STOP)).groups
        assert group.key is None
        assert (group.first_reply.count, group.first_reply.p50, group.first_reply.p90) == (
            4,
            2.5,
            3.7,
        )
        assert (group.resolution.p50, group.resolution.p90) == (7.0, 7.0)
        first_reply, resolution = group.attainment
        assert (first_reply.target, first_reply.finished, first_reply.met) == (
            Target.FIRST_REPLY,
            4,
            3,
        )
        assert first_reply.rate == 0.75
        assert resolution.rate == 1.0
        answers = group.satisfaction
        assert answers.csat == pytest.approx(3 / 6)
        assert answers.nps == 0.0  # two promoters, two detractors
        assert answers.low_sample


async def test_thirty_answers_are_enough_and_an_empty_period_has_no_shares() -> None:
    seeded = await _seed()
    with tenant_scope(seeded.tenant):
        for index in range(30):
            await _answer(seeded, None, 5, 10 if index < 20 else 3, INSIDE)
        (group,) = (await metrics.support_metrics(START, STOP, now=STOP)).groups
        assert group.satisfaction.nps == pytest.approx(100 * (20 - 10) / 30)
        assert not group.satisfaction.low_sample
        (empty,) = (await metrics.support_metrics(STOP, STOP + timedelta(days=1), now=STOP)).groups
        assert empty.satisfaction.csat is None
        assert empty.first_reply.p50 is None
        assert empty.reopen_rate is None
        assert empty.attainment == []


async def test_backlog_by_age_and_reopen_rate_per_agent() -> None:
    seeded = await _seed()
    with tenant_scope(seeded.tenant):
        agent, other = uuid4(), uuid4()
        now = STOP
        for hours in (1, 23, 25, 71, 73, 24 * 8):
            await _ticket(
                seeded, None, status=TicketStatus.OPEN, assignee_id=agent,
                created_at=now - timedelta(hours=hours),
            )  # fmt: skip
        await _ticket(seeded, None, status=TicketStatus.SOLVED, assignee_id=agent,
                      created_at=now - timedelta(days=30))  # fmt: skip
        # created in the period: solved twice reopened once, solved, reopened and open again
        solved = {"solved_at": INSIDE, "created_at": INSIDE}
        await _ticket(seeded, None, assignee_id=other, reopen_count=1, **solved)
        await _ticket(seeded, None, assignee_id=other, **solved)
        await _ticket(seeded, None, assignee_id=other, reopen_count=1, status=TicketStatus.OPEN,
                      created_at=INSIDE)  # fmt: skip

        found = await metrics.support_metrics(START, STOP, GroupBy.AGENT, now=now)
        groups = {g.key: g for g in found.groups}
        backlog = groups[agent].backlog
        assert (backlog.under_1_day, backlog.days_1_to_3, backlog.days_3_to_7) == (2, 2, 1)
        assert backlog.over_7_days == 1
        assert groups[other].reopened == 2
        assert groups[other].solved == 3
        assert groups[other].reopen_rate == pytest.approx(2 / 3)
        assert groups[other].backlog.days_3_to_7 == 1  # its reopened ticket, open six days


async def test_a_desk_through_the_services() -> None:
    desk = await make_desk()
    with tenant_scope(desk.shop.tenant.id), actor_scope("user:agent"):
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=MONDAY)).ticket
        # answered after 90 working minutes, solved at 11:00
        await tickets.add_message(
            ticket.id, MessageSpec("On it."), now=MONDAY + timedelta(minutes=90)
        )
        await tickets.set_status(ticket.id, TicketStatus.SOLVED, now=MONDAY + timedelta(hours=2))
        survey = await SurveyResponse.get(ticket_id=ticket.id)
        await surveys.answer(
            surveys.verify("k", surveys.token_for("k", survey)),
            5,
            9,
            "",
            MONDAY + timedelta(hours=3),
        )
        found = await metrics.support_metrics(START, STOP, GroupBy.TEAM, now=STOP)
        (group,) = found.groups
        assert group.key == desk.team.id
        assert group.first_reply.count == 1
        assert group.first_reply.p50 == 90 * 60
        assert [a.target for a in group.attainment] == [Target.FIRST_REPLY]
        assert group.attainment[0].rate == 1.0
        assert (group.solved, group.reopened) == (1, 0)
        assert group.satisfaction.csat == 1.0
        assert group.satisfaction.nps == 100.0

        with pytest.raises(InvalidInput) as refused:
            await metrics.support_metrics(STOP, START, now=STOP)
        assert refused.value.field == "period.to"


async def test_due_soon_finds_the_running_clocks_breaching_within_the_hour() -> None:
    seeded, other = await _seed(), await _seed()
    now = MONDAY
    ids = {}
    with tenant_scope(seeded.tenant):
        for name, due, breached in (
            ("late", now + timedelta(minutes=50), False),
            ("soon", now + timedelta(minutes=5), False),
            ("now", now, False),
            ("past", now - timedelta(minutes=1), False),
            ("after", now + timedelta(hours=1), False),
            ("breached", now + timedelta(minutes=10), True),
        ):
            ticket = await _ticket(seeded, None, status=TicketStatus.OPEN)
            clock = await SlaClock.create(
                ticket_id=ticket.id, target=Target.FIRST_REPLY, goal_minutes=60,
                started_at=now - timedelta(hours=1), running_since=now - timedelta(hours=1),
                due_at=due, breached_at=due if breached else None,
            )  # fmt: skip
            ids[clock.id] = name
    with tenant_scope(other.tenant):
        ticket = await _ticket(other, None, status=TicketStatus.OPEN)
        await SlaClock.create(
            ticket_id=ticket.id, target=Target.FIRST_REPLY, goal_minutes=60,
            started_at=now, due_at=now + timedelta(minutes=1),
        )  # fmt: skip
    with tenant_scope(seeded.tenant):
        found = await metrics.due_soon(now)
    assert [ids[c.id] for c in found] == ["now", "soon", "late"]
