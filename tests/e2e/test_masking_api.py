"""Personal data in GraphQL answers follows the tenant's masking rules."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from merchantops.domain.suppliers import service as suppliers
from merchantops.rules import templates
from merchantops.rules.evaluation import MaskingPolicies
from merchantops.tenants import outbox
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import User
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_onboarded_shop, make_shop
from tests.support.receiver import receiver

MEMBERS = "{ members { edges { node { user { email fullName } } } } }"


async def _emails(gql: GraphQLClient, email: str) -> dict[str, object]:
    token = (await gql.login(email, PASSWORD))["accessToken"]
    body = await gql.execute(MEMBERS, token=token, tenant="acme")
    return {
        edge["node"]["user"]["email"]: edge["node"]["user"]["fullName"]
        for edge in body["data"]["members"]["edges"]
    }


async def test_member_emails_are_partial_for_a_warehouse_manager_and_clear_for_service(
    gql: GraphQLClient,
) -> None:
    # given: the standard masking template, a warehouse manager and a service manager
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await templates.install()
    await add_member(shop, "stock@acme.example.com", ["warehouse-manager"])
    await add_member(shop, "care@acme.example.com", ["customer-service-manager"])

    # when
    warehouse = await _emails(gql, "stock@acme.example.com")
    service = await _emails(gql, "care@acme.example.com")

    # then: the warehouse sees only its own address in full
    assert "stock@acme.example.com" in warehouse
    assert "owner@acme.example.com" not in warehouse
    assert "o********************m" in warehouse
    assert set(service) == {
        "owner@acme.example.com",
        "stock@acme.example.com",
        "care@acme.example.com",
    }


async def test_without_a_masking_rule_personal_data_is_redacted(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")  # no rule sets installed: defaults apply
    await add_member(shop, "stock@acme.example.com", ["warehouse-manager"])

    seen = await _emails(gql, "stock@acme.example.com")

    assert set(seen) == {"[redacted]", "stock@acme.example.com"}


async def test_own_record_is_never_masked_outside_or_inside_a_tenant(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]

    me = await gql.execute("{ me { user { email } } }", token=token, tenant="acme")

    assert me["data"]["me"]["user"]["email"] == shop.email


async def test_audit_diffs_mask_personal_data_for_roles_without_the_duty(
    gql: GraphQLClient,
) -> None:
    # given: a member added through the API, so the audit diff holds their email
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await templates.install()
    await add_member(shop, "audit@acme.example.com", ["auditor"])
    await add_member(shop, "officer@acme.example.com", ["compliance-officer"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    await gql.execute(
        'mutation { addMember(input: {email: "new.hire@acme.example.com"}) { errors { code } } }',
        token=owner,
        tenant="acme",
    )
    log = '{ auditLog(filter: {action: "member.add"}) { edges { node { diff } } } }'

    # when
    auditor = (await gql.login("audit@acme.example.com", PASSWORD))["accessToken"]
    officer = (await gql.login("officer@acme.example.com", PASSWORD))["accessToken"]
    as_auditor = await gql.execute(log, token=auditor, tenant="acme")
    as_officer = await gql.execute(log, token=officer, tenant="acme")

    # then
    seen_by_auditor = as_auditor["data"]["auditLog"]["edges"][0]["node"]["diff"]["after"]
    seen_by_officer = as_officer["data"]["auditLog"]["edges"][0]["node"]["diff"]["after"]
    assert seen_by_auditor["email"] == "n***********************m"
    assert seen_by_officer["email"] == "new.hire@acme.example.com"


async def test_the_masking_table_is_looked_up_once_per_request(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_onboarded_shop("acme")
    for n in range(5):
        await add_member(shop, f"m{n}@acme.example.com", ["warehouse-staff"])
    lookups = 0
    real = MaskingPolicies.table

    async def counting(self: MaskingPolicies, tenant_id: Any, rules_version: Any = None) -> Any:
        nonlocal lookups
        lookups += 1
        return await real(self, tenant_id, rules_version)

    monkeypatch.setattr(MaskingPolicies, "table", counting)

    seen = await _emails(gql, shop.email)

    assert len(seen) == 6
    assert lookups == 1


CONTACTS = "{ suppliers { edges { node { contacts { fullName email phone } } } } }"
EXPORT = """mutation { requestDataExport(input: {dataset: SUPPLIER_CONTACTS}) {
  export { id status classification } approvalRequest { id role } errors { code } } }"""
APPROVE = """mutation($id: ID!) { approveRequest(input: {id: $id}) {
  approvalRequest { status } errors { code message } } }"""
EXPORTS = "{ dataExports { edges { node { status rowCount rows } } } }"
ADD_CONTACT = """mutation($id: ID!) { addSupplierContact(input: {supplierId: $id, contact: {
  fullName: "Dana Reyes", email: "dana.reyes@lakeside.example", phone: "+1 555 0100 234"}})
  { errors { code } } }"""


async def test_a_masked_field_stays_masked_through_graphql_an_export_and_a_webhook(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    # given: a supplier, a warehouse manager, a compliance officer, a partner's webhook
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        supplier = await suppliers.create_supplier("SUP-1", "Lakeside Mills")
    await add_member(shop, "stock@acme.example.com", ["warehouse-manager"])
    await add_member(shop, "officer@acme.example.com", ["compliance-officer"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    stock = (await gql.login("stock@acme.example.com", PASSWORD))["accessToken"]
    officer = (await gql.login("officer@acme.example.com", PASSWORD))["accessToken"]
    supplier_id = base64.b64encode(f"Supplier:{supplier.id}".encode()).decode()

    with receiver() as hook:
        await gql.execute(
            "mutation($u: String!) { createWebhookSubscription(input: {url: $u, eventTypes: "
            '["supplier.contact_added"]}) { errors { code } } }',
            {"u": hook.url},
            token=owner,
            tenant="acme",
        )
        # when: the owner adds a contact, the warehouse manager reads and exports contacts
        await gql.execute(ADD_CONTACT, {"id": supplier_id}, token=owner, tenant="acme")
        seen = await gql.execute(CONTACTS, token=stock, tenant="acme")
        asked = (await gql.execute(EXPORT, token=stock, tenant="acme"))["data"]
        request = asked["requestDataExport"]["approvalRequest"]
        approved = await gql.execute(APPROVE, {"id": request["id"]}, token=officer, tenant="acme")
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
    exported = await gql.execute(EXPORTS, token=stock, tenant="acme")
    officer_view = await gql.execute(EXPORTS, token=officer, tenant="acme")

    # then: the personal data is masked on every way out
    [contact] = seen["data"]["suppliers"]["edges"][0]["node"]["contacts"]
    assert contact == {"fullName": "D********s", "email": "d*************************e",
                       "phone": "+*************4"}  # fmt: skip
    assert asked["requestDataExport"]["export"]["status"] == "AWAITING_APPROVAL"
    assert request["role"] == "compliance-officer"
    assert approved["data"]["approveRequest"]["approvalRequest"]["status"] == "APPROVED"
    [export] = [edge["node"] for edge in exported["data"]["dataExports"]["edges"]]
    assert (export["status"], export["rowCount"]) == ("DONE", 1)
    assert export["rows"] == [
        {
            "supplier": "SUP-1",
            "title": "",
            "full_name": contact["fullName"],
            "email": contact["email"],
            "phone": contact["phone"],
        }
    ]
    assert officer_view["data"]["dataExports"]["edges"][0]["node"]["rows"] is None
    [message] = hook.received
    body = json.loads(message.body)["data"]
    assert (body["full_name"], body["email"], body["phone"]) == (
        contact["fullName"],
        contact["email"],
        contact["phone"],
    )
    assert b"dana.reyes" not in message.body


EXPORT_MEMBERS = """mutation { requestDataExport(input: {dataset: MEMBERS}) {
  approvalRequest { id } errors { code } } }"""


async def test_members_export_shows_the_requester_their_own_record_and_masks_the_others(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    # given: the standard template (contact data partial for a warehouse manager), a
    # compliance officer to approve the export, and a partner's webhook
    shop = await make_onboarded_shop("acme")
    stock = await add_member(shop, "stock@acme.example.com", ["warehouse-manager"])
    await User.filter(id=stock.id).update(full_name="Sam Stock")
    await add_member(shop, "officer@acme.example.com", ["compliance-officer"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    requester = (await gql.login(stock.email, PASSWORD))["accessToken"]
    officer = (await gql.login("officer@acme.example.com", PASSWORD))["accessToken"]

    with receiver() as hook:
        await gql.execute(
            "mutation($u: String!) { createWebhookSubscription(input: {url: $u, eventTypes: "
            '["member.added"]}) { errors { code } } }',
            {"u": hook.url},
            token=owner,
            tenant="acme",
        )
        with tenant_scope(shop.tenant.id):  # an event carrying the requester's own data
            await outbox.emit(
                "member.added",
                {"user": str(stock.id), "email": stock.email, "full_name": "Sam Stock"},
            )
        # when: the warehouse manager exports the members, and compliance approves
        asked = (await gql.execute(EXPORT_MEMBERS, token=requester, tenant="acme"))["data"]
        request = asked["requestDataExport"]["approvalRequest"]
        await gql.execute(APPROVE, {"id": request["id"]}, token=officer, tenant="acme")
        for _ in range(2):
            await relay_outbox(jobs, jobs.policy)
            await jobs.drain()
    exported = await gql.execute(EXPORTS, token=requester, tenant="acme")
    seen = await _emails(gql, stock.email)

    # then: the requester's own row in full, the others masked as GraphQL masks them for them
    [export] = [edge["node"] for edge in exported["data"]["dataExports"]["edges"]]
    assert export["rows"] == [
        {"email": "o**********************m", "full_name": ""},
        {"email": "o********************m", "full_name": ""},
        {"email": "stock@acme.example.com", "full_name": "Sam Stock"},
    ]
    assert seen == {
        "o**********************m": "",
        "o********************m": "",
        "stock@acme.example.com": "Sam Stock",
    }
    # the webhook goes to partners, not to the requester: their data stays masked there
    [message] = hook.received
    body = json.loads(message.body)["data"]
    assert (body["email"], body["full_name"]) == ("s********************m", "S*******k")
    assert b"stock@acme" not in message.body
