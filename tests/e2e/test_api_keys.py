"""Partner API keys over HTTP: shown once, scoped, tenant-bound, rotated, revoked."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from merchantops.tenants import api_keys
from merchantops.tenants.context import Crossing, across_tenants
from merchantops.tenants.models import ApiKey
from merchantops.tenants.secrets import token_digest
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_shop

CREATE = """
mutation($name: String!, $role: String!, $scopes: [String!]!, $expiresAt: DateTime) {
  createApiKey(input: {name: $name, role: $role, scopes: $scopes, expiresAt: $expiresAt}) {
    apiKey { id prefix role scopes lastUsedAt }
    key
    errors { field code message }
  }
}
"""
DEPARTMENTS = "{ departments(first: 1) { edges { node { slug } } } }"
ROLES = "{ roles(first: 1) { edges { node { slug } } } }"


async def _owner(gql: GraphQLClient, slug: str = "acme") -> str:
    shop = await make_shop(slug)
    return str((await gql.login(shop.email, PASSWORD))["accessToken"])


async def _create(gql: GraphQLClient, token: str, **variables: Any) -> dict[str, Any]:
    variables.setdefault("name", "ERP sync")
    variables.setdefault("role", "admin")
    variables.setdefault("scopes", ["department:read"])
    body = await gql.execute(CREATE, variables, token=token, tenant="acme")
    payload: dict[str, Any] = body["data"]["createApiKey"]
    return payload


async def test_key_is_shown_once_and_stored_only_as_a_hash(gql: GraphQLClient) -> None:
    token = await _owner(gql)

    created = await _create(gql, token)

    key = created["key"]
    assert key.startswith(created["apiKey"]["prefix"] + "_")
    listed = await gql.execute(
        "{ apiKeys { edges { node { prefix scopes } } } }", token=token, tenant="acme"
    )
    assert key not in str(listed)
    match = api_keys.KEY_PATTERN.match(key)
    assert match is not None
    secret = match.group(2)
    with across_tenants(Crossing.SIGN_IN):
        stored = await ApiKey.unscoped().get()
    assert secret not in (stored.secret_hash, stored.public_id)
    assert stored.secret_hash == token_digest(secret)


async def test_key_rights_are_its_scopes_intersected_with_its_role(gql: GraphQLClient) -> None:
    # given: an admin-role key scoped to departments only, and a broad scope on a narrow role
    token = await _owner(gql)
    narrow_scope = (await _create(gql, token, scopes=["department:read"]))["key"]
    narrow_role = (
        await _create(gql, token, role="warehouse-staff", scopes=["department:read", "role:read"])
    )["key"]

    # when
    allowed = await gql.execute(DEPARTMENTS, token=narrow_scope)
    out_of_scope = await gql.execute(ROLES, token=narrow_scope)
    out_of_role = await gql.execute(ROLES, token=narrow_role)

    # then
    assert allowed["data"]["departments"]["edges"]
    assert out_of_scope["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert out_of_role["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_key_acts_in_its_own_tenant_and_refuses_a_header_naming_another(
    gql: GraphQLClient,
) -> None:
    token = await _owner(gql)
    await make_shop("globex")
    key = (await _create(gql, token))["key"]

    own = await gql.post(DEPARTMENTS, token=key, tenant="acme")
    other = await gql.post(DEPARTMENTS, token=key, tenant="globex")

    assert own.status_code == 200
    assert other.status_code == 403
    assert other.json()["errors"][0]["extensions"]["code"] == "TENANT_FORBIDDEN"


async def test_malformed_key_is_rejected_without_a_database_query(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_query() -> None:
        raise AssertionError("a malformed key reached the database")

    monkeypatch.setattr(ApiKey, "unscoped", no_query)

    for bad in ["mok_short_secret", "mok_" + "A" * 20 + "_" + "x" * 43, "mok_" + "a" * 80]:
        response = await gql.post(DEPARTMENTS, token=bad)
        assert response.status_code == 401, bad
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_secret_comparison_is_constant_time(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await _owner(gql)
    key = (await _create(gql, token))["key"]
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")

    assert (await gql.post(DEPARTMENTS, token=wrong)).status_code == 401
    assert compared


async def test_revoked_and_expired_keys_stop_working(gql: GraphQLClient) -> None:
    token = await _owner(gql)
    revoked = await _create(gql, token)
    expiring = await _create(
        gql, token, expiresAt=(datetime.now(UTC) + timedelta(hours=1)).isoformat()
    )

    await gql.execute(
        "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { revokedAt } } }",
        {"id": revoked["apiKey"]["id"]},
        token=token,
        tenant="acme",
    )
    with across_tenants(Crossing.SIGN_IN):
        await (
            ApiKey.unscoped()
            .filter(public_id=expiring["apiKey"]["prefix"][4:])
            .update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    for key in (revoked["key"], expiring["key"]):
        response = await gql.post(DEPARTMENTS, token=key)
        assert response.status_code == 401
        assert "invalid, expired or revoked" in response.json()["errors"][0]["message"]


async def test_rotation_keeps_the_old_key_working_for_the_grace_period_only(
    gql: GraphQLClient,
) -> None:
    token = await _owner(gql)
    created = await _create(gql, token)
    rotate = """
    mutation($id: ID!, $grace: Int!) {
      rotateApiKey(input: {id: $id, graceSeconds: $grace}) { key errors { code } }
    }
    """

    rotated = (
        await gql.execute(
            rotate, {"id": created["apiKey"]["id"], "grace": 3600}, token=token, tenant="acme"
        )
    )["data"]["rotateApiKey"]
    old_in_grace = await gql.post(DEPARTMENTS, token=created["key"])
    new = await gql.post(DEPARTMENTS, token=rotated["key"])
    with across_tenants(Crossing.SIGN_IN):
        await ApiKey.unscoped().update(previous_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    old_after_grace = await gql.post(DEPARTMENTS, token=created["key"])
    too_long = (
        await gql.execute(
            rotate, {"id": created["apiKey"]["id"], "grace": 8 * 86400}, token=token, tenant="acme"
        )
    )["data"]["rotateApiKey"]

    assert rotated["key"] != created["key"]
    assert (old_in_grace.status_code, new.status_code, old_after_grace.status_code) == (
        200,
        200,
        401,
    )
    assert too_long["errors"] == [{"code": "INVALID_INPUT"}]


async def test_use_records_the_last_used_time(gql: GraphQLClient) -> None:
    token = await _owner(gql)
    created = await _create(gql, token)

    await gql.post(DEPARTMENTS, token=created["key"])

    with across_tenants(Crossing.SIGN_IN):
        stored = await ApiKey.unscoped().get()
    assert stored.last_used_at is not None


async def test_creator_cannot_hand_out_scopes_beyond_their_rights(gql: GraphQLClient) -> None:
    token = await _owner(gql)
    bad_scope = await _create(gql, token, scopes=["nonsense"])
    unknown_role = await _create(gql, token, role="no-such-role")
    # an admin-role key may manage keys, but only with scopes the creating key holds
    admin_key = (await _create(gql, token, scopes=["api_key:write", "department:read"]))["key"]
    escalation = (
        await gql.execute(
            CREATE,
            {"name": "escalate", "role": "owner", "scopes": ["order:approve"]},
            token=admin_key,
        )
    )["data"]["createApiKey"]

    assert bad_scope["errors"][0]["code"] == "INVALID_INPUT"
    assert unknown_role["errors"][0] == {
        "field": "role",
        "code": "NOT_FOUND",
        "message": "No role 'no-such-role'.",
    }
    assert escalation["key"] is None
    assert escalation["errors"][0]["code"] == "FORBIDDEN"
    with across_tenants(Crossing.SIGN_IN):
        assert await ApiKey.unscoped().count() == 1
