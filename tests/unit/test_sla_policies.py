"""SLA policies: the first matching policy applies; the standard's policies every new tenant
starts with; stored documents read back to the same policy; bad documents are typed errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from merchantops.domain.support.clocks import Target
from merchantops.domain.support.policies import (
    STANDARD,
    Channel,
    Priority,
    Severity,
    TicketFacts,
    TicketType,
    applicable,
    parse_policy,
    policy_document,
)
from merchantops.errors import InvalidInput

facts = st.builds(
    TicketFacts,
    type=st.sampled_from(TicketType),
    priority=st.sampled_from(Priority),
    channel=st.sampled_from(Channel),
    severity=st.none() | st.sampled_from(Severity),
    customer_tags=st.frozensets(st.sampled_from(["vip", "b2b", "new"])),
)


@pytest.mark.parametrize(
    ("ticket", "policy", "first_reply_hours", "resolution_hours"),
    [
        (TicketFacts(TicketType.COMPLAINT, Priority.LOW, Channel.EMAIL, Severity.MAJOR), 0, 4, 48),
        (
            TicketFacts(TicketType.COMPLAINT, Priority.HIGH, Channel.CHAT, Severity.GENERAL),
            1,
            24,
            72,
        ),
        (TicketFacts(TicketType.RETURN, Priority.NORMAL, Channel.APP), 2, 24, 48),
        (TicketFacts(TicketType.INQUIRY, Priority.URGENT, Channel.PHONE), 3, 24, None),
    ],
)
def test_the_standards_policies_apply_in_order(
    ticket: TicketFacts, policy: int, first_reply_hours: int, resolution_hours: int | None
) -> None:
    chosen = applicable(STANDARD, ticket)

    assert chosen is STANDARD[policy]
    targets = chosen.targets_for(ticket.priority)
    assert targets[Target.FIRST_REPLY].minutes == first_reply_hours * 60
    resolution = targets.get(Target.RESOLUTION)
    assert (resolution.minutes // 60 if resolution else None) == resolution_hours
    assert chosen.escalate_at_once == (policy == 0)


@given(facts)
def test_every_ticket_gets_a_standard_policy_and_the_first_match_wins(ticket: TicketFacts) -> None:
    chosen = applicable(STANDARD, ticket)

    assert chosen is not None
    before = STANDARD[: STANDARD.index(chosen)]
    assert not any(policy.conditions.match(ticket) for policy in before)


@pytest.mark.parametrize("policy", STANDARD)
def test_a_stored_policy_reads_back_the_same(policy: object) -> None:
    assert parse_policy(policy_document(policy)) == policy  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"name": ""}, "policy.name"),
        ({"name": "x", "conditions": {"types": ["QUESTION"]}}, "policy.conditions.types"),
        ({"name": "x", "targets": {"SOON": {}}}, "policy.targets.SOON"),
        (
            {"name": "x", "targets": {"LOW": {"FIRST_REPLY": {"minutes": 0}}}},
            "policy.targets.LOW.FIRST_REPLY.minutes",
        ),
        (
            {
                "name": "x",
                "targets": {"LOW": {"FIRST_REPLY": {"minutes": 5, "pause_on": ["LATER"]}}},
            },
            "policy.targets.LOW.FIRST_REPLY.pause_on",
        ),
    ],
)
def test_bad_policies_are_typed_errors(document: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_policy(document)
    assert refused.value.field == field
