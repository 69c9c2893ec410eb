"""Requests the API cannot use get a clean JSON 4xx (never a 500); oversized bodies and slow
requests are cut off; production serves no developer tools."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Message
from structlog.testing import capture_logs

from merchantops.api.app import create_app
from merchantops.settings import Environment, Settings
from merchantops.tenants import admin
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_user

MAX_BODY = 2048


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, max_body_bytes=MAX_BODY, request_timeout_seconds=2.0)


def refusal(response: httpx.Response) -> tuple[int, str]:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    return response.status_code, body["errors"][0]["extensions"]["code"]


def padded(size: int) -> bytes:
    """A valid GraphQL request body of exactly `size` bytes."""
    body = json.dumps({"query": "{ __typename }", "variables": {"pad": ""}})
    return body.replace('"pad": ""', '"pad": "' + "x" * (size - len(body)) + '"').encode()


async def test_a_body_at_the_cap_is_served(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=padded(MAX_BODY), headers={"content-type": "application/json"}
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


async def test_a_body_one_byte_over_the_cap_is_refused_by_its_length(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", content=padded(MAX_BODY + 1), headers={"content-type": "application/json"}
    )

    assert refusal(response) == (413, "BODY_TOO_LARGE")


async def test_a_streamed_body_is_cut_off_once_it_passes_the_cap(
    client: httpx.AsyncClient,
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"pad": "'
        for number in range(100):
            sent.append(number)
            yield b"x" * 512
        yield b'"}}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    assert refusal(response) == (413, "BODY_TOO_LARGE")
    assert len(sent) < 10  # the other 45 KiB were never read


JSON = "application/json"
BAD = (400, "BAD_REQUEST")
UNSUPPORTED = (415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b'{"query": "{ __typename }"', JSON, BAD),
        (b"\xff\xfe not json", JSON, BAD),
        (b'"{ __typename }"', JSON, BAD),
        (b"42", JSON, BAD),
        (b"[" * 2000, JSON, BAD),
        (b'[{"query": "{ __typename }"}]', JSON, BAD),
        (b'{"query": 42}', JSON, BAD),
        (b'{"query": "{ __typename }", "variables": [1]}', JSON, BAD),
        (b"{}", JSON, BAD),
        (b"{ __typename }", "application/graphql", UNSUPPORTED),
        (b"query={__typename}", "application/x-www-form-urlencoded", UNSUPPORTED),
        (b'{"query": "{ __typename }"}', "text/plain", UNSUPPORTED),
    ],
)
async def test_requests_that_are_not_a_json_graphql_request_get_a_clean_4xx(
    client: httpx.AsyncClient, content: bytes, content_type: str, expected: tuple[int, str]
) -> None:
    response = await client.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )

    assert refusal(response) == expected


@pytest.mark.parametrize(
    ("operation_name", "document"),
    [
        ("Missing", "query Here { __typename }"),
        (None, "query A { __typename } query B { __typename }"),
        (42, "query A { __typename }"),
    ],
)
async def test_an_operation_name_that_names_no_operation_gets_a_clean_400(
    client: httpx.AsyncClient, operation_name: Any, document: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": document, "operationName": operation_name}
    )

    assert refusal(response) == (400, "BAD_REQUEST")


async def test_a_client_hanging_up_mid_body_is_logged_as_a_disconnect_not_an_error(
    settings: Settings, jobs: InProcessQueue
) -> None:
    # given: a client that sends half its body, then goes away
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"query": "{ __type', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    # when
    with capture_logs() as logs:
        await app(scope, receive, send)

    # then: no exception, no response for nobody, one line saying what happened
    assert sent == []
    assert [entry["event"] for entry in logs] == ["client.disconnected"]
    assert logs[0]["log_level"] == "info"
    assert logs[0]["body_bytes_received"] == 19


async def test_a_request_within_the_timeout_is_answered(gql: GraphQLClient) -> None:
    body = await gql.execute("{ __typename }")

    assert body["data"] == {"__typename": "Query"}


async def test_a_request_over_the_timeout_is_stopped_with_a_clean_503(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a resolver that never finishes on its own
    await make_user("root@platform.example.com", platform_admin=True)
    token = (await gql.login("root@platform.example.com", PASSWORD))["accessToken"]
    cancelled = asyncio.Event()

    async def stuck(*args: object, **kwargs: object) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    monkeypatch.setattr(admin, "set_tenant_status", stuck)

    # when
    response = await gql.post(
        'mutation { setTenantStatus(input: {slug: "x", status: ACTIVE}) { errors { code } } }',
        token=token,
    )

    # then
    assert refusal(response) == (503, "TIMEOUT")
    assert response.headers["x-request-id"]
    assert cancelled.is_set()


# --- production posture -------------------------------------------------------------------


@pytest.fixture
async def production(db: str, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment=Environment.PRODUCTION, database_url=db, secret_key="p" * 48)
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as http:
        yield http


async def test_production_refuses_introspection(production: httpx.AsyncClient) -> None:
    schema = await production.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    one_type = await production.post(
        "/graphql", json={"query": '{ __type(name: "Query") { name } }'}
    )
    typename = await production.post("/graphql", json={"query": "{ __typename }"})

    for response in (schema, one_type):
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in error["message"]
    assert typename.json()["data"] == {"__typename": "Query"}


async def test_production_serves_no_graphiql_and_no_get_queries(
    production: httpx.AsyncClient,
) -> None:
    ide = await production.get("/graphql", headers={"accept": "text/html"})
    query = await production.get("/graphql", params={"query": "{ __typename }"})

    assert refusal(ide) == (405, "METHOD_NOT_ALLOWED")
    assert refusal(query) == (405, "METHOD_NOT_ALLOWED")
    assert query.headers["allow"] == "POST"


async def test_development_serves_graphiql_and_get_queries(client: httpx.AsyncClient) -> None:
    ide = await client.get("/graphql", headers={"accept": "text/html"})
    query = await client.get("/graphql", params={"query": "{ __typename }"})

    assert ide.status_code == 200
    assert "graphiql" in ide.text.lower()
    assert query.json()["data"] == {"__typename": "Query"}


async def test_production_suggests_no_field_names(
    production: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    typo = {"query": "{ currentTenan { slug } }"}

    in_production = (await production.post("/graphql", json=typo)).json()["errors"][0]
    in_development = (await client.post("/graphql", json=typo)).json()["errors"][0]

    assert "Did you mean" not in in_production["message"]
    assert "currentTenant" not in in_production["message"]
    assert "Did you mean 'currentTenant'" in in_development["message"]


async def test_production_masks_unexpected_errors_with_the_request_id(
    production: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user("root@platform.example.com", platform_admin=True)
    login = await production.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, "
            "password: $p}) { session { accessToken } } }",
            "variables": {"e": "root@platform.example.com", "p": PASSWORD},
        },
    )
    token = login.json()["data"]["login"]["session"]["accessToken"]

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection string postgres://secret@db")

    monkeypatch.setattr(admin, "set_tenant_status", broken)

    response = await production.post(
        "/graphql",
        json={"query": 'mutation { setTenantStatus(input: {slug: "x", status: ACTIVE}) { errors '
              "{ code } } }"},
        headers={"authorization": f"Bearer {token}"},
    )  # fmt: skip

    assert "secret" not in response.text
    assert response.json()["errors"][0]["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
