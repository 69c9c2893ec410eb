"""Error messages give nothing away: in production no "Did you mean ...?" for any name or value
(the schema stays private with introspection off), and no message anywhere echoes more than a
little of what the client sent."""

from __future__ import annotations

import string
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from merchantops.api.app import create_app
from merchantops.api.graphql.core.errors import MAX_MESSAGE_CHARS, MAX_QUOTED_CHARS
from merchantops.settings import Environment, Settings
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue

JOBS = "query($status: JobStatus) { jobs(status: $status) { edges { cursor } } }"
PRODUCTS = "query($filter: ProductFilter) { products(filter: $filter) { edges { cursor } } }"
PAGE = "query($first: Int) { products(first: $first) { edges { cursor } } }"
AUDIT = "query($filter: AuditLogFilter) { auditLog(filter: $filter) { edges { cursor } } }"

# mistakes graphql-core answers with a suggestion, each close to a real name
NEAR_MISSES: dict[str, tuple[str, dict[str, Any]]] = {
    "an unknown argument": ("{ products(frist: 1) { edges { cursor } } }", {}),
    "a fragment on an unknown type": ("fragment F on Quer { __typename } { ...F }", {}),
    "an unknown variable type": (
        "query($s: JobStatu) { jobs(status: $s) { edges { cursor } } }",
        {},
    ),
    "a bad enum literal": ("{ jobs(status: DEA) { edges { cursor } } }", {}),
    "a bad enum variable": (JOBS, {"status": "DEA"}),
    "an unknown input field, literal": (
        "{ products(filter: {stag: GROWTH}) { edges { cursor } } }",
        {},
    ),
    "an unknown input field, variable": (PRODUCTS, {"filter": {"stag": "GROWTH"}}),
    "an unknown field": ("{ currentTenan { slug } }", {}),
}


@pytest.fixture
async def production(db: str, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment=Environment.PRODUCTION, database_url=db, secret_key="p" * 48)
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as http:
        yield http


def messages(response: httpx.Response) -> list[str]:
    errors = response.json()["errors"]
    assert errors, response.text
    return [error["message"] for error in errors]


@pytest.mark.parametrize("mistake", list(NEAR_MISSES))
async def test_production_answers_a_near_miss_without_suggesting_a_name(
    production: httpx.AsyncClient, mistake: str
) -> None:
    document, variables = NEAR_MISSES[mistake]

    response = await production.post("/graphql", json={"query": document, "variables": variables})

    for message in messages(response):
        assert "Did you mean" not in message, message


@pytest.mark.parametrize("mistake", list(NEAR_MISSES))
async def test_development_answers_a_near_miss_with_a_suggestion(
    client: httpx.AsyncClient, mistake: str
) -> None:
    document, variables = NEAR_MISSES[mistake]

    response = await client.post("/graphql", json={"query": document, "variables": variables})

    assert any("Did you mean" in message for message in messages(response)), response.text


async def test_an_unknown_operation_name_of_half_a_megabyte_gets_a_short_400(
    production: httpx.AsyncClient,
) -> None:
    name = "B" * 500_000

    response = await production.post(
        "/graphql", json={"query": "query A { __typename }", "operationName": name}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert len(response.text) < 300
    assert "B" * 100 in response.text


def _request(template: str, big: str) -> dict[str, Any]:
    """A request with `big` (letters only) where `template` says."""
    match template:
        case "operation name":
            return {"query": "query A { __typename }", "operationName": big}
        case "enum variable":
            return {"query": JOBS, "variables": {"status": big}}
        case "input field variable":
            return {"query": PRODUCTS, "variables": {"filter": {big: 1}}}
        case "Int variable":
            return {"query": PAGE, "variables": {"first": big}}
        case "DateTime variable":
            return {"query": AUDIT, "variables": {"filter": {"since": big}}}
        case _:
            return {"query": template.replace("BIG", big)}


TEMPLATES = [
    "operation name",
    "enum variable",
    "input field variable",
    "Int variable",
    "DateTime variable",
    "{ BIG }",
    "{ products(BIG: 1) { edges { cursor } } }",
    "fragment F on BIG { __typename } { ...F }",
    "query($v: BIG) { __typename }",
    "{ jobs(status: BIG) { edges { cursor } } }",
    '{ products(first: "BIG") { edges { cursor } } }',
    "{ __typename } fragment BIG on Query { __typename }",
    "query BIG { __typename } query BIG { __typename }",
    "{ products(filter: {BIG: 1}) { edges { cursor } } }",
    "{ ...BIG }",
]
BIG = st.tuples(
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=8), st.integers(200, 300_000)
).map(lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]])


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@hypothesis_settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(template=st.sampled_from(TEMPLATES), big=BIG)
async def test_no_error_message_echoes_a_large_input(
    client: httpx.AsyncClient, template: str, big: str
) -> None:
    response = await client.post("/graphql", json=_request(template, big))

    assert response.status_code < 500, response.text[:1000]
    for message in messages(response):
        assert len(message) <= MAX_MESSAGE_CHARS + 1, (template, len(big), message[:1000])
        assert big[: MAX_QUOTED_CHARS + 1] not in message, (template, len(big), message[:1000])
