"""Every error a client can receive carries `extensions.code`: GraphQL's own (syntax, validation,
variable values), the API's refusals, and the HTTP layer's. A mistake in a variable's value is
`BAD_USER_INPUT` naming the variable; the same mistake written in the document is
`GRAPHQL_VALIDATION_FAILED`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from merchantops.api.app import create_app
from merchantops.api.graphql.core.errors import MAX_MESSAGE_CHARS
from merchantops.settings import Settings
from merchantops.tenants import admin
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_shop, make_user
from tests.security.test_graphql_fuzz import _ROOTS, OPERATIONS

assert _ROOTS.query_type is not None
assert _ROOTS.mutation_type is not None

PAGE = "query($first: Int) { products(first: $first) { edges { cursor } } }"
JOBS = "query($status: JobStatus) { jobs(status: $status) { edges { cursor } } }"
PRODUCTS = "query($filter: ProductFilter) { products(filter: $filter) { edges { cursor } } }"
PRODUCT = "query($id: ID!) { product(id: $id) { name } }"
AUDIT = "query($filter: AuditLogFilter) { auditLog(filter: $filter) { edges { cursor } } }"

# (document, variables, the variable at fault, the same mistake written inline)
MISTAKES: dict[str, tuple[str, dict[str, Any], str, str]] = {
    "a string for an Int": (
        PAGE,
        {"first": "ten"},
        "$first",
        '{ products(first: "ten") { edges { cursor } } }',
    ),
    "an Int over 32 bits": (
        PAGE,
        {"first": 2**32},
        "$first",
        "{ products(first: 4294967296) { edges { cursor } } }",
    ),
    "an unknown enum value": (
        JOBS,
        {"status": "DONE"},
        "$status",
        "{ jobs(status: DONE) { edges { cursor } } }",
    ),
    "an unknown input field": (
        PRODUCTS,
        {"filter": {"stag": "GROWTH"}},
        "$filter",
        "{ products(filter: {stag: GROWTH}) { edges { cursor } } }",
    ),
    "null for a non-null": (PRODUCT, {"id": None}, "$id", "{ product(id: null) { name } }"),
    "a missing variable": (PRODUCT, {}, "$id", "{ product { name } }"),
    "a malformed DateTime": (
        AUDIT,
        {"filter": {"since": "yesterday"}},
        "$filter",
        '{ auditLog(filter: {since: "yesterday"}) { edges { cursor } } }',
    ),
}


def codes(response: httpx.Response) -> list[Any]:
    return [(error.get("extensions") or {}).get("code") for error in response.json()["errors"]]


def assert_every_error_has_a_code(response: httpx.Response, sent: object = None) -> None:
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str), (sent, response.status_code, error)
        assert code, (sent, error)
        assert len(error["message"]) <= MAX_MESSAGE_CHARS + 1, (sent, error)


@pytest.mark.parametrize("mistake", list(MISTAKES))
async def test_a_bad_variable_value_is_refused_with_bad_user_input_naming_the_variable(
    gql: GraphQLClient, mistake: str
) -> None:
    document, variables, variable, _ = MISTAKES[mistake]

    response = await gql.post(document, variables)

    assert response.status_code == 200
    assert response.json()["data"] is None
    errors = response.json()["errors"]
    assert [error["extensions"] for error in errors] == [
        {"code": "BAD_USER_INPUT", "field": variable}
    ]
    assert variable in errors[0]["message"]


@pytest.mark.parametrize("mistake", list(MISTAKES))
async def test_the_same_mistake_written_inline_is_a_validation_error(
    gql: GraphQLClient, mistake: str
) -> None:
    inline = MISTAKES[mistake][3]

    response = await gql.post(inline)

    assert response.status_code == 200
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}


# --- the HTTP layer ------------------------------------------------------------------------


@pytest.fixture
async def strict(db: str, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    """An app with small limits, so that each HTTP refusal is easy to provoke."""
    settings = make_settings(
        db,
        max_body_bytes=4096,
        request_timeout_seconds=0.5,
        throttle_capacity=300,
        max_query_cost=300,
        throttle_leak_per_second=0.001,
    )
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_every_http_refusal_carries_a_code(
    gql: GraphQLClient, strict: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a platform admin (logged in where logging in has time), and a mutation that
    # never finishes on its own
    await make_user("root@platform.example.com", platform_admin=True)
    token = (await gql.login("root@platform.example.com", PASSWORD))["accessToken"]

    async def stuck(*args: object, **kwargs: object) -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(admin, "set_tenant_status", stuck)
    json_type = {"content-type": "application/json"}
    page = {"query": "{ products(first: 100) { edges { cursor } } }"}  # costs 102 of 300

    # when
    responses = [
        await strict.post("/graphql", content=b'{"query": ', headers=json_type),
        await strict.post("/graphql", json={"query": "query A { id }", "operationName": "B"}),
        await strict.post("/graphql", json=page, headers={"authorization": "Bearer forged"}),
        await GraphQLClient(strict).post(page["query"], token=token, tenant="nowhere"),
        await strict.get("/nowhere"),
        await strict.put("/graphql", json=page),
        await strict.post("/graphql", content=b" " * 5000, headers=json_type),
        await strict.post("/graphql", content=b"{ __typename }", headers={"content-type": "text"}),
        *[await strict.post("/graphql", json=page) for _ in range(3)],
        await GraphQLClient(strict).post(
            'mutation { setTenantStatus(input: {slug: "x", status: ACTIVE}) { errors { code } } }',
            token=token,
        ),
    ]

    # then
    statuses = {response.status_code for response in responses}
    assert {400, 401, 403, 404, 405, 413, 415, 429, 503} <= statuses
    for response in responses:
        assert response.json()["errors"], response.text
        assert_every_error_has_a_code(response)


# --- generated bad documents and variables -------------------------------------------------

NOISE = "{}()[]:$@!=.,\"' \n_azAZ09"
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)
FIELDS_WITH_ARGUMENTS = [
    (kind, name, field)
    for kind, root in (("query", _ROOTS.query_type), ("mutation", _ROOTS.mutation_type))
    for name, field in sorted(root.fields.items())
    if field.args
]


@st.composite
def corrupted_documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A valid operation with a few characters replaced by noise."""
    document = draw(OPERATIONS)
    at = draw(st.integers(0, len(document)))
    cut = draw(st.integers(0, 8))
    noise = draw(st.text(alphabet=NOISE, max_size=8))
    return document[:at] + noise + document[at + cut :], {}


@st.composite
def arbitrary_variables(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A root field with every argument a variable of the argument's type, and any JSON (or
    nothing) for each."""
    kind, name, field = draw(st.sampled_from(FIELDS_WITH_ARGUMENTS))
    definitions = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    named = graphql.get_named_type(field.type)
    selection = " { __typename }" if graphql.is_composite_type(named) else ""
    variables = draw(st.fixed_dictionaries({}, optional=dict.fromkeys(field.args, JSON_VALUES)))
    return f"{kind}({definitions}) {{ {name}({arguments}){selection} }}", variables


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, max_query_cost=10_000_000, throttle_capacity=10_000_000)


@pytest.fixture
async def owner(gql: GraphQLClient) -> dict[str, Any]:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    return {"token": token, "tenant": "acme"}


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@hypothesis_settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=st.one_of(corrupted_documents(), arbitrary_variables()))
async def test_generated_bad_documents_and_variables_get_errors_that_all_have_a_code(
    gql: GraphQLClient, owner: dict[str, Any], request: tuple[str, dict[str, Any]]
) -> None:
    document, variables = request

    response = await gql.post(document, variables, **owner)

    assert response.status_code < 500, (request, response.text)
    assert_every_error_has_a_code(response, request)
