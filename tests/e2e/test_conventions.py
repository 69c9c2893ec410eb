"""API conventions every area inherits: paging limits, masked errors, health endpoints."""

from __future__ import annotations

import io
import json

import httpx
import pytest
import structlog

from merchantops.log import configure_logging
from merchantops.tenants import admin
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_user

TENANTS = """
query($first: Int, $after: String) { tenants(first: $first, after: $after) { edges { cursor } } }
"""


async def _admin(gql: GraphQLClient) -> str:
    await make_user("root@platform.example.com", platform_admin=True)
    return str((await gql.login("root@platform.example.com", PASSWORD))["accessToken"])


@pytest.mark.parametrize(("first", "accepted"), [(100, True), (101, False), (-1, False), (0, True)])
async def test_page_size_is_capped_at_one_hundred(
    gql: GraphQLClient, first: int, accepted: bool
) -> None:
    token = await _admin(gql)

    body = await gql.execute(TENANTS, {"first": first}, token=token)

    if accepted:
        assert body["data"]["tenants"]["edges"] == []
    else:
        assert body["errors"][0]["extensions"] == {"code": "BAD_PAGINATION", "field": "first"}
        assert "between 0 and 100" in body["errors"][0]["message"]


async def test_forged_cursor_is_refused_with_a_code(gql: GraphQLClient) -> None:
    token = await _admin(gql)

    body = await gql.execute(TENANTS, {"after": "bm90LWEtY3Vyc29y"}, token=token)

    assert body["errors"][0]["extensions"]["code"] == "BAD_CURSOR"


async def test_unexpected_failure_is_masked_and_logged_with_the_request_id(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a service that fails in a way nobody planned for
    token = await _admin(gql)
    log = io.StringIO()
    configure_logging(json=True, stream=log)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(admin, "set_tenant_status", broken)

    # when
    response = await gql.post(
        'mutation { setTenantStatus(input: {slug: "x", status: ACTIVE}) { errors { code } } }',
        token=token,
    )

    # then: the client learns nothing but the request id, the log has the rest
    request_id = response.headers["x-request-id"]
    error = response.json()["errors"][0]
    assert "hunter2" not in response.text
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert request_id in error["message"]
    structlog.reset_defaults()
    entry = json.loads(log.getvalue().splitlines()[-1])
    assert entry["event"] == "graphql.unexpected_error"
    assert entry["request_id"] == request_id
    assert "hunter2" in entry["exception"]


async def test_request_id_is_echoed_when_sane_and_replaced_when_not(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.get("/healthz", headers={"X-Request-ID": "trace-12345678"})
    replaced = await client.get("/healthz", headers={"X-Request-ID": "bad id; <script>"})

    assert kept.headers["x-request-id"] == "trace-12345678"
    assert replaced.headers["x-request-id"] != "bad id"
    assert len(replaced.headers["x-request-id"]) == 32


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    ready = await client.get("/readyz")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "database": "ok", "migrations": "ok", "rules_engine": "ok"},
    )
