"""Business calendars through the API: an administrator keeps them, everyone reads them and
previews business time with them; bad input and other tenants' calendars are refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from merchantops.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, ensure_demo
from merchantops.domain.calendars import service as calendars
from merchantops.domain.calendars.demo import SERVICE_HOURS
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.models import AuditEntry
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_shop

ERRORS = "errors { field code message }"
NODE = "id name timeZone week holidayCountry isDefault holidays { date name working intervals }"
CREATE = f"""mutation($input: CreateBusinessCalendarInput!) {{
  createBusinessCalendar(input: $input) {{ calendar {{ {NODE} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateBusinessCalendarInput!) {{
  updateBusinessCalendar(input: $input) {{ calendar {{ {NODE} }} {ERRORS} }} }}"""
DELETE = f"""mutation($id: ID!) {{
  deleteBusinessCalendar(input: {{id: $id}}) {{ deletedId {ERRORS} }} }}"""
ADD_DAY = f"""mutation($input: AddCalendarHolidayInput!) {{
  addCalendarHoliday(input: $input) {{ holiday {{ id date name working }} {ERRORS} }} }}"""
REMOVE_DAY = f"""mutation($id: ID!) {{
  removeCalendarHoliday(input: {{id: $id}}) {{ deletedId {ERRORS} }} }}"""
DUE = f"""query($id: ID, $start: DateTime!, $minutes: Int!) {{
  businessTime(calendarId: $id, start: $start, minutes: $minutes) {{ due {ERRORS} }} }}"""
BETWEEN = f"""query($id: ID, $from: DateTime!, $to: DateTime!) {{
  businessTimeBetween(calendarId: $id, from: $from, to: $to) {{ seconds hours {ERRORS} }} }}"""
LIST = "{ businessCalendars { totalCount edges { node { name isDefault } } } }"
ONE = f"query($id: ID!) {{ businessCalendar(id: $id) {{ {NODE} }} }}"
README = Path(__file__).resolve().parents[2] / "README.md"
ADMIN, CLERK = "admin@acme.example.com", "clerk@acme.example.com"
SUPPORT = {
    "name": "Support",
    "timeZone": "Europe/Berlin",
    "week": [["08:00-12:00", "13:00-17:00", "18:00-22:00"]] * 5,
    "holidayCountry": "de",
    "holidaySubdivision": "BE",
}


class Caller:
    def __init__(self, gql: GraphQLClient, token: str) -> None:
        self.gql, self.token = gql, token

    async def body(self, query: str, **variables: Any) -> Any:
        return await self.gql.execute(query, variables, token=self.token, tenant="acme")

    async def data(self, query: str, **variables: Any) -> Any:
        body = await self.body(query, **variables)
        assert "errors" not in body, body
        return body["data"]


async def _callers(gql: GraphQLClient) -> tuple[Caller, Caller]:
    shop = await make_shop("acme")
    await add_member(shop, ADMIN, ["admin"])
    await add_member(shop, CLERK, ["warehouse-staff"])
    admin = (await gql.login(ADMIN, PASSWORD))["accessToken"]
    clerk = (await gql.login(CLERK, PASSWORD))["accessToken"]
    return Caller(gql, admin), Caller(gql, clerk)


async def test_an_admin_keeps_a_calendar_with_a_lunch_and_a_dinner_break_and_its_holidays(
    gql: GraphQLClient,
) -> None:
    # given
    admin, _ = await _callers(gql)

    # when
    created = (await admin.data(CREATE, input=SUPPORT))["createBusinessCalendar"]
    calendar = created["calendar"]
    day = await admin.data(
        ADD_DAY,
        input={"calendarId": calendar["id"], "date": "2026-06-01", "name": "Inventory"},
    )
    renamed = await admin.data(UPDATE, input={"id": calendar["id"], "name": "Support desk"})

    # then
    assert created["errors"] == []
    assert calendar["week"][0] == ["08:00-12:00", "13:00-17:00", "18:00-22:00"]
    assert calendar["week"][5:] == [[], []]
    assert calendar["holidayCountry"] == "DE"
    assert calendar["isDefault"] is True  # the tenant's first
    assert day["addCalendarHoliday"]["holiday"]["name"] == "Inventory"
    shown = renamed["updateBusinessCalendar"]["calendar"]
    assert shown["name"] == "Support desk"
    assert shown["holidays"] == [
        {"date": "2026-06-01", "name": "Inventory", "working": False, "intervals": []}
    ]
    listed = await admin.data(LIST)
    assert listed["businessCalendars"]["totalCount"] == 1


async def test_a_preview_counts_business_hours_across_breaks_holidays_and_a_dst_change(
    gql: GraphQLClient,
) -> None:
    admin, clerk = await _callers(gql)
    calendar = (await admin.data(CREATE, input=SUPPORT))["createBusinessCalendar"]["calendar"]

    # Friday 20 March 2026, 20:00 CET: two hours left that evening, then Monday 23 March.
    due = await clerk.data(DUE, id=calendar["id"], start="2026-03-20T19:00:00Z", minutes=300)
    # Friday 27 March 21:00 CET to Monday 30 March 10:00 CEST (clocks went forward on Sunday)
    span = await clerk.data(
        BETWEEN, id=calendar["id"], **{"from": "2026-03-27T20:00:00Z", "to": "2026-03-30T08:00:00Z"}
    )
    # 3 April 2026 is Good Friday and 6 April Easter Monday, public holidays in Berlin
    easter = await clerk.data(DUE, id=calendar["id"], start="2026-04-02T19:00:00Z", minutes=120)

    assert due["businessTime"] == {"due": "2026-03-23T10:00:00+00:00", "errors": []}
    assert span["businessTimeBetween"]["seconds"] == 3 * 3600
    assert span["businessTimeBetween"]["hours"] == 3.0
    assert easter["businessTime"]["due"] == "2026-04-07T07:00:00+00:00"


async def test_the_default_calendar_serves_a_preview_that_names_none(gql: GraphQLClient) -> None:
    admin, _ = await _callers(gql)

    answer = await admin.data(DUE, start="2026-06-05T17:00:00+02:00", minutes=60)

    # No calendar yet: office hours in UTC; Friday 15:00 UTC plus an hour.
    assert answer["businessTime"]["due"] == "2026-06-05T16:00:00+00:00"


async def test_bad_input_is_a_typed_error_in_the_payload_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    admin, _ = await _callers(gql)
    overlapping = {**SUPPORT, "week": [[], ["09:00-12:00", "11:00-14:00"]]}

    refused = (await admin.data(CREATE, input=overlapping))["createBusinessCalendar"]
    unknown = (await admin.data(CREATE, input={**SUPPORT, "timeZone": "Berlin"}))[
        "createBusinessCalendar"
    ]
    naive = await admin.data(DUE, start="2026-06-01T09:00:00", minutes=60)
    never = await admin.data(CREATE, input={"name": "Never", "week": []})
    nothing = await admin.data(
        DUE, id=never["createBusinessCalendar"]["calendar"]["id"], start="2026-06-01T09:00:00Z",
        minutes=1,
    )  # fmt: skip

    assert refused["calendar"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("week.1", "OVERLAPPING_INTERVALS")
    ]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        ("timeZone", "UNKNOWN_TIME_ZONE")
    ]
    assert [(e["field"], e["code"]) for e in naive["businessTime"]["errors"]] == [
        ("start", "INVALID_INPUT")
    ]
    assert nothing["businessTime"]["errors"][0]["code"] == "CALENDAR_HAS_NO_WORKING_TIME"
    listed = await admin.data(LIST)
    assert [edge["node"]["name"] for edge in listed["businessCalendars"]["edges"]] == ["Never"]


async def test_staff_read_and_preview_but_only_an_admin_changes_calendars(
    gql: GraphQLClient,
) -> None:
    admin, clerk = await _callers(gql)
    calendar = (await admin.data(CREATE, input=SUPPORT))["createBusinessCalendar"]["calendar"]

    read = await clerk.data(ONE, id=calendar["id"])
    changes = [
        await clerk.body(CREATE, input={**SUPPORT, "name": "Mine"}),
        await clerk.body(UPDATE, input={"id": calendar["id"], "name": "Mine"}),
        await clerk.body(DELETE, id=calendar["id"]),
        await clerk.body(ADD_DAY, input={"calendarId": calendar["id"], "date": "2026-06-02"}),
    ]

    assert read["businessCalendar"]["name"] == "Support"
    for body in changes:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    listed = await admin.data(LIST)
    assert listed["businessCalendars"]["totalCount"] == 1


async def test_a_holiday_is_removed_and_the_default_calendar_is_not_deleted(
    gql: GraphQLClient,
) -> None:
    admin, _ = await _callers(gql)
    calendar = (await admin.data(CREATE, input=SUPPORT))["createBusinessCalendar"]["calendar"]
    day = (await admin.data(ADD_DAY, input={"calendarId": calendar["id"], "date": "2026-06-01"}))[
        "addCalendarHoliday"
    ]["holiday"]

    removed = await admin.data(REMOVE_DAY, id=day["id"])
    kept = await admin.data(DELETE, id=calendar["id"])

    assert removed["removeCalendarHoliday"] == {"deletedId": day["id"], "errors": []}
    assert [e["code"] for e in kept["deleteBusinessCalendar"]["errors"]] == ["CALENDAR_IS_DEFAULT"]
    shown = await admin.data(ONE, id=calendar["id"])
    assert shown["businessCalendar"]["holidays"] == []


async def test_another_tenants_calendar_is_not_found(gql: GraphQLClient) -> None:
    admin, _ = await _callers(gql)
    globex = await make_shop("globex")
    with tenant_scope(globex.tenant.id):
        theirs = await calendars.create_calendar(calendars.CalendarSpec("Globex hours"))
        before = await AuditEntry.all().count()
    their_id = global_id("BusinessCalendar", theirs.id)

    shown = await admin.data(ONE, id=their_id)
    due = await admin.data(DUE, id=their_id, start="2026-06-01T09:00:00Z", minutes=60)
    changed = await admin.data(UPDATE, input={"id": their_id, "name": "Mine"})

    assert shown == {"businessCalendar": None}
    assert [(e["field"], e["code"]) for e in due["businessTime"]["errors"]] == [
        ("calendarId", "NOT_FOUND")
    ]
    assert changed["updateBusinessCalendar"]["errors"][0]["code"] == "NOT_FOUND"
    with tenant_scope(globex.tenant.id):
        assert (await calendars.get_calendar(theirs.id)).name == "Globex hours"
        assert await AuditEntry.all().count() == before


async def test_the_readme_example_answers_as_printed_on_the_demo_tenant(
    gql: GraphQLClient,
) -> None:
    # given: the demo tenant, whose default calendar is Shanghai's with CN holidays
    await ensure_demo()
    section = README.read_text().split("## Business calendars", 1)[1]
    query = re.findall(r"```graphql\n(.*?)```", section, re.DOTALL)[0]
    session = await gql.login(DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)

    # when
    answer = await gql.execute(query, token=session["accessToken"], tenant="demo")

    # then
    assert answer["data"]["businessTime"] == {"due": "2026-01-04T04:00:00+00:00", "errors": []}
    listed = await gql.execute(LIST, token=session["accessToken"], tenant="demo")
    names = {e["node"]["name"] for e in listed["data"]["businessCalendars"]["edges"]}
    assert names == {calendars.DEFAULT_NAME, SERVICE_HOURS.name}
