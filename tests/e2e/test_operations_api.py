"""Operations: `/metrics` behind its token, `/readyz` naming its checks, `systemHealth` for
platform admins, jobs counted by name and outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from merchantops.api import health
from merchantops.api.app import create_app
from merchantops.db import close_db, init_db
from merchantops.observability import metrics
from merchantops.settings import Settings
from merchantops.tenants import jobs as ledger
from merchantops.tenants.jobs import JobContext, RetryPolicy
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_shop, make_user
from tests.support.scrape import value

TOKEN = "metrics-token-for-the-tests-0123456789"
REQUESTS = "merchantops_graphql_requests_total"
REFUSALS = "merchantops_refusals_total"
HEALTH = """{ systemHealth {
  ok checks { name ok state }
  versions { application python database lastMigration committedMigrations }
  queueDepth deadLetters outboxPending relayLagSeconds
  workers { worker mode ageSeconds }
  slowestOperations { operation type count averageMs maxMs }
} }"""


@pytest.fixture
async def ops(db: str, jobs: InProcessQueue) -> AsyncIterator[GraphQLClient]:
    """The app with METRICS_TOKEN set, and `acme` given a tenant label of its own."""
    settings = make_settings(db, metrics_token=TOKEN, metrics_tenant_labels=("acme",))
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)
    metrics.configure()  # the default labels again


async def _scrape(gql: GraphQLClient) -> str:
    response = await gql.http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def _owner(gql: GraphQLClient, slug: str) -> str:
    shop = await make_shop(slug)
    return str((await gql.login(shop.email, PASSWORD))["accessToken"])


async def test_metrics_without_the_token_are_refused_and_with_it_answered(
    ops: GraphQLClient,
) -> None:
    # when
    missing = await ops.http.get("/metrics")
    wrong = await ops.http.get("/metrics", headers={"Authorization": "Bearer nope"})
    scraped = await _scrape(ops)

    # then
    assert missing.status_code == 401
    assert missing.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert wrong.status_code == 401
    assert "merchantops_http_requests_total" in scraped
    assert "merchantops_db_pool_connections" in scraped


async def test_production_without_a_token_does_not_serve_metrics_on_the_api_port(
    db: str, jobs: InProcessQueue
) -> None:
    settings = Settings(
        environment="production",
        database_url=db,
        secret_key="x" * 40,
        cors_allowed_origins=(),
    )
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        response = await http.get("/metrics")

    assert response.status_code == 404


async def test_an_operation_is_counted_by_its_name_type_outcome_and_tenant_label(
    ops: GraphQLClient,
) -> None:
    # given
    acme = await _owner(ops, "acme")
    globex = await _owner(ops, "globex")
    query = "query CurrentShop { currentTenant { slug } }"
    labels: dict[str, Any] = {"operation": "CurrentShop", "type": "query", "outcome": "OK"}
    before = await _scrape(ops)

    # when
    await ops.execute(query, token=acme, tenant="acme")
    await ops.execute(query, token=acme, tenant="acme")
    await ops.execute(query, token=globex, tenant="globex")
    after = await _scrape(ops)

    # then
    assert value(REQUESTS, after, **labels, tenant="acme") == (
        value(REQUESTS, before, **labels, tenant="acme") + 2
    )
    assert value(REQUESTS, after, **labels, tenant="other") == (
        value(REQUESTS, before, **labels, tenant="other") + 1
    )
    assert "globex" not in after
    assert (
        value(
            "merchantops_graphql_operation_duration_seconds_count",
            after,
            operation="CurrentShop",
            type="query",
        )
        >= 3
    )


async def test_refused_requests_are_counted_by_code(ops: GraphQLClient) -> None:
    # given
    owner = await _owner(ops, "acme")
    before = await _scrape(ops)

    # when: a bad token, a platform-admin field asked by a tenant's owner
    bad = await ops.post("{ currentTenant { slug } }", token="not-a-token")
    refused = await ops.execute(HEALTH, token=owner, tenant="acme")
    after = await _scrape(ops)

    # then
    assert bad.status_code == 401
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for code in ("UNAUTHENTICATED", "FORBIDDEN"):
        assert value(REFUSALS, after, code=code) == value(REFUSALS, before, code=code) + 1
    assert (
        value(
            REQUESTS, after, operation="anonymous", type="query", outcome="FORBIDDEN", tenant="acme"
        )
        >= 1
    )


async def test_readiness_names_every_check(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")

    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "rules_engine": "ok",
    }


async def test_readiness_fails_naming_the_database_when_it_is_unreachable(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused() -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(health, "ping_db", refused)

    ready = await client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["database"] == "unreachable"
    assert ready.json()["failing"] == ["database"]


async def test_readiness_fails_while_a_committed_migration_is_not_applied(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: this release holds a migration the database has not had
    committed = health.committed_migrations()
    monkeypatch.setattr(health, "committed_migrations", lambda: [*committed, "9999_next"])

    ready = await client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["migrations"] == "pending: 9999_next"
    assert ready.json()["failing"] == ["migrations"]


async def test_platform_admin_reads_system_health(gql: GraphQLClient) -> None:
    # given
    await make_user("root@platform.example.com", platform_admin=True)
    token = str((await gql.login("root@platform.example.com", PASSWORD))["accessToken"])
    await gql.execute("query Warmup { me { user { email } } }", token=token)

    # when
    body = await gql.execute(HEALTH, token=token)

    # then
    found = body["data"]["systemHealth"]
    assert "errors" not in body
    assert found["ok"] is True
    assert {check["name"] for check in found["checks"]} == {
        "database",
        "migrations",
        "rules_engine",
    }
    assert found["versions"]["lastMigration"] is not None
    assert found["versions"]["database"].split()[0] in ("SQLite", "PostgreSQL")
    assert found["queueDepth"] >= 0
    assert found["deadLetters"] >= 0
    assert "Warmup" in {timing["operation"] for timing in found["slowestOperations"]}


async def test_jobs_are_counted_by_name_and_outcome(db: str) -> None:
    # given: a job that works and one that always fails, two tries each
    shop = await make_shop("acme")

    async def fine(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    async def broken(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise RuntimeError("no")

    queue = InProcessQueue(
        {"ops.fine": fine, "ops.broken": broken}, RetryPolicy(max_tries=2, base_seconds=0.01)
    )
    before = {
        outcome: value("merchantops_jobs_total", job=job, outcome=outcome)
        for job, outcome in (
            ("ops.fine", "succeeded"),
            ("ops.broken", "retried"),
            ("ops.broken", "dead"),
        )
    }

    # when
    for name in ("ops.fine", "ops.broken"):
        await ledger.submit(
            queue, queue.policy, name, key=f"{name}:1", tenant_id=shop.tenant.id, payload={}
        )
    await queue.drain()

    # then
    assert value("merchantops_jobs_total", job="ops.fine", outcome="succeeded") == (
        before["succeeded"] + 1
    )
    assert value("merchantops_jobs_total", job="ops.broken", outcome="retried") == (
        before["retried"] + 1
    )
    assert value("merchantops_jobs_total", job="ops.broken", outcome="dead") == before["dead"] + 1
    assert value("merchantops_job_dead_letters_total", job="ops.broken") >= 1
    await queue.close()


async def _ready(settings: Settings, jobs: InProcessQueue) -> httpx.Response:
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        return await http.get("/readyz")


async def test_readiness_checks_redis_when_it_is_configured(
    db: str, jobs: InProcessQueue, redis_db_url: str
) -> None:
    reachable = await _ready(make_settings(db, redis_url=redis_db_url), jobs)
    unreachable = await _ready(make_settings(db, redis_url="redis://127.0.0.1:1/0"), jobs)

    assert (reachable.status_code, reachable.json()["redis"]) == (200, "ok")
    assert unreachable.status_code == 503
    assert unreachable.json()["redis"] == "unreachable"
    assert unreachable.json()["failing"] == ["redis"]


async def test_readiness_fails_on_a_database_never_migrated(tmp_path: Path) -> None:
    # given: the app pointed at an empty database
    url = f"sqlite://{tmp_path / 'empty.sqlite3'}"
    await init_db(url)
    try:
        ready = await _ready(make_settings(url), InProcessQueue({}, RetryPolicy()))
    finally:
        await close_db()

    assert ready.status_code == 503
    assert ready.json()["migrations"].startswith("pending: 0001_initial")
    assert ready.json()["failing"] == ["migrations"]
