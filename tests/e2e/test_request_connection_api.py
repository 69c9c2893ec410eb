"""A GraphQL request runs on one pool connection (PostgreSQL): authentication and the page
share it, concurrent fields take turns on it, a mutation's transaction commits or rolls back on
it, and a request stopped by its time limit gives it back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tortoise import Tortoise, connections

from merchantops.api.app import create_app
from merchantops.tenants import api_keys, audit
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import AuditEntry
from merchantops.workers.embedding import Background, in_process
from tests.conftest import Acquires, GraphQLClient, make_settings
from tests.factories import PASSWORD, Catalog, Shop, make_catalog, make_onboarded_shop, principal
from tests.support.sql_count import counting_statements

PAGE = """{ products(first: 10) { edges { node { id name category contactName contactEmail } }
  pageInfo { hasNextPage } } }"""
SEVERAL = """{
  p: products(first: 5) { edges { node { name skus { code } } } }
  s: suppliers { edges { node { code contacts { fullName } } } }
  w: warehouses { edges { node { code } } }
  t: currentTenant { slug }
  m: members(first: 5) { edges { cursor } }
  q: products(first: 1) { edges { node { name } } }
}"""
CREATE = """mutation($name: String!, $skus: [SkuInput!]!) {
  createProduct(input: {name: $name, skus: $skus}) { product { name } errors { field code } } }"""


async def _app(db: str, **overrides: Any) -> AsyncIterator[GraphQLClient]:
    settings = make_settings(db, **overrides)
    queue = in_process(settings)
    app = create_app(settings, manage_db=False, background=Background(queue=queue))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield GraphQLClient(http)
    finally:
        await queue.close()


@pytest.fixture
async def pg_gql(pg_db: str) -> AsyncIterator[GraphQLClient]:
    async for client in _app(pg_db):
        yield client


@pytest.fixture
async def world(pg_db: str) -> tuple[Shop, Catalog]:
    shop = await make_onboarded_shop("acme")
    return shop, await make_catalog(shop)


def _pool() -> Any:
    return Tortoise.get_connection("default")._pool


async def test_page_query_with_an_api_key_runs_two_statements_on_one_connection(
    pg_gql: GraphQLClient,
    world: tuple[Shop, Catalog],
    acquires: Acquires,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a reading key, and caches warm from a first request
    shop, _ = world
    with tenant_scope(shop.tenant.id):
        issued = await api_keys.create_api_key(
            await principal(shop), "reader", "marketing-staff", ["product:read"], expires_at=None
        )
    headers = {"Authorization": f"Bearer {issued.key}"}
    assert "errors" not in (await pg_gql.execute(PAGE, headers=headers))
    acquires.pids.clear()

    # when
    with counting_statements(monkeypatch) as statements:
        body = await pg_gql.execute(PAGE, headers=headers)

    # then: the key's lookup and the page, on one connection taken once
    assert body["data"]["products"]["edges"][0]["node"]["name"] == "Linen shirt"
    assert len(statements) == 2, statements.sql
    assert len(acquires.pids) == 1
    assert _pool().get_idle_size() == _pool().get_size()


async def test_page_query_as_a_logged_in_user_runs_auth_and_page_statements_on_one_connection(
    pg_gql: GraphQLClient,
    world: tuple[Shop, Catalog],
    acquires: Acquires,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    shop, _ = world
    token = (await pg_gql.login(shop.email, PASSWORD))["accessToken"]
    assert "errors" not in (await pg_gql.execute(PAGE, token=token, tenant="acme"))
    with counting_statements(monkeypatch) as auth_only:
        await pg_gql.execute("{ __typename }", token=token, tenant="acme")
    acquires.pids.clear()

    # when
    with counting_statements(monkeypatch) as statements:
        body = await pg_gql.execute(PAGE, token=token, tenant="acme")

    # then: the user, membership (and policy version) lookups plus the page, one connection
    assert body["data"]["products"]["edges"]
    assert len(auth_only) >= 1
    assert len(statements) == len(auth_only) + 1, statements.sql
    assert len(acquires.pids) == 1


async def test_concurrent_fields_of_one_request_are_all_answered_on_one_connection(
    pg_gql: GraphQLClient, world: tuple[Shop, Catalog], acquires: Acquires
) -> None:
    # given
    shop, _ = world
    token = (await pg_gql.login(shop.email, PASSWORD))["accessToken"]
    acquires.pids.clear()

    # when
    bodies = await asyncio.gather(
        *(pg_gql.execute(SEVERAL, token=token, tenant="acme") for _ in range(3))
    )

    # then
    for body in bodies:
        assert "errors" not in body, body
        data = body["data"]
        assert data["p"]["edges"][0]["node"]["skus"] == [{"code": "SHIRT-L"}, {"code": "SHIRT-M"}]
        assert data["s"]["edges"][0]["node"]["contacts"] == [{"fullName": "Dana Reyes"}]
        assert data["w"]["edges"] == [{"node": {"code": "WH-1"}}]
        assert data["t"] == {"slug": "acme"}
        assert len(data["m"]["edges"]) == 1
    assert len(acquires.pids) == 3
    assert _pool().get_idle_size() == _pool().get_size()


async def test_mutation_in_a_request_commits_with_after_commit_work_or_rolls_back_whole(
    pg_gql: GraphQLClient, world: tuple[Shop, Catalog], acquires: Acquires
) -> None:
    # given
    shop, _ = world
    token = (await pg_gql.login(shop.email, PASSWORD))["accessToken"]
    sku = {"name": "One", "price": "10"}

    # when: one create commits, one fails on its second SKU after writing the product
    acquires.pids.clear()
    created = await pg_gql.execute(
        CREATE, {"name": "Scarf", "skus": [{**sku, "code": "SCARF-1"}]}, token=token, tenant="acme"
    )
    created_acquires = len(acquires.pids)
    refused = await pg_gql.execute(
        CREATE,
        {"name": "Hat", "skus": [{**sku, "code": "HAT-1"}, {**sku, "code": "SHIRT-M"}]},
        token=token,
        tenant="acme",
    )
    found = await pg_gql.execute(
        '{ products(filter: {search: "a"}) { edges { node { name } } } auditChain { ok entries } }',
        token=token,
        tenant="acme",
    )

    # then: the audit entry was chained by the after-commit seal, the failed create left nothing
    assert created["data"]["createProduct"] == {"product": {"name": "Scarf"}, "errors": []}
    assert created_acquires == 1
    assert refused["data"]["createProduct"]["errors"][0]["code"] == "ALREADY_EXISTS"
    names = {edge["node"]["name"] for edge in found["data"]["products"]["edges"]}
    assert "Scarf" in names
    assert "Hat" not in names
    assert found["data"]["auditChain"]["ok"] is True
    with tenant_scope(shop.tenant.id):
        unchained = await AuditEntry.filter(seq__isnull=True).count()
    assert unchained == 0


async def test_request_timed_out_mid_transaction_gives_its_connection_back_and_next_is_answered(
    world: tuple[Shop, Catalog], pg_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a mutation whose transaction runs a statement longer than the request may take
    shop, _ = world
    record = audit.record

    async def slow_record(*args: Any, **kwargs: Any) -> Any:
        await connections.get("default").execute_query("SELECT pg_sleep(30)")
        return await record(*args, **kwargs)

    async for gql in _app(pg_db, request_timeout_seconds=1.0):
        token = (await gql.login(shop.email, PASSWORD))["accessToken"]
        monkeypatch.setattr(audit, "record", slow_record)

        # when
        stopped = await asyncio.wait_for(
            gql.post(CREATE, {"name": "Slow", "skus": []}, token=token, tenant="acme"), timeout=20
        )
        monkeypatch.setattr(audit, "record", record)
        idle, size = _pool().get_idle_size(), _pool().get_size()
        _, running = await Tortoise.get_connection("default").execute_query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'SELECT pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()"
        )
        answered = await asyncio.wait_for(gql.execute(PAGE, token=token, tenant="acme"), timeout=10)

    # then
    assert stopped.status_code == 503
    assert stopped.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert idle == size
    assert running[0]["n"] == 0
    names = {edge["node"]["name"] for edge in answered["data"]["products"]["edges"]}
    assert names == {"Linen shirt"}
