"""Platform admins create tenants, invite their first owners and suspend tenants."""

from __future__ import annotations

from merchantops.tenants.context import Crossing, across_tenants
from merchantops.tenants.models import Membership, Tenant, User
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_shop, make_user

CREATE = """
mutation($slug: String!, $name: String!, $owner: String!) {
  createTenant(input: {slug: $slug, name: $name, ownerEmail: $owner}) {
    tenant { slug name status }
    owner { email }
    invitationToken
    errors { field code message }
  }
}
"""
ACCEPT = """
mutation($token: String!, $password: String!) {
  acceptInvitation(input: {token: $token, password: $password, fullName: "Nia Owner"}) {
    user { email fullName }
    errors { field code message }
  }
}
"""


async def _admin_token(gql: GraphQLClient) -> str:
    await make_user("root@platform.example.com", platform_admin=True)
    return str((await gql.login("root@platform.example.com", PASSWORD))["accessToken"])


async def test_admin_creates_a_tenant_whose_invited_owner_can_then_log_in(
    gql: GraphQLClient,
) -> None:
    # given
    token = await _admin_token(gql)

    # when
    created = (
        await gql.execute(
            CREATE, {"slug": "nia-shop", "name": "Nia", "owner": "nia@example.com"}, token=token
        )
    )["data"]["createTenant"]
    accepted = (
        await gql.execute(
            ACCEPT, {"token": created["invitationToken"], "password": "a-fine-password"}
        )
    )["data"]["acceptInvitation"]
    replay = (
        await gql.execute(ACCEPT, {"token": created["invitationToken"], "password": "x" * 12})
    )["data"]["acceptInvitation"]
    session = await gql.login("nia@example.com", "a-fine-password")
    tenant = (
        await gql.execute(
            "{ currentTenant { slug } members { edges { node { roles } } } }",
            token=session["accessToken"],
            tenant="nia-shop",
        )
    )["data"]

    # then
    assert created["errors"] == []
    assert created["tenant"] == {"slug": "nia-shop", "name": "Nia", "status": "ACTIVE"}
    assert accepted == {"user": {"email": "nia@example.com", "fullName": "Nia Owner"}, "errors": []}
    assert replay["errors"][0]["code"] == "UNAUTHENTICATED"
    assert tenant["currentTenant"] == {"slug": "nia-shop"}
    assert tenant["members"]["edges"] == [{"node": {"roles": ["owner"]}}]


async def test_existing_user_becomes_owner_without_invitation(gql: GraphQLClient) -> None:
    token = await _admin_token(gql)
    await make_user("ana@example.com")

    created = (
        await gql.execute(
            CREATE, {"slug": "ana", "name": "Ana", "owner": "ana@example.com"}, token=token
        )
    )["data"]["createTenant"]

    assert created["invitationToken"] is None
    assert created["owner"] == {"email": "ana@example.com"}


async def test_non_admin_cannot_create_tenants_and_nothing_is_written(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]

    body = await gql.execute(
        CREATE, {"slug": "evil", "name": "Evil", "owner": "evil@example.com"}, token=token
    )

    assert body["data"] == {"createTenant": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not await Tenant.exists(slug="evil")
    assert not await User.exists(email="evil@example.com")


async def test_bad_tenant_input_names_the_field_and_writes_nothing(gql: GraphQLClient) -> None:
    token = await _admin_token(gql)
    await make_shop("acme")
    cases = {
        "slug": {"slug": "Not A Slug!", "name": "X", "owner": "x@example.com"},
        "name": {"slug": "fine", "name": "   ", "owner": "x@example.com"},
        "ownerEmail": {"slug": "fine", "name": "X", "owner": "not-an-email"},
    }

    for field, variables in cases.items():
        payload = (await gql.execute(CREATE, variables, token=token))["data"]["createTenant"]
        assert payload["tenant"] is None, field
        assert payload["errors"][0]["field"] == field
        assert payload["errors"][0]["code"] == "INVALID_INPUT"

    duplicate = (
        await gql.execute(
            CREATE, {"slug": "acme", "name": "Again", "owner": "y@example.com"}, token=token
        )
    )["data"]["createTenant"]
    assert duplicate["errors"][0] == {
        "field": "slug",
        "code": "ALREADY_EXISTS",
        "message": "A tenant with slug 'acme' exists already.",
    }
    assert await Tenant.all().count() == 1
    assert not await User.exists(email="y@example.com")
    with across_tenants(Crossing.OWN_MEMBERSHIPS):
        assert await Membership.unscoped().count() == 1


async def test_admin_suspends_and_reactivates_a_tenant(gql: GraphQLClient) -> None:
    token = await _admin_token(gql)
    shop = await make_shop("acme")
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    status = """
    mutation($s: TenantStatus!) {
      setTenantStatus(input: {slug: "acme", status: $s}) { tenant { status } }
    }
    """

    await gql.execute(status, {"s": "SUSPENDED"}, token=token)
    suspended = await gql.post("{ currentTenant { slug } }", token=owner, tenant="acme")
    await gql.execute(status, {"s": "ACTIVE"}, token=token)
    active = await gql.post("{ currentTenant { slug } }", token=owner, tenant="acme")

    assert suspended.status_code == 403
    assert active.json()["data"] == {"currentTenant": {"slug": "acme"}}


async def test_admin_lists_tenants_page_by_page(gql: GraphQLClient) -> None:
    token = await _admin_token(gql)
    for slug in ["c-shop", "a-shop", "b-shop"]:
        await make_shop(slug)
    query = """
    query($after: String) {
      tenants(first: 2, after: $after) {
        edges { node { slug } }
        pageInfo { hasNextPage endCursor }
      }
    }
    """

    first = (await gql.execute(query, token=token))["data"]["tenants"]
    second = (await gql.execute(query, {"after": first["pageInfo"]["endCursor"]}, token=token))[
        "data"
    ]["tenants"]

    assert [e["node"]["slug"] for e in first["edges"]] == ["a-shop", "b-shop"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["slug"] for e in second["edges"]] == ["c-shop"]
    assert second["pageInfo"]["hasNextPage"] is False
