"""Tenant admins run their organisation through GraphQL."""

from __future__ import annotations

import base64
from typing import Any

from merchantops.tenants.models import User
from merchantops.tenants.rbac import load_policy
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_shop

MEMBERS = "{ members { edges { node { id roles user { id } department { slug } } } } }"


async def _login(gql: GraphQLClient, email: str) -> str:
    return str((await gql.login(email, PASSWORD))["accessToken"])


async def _member_id(gql: GraphQLClient, token: str, email: str) -> str:
    # by user id: other members' emails may be masked for the caller
    user = await User.get(email=email)
    wanted = base64.b64encode(f"User:{user.id}".encode()).decode()
    body = await gql.execute(MEMBERS, token=token, tenant="acme")
    for edge in body["data"]["members"]["edges"]:
        if edge["node"]["user"]["id"] == wanted:
            return str(edge["node"]["id"])
    raise AssertionError(f"{email} is not a member")


async def test_role_assignment_is_in_force_on_the_next_request(gql: GraphQLClient) -> None:
    # given: a clerk without roles cannot read roles
    shop = await make_shop("acme")
    await add_member(shop, "clerk@acme.example.com")
    owner = await _login(gql, shop.email)
    clerk = await _login(gql, "clerk@acme.example.com")
    before = await gql.execute("{ roles { edges { node { slug } } } }", token=clerk, tenant="acme")

    # when: the owner makes the clerk a warehouse manager
    assigned = await gql.execute(
        'mutation($m: ID!) { assignRole(input: {memberId: $m, role: "warehouse-manager"}) '
        "{ member { roles } errors { code } } }",
        {"m": await _member_id(gql, owner, "clerk@acme.example.com")},
        token=owner,
        tenant="acme",
    )
    after = await gql.execute("{ roles { edges { node { slug } } } }", token=clerk, tenant="acme")

    # then
    assert before["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert assigned["data"]["assignRole"] == {
        "member": {"roles": ["warehouse-manager"]},
        "errors": [],
    }
    assert after["data"]["roles"]["edges"]


async def test_owner_builds_a_department_and_a_role_and_reads_them_back(
    gql: GraphQLClient,
) -> None:
    shop = await make_shop("acme")
    owner = await _login(gql, shop.email)

    department = (
        await gql.execute(
            'mutation { createDepartment(input: {slug: "b2b", name: "B2B Sales"}) '
            "{ department { id slug } errors { code } } }",
            token=owner,
            tenant="acme",
        )
    )["data"]["createDepartment"]["department"]
    role = (
        await gql.execute(
            """
            mutation($d: ID!) {
              createRole(input: {slug: "b2b-rep", name: "B2B Rep", departmentId: $d,
                                 permissions: [{object: "order", action: "read"}],
                                 inherits: ["marketing-staff"]}) {
                role { slug department { slug } permissions { object action } inherits
                       effectivePermissions { object action } }
                errors { field code message }
              }
            }
            """,
            {"d": department["id"]},
            token=owner,
            tenant="acme",
        )
    )["data"]["createRole"]

    assert role["errors"] == []
    created: dict[str, Any] = role["role"]
    assert created["department"] == {"slug": "b2b"}
    assert created["permissions"] == [{"object": "order", "action": "read"}]
    assert created["inherits"] == ["marketing-staff"]
    assert {"object": "campaign", "action": "write"} in created["effectivePermissions"]


async def test_unknown_permission_names_the_field(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    owner = await _login(gql, shop.email)

    payload = (
        await gql.execute(
            'mutation { createRole(input: {slug: "x", name: "X", '
            'permissions: [{object: "spaceship", action: "fly"}]}) { errors { field code } } }',
            token=owner,
            tenant="acme",
        )
    )["data"]["createRole"]

    assert payload["errors"] == [{"field": "permissions", "code": "INVALID_INPUT"}]


async def test_last_owner_removal_is_refused_with_a_code(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    owner = await _login(gql, shop.email)
    me = await _member_id(gql, owner, shop.email)

    payload = (
        await gql.execute(
            "mutation($m: ID!) { removeMember(input: {id: $m}) { deletedId errors { code } } }",
            {"m": me},
            token=owner,
            tenant="acme",
        )
    )["data"]["removeMember"]

    assert payload == {"deletedId": None, "errors": [{"code": "LAST_OWNER"}]}
    assert "owner" in (await load_policy(shop.tenant.id)).roles_of(f"user:{shop.owner.id}")


async def test_garbage_and_wrong_type_ids_are_refused_as_invalid_ids(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    owner = await _login(gql, shop.email)
    member_id = await _member_id(gql, owner, shop.email)

    for bad in ["not-base64!", member_id]:  # a Membership id where a Department id belongs
        body = await gql.execute(
            "mutation($d: ID!) { deleteDepartment(input: {id: $d}) { errors { field code } } }",
            {"d": bad},
            token=owner,
            tenant="acme",
        )
        assert body["data"] == {"deleteDepartment": None}
        assert body["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": "id"}


async def test_member_department_can_be_set_and_cleared(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    owner = await _login(gql, shop.email)
    me = await _member_id(gql, owner, shop.email)
    departments = await gql.execute(
        "{ departments { edges { node { id slug } } } }", token=owner, tenant="acme"
    )
    finance = next(
        e["node"]["id"] for e in departments["data"]["departments"]["edges"]
        if e["node"]["slug"] == "finance"
    )  # fmt: skip
    mutation = (
        "mutation($m: ID!, $d: ID) { setMemberDepartment(input: {memberId: $m, departmentId: $d})"
        " { member { department { slug } } } }"
    )

    set_ = await gql.execute(mutation, {"m": me, "d": finance}, token=owner, tenant="acme")
    cleared = await gql.execute(mutation, {"m": me, "d": None}, token=owner, tenant="acme")

    assert set_["data"]["setMemberDepartment"]["member"]["department"] == {"slug": "finance"}
    assert cleared["data"]["setMemberDepartment"]["member"]["department"] is None


async def test_deleting_a_department_keeps_its_members_and_roles_outside_any(
    gql: GraphQLClient,
) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "rep@acme.example.com")
    owner = await _login(gql, shop.email)
    department = (
        await gql.execute(
            'mutation { createDepartment(input: {slug: "b2b", name: "B2B Sales"}) '
            "{ department { id } } }",
            token=owner,
            tenant="acme",
        )
    )["data"]["createDepartment"]["department"]["id"]
    await gql.execute(
        'mutation($d: ID!) { createRole(input: {slug: "b2b-rep", name: "B2B Rep", '
        "departmentId: $d}) { errors { code } } }",
        {"d": department},
        token=owner,
        tenant="acme",
    )
    await gql.execute(
        "mutation($m: ID!, $d: ID) { setMemberDepartment(input: {memberId: $m, departmentId: $d})"
        " { errors { code } } }",
        {"m": await _member_id(gql, owner, "rep@acme.example.com"), "d": department},
        token=owner,
        tenant="acme",
    )

    deleted = await gql.execute(
        "mutation($d: ID!) { deleteDepartment(input: {id: $d}) { deletedId errors { code } } }",
        {"d": department},
        token=owner,
        tenant="acme",
    )
    roles = await gql.execute(
        "{ roles { edges { node { slug department { slug } } } } }", token=owner, tenant="acme"
    )
    members = await gql.execute(MEMBERS, token=owner, tenant="acme")

    assert deleted["data"]["deleteDepartment"] == {"deletedId": department, "errors": []}
    rep_role = [
        e["node"] for e in roles["data"]["roles"]["edges"] if e["node"]["slug"] == "b2b-rep"
    ]
    assert rep_role == [{"slug": "b2b-rep", "department": None}]
    assert [e["node"]["department"] for e in members["data"]["members"]["edges"]] == [None, None]
