"""The leaky bucket: each query's cost drains its caller's bucket; an overflowing query is
refused with `THROTTLED`, HTTP 429 and the seconds to wait. In process and on real Redis
(a database of it this test run has claimed, see `redis_db_url`)."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from merchantops.api.app import create_app
from merchantops.api.throttle import KEY_PREFIX, LocalBuckets, RedisBuckets
from merchantops.settings import Settings
from merchantops.tenants import api_keys
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Department, Tenant
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, add_member, make_shop, principal
from tests.support.scrape import value

CAPACITY = 100
# `members(first: 40) { edges { node { id } } }`: 2 + 40 * 2
QUERY = "{ members(first: 40) { edges { node { id } } } }"
QUERY_COST = 82


@pytest.fixture
def settings(db: str) -> Settings:
    # a leak so slow that nothing drains while a test runs
    return make_settings(
        db, throttle_capacity=CAPACITY, max_query_cost=CAPACITY, throttle_leak_per_second=0.001
    )


@pytest.fixture
async def shop_callers(gql: GraphQLClient) -> dict[str, dict[str, Any]]:
    shop = await make_shop("acme")
    await add_member(shop, "clerk@acme.example.com", ["auditor"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    clerk = (await gql.login("clerk@acme.example.com", PASSWORD))["accessToken"]
    with tenant_scope(shop.tenant.id):
        key = await api_keys.create_api_key(
            await principal(shop), "erp", "owner", ["*:*"], expires_at=None
        )
    return {
        "owner": {"token": owner, "tenant": "acme"},
        "clerk": {"token": clerk, "tenant": "acme"},
        "api_key": {"token": key.key},
    }


async def test_a_query_that_fits_the_bucket_runs_and_reports_what_is_left(
    gql: GraphQLClient, shop_callers: dict[str, dict[str, Any]]
) -> None:
    response = await gql.post(QUERY, **shop_callers["owner"])

    assert response.status_code == 200
    assert response.json()["extensions"]["cost"] == {
        "requested": QUERY_COST,
        "maximum": CAPACITY,
        "throttle": {
            "capacity": CAPACITY,
            "remaining": CAPACITY - QUERY_COST,
            "leakPerSecond": 0.001,
        },
    }


async def test_a_query_that_would_overflow_the_bucket_is_throttled_with_the_wait(
    gql: GraphQLClient, shop_callers: dict[str, dict[str, Any]]
) -> None:
    await gql.post(QUERY, **shop_callers["owner"])
    throttled = value("merchantops_refusals_total", code="THROTTLED")

    response = await gql.post(QUERY, **shop_callers["owner"])

    body = response.json()
    assert response.status_code == 429
    assert value("merchantops_refusals_total", code="THROTTLED") == throttled + 1
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "THROTTLED"
    # 82 + 82 - 100 = 64 units over, leaking 0.001 a second
    wait = error["extensions"]["retryAfter"]
    assert 63_000 < wait <= 64_000
    assert response.headers["retry-after"] == str(wait)


async def test_a_throttled_mutation_changes_nothing(
    gql: GraphQLClient, shop_callers: dict[str, dict[str, Any]]
) -> None:
    await gql.post(QUERY, **shop_callers["owner"])

    # 12 each: the first fits in the 18 left, the second does not
    fits, late = [
        await gql.post(
            f'mutation {{ createDepartment(input: {{slug: "{slug}", name: "{slug}"}}) '
            "{ department { slug } errors { code } } }",
            **shop_callers["owner"],
        )
        for slug in ("fits", "late")
    ]

    assert fits.json()["data"]["createDepartment"]["department"] == {"slug": "fits"}
    assert late.status_code == 429
    tenant = await Tenant.get(slug="acme")
    with tenant_scope(tenant.id):
        assert await Department.filter(slug="late").count() == 0


async def test_each_user_and_each_api_key_has_its_own_bucket(
    gql: GraphQLClient, shop_callers: dict[str, dict[str, Any]]
) -> None:
    await gql.post(QUERY, **shop_callers["owner"])
    assert (await gql.post(QUERY, **shop_callers["owner"])).status_code == 429

    clerk = await gql.post(QUERY, **shop_callers["clerk"])
    api_key = await gql.post(QUERY, **shop_callers["api_key"])

    assert clerk.status_code == 200
    assert "errors" not in clerk.json()
    assert api_key.status_code == 200
    assert "errors" not in api_key.json()


# each would cost 2 (a connection of nothing but scalars), 200 in all, if refusals were charged
PAGE = "query($n: Int) { members(first: $n) { __typename } }"
REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("{ members(first: 101) { __typename } }", {}, "BAD_PAGINATION"),
    (PAGE, {"n": -1}, "BAD_PAGINATION"),
    (PAGE, {"n": "forty"}, "BAD_USER_INPUT"),
    (PAGE, {"n": 2**31}, "BAD_USER_INPUT"),
    ("{ members(frist: 40) { __typename } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ members(first: 40) { __typename }", {}, "GRAPHQL_PARSE_FAILED"),
    ("{ members(first: 60) { edges { node { id } } } }", {}, "QUERY_TOO_EXPENSIVE"),
]


async def test_a_hundred_refused_queries_leave_the_bucket_full(
    gql: GraphQLClient, shop_callers: dict[str, dict[str, Any]]
) -> None:
    # given: a caller whose mistakes would have cost 100 times the bucket
    for document, variables, code in itertools.islice(itertools.cycle(REFUSED), 100):
        refused = await gql.post(document, variables, **shop_callers["owner"])
        assert refused.status_code == 200, refused.text
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == [code]

    # when
    response = await gql.post(QUERY, **shop_callers["owner"])

    # then: the first query that runs is the first one charged
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert response.json()["extensions"]["cost"]["throttle"]["remaining"] == CAPACITY - QUERY_COST


async def test_a_page_size_over_the_cap_is_refused_before_the_resolver_asks_who_is_calling(
    gql: GraphQLClient,
) -> None:
    refused = value("merchantops_refusals_total", code="BAD_PAGINATION")

    response = await gql.post("{ members(first: 101) { edges { node { id } } } }")

    assert value("merchantops_refusals_total", code="BAD_PAGINATION") == refused + 1

    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "'first' must be between 0 and 100.",
                "extensions": {"code": "BAD_PAGINATION", "field": "first"},
            }
        ],
    }


async def test_the_bucket_leaks_at_its_rate() -> None:
    now = [1000.0]
    buckets = LocalBuckets(capacity=100, leak_per_second=10, clock=lambda: now[0])

    assert (await buckets.drain("user:1", 100)).allowed
    refused = await buckets.drain("user:1", 30)
    now[0] += 2.0  # 20 leaked
    still_refused = await buckets.drain("user:1", 30)
    now[0] += 1.0  # 30 leaked
    allowed = await buckets.drain("user:1", 30)

    assert (refused.allowed, refused.wait, refused.retry_after) == (False, 3.0, 3)
    assert (still_refused.allowed, still_refused.retry_after) == (False, 1)
    assert allowed.allowed
    assert allowed.level == 100


async def test_the_local_table_forgets_the_least_recent_callers_beyond_its_bound() -> None:
    buckets = LocalBuckets(capacity=10, leak_per_second=0.001, max_buckets=2)

    await buckets.drain("a", 10)
    await buckets.drain("b", 10)
    await buckets.drain("c", 10)

    assert (await buckets.drain("a", 10)).allowed  # forgotten, so full again
    assert not (await buckets.drain("c", 10)).allowed


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture
async def redis_url(redis_db_url: str) -> AsyncIterator[str]:
    yield redis_db_url
    client = Redis.from_url(redis_db_url, socket_connect_timeout=1)
    async for key in client.scan_iter(match=KEY_PREFIX + "test-*"):
        await client.delete(key)
    await client.aclose()


def _key() -> str:
    return f"test-{uuid.uuid4().hex}"


async def test_redis_buckets_are_shared_by_every_api_process(redis_url: str) -> None:
    first, second = (
        RedisBuckets(redis_url, 100, 10, LocalBuckets(100, 10), clock=lambda: 1000.0)
        for _ in range(2)
    )
    key = _key()
    try:
        allowed = await first.drain(key, 60)
        refused = await second.drain(key, 60)
    finally:
        await first.close()
        await second.close()

    assert allowed.allowed
    assert not refused.allowed
    assert refused.wait == pytest.approx(2.0)  # 20 over at 10 a second


async def test_redis_buckets_leak_by_the_clock(redis_url: str) -> None:
    now = [1000.0]
    buckets = RedisBuckets(redis_url, 100, 10, LocalBuckets(100, 10), clock=lambda: now[0])
    key = _key()
    try:
        full = await buckets.drain(key, 100)
        refused = await buckets.drain(key, 30)
        now[0] += 3.0
        allowed = await buckets.drain(key, 30)
        again = await buckets.drain(key, 1)
    finally:
        await buckets.close()

    assert full.allowed
    assert (refused.allowed, refused.retry_after) == (False, 3)
    assert allowed.allowed
    assert not again.allowed


async def test_concurrent_queries_never_overfill_a_redis_bucket(redis_url: str) -> None:
    buckets = RedisBuckets(redis_url, 100, 0.001, LocalBuckets(100, 0.001))
    key = _key()
    try:
        decisions = await asyncio.gather(*(buckets.drain(key, 10) for _ in range(50)))
    finally:
        await buckets.close()

    assert sum(decision.allowed for decision in decisions) == 10


async def test_redis_buckets_use_the_server_clock_and_expire(redis_url: str) -> None:
    buckets = RedisBuckets(redis_url, 100, 10, LocalBuckets(100, 10))
    key = _key()
    try:
        decision = await buckets.drain(key, 50)
        ttl = await buckets.redis.pttl(KEY_PREFIX + key)
    finally:
        await buckets.close()

    assert decision.allowed
    assert 0 < ttl <= 6000  # empty after 5 s, plus a second


async def test_without_redis_the_process_keeps_limiting() -> None:
    fallback = LocalBuckets(100, 0.001)
    buckets = RedisBuckets("redis://127.0.0.1:1/0", 100, 0.001, fallback)
    try:
        first = await buckets.drain("user:1", 80)
        second = await buckets.drain("user:1", 80)
    finally:
        await buckets.close()

    assert first.allowed
    assert not second.allowed


async def test_two_api_processes_on_one_redis_throttle_one_api_key_together(
    db: str, redis_url: str, jobs: InProcessQueue
) -> None:
    # given: two app instances (as two processes would be) sharing Redis
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        key = await api_keys.create_api_key(
            await principal(shop), "erp", "owner", ["*:*"], expires_at=None
        )
    settings = make_settings(
        db,
        redis_url=redis_url,
        throttle_capacity=CAPACITY,
        max_query_cost=CAPACITY,
        throttle_leak_per_second=0.001,
    )
    answers: list[httpx.Response] = []
    apps = [create_app(settings, manage_db=False, background=Background(queue=jobs)) for _ in "ab"]
    try:
        for app in apps:
            async with (
                app.router.lifespan_context(app),  # closes the app's Redis connections
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://test"
                ) as http,
            ):
                answers.append(await GraphQLClient(http).post(QUERY, token=key.key))
    finally:
        await _cleanup(redis_url, f"api_key:{key.api_key.public_id}")

    assert [answer.status_code for answer in answers] == [200, 429]


async def _cleanup(redis_url: str, key: str) -> None:
    client: Any = Redis.from_url(redis_url)
    await client.delete(KEY_PREFIX + key)
    await client.aclose()
