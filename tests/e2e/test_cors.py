"""A merchant front end on another origin can call the API from a browser; other pages can't."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from merchantops.api.app import create_app
from merchantops.settings import Environment, Settings
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import make_settings

CONSOLE = "https://console.example.com"
ELSEWHERE = "https://evil.example.net"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, x-tenant, x-request-id",
}
QUERY = {"query": "{ __typename }"}


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, cors_allowed_origins=(CONSOLE,), max_body_bytes=1024)


async def _client(settings: Settings, jobs: InProcessQueue) -> httpx.AsyncClient:
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


@pytest.fixture
async def production(db: str, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment=Environment.PRODUCTION, database_url=db, secret_key="p" * 48)
    async with await _client(settings, jobs) as http:
        yield http


@pytest.fixture
async def development(db: str, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment=Environment.DEVELOPMENT, database_url=db, secret_key="d" * 48)
    async with await _client(settings, jobs) as http:
        yield http


async def test_preflight_from_an_allowed_origin_is_answered_with_the_api_headers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options("/graphql", headers={"Origin": CONSOLE, **PREFLIGHT})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CONSOLE
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    allowed = {h.lower() for h in response.headers["access-control-allow-headers"].split(", ")}
    assert {"authorization", "content-type", "x-tenant", "x-request-id"} <= allowed
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]
    assert response.headers["x-request-id"]


async def test_preflight_from_another_origin_is_refused_without_an_allowed_origin(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options("/graphql", headers={"Origin": ELSEWHERE, **PREFLIGHT})

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["errors"][0]["extensions"]["code"] == "CORS_REFUSED"
    assert response.json()["data"] is None


async def test_preflight_asking_for_an_unlisted_header_is_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options(
        "/graphql",
        headers={
            "Origin": CONSOLE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-secret-backdoor",
        },
    )

    assert response.status_code == 400
    assert "headers" in response.json()["errors"][0]["message"]


async def test_post_from_an_allowed_origin_can_be_read_with_its_request_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"Origin": CONSOLE})

    assert response.json()["data"] == {"__typename": "Query"}
    assert response.headers["access-control-allow-origin"] == CONSOLE
    exposed = {h.lower() for h in response.headers["access-control-expose-headers"].split(", ")}
    assert exposed == {"x-request-id", "retry-after"}
    assert "access-control-allow-credentials" not in response.headers


async def test_post_from_another_origin_carries_no_allowed_origin(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"Origin": ELSEWHERE})

    assert "access-control-allow-origin" not in response.headers


async def test_refusals_from_the_guards_and_auth_are_readable_by_an_allowed_origin(
    client: httpx.AsyncClient,
) -> None:
    too_large = await client.post(
        "/graphql",
        content=b'{"query": "{ __typename }", "pad": "' + b"x" * 2000 + b'"}',
        headers={"Origin": CONSOLE, "Content-Type": "application/json"},
    )
    bad_token = await client.post(
        "/graphql", json=QUERY, headers={"Origin": CONSOLE, "Authorization": "Bearer nonsense"}
    )
    not_found = await client.get("/nowhere", headers={"Origin": CONSOLE})

    assert [too_large.status_code, bad_token.status_code, not_found.status_code] == [413, 401, 404]
    for response in (too_large, bad_token, not_found):
        assert response.headers["access-control-allow-origin"] == CONSOLE
        assert response.headers["x-request-id"]


async def test_production_without_configured_origins_allows_none(
    production: httpx.AsyncClient,
) -> None:
    preflight = await production.options(
        "/graphql", headers={"Origin": "http://localhost:3000", **PREFLIGHT}
    )
    post = await production.post("/graphql", json=QUERY, headers={"Origin": CONSOLE})

    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in post.headers


async def test_development_without_configured_origins_allows_local_front_ends_only(
    development: httpx.AsyncClient,
) -> None:
    local = await development.options(
        "/graphql", headers={"Origin": "http://localhost:5173", **PREFLIGHT}
    )
    loopback = await development.options(
        "/graphql", headers={"Origin": "http://127.0.0.1:3000", **PREFLIGHT}
    )
    remote = await development.options("/graphql", headers={"Origin": CONSOLE, **PREFLIGHT})
    lookalike = await development.options(
        "/graphql", headers={"Origin": "http://localhost.evil.example.net", **PREFLIGHT}
    )

    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert loopback.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert (remote.status_code, lookalike.status_code) == (400, 400)
    assert "access-control-allow-origin" not in lookalike.headers
