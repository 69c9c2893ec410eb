"""Refused, failing and cancelled fields never leave the server unable to answer.

One operation with several refused fields used to leave SQLite's transaction lock held by a
resolver cancelled half-way into its audit transaction: every later request waited forever.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from tortoise import Tortoise

from merchantops.api.app import create_app
from merchantops.workers.embedding import Background, in_process
from tests.conftest import GraphQLClient, _opened, make_settings
from tests.factories import PASSWORD, add_member, make_shop

LOG = """
query { auditLog(filter: {action: "permission.denied"}, first: 50) {
  edges { node { targetId } } } }
"""


async def test_several_refused_fields_in_one_operation_leave_the_server_answering(
    gql: GraphQLClient,
) -> None:
    # given
    shop = await make_shop("acme")
    await add_member(shop, "clerk@acme.example.com", ["warehouse-staff"])
    clerk = (await gql.login("clerk@acme.example.com", PASSWORD))["accessToken"]

    # when
    refused = await asyncio.wait_for(
        gql.execute(
            "{ members(first: 1) { edges { cursor } } apiKeys(first: 1) { edges { cursor } }"
            " auditLog(first: 1) { edges { cursor } } }",
            token=clerk,
            tenant="acme",
        ),
        timeout=10,
    )
    after = await asyncio.wait_for(
        gql.execute("{ currentTenant { slug } }", token=clerk, tenant="acme"), timeout=10
    )
    ready = await asyncio.wait_for(gql.http.get("/readyz"), timeout=10)

    # then
    assert {error["extensions"]["code"] for error in refused["errors"]} == {"FORBIDDEN"}
    assert after["data"]["currentTenant"]["slug"] == "acme"
    assert ready.status_code == 200
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    log = await gql.execute(LOG, token=owner, tenant="acme")
    denied = sorted(edge["node"]["targetId"] for edge in log["data"]["auditLog"]["edges"])
    assert denied == ["apiKeys", "auditLog", "members"]


async def test_an_api_key_asking_for_the_user_and_the_tenant_leaves_the_server_answering(
    gql: GraphQLClient,
) -> None:
    shop = await make_shop("acme")
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    created = await gql.execute(
        'mutation { createApiKey(input: {name: "ERP", role: "admin", '
        'scopes: ["department:read"]}) { key errors { code } } }',
        token=owner,
        tenant="acme",
    )
    key = created["data"]["createApiKey"]["key"]

    refused = await asyncio.wait_for(
        gql.execute(
            "{ me { user { email } } currentTenant { slug } }",
            headers={"Authorization": f"Bearer {key}"},
        ),
        timeout=10,
    )
    after = await asyncio.wait_for(
        gql.execute(
            "{ departments(first: 1) { edges { node { slug } } } }",
            headers={"Authorization": f"Bearer {key}"},
        ),
        timeout=10,
    )

    assert refused["errors"][0]["extensions"]["code"] == "USER_REQUIRED"
    assert after["data"]["departments"]["edges"]
    assert (await asyncio.wait_for(gql.http.get("/readyz"), timeout=10)).status_code == 200


@pytest.mark.parametrize("clients", [8])
async def test_many_operations_of_refused_fields_at_once_are_all_answered_and_audited(
    gql: GraphQLClient, clients: int
) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "clerk@acme.example.com", ["warehouse-staff"])
    clerk = (await gql.login("clerk@acme.example.com", PASSWORD))["accessToken"]
    query = "{ members(first: 1) { edges { cursor } } apiKeys(first: 1) { edges { cursor } } }"

    answers = await asyncio.wait_for(
        asyncio.gather(*(gql.execute(query, token=clerk, tenant="acme") for _ in range(clients))),
        timeout=20,
    )

    assert all(answer["errors"] for answer in answers)
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    log = await gql.execute(LOG, token=owner, tenant="acme")
    assert len(log["data"]["auditLog"]["edges"]) == 2 * clients
    chain = await gql.execute("{ auditChain { ok entries } }", token=owner, tenant="acme")
    assert chain["data"]["auditChain"]["ok"] is True


LOGIN_SOMEONE = """
mutation { login(input: {email: "nobody@example.com", password: "x"}) { errors { code } } }
"""


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[str]:
    async with _opened(sqlite_url) as url:
        yield url


async def test_healthz_fails_while_requests_cannot_complete_and_recovers_after(
    sqlite_db: str,
) -> None:
    # given a process whose database client is wedged (its connection lock never frees)
    settings = make_settings(sqlite_db, request_timeout_seconds=0.5, liveness_timeout_seconds=0.2)
    queue = in_process(settings)
    app = create_app(settings, manage_db=False, background=Background(queue=queue))
    transport = httpx.ASGITransport(app=app)
    lock: asyncio.Lock = Tortoise.get_connection("default")._lock  # type: ignore[attr-defined]
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/healthz")).status_code == 200
            await lock.acquire()

            # when
            stuck = await http.get("/healthz")
            answers = [
                await http.post("/graphql", json={"query": LOGIN_SOMEONE})
                for _ in range(settings.liveness_max_timeouts)
            ]
            stalled = await http.get("/healthz")
            lock.release()
            recovered = await http.post("/graphql", json={"query": "{ __typename }"})
            healthy = await http.get("/healthz")
    finally:
        if lock.locked():
            lock.release()
        await queue.close()

    # then
    assert stuck.status_code == 503
    assert stuck.json()["database"] == "no answer"
    assert {answer.status_code for answer in answers} == {503}
    assert stalled.status_code == 503
    assert stalled.json()["requests"] == "timing out"
    assert recovered.status_code == 200
    assert healthy.status_code == 200
