"""Customers through the API: customer service creates, changes and finds them; marketing sees
them masked; a data-subject export and erasure; permissions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import AuditEntry
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_onboarded_shop

ERRORS = "errors { field code message }"
NODE = "id name email phone tags note erasedAt addresses { label recipient line1 city country }"
CREATE = f"""mutation($input: CreateCustomerInput!) {{
  createCustomer(input: $input) {{ customer {{ {NODE} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateCustomerInput!) {{
  updateCustomer(input: $input) {{ customer {{ {NODE} }} {ERRORS} }} }}"""
ADD_ADDRESS = f"""mutation($input: AddCustomerAddressInput!) {{
  addCustomerAddress(input: $input) {{ address {{ id isDefault }} {ERRORS} }} }}"""
LIST = """query($filter: CustomerFilter, $sort: CustomerSort, $first: Int, $after: String) {
  customers(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { node { name } } pageInfo { hasNextPage endCursor } } }"""
EXPORT = f"mutation($id: ID!) {{ exportCustomerData(input: {{id: $id}}) {{ document {ERRORS} }} }}"
ERASE = f"""mutation($id: ID!) {{ eraseCustomer(input: {{id: $id}}) {{
  customer {{ {NODE} }} approvalRequest {{ id }} {ERRORS} }} }}"""
SERVICE, MARKETING, WAREHOUSE = (
    "care@acme.example.com",
    "ads@acme.example.com",
    "stock@acme.example.com",
)


SHOPS: dict[str, UUID] = {}


class Caller:
    def __init__(self, gql: GraphQLClient, token: str) -> None:
        self.gql, self.token = gql, token

    async def body(self, query: str, **variables: Any) -> Any:
        return await self.gql.execute(query, variables, token=self.token, tenant="acme")

    async def data(self, query: str, **variables: Any) -> Any:
        body = await self.body(query, **variables)
        assert "errors" not in body, body
        return body["data"]


async def _callers(gql: GraphQLClient) -> dict[str, Caller]:
    shop = await make_onboarded_shop("acme")
    SHOPS["acme"] = shop.tenant.id
    await add_member(shop, SERVICE, ["customer-service-staff"])
    await add_member(shop, MARKETING, ["marketing-staff"])
    await add_member(shop, WAREHOUSE, ["warehouse-staff"])
    callers = {}
    for email in (SERVICE, MARKETING, WAREHOUSE):
        token = (await gql.login(email, PASSWORD))["accessToken"]
        callers[email] = Caller(gql, token)
    return callers


async def _create(caller: Caller, name: str, email: str, tags: list[str]) -> dict[str, Any]:
    answer = await caller.data(CREATE, input={"name": name, "email": email, "tags": tags})
    assert answer["createCustomer"]["errors"] == []
    return dict(answer["createCustomer"]["customer"])


async def _alice(caller: Caller) -> dict[str, Any]:
    alice = await _create(caller, "Alice Moreau", "alice@example.com", ["vip"])
    added = await caller.data(
        ADD_ADDRESS,
        input={
            "customerId": alice["id"],
            "address": {
                "label": "Home",
                "recipient": "Alice Moreau",
                "line1": "12 Rue des Lilas",
                "city": "Paris",
                "country": "fr",
            },
        },
    )
    assert added["addCustomerAddress"]["address"]["isDefault"] is True
    return alice


async def test_customer_service_creates_changes_and_finds_customers(gql: GraphQLClient) -> None:
    callers = await _callers(gql)
    care = callers[SERVICE]
    alice = await _alice(care)
    await _create(care, "Ben Okafor", "ben@example.com", ["wholesale"])
    await _create(care, "Chen Jing", "", ["vip", "newsletter"])

    updated = await care.data(
        UPDATE, input={"id": alice["id"], "phone": "+33 1 5550 0101", "tags": ["VIP", "b2b"]}
    )
    vips = await care.data(LIST, filter={"tag": "vip"}, sort={"field": "NAME", "direction": "ASC"})
    search = await care.data(LIST, filter={"search": "OKAF"})
    later = await care.data(LIST, filter={"createdAfter": "2999-01-01T00:00:00Z"})
    first_page = await care.data(LIST, first=2, sort={"field": "NAME", "direction": "ASC"})
    cursor = first_page["customers"]["pageInfo"]["endCursor"]
    second_page = await care.data(
        LIST, first=2, after=cursor, sort={"field": "NAME", "direction": "ASC"}
    )
    one = await care.data("query($id: ID!) { customer(id: $id) { name tags } }", id=alice["id"])

    customer = updated["updateCustomer"]["customer"]
    assert (customer["phone"], customer["tags"]) == ("+33 1 5550 0101", ["b2b", "vip"])
    assert customer["addresses"] == [
        {
            "label": "Home",
            "recipient": "Alice Moreau",
            "line1": "12 Rue des Lilas",
            "city": "Paris",
            "country": "FR",
        }
    ]
    assert [e["node"]["name"] for e in vips["customers"]["edges"]] == ["Alice Moreau", "Chen Jing"]
    assert [e["node"]["name"] for e in search["customers"]["edges"]] == ["Ben Okafor"]
    assert later["customers"]["edges"] == []
    names = [e["node"]["name"] for e in first_page["customers"]["edges"]]
    names += [e["node"]["name"] for e in second_page["customers"]["edges"]]
    assert names == ["Alice Moreau", "Ben Okafor", "Chen Jing"]
    assert first_page["customers"]["pageInfo"]["hasNextPage"] is True
    assert one["customer"] == {"name": "Alice Moreau", "tags": ["b2b", "vip"]}


async def test_bad_input_comes_back_as_typed_payload_errors(gql: GraphQLClient) -> None:
    callers = await _callers(gql)
    care = callers[SERVICE]
    alice = await _alice(care)

    bad_email = await care.data(CREATE, input={"name": "Bo", "email": "nope"})
    taken = await care.data(CREATE, input={"name": "Bo", "email": "ALICE@example.com"})
    bad_country = await care.data(
        ADD_ADDRESS,
        input={
            "customerId": alice["id"],
            "address": {"recipient": "A", "line1": "1 Rd", "city": "X", "country": "France"},
        },
    )
    bad_id = await care.body(UPDATE, input={"id": "not-an-id", "name": "x"})
    listed = await care.data(LIST)

    assert bad_email["createCustomer"]["errors"][0]["field"] == "email"
    assert bad_email["createCustomer"]["errors"][0]["code"] == "INVALID_INPUT"
    assert taken["createCustomer"]["errors"][0]["code"] == "ALREADY_EXISTS"
    [error] = bad_country["addCustomerAddress"]["errors"]
    assert (error["field"], error["code"]) == ("address.country", "INVALID_INPUT")
    assert bad_id["errors"][0]["extensions"]["code"] == "INVALID_ID"
    assert [e["node"]["name"] for e in listed["customers"]["edges"]] == ["Alice Moreau"]


async def test_marketing_sees_customers_masked_and_may_not_search_them(
    gql: GraphQLClient,
) -> None:
    callers = await _callers(gql)
    alice = await _alice(callers[SERVICE])
    query = f"query($id: ID!) {{ customer(id: $id) {{ {NODE} }} }}"

    seen = (await callers[MARKETING].data(query, id=alice["id"]))["customer"]
    clear = (await callers[SERVICE].data(query, id=alice["id"]))["customer"]
    searched = await callers[MARKETING].body(LIST, filter={"search": "alice"})

    assert clear["email"] == "alice@example.com"
    assert clear["addresses"][0]["line1"] == "12 Rue des Lilas"
    assert seen["name"] == "A**********u"
    assert "alice@" not in str(seen)
    assert "Lilas" not in str(seen)
    assert seen["addresses"][0]["city"] == "Paris"  # not personal on its own
    assert searched["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_export_then_erase_then_export_again(gql: GraphQLClient) -> None:
    callers = await _callers(gql)
    care = callers[SERVICE]
    alice = await _alice(care)

    exported = (await care.data(EXPORT, id=alice["id"]))["exportCustomerData"]
    erased = (await care.data(ERASE, id=alice["id"]))["eraseCustomer"]
    again = (await care.data(ERASE, id=alice["id"]))["eraseCustomer"]
    after = (await care.data(EXPORT, id=alice["id"]))["exportCustomerData"]
    listed = await care.data(LIST)
    with_erased = await care.data(LIST, filter={"includeErased": True})
    change = await care.data(UPDATE, input={"id": alice["id"], "name": "Alice"})

    document = exported["document"]
    assert document["customer"]["email"] == "alice@example.com"
    assert [a["line1"] for a in document["addresses"]] == ["12 Rue des Lilas"]
    assert [e["action"] for e in document["audit"]] == [
        "customer.created",
        "customer.address_added",
    ]
    customer = erased["customer"]
    assert (customer["name"], customer["email"], customer["tags"]) == ("Erased customer", "", [])
    assert customer["addresses"] == []
    assert customer["erasedAt"] is not None
    assert again["customer"]["erasedAt"] == customer["erasedAt"]
    assert erased["approvalRequest"] is None
    for personal in ("Alice", "alice@", "Lilas"):
        assert personal not in str(after), personal
    assert [e["action"] for e in after["document"]["audit"]] == [
        "customer.created",
        "customer.address_added",
        "customer.exported",
        "customer.erased",
    ]
    assert listed["customers"]["edges"] == []
    assert len(with_erased["customers"]["edges"]) == 1
    assert change["updateCustomer"]["errors"][0]["code"] == "CUSTOMER_ERASED"


async def test_roles_without_customer_permissions_are_refused(gql: GraphQLClient) -> None:
    callers = await _callers(gql)
    alice = await _alice(callers[SERVICE])
    stock, ads = callers[WAREHOUSE], callers[MARKETING]

    read = await stock.body(LIST)
    write = await ads.body(CREATE, input={"name": "Spam"})
    export = await ads.body(EXPORT, id=alice["id"])
    erase = await ads.body(ERASE, id=alice["id"])

    for body in (read, write, export, erase):
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert await _audit_actions() == [
        "customer.address_added",
        "customer.created",
    ]


async def _audit_actions() -> list[str]:
    with tenant_scope(SHOPS["acme"]):
        entries = await AuditEntry.filter(target_type="customer").order_by("action")
    return [entry.action for entry in entries]
