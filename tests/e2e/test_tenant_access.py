"""The X-Tenant header: checked against membership on every request."""

from __future__ import annotations

from merchantops.tenants import admin
from merchantops.tenants.models import TenantStatus
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_onboarded_shop, make_shop

TENANT_VIEW = """
{ currentTenant { slug name }
  members { edges { node { roles user { email } } } } }
"""


async def test_member_sees_their_tenant_and_its_members(gql: GraphQLClient) -> None:
    acme = await make_onboarded_shop("acme")
    await add_member(acme, "lead@acme.example.com", ["customer-service-manager"])
    token = (await gql.login("lead@acme.example.com", PASSWORD))["accessToken"]

    body = await gql.execute(TENANT_VIEW, token=token, tenant="acme")

    assert body["data"]["currentTenant"] == {"slug": "acme", "name": "Acme Shop"}
    emails = [edge["node"]["user"]["email"] for edge in body["data"]["members"]["edges"]]
    assert emails == [acme.email, "lead@acme.example.com"]


async def test_user_of_tenant_a_naming_tenant_b_is_rejected_and_sees_nothing_of_b(
    gql: GraphQLClient,
) -> None:
    # given
    await make_shop("acme")
    globex = await make_shop("globex")
    token = (await gql.login("owner@acme.example.com", PASSWORD))["accessToken"]

    # when
    response = await gql.post(TENANT_VIEW, token=token, tenant="globex")
    missing = await gql.post(TENANT_VIEW, token=token, tenant="no-such-shop")

    # then
    assert response.status_code == 403
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "TENANT_FORBIDDEN"
    assert "Globex Shop" not in response.text
    assert globex.email not in response.text
    # an unknown tenant answers exactly like a foreign one: tenants cannot be enumerated
    assert missing.status_code == 403
    assert (
        missing.json()["errors"][0]["message"].replace("no-such-shop", "globex")
        == (body["errors"][0]["message"])
    )


async def test_tenant_field_without_x_tenant_asks_for_the_header(gql: GraphQLClient) -> None:
    await make_shop("acme")
    token = (await gql.login("owner@acme.example.com", PASSWORD))["accessToken"]

    body = await gql.execute("{ currentTenant { slug } }", token=token)

    assert body["errors"][0]["extensions"]["code"] == "TENANT_REQUIRED"
    assert "X-Tenant" in body["errors"][0]["message"]


async def test_naming_a_tenant_without_a_token_is_rejected(gql: GraphQLClient) -> None:
    await make_shop("acme")

    response = await gql.post("{ currentTenant { slug } }", tenant="acme")

    assert response.status_code == 401


async def test_suspended_tenant_requests_get_a_clear_error_and_change_nothing(
    gql: GraphQLClient,
) -> None:
    # given
    await make_shop("acme")
    session = await gql.login("owner@acme.example.com", PASSWORD)
    await admin.set_tenant_status("acme", TenantStatus.SUSPENDED)

    # when: a mutation is sent in the suspended tenant
    response = await gql.post(
        "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
        {"t": session["refreshToken"]},
        token=session["accessToken"],
        tenant="acme",
    )

    # then: refused with a clear error, and the logout did not happen
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TENANT_SUSPENDED"
    assert "suspended" in error["message"]
    refreshed = await gql.execute(
        "mutation($t: String!) "
        "{ refreshToken(input: {refreshToken: $t}) { session { accessToken } } }",
        {"t": session["refreshToken"]},
    )
    assert refreshed["data"]["refreshToken"]["session"] is not None
