"""The real schema answers the same through compiled execution as through graphql-core.

Generated queries (hypothesis-graphql over `schema.graphql`, every query root field) run against
the demo tenant's supply chain as its owner and as the warehouse clerk (who sees contacts
masked), through the app as it ships and through an app whose schema executes with
graphql-core's stock executor; status, data and errors must be identical.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from merchantops.api.app import create_app
from merchantops.api.graphql.core.execution import CompiledExecutor
from merchantops.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, DEMO_SLUG, ensure_demo
from merchantops.domain.seeding import CLERK
from merchantops.settings import Settings
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.security.test_graphql_fuzz import SCALARS

REQUEST_ID = re.compile(r"request id [0-9a-f]{32}")
SCHEMA = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
ROOTS = sorted(graphql.build_schema(SCHEMA).query_type.fields)  # type: ignore[union-attr]
QUERIES = st.sampled_from(ROOTS).flatmap(
    lambda name: queries(SCHEMA, fields=[name], custom_scalars=SCALARS)
)


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, max_query_cost=10_000_000, throttle_capacity=10_000_000)


@pytest.fixture
async def stock(settings: Settings, jobs: InProcessQueue) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    endpoint: Any = app.routes[0].endpoint  # type: ignore[attr-defined]
    endpoint.graphql.schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


@pytest.fixture
async def callers(gql: GraphQLClient) -> list[dict[str, str]]:
    await ensure_demo()
    return [
        {"token": (await gql.login(email, password))["accessToken"], "tenant": DEMO_SLUG}
        for email, password in (
            (DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD),
            (CLERK.email, CLERK.password),
        )
    ]


def _answer(response: httpx.Response) -> Any:
    body = response.json()
    errors = [
        (
            REQUEST_ID.sub("<request id>", error["message"]),
            error.get("path"),
            (error.get("extensions") or {}).get("code"),
        )
        for error in body.get("errors", [])
    ]
    return response.status_code, _logged_ids_blanked(body.get("data")), errors


# Ids of what a query records as it answers (`searchArticles` logs each search): new each time.
LOGGED_IDS = frozenset({"searchId"})


def _logged_ids_blanked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: "<logged>" if key in LOGGED_IDS and item else _logged_ids_blanked(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_logged_ids_blanked(item) for item in value]
    return value


@hypothesis_settings(
    max_examples=80,
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=QUERIES)
async def test_generated_queries_answer_the_same_through_both_executors(
    gql: GraphQLClient, stock: GraphQLClient, callers: list[dict[str, str]], document: str
) -> None:
    for caller in callers:
        # asked before and after: an answer may change in between (an audited refusal is a
        # new audit row), the compiled one must equal one of them
        before = _answer(await stock.post(document, token=caller["token"], tenant=DEMO_SLUG))
        compiled = _answer(await gql.post(document, token=caller["token"], tenant=DEMO_SLUG))
        after = _answer(await stock.post(document, token=caller["token"], tenant=DEMO_SLUG))
        assert compiled in (before, after), (document, before, compiled, after)


PAGE = """{ products(first: 50) { edges { cursor node {
  id name category stage createdAt contactName contactEmail nextStages
  skus { code price product { name } }
} } pageInfo { hasNextPage endCursor } } }"""


async def test_the_read_path_query_is_compiled_once_and_answers_the_same(
    gql: GraphQLClient, stock: GraphQLClient, callers: list[dict[str, str]]
) -> None:
    owner, clerk = callers
    first = await gql.execute(PAGE, token=clerk["token"], tenant=DEMO_SLUG)
    plans = len(CompiledExecutor._plans)
    again = await gql.execute(PAGE, token=clerk["token"], tenant=DEMO_SLUG)

    assert len(CompiledExecutor._plans) == plans  # the parsed document, and its plan, reused
    assert any(plan is not None for _, plan in CompiledExecutor._plans.values())
    assert (
        first["data"]
        == again["data"]
        == (await stock.execute(PAGE, token=clerk["token"], tenant=DEMO_SLUG))["data"]
    )
    assert "errors" not in first
    nodes = [edge["node"] for edge in first["data"]["products"]["edges"]]
    owner_nodes = [
        edge["node"]
        for edge in (await gql.execute(PAGE, token=owner["token"], tenant=DEMO_SLUG))["data"][
            "products"
        ]["edges"]
    ]
    assert len(nodes) == 10
    # the clerk sees contacts masked, the owner in full: same query, same plan, two answers
    assert all(
        node["contactEmail"] != full["contactEmail"]
        for node, full in zip(nodes, owner_nodes, strict=True)
        if full["contactEmail"]
    )
