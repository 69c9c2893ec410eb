"""Auditors and owners read the trail through GraphQL; denials are in it too."""

from __future__ import annotations

from merchantops.tenants.global_ids import global_id
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_shop

LOG = """
query($f: AuditLogFilter) {
  auditLog(filter: $f, first: 20) {
    edges { node { seq actor action targetType targetId diff requestId } }
  }
}
"""


async def test_auditor_pages_and_filters_the_trail(gql: GraphQLClient) -> None:
    # given
    shop = await make_shop("acme")
    await add_member(shop, "audit@acme.example.com", ["auditor"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    create = await gql.post(
        'mutation { createDepartment(input: {slug: "b2b", name: "B2B"}) { errors { code } } }',
        token=owner,
        tenant="acme",
    )
    auditor = (await gql.login("audit@acme.example.com", PASSWORD))["accessToken"]

    # when
    body = await gql.execute(
        LOG, {"f": {"action": "department.create"}}, token=auditor, tenant="acme"
    )

    # then
    entries = [edge["node"] for edge in body["data"]["auditLog"]["edges"]]
    assert len(entries) == 1
    assert entries[0]["actor"] == f"user:{global_id('User', shop.owner.id)}"
    assert entries[0]["diff"] == {"before": None, "after": {"name": "B2B", "slug": "b2b"}}
    assert entries[0]["requestId"] == create.headers["x-request-id"]
    chain = await gql.execute(
        "{ auditChain { ok entries firstBrokenSeq } }", token=auditor, tenant="acme"
    )
    assert chain["data"]["auditChain"]["ok"] is True


async def test_permission_denial_is_recorded_and_the_auditor_cannot_write(
    gql: GraphQLClient,
) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "audit@acme.example.com", ["auditor"])
    auditor = (await gql.login("audit@acme.example.com", PASSWORD))["accessToken"]

    refused = await gql.execute(
        'mutation { createDepartment(input: {slug: "x", name: "X"}) { errors { code } } }',
        token=auditor,
        tenant="acme",
    )
    body = await gql.execute(
        LOG, {"f": {"action": "permission.denied"}}, token=auditor, tenant="acme"
    )

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    [entry] = [edge["node"] for edge in body["data"]["auditLog"]["edges"]]
    assert entry["targetType"] == "operation"
    assert entry["diff"]["after"] == {"permission": "department:write"}


async def test_staff_without_audit_rights_cannot_read_the_trail(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "clerk@acme.example.com", ["warehouse-staff"])
    clerk = (await gql.login("clerk@acme.example.com", PASSWORD))["accessToken"]

    body = await gql.execute(LOG, token=clerk, tenant="acme")

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_audit_and_approval_ids_are_global_ids_the_api_takes_back(gql: GraphQLClient) -> None:
    # given: a department created, so its entry names it
    shop = await make_shop("acme")
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    created = await gql.execute(
        'mutation { createDepartment(input: {slug: "b2b", name: "B2B"}) '
        "{ department { id } errors { code } } }",
        token=owner,
        tenant="acme",
    )
    department = created["data"]["createDepartment"]["department"]["id"]

    # when
    log = await gql.execute(LOG, {"f": {"targetId": department}}, token=owner, tenant="acme")
    by_actor = await gql.execute(
        LOG,
        {"f": {"actor": f"user:{global_id('User', shop.owner.id)}"}},
        token=owner,
        tenant="acme",
    )

    # then: the entry names the department by the id the API gave, and filters take it back
    [entry] = [edge["node"] for edge in log["data"]["auditLog"]["edges"]]
    assert entry["action"] == "department.create"
    assert {edge["node"]["action"] for edge in by_actor["data"]["auditLog"]["edges"]} >= {
        "department.create"
    }
    node = await gql.execute(
        "query($id: ID!) { node(id: $id) { id } }", {"id": department}, token=owner, tenant="acme"
    )
    assert node["data"]["node"] == {"id": department}
