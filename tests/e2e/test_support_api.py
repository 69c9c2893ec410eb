"""Customer service through the API: agents create, answer and solve tickets whose SLA clocks
show their states; the tickets breaching within the hour and the breached ones are found by
filter, escalations are visible with their times; typed errors (bad enums and ids, another
tenant's ids, the complaint's open loop one gap at a time, idempotency conflicts);
permissions; masking; a partner's idempotent creation with an API key; DataLoaders keep a
page's statements constant."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from merchantops.domain.support import escalation, tickets
from merchantops.domain.support.models import SlaClock, Ticket, TicketMessage
from merchantops.domain.support.policies import TicketType
from merchantops.domain.support.tickets import MessageSpec
from merchantops.rules import templates
from merchantops.tenants import api_keys
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.org import roles
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, principal
from tests.helpdesk import Desk, make_desk, ticket_spec
from tests.support.sql_count import counting_statements

ERRORS = "errors { field code message }"
CLOCK = """target goalMinutes businessHours pausedIn state dueAt warnAt remainingSeconds
  elapsedSeconds metAt breachedAt"""
TICKET = f"""id number subject type priority severity channel status concernsProduct
  requesterName requesterEmail assigneeId policyName escalationLevel reopenCount
  firstRepliedAt solvedAt rootCause correctiveAction confirmation createdAt
  customer {{ id name }} team {{ id name leadId }} sku {{ code }} lot {{ traceCode }}
  messages(first: 10) {{ totalCount edges {{ node {{ kind authorKind channel body }} }} }}
  slaClocks {{ {CLOCK} }}
  escalations {{ level reason target fromAssigneeId toAssigneeId createdAt }}
  articles {{ id title }}
  loopGaps {{ field message }}"""
CREATE = f"""mutation($input: CreateTicketInput!) {{ createTicket(input: $input) {{
  ticket {{ {TICKET} }} replayed {ERRORS} }} }}"""
MESSAGE = f"""mutation($input: AddTicketMessageInput!) {{ addTicketMessage(input: $input) {{
  message {{ id kind authorKind body }} ticket {{ status slaClocks {{ target state }} }}
  replayed {ERRORS} }} }}"""
STATUS = f"""mutation($id: ID!, $status: TicketStatus!) {{
  setTicketStatus(input: {{id: $id, status: $status}}) {{
  ticket {{ status solvedAt slaClocks {{ target state }} loopGaps {{ field }} }} {ERRORS} }} }}"""
GET = f"query($id: ID!) {{ ticket(id: $id) {{ {TICKET} }} }}"
LIST = """query($filter: TicketFilter, $sort: TicketSort, $first: Int) {
  tickets(filter: $filter, sort: $sort, first: $first) { totalCount edges { node {
  number subject status slaClocks { target state dueAt remainingSeconds } } } } }"""
POLICIES = f"""mutation($input: ReplaceSlaPoliciesInput!) {{ replaceSlaPolicies(input: $input) {{
  policies {{ position name conditions {{ types customerTags }}
  targets {{ priority target minutes businessHours pauseOn }} escalateAtOnce }} {ERRORS} }} }}"""
AGENT, LEAD, MARKETING, READER = "agent", "lead", "marketing", "reader"
HOUR = timedelta(hours=1)
README = Path(__file__).resolve().parents[2] / "README.md"


class Api:
    def __init__(self, gql: GraphQLClient, desk: Desk, tokens: dict[str, str]) -> None:
        self.gql, self.desk, self.tokens = gql, desk, tokens

    async def body(self, query: str, who: str = AGENT, **variables: Any) -> Any:
        return await self.gql.execute(query, variables, token=self.tokens[who], tenant="acme")

    async def data(self, query: str, who: str = AGENT, **variables: Any) -> Any:
        body = await self.body(query, who, **variables)
        assert "errors" not in body, body
        return body["data"]

    def input(self, **more: Any) -> dict[str, Any]:
        desk = self.desk
        return {
            "subject": "Where is my parcel?",
            "type": "INQUIRY",
            "channel": "EMAIL",
            "body": "I ordered last week and nothing came.",
            "requesterName": "Li Wei",
            "requesterEmail": "li.wei@example.com",
            "customerId": global_id("Customer", desk.customer.id),
            "teamId": global_id("SupportTeam", desk.team.id),
            "assigneeId": global_id("User", desk.agent.id),
            **more,
        }


async def _api(gql: GraphQLClient, slug: str = "acme") -> Api:
    desk = await make_desk(slug)
    shop = desk.shop
    with tenant_scope(shop.tenant.id):
        await templates.install()  # the standard masking rules
        await roles.create_role(
            await principal(shop), "ticket-reader", "Ticket reader", department_id=None,
            permissions=[("ticket", "read")], inherits=[],
        )  # fmt: skip
    await add_member(shop, f"ads@{slug}.example.com", ["marketing-staff"])
    await add_member(shop, f"reader@{slug}.example.com", ["ticket-reader"])
    tokens = {}
    for who, email in (
        (AGENT, f"agent@{slug}.example.com"),
        (LEAD, f"lead@{slug}.example.com"),
        (MARKETING, f"ads@{slug}.example.com"),
        (READER, f"reader@{slug}.example.com"),
        ("owner", shop.email),
    ):
        tokens[who] = (await gql.login(email, PASSWORD))["accessToken"]
    return Api(gql, desk, tokens)


def _states(ticket: dict[str, Any]) -> dict[str, str]:
    return {clock["target"]: clock["state"] for clock in ticket["slaClocks"]}


async def test_an_agent_creates_answers_and_solves_a_ticket_and_its_clocks_follow(
    gql: GraphQLClient,
) -> None:
    api = await _api(gql)

    created = (await api.data(CREATE, input=api.input(type="AFTER_SALES")))["createTicket"]
    assert created["errors"] == []
    ticket = created["ticket"]
    assert (ticket["number"], ticket["status"], ticket["channel"]) == (1, "NEW", "EMAIL")
    assert ticket["policyName"] == "Complex problems: answered in 24 h, resolved in 48 h"
    assert ticket["requesterEmail"] == "li.wei@example.com"  # the service sees it in full
    assert ticket["customer"]["name"] == "Li Wei"
    assert ticket["team"] == {
        "id": global_id("SupportTeam", api.desk.team.id),
        "name": "Front line",
        "leadId": global_id("User", api.desk.lead.id),
    }
    assert ticket["assigneeId"] == global_id("User", api.desk.agent.id)
    assert _states(ticket) == {"FIRST_REPLY": "RUNNING", "RESOLUTION": "RUNNING"}
    first = next(c for c in ticket["slaClocks"] if c["target"] == "FIRST_REPLY")
    assert (first["goalMinutes"], first["businessHours"], first["metAt"]) == (1440, False, None)
    assert 24 * 3600 - 120 < first["remainingSeconds"] <= 24 * 3600
    assert first["dueAt"] is not None
    assert first["warnAt"] is not None
    resolution = next(c for c in ticket["slaClocks"] if c["target"] == "RESOLUTION")
    assert resolution["pausedIn"] == ["ON_HOLD", "PENDING_CUSTOMER"]
    assert ticket["loopGaps"] == []
    assert ticket["messages"]["edges"][0]["node"] == {
        "kind": "PUBLIC",
        "authorKind": "CUSTOMER",
        "channel": "EMAIL",
        "body": "I ordered last week and nothing came.",
    }

    reply = {"ticketId": ticket["id"], "body": "We are on it."}
    replied = (await api.data(MESSAGE, input=reply))["addTicketMessage"]
    assert replied["errors"] == []
    assert replied["ticket"]["status"] == "OPEN"
    assert _states(replied["ticket"]) == {"FIRST_REPLY": "MET", "RESOLUTION": "RUNNING"}
    note = {"ticketId": ticket["id"], "body": "Courier says Tuesday.", "kind": "NOTE"}
    assert (await api.data(MESSAGE, input=note))["addTicketMessage"]["message"]["kind"] == "NOTE"

    waiting = await api.data(STATUS, id=ticket["id"], status="PENDING_CUSTOMER")
    assert _states(waiting["setTicketStatus"]["ticket"])["RESOLUTION"] == "PAUSED"
    customer = {"ticketId": ticket["id"], "body": "Still nothing.", "author": "CUSTOMER"}
    back = (await api.data(MESSAGE, input=customer))["addTicketMessage"]["ticket"]
    assert back["status"] == "OPEN"
    assert _states(back) == {"FIRST_REPLY": "MET", "NEXT_REPLY": "RUNNING", "RESOLUTION": "RUNNING"}

    solved = (await api.data(STATUS, id=ticket["id"], status="SOLVED"))["setTicketStatus"]
    assert solved["errors"] == []
    assert solved["ticket"]["status"] == "SOLVED"
    assert set(_states(solved["ticket"]).values()) == {"MET"}
    seen = (await api.data(GET, id=ticket["id"]))["ticket"]
    assert seen["messages"]["totalCount"] == 4
    assert [e["node"]["kind"] for e in seen["messages"]["edges"]] == [
        "PUBLIC",
        "PUBLIC",
        "NOTE",
        "PUBLIC",
    ]
    again = await api.data(STATUS, id=ticket["id"], status="NEW")
    assert again["setTicketStatus"]["errors"][0]["code"] == "INVALID_TICKET_TRANSITION"


async def test_tickets_breaching_within_the_hour_and_breached_ones_are_found(
    gql: GraphQLClient,
) -> None:
    api = await _api(gql)
    desk = api.desk
    now = datetime.now(UTC)
    with tenant_scope(desk.shop.tenant.id):
        await tickets.create_ticket(ticket_spec(desk, subject="Soon"), now=now - 23.5 * HOUR)
        await tickets.create_ticket(ticket_spec(desk, subject="Later"), now=now)
        answered = await tickets.create_ticket(
            ticket_spec(desk, subject="Answered"), now=now - 23.5 * HOUR
        )
        await tickets.add_message(answered.ticket.id, MessageSpec("Done."), now=now - HOUR)
        late = await tickets.create_ticket(ticket_spec(desk, subject="Late"), now=now - 25 * HOUR)
        clock = await SlaClock.get(ticket_id=late.ticket.id)
        assert clock.due_at is not None
        assert await escalation.fire(clock.id, clock.version, "breach", clock.due_at) == "breached"

    async def subjects(**variables: Any) -> list[str]:
        found = (await api.data(LIST, **variables))["tickets"]
        return [edge["node"]["subject"] for edge in found["edges"]]

    assert await subjects(filter={"breachingWithinMinutes": 60}) == ["Soon"]
    assert await subjects(filter={"breachingWithinMinutes": 20}) == []
    assert set(await subjects(filter={"breachingWithinMinutes": 25 * 60})) == {"Soon", "Later"}
    assert await subjects(filter={"breached": True}) == ["Late"]
    assert set(await subjects(filter={"breached": False})) == {"Soon", "Later", "Answered"}
    assert await subjects(sort={"field": "NEXT_DUE", "direction": "ASC"}) == [
        "Late",
        "Soon",
        "Later",
        "Answered",
    ]
    assert await subjects(sort={"field": "NUMBER", "direction": "ASC"}, first=2) == [
        "Soon",
        "Later",
    ]
    assert await subjects(filter={"search": "LATER"}) == ["Later"]

    seen = (await api.data(GET, id=global_id("Ticket", late.ticket.id)))["ticket"]
    [breached] = seen["slaClocks"]
    assert breached["state"] == "BREACHED"
    assert breached["remainingSeconds"] < -3000
    assert breached["breachedAt"] is not None
    [step] = seen["escalations"]
    assert (step["level"], step["reason"], step["target"]) == (
        "TEAM_LEAD",
        "SLA_BREACH",
        "FIRST_REPLY",
    )
    assert (step["fromAssigneeId"], step["toAssigneeId"]) == (
        global_id("User", desk.agent.id),
        global_id("User", desk.lead.id),
    )
    assert step["createdAt"].startswith(breached["breachedAt"][:16])
    assert seen["escalationLevel"] == "TEAM_LEAD"
    assert seen["assigneeId"] == global_id("User", desk.lead.id)
    mine = await subjects(filter={"assigneeId": global_id("User", desk.lead.id)})
    assert mine == ["Late"]
    # the README's example answers the same
    section = README.read_text().split("## Customer service", 1)[1]
    example = re.findall(r"```graphql\n(.*?)```", section, re.DOTALL)[0]
    edges = (await api.data(example))["tickets"]["edges"]
    assert [edge["node"]["subject"] for edge in edges] == ["Soon"]


async def test_bad_input_and_another_tenants_ids_are_typed_errors(gql: GraphQLClient) -> None:
    api = await _api(gql)
    other = await make_desk("globex")
    with tenant_scope(other.shop.tenant.id):
        theirs = (await tickets.create_ticket(ticket_spec(other))).ticket

    bad_enum = await api.body(CREATE, input=api.input(type="RANT"))
    assert bad_enum["data"] is None
    bad_id = await api.body(CREATE, input=api.input(customerId="not-an-id"))
    assert [e["extensions"] for e in bad_id["errors"]] == [
        {"code": "INVALID_ID", "field": "customerId"}
    ]
    for field, kind, pk in (
        ("customerId", "Customer", other.customer.id),
        ("teamId", "SupportTeam", other.team.id),
        ("skuId", "Sku", other.sku.id),
    ):
        refused = await api.data(CREATE, input=api.input(**{field: global_id(kind, pk)}))
        assert refused["createTicket"]["ticket"] is None
        assert [(e["field"], e["code"]) for e in refused["createTicket"]["errors"]] == [
            (field, "NOT_FOUND")
        ]
    stranger = api.input(assigneeId=global_id("User", other.agent.id))
    refused = (await api.data(CREATE, input=stranger))["createTicket"]["errors"]
    assert [(e["field"], e["code"]) for e in refused] == [("assigneeId", "NOT_A_MEMBER")]
    theirs_id = global_id("Ticket", theirs.id)
    assert (await api.data(GET, id=theirs_id))["ticket"] is None
    moved = (await api.data(STATUS, id=theirs_id, status="OPEN"))["setTicketStatus"]
    assert [(e["field"], e["code"]) for e in moved["errors"]] == [("id", "NOT_FOUND")]
    posted = await api.data(MESSAGE, input={"ticketId": theirs_id, "body": "Hi"})
    assert posted["addTicketMessage"]["errors"][0]["code"] == "NOT_FOUND"
    listed = await api.data(LIST, filter={"teamId": global_id("SupportTeam", other.team.id)})
    assert listed["tickets"]["edges"] == []
    window = await api.body(LIST, filter={"breachingWithinMinutes": -5})
    assert window["errors"][0]["extensions"] == {
        "code": "INVALID_INPUT",
        "field": "filter.breachingWithinMinutes",
    }

    # a product complaint is solved only with its loop closed: one error per gap
    complaint = api.input(type="COMPLAINT", concernsProduct=True, subject="Cracked mug")
    ticket = (await api.data(CREATE, input=complaint))["createTicket"]["ticket"]
    assert [gap["field"] for gap in ticket["loopGaps"]] == [
        "rootCause",
        "correctiveAction",
        "skuId",
        "confirmation",
    ]
    refused = (await api.data(STATUS, id=ticket["id"], status="SOLVED"))["setTicketStatus"]
    assert refused["ticket"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("rootCause", "COMPLAINT_LOOP_OPEN"),
        ("correctiveAction", "COMPLAINT_LOOP_OPEN"),
        ("skuId", "COMPLAINT_LOOP_OPEN"),
        ("confirmation", "COMPLAINT_LOOP_OPEN"),
    ]
    resolution = f"""mutation($input: RecordTicketResolutionInput!) {{
      recordTicketResolution(input: $input) {{ ticket {{ loopGaps {{ field }} sku {{ code }}
      lot {{ traceCode }} }} {ERRORS} }} }}"""
    recorded = await api.data(
        resolution,
        input={
            "ticketId": ticket["id"],
            "rootCause": "Packing too thin",
            "correctiveAction": "Double box",
            "lotId": global_id("Lot", api.desk.lot.id),
        },
    )
    assert recorded["recordTicketResolution"]["ticket"] == {
        "loopGaps": [{"field": "confirmation"}],
        "sku": {"code": "MUG-1"},
        "lot": {"traceCode": "LOT-acme-1"},
    }
    ask = f"""mutation($id: ID!) {{ requestResolutionConfirmation(input: {{ticketId: $id}}) {{
      ticket {{ status }} {ERRORS} }} }}"""
    assert (await api.data(ask, id=ticket["id"]))["requestResolutionConfirmation"]["ticket"] == {
        "status": "PENDING_CUSTOMER"
    }
    confirm = f"""mutation($id: ID!) {{ confirmResolution(input: {{ticketId: $id}}) {{
      ticket {{ status confirmation loopGaps {{ field }} }} {ERRORS} }} }}"""
    assert (await api.data(confirm, id=ticket["id"]))["confirmResolution"]["ticket"] == {
        "status": "SOLVED",
        "confirmation": "CONFIRMED",
        "loopGaps": [],
    }

    keyed = api.input(idempotencyKey="mail-1")
    assert (await api.data(CREATE, input=keyed))["createTicket"]["errors"] == []
    conflict = (await api.data(CREATE, input={**keyed, "subject": "Other"}))["createTicket"]
    assert [(e["field"], e["code"]) for e in conflict["errors"]] == [
        ("idempotencyKey", "IDEMPOTENCY_CONFLICT")
    ]


async def test_permissions_follow_the_customer_service_roles(gql: GraphQLClient) -> None:
    api = await _api(gql)

    for query, variables in ((LIST, {}), (CREATE, {"input": api.input()})):
        refused = await api.body(query, MARKETING, **variables)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    created = await api.body(CREATE, READER, input=api.input())
    assert created["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    policy: dict[str, Any] = {
        "name": "VIP: answered in 2 h",
        "conditions": {"customerTags": ["VIP"]},
        "targets": [
            {"priority": p, "target": "FIRST_REPLY", "minutes": 120, "businessHours": False}
            for p in ("LOW", "NORMAL", "HIGH", "URGENT")
        ],
    }
    refused = await api.body(POLICIES, AGENT, input={"policies": [policy]})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    team = (
        'mutation { createSupportTeam(input: {name: "Returns"}) { team { name } errors { code } } }'
    )
    assert (await api.body(team, AGENT))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await api.data(team, LEAD))["createSupportTeam"] == {
        "team": {"name": "Returns"},
        "errors": [],
    }

    bad = {**policy, "targets": [{**policy["targets"][0], "minutes": 0}]}
    answer = (await api.data(POLICIES, LEAD, input={"policies": [bad]}))["replaceSlaPolicies"]
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [
        ("policies.0.targets.LOW.FIRST_REPLY.minutes", "INVALID_INPUT")
    ]
    replaced = (await api.data(POLICIES, LEAD, input={"policies": [policy]}))["replaceSlaPolicies"]
    assert replaced["errors"] == []
    [stored] = replaced["policies"]
    assert stored["conditions"] == {"types": [], "customerTags": ["vip"]}
    assert stored["targets"][0] == {
        "priority": "LOW",
        "target": "FIRST_REPLY",
        "minutes": 120,
        "businessHours": False,
        "pauseOn": ["PENDING_CUSTOMER"],
    }
    # the desk's customer is tagged vip: the new policy applies
    ticket = (await api.data(CREATE, input=api.input()))["createTicket"]["ticket"]
    assert ticket["policyName"] == "VIP: answered in 2 h"
    assert ticket["slaClocks"][0]["goalMinutes"] == 120
    listed = await api.data("{ slaPolicies { name } supportTeams { name } }", READER)
    assert listed == {
        "slaPolicies": [{"name": "VIP: answered in 2 h"}],
        "supportTeams": [{"name": "Front line"}, {"name": "Returns"}],
    }
    settings = """mutation { updateSupportSettings(input: {warningShare: 0.5, autoCloseDays: 0})
      { settings { warningShare } errors { field code } } }"""
    answer = (await api.data(settings, LEAD))["updateSupportSettings"]
    assert answer["errors"] == [{"field": "autoCloseDays", "code": "INVALID_INPUT"}]


async def test_a_reader_without_the_duty_sees_requester_and_bodies_masked(
    gql: GraphQLClient,
) -> None:
    api = await _api(gql)
    ticket = (await api.data(CREATE, input=api.input()))["createTicket"]["ticket"]

    seen = (await api.data(GET, READER, id=ticket["id"]))["ticket"]
    assert seen["subject"] == "Where is my parcel?"
    assert seen["requesterEmail"] not in ("li.wei@example.com", None)
    assert seen["requesterName"] != "Li Wei"
    body = seen["messages"]["edges"][0]["node"]["body"]
    assert body != "I ordered last week and nothing came."
    clear = (await api.data(GET, LEAD, id=ticket["id"]))["ticket"]
    assert clear["requesterEmail"] == "li.wei@example.com"


async def test_a_partner_creates_tickets_and_messages_idempotently_with_an_api_key(
    gql: GraphQLClient,
) -> None:
    api = await _api(gql)
    shop = api.desk.shop
    with tenant_scope(shop.tenant.id):
        key = await api_keys.create_api_key(
            await principal(shop), "chat widget", "owner", ["ticket:read", "ticket:write"],
            expires_at=None,
        )  # fmt: skip
    headers = {"Authorization": f"Bearer {key.key}", "X-Tenant": "acme"}

    async def post(query: str, **variables: Any) -> Any:
        response = await gql.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        return response.json()["data"]

    chat = api.input(channel="CHAT", idempotencyKey="chat-42", assigneeId=None)
    first = (await post(CREATE, input=chat))["createTicket"]
    again = (await post(CREATE, input=chat))["createTicket"]
    assert first["errors"] == again["errors"] == []
    assert again["ticket"]["id"] == first["ticket"]["id"]
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert first["ticket"]["channel"] == "CHAT"
    message = {
        "ticketId": first["ticket"]["id"],
        "body": "Any news?",
        "author": "CUSTOMER",
        "idempotencyKey": "chat-42-m1",
    }
    posted = [(await post(MESSAGE, input=message))["addTicketMessage"] for _ in range(2)]
    assert posted[0]["message"]["id"] == posted[1]["message"]["id"]
    assert [p["replayed"] for p in posted] == [False, True]
    with tenant_scope(shop.tenant.id):
        assert await Ticket.all().count() == 1
        assert await TicketMessage.all().count() == 2


async def test_a_page_of_tickets_costs_the_same_statements_whatever_its_size(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await _api(gql)
    desk = api.desk
    now = datetime.now(UTC)
    with tenant_scope(desk.shop.tenant.id):
        for n in range(6):
            kind = TicketType.AFTER_SALES if n % 2 else TicketType.INQUIRY
            created = await tickets.create_ticket(
                ticket_spec(desk, type=kind, subject=f"T{n}", lot_id=desk.lot.id),
                now=now - n * HOUR,
            )
            await tickets.add_message(created.ticket.id, MessageSpec("On it."), now=now)
    page = (
        f"""query($first: Int) {{ tickets(first: $first) {{ edges {{ node {{ {TICKET} }} }} }} }}"""
    )

    counts = {}
    await api.data(page, first=1)  # warms the caller's policy and masking table
    for size in (2, 6):
        with counting_statements(monkeypatch) as seen:
            edges = (await api.data(page, first=size))["tickets"]["edges"]
        assert len(edges) == size
        assert all(edge["node"]["slaClocks"] for edge in edges)
        counts[size] = len(seen)
    assert counts[2] == counts[6]
