"""Tracing, with the SDK's in-memory exporter: spans for the HTTP request, the GraphQL
operation, DataLoader batches, SQL statements (PostgreSQL) and jobs; log lines carry the trace."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import structlog
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from merchantops.api.app import create_app
from merchantops.log import configure_logging, uvicorn_log_config
from merchantops.observability import tracing
from merchantops.settings import Settings
from merchantops.tenants import jobs as ledger
from merchantops.tenants.jobs import JobContext, RetryPolicy
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_shop


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.enable(exporter)
    yield exporter
    tracing.disable()


@pytest.fixture
async def traced(
    spans: InMemorySpanExporter, settings: Settings, jobs: InProcessQueue
) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


def _named(spans: InMemorySpanExporter, prefix: str) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.name.startswith(prefix)]


def test_tracing_is_off_unless_the_otlp_endpoint_is_set() -> None:
    assert tracing.requested({}) is False
    assert tracing.requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}) is True
    assert (
        tracing.requested(
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}
        )
        is False
    )
    assert tracing.enabled() is False


async def test_a_request_is_traced_from_http_to_sql(
    traced: GraphQLClient, spans: InMemorySpanExporter, db: str
) -> None:
    # given
    shop = await make_shop("acme")
    token = (await traced.login(shop.email, PASSWORD))["accessToken"]
    spans.clear()

    # when
    response = await traced.post(
        "query Members { members(first: 5) { edges { node { roles user { email } } } } }",
        token=token,
        tenant="acme",
    )

    # then: the operation's span is the HTTP span's child, with name, type and cost
    assert response.status_code == 200, response.text
    (http,) = [span for span in _named(spans, "POST /graphql") if span.parent is None]
    (operation,) = _named(spans, "query Members")
    attributes: dict[str, Any] = dict(operation.attributes or {})
    assert attributes["graphql.operation.name"] == "Members"
    assert attributes["graphql.operation.type"] == "query"
    assert attributes["graphql.operation.cost"] > 0
    assert operation.context.trace_id == http.context.trace_id
    assert dict(http.attributes or {})["http.request_id"] == response.headers["x-request-id"]
    batches = _named(spans, "dataloader.batch")
    assert batches
    assert all(span.context.trace_id == http.context.trace_id for span in batches)
    if db.startswith("postgres"):
        statements = [
            span
            for span in spans.get_finished_spans()
            if dict(span.attributes or {}).get("db.system") == "postgresql"
            or dict(span.attributes or {}).get("db.system.name") == "postgresql"
        ]
        assert statements
        assert {span.context.trace_id for span in statements} == {http.context.trace_id}


async def test_log_lines_carry_the_trace_id_of_their_request(
    traced: GraphQLClient, spans: InMemorySpanExporter
) -> None:
    # given
    log = io.StringIO()
    configure_logging(json=True, stream=log)

    # when: a refused token, which the server logs
    response = await traced.post("{ currentTenant { slug } }", token="not-a-token")
    structlog.reset_defaults()

    # then
    (http,) = [span for span in _named(spans, "POST /graphql") if span.parent is None]
    entry = json.loads(log.getvalue().splitlines()[-1])
    assert entry["event"] == "auth.refused"
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["trace_id"] == format(http.context.trace_id, "032x")


async def test_each_job_try_is_a_span(spans: InMemorySpanExporter, db: str) -> None:
    # given
    shop = await make_shop("acme")

    async def fine(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    queue = InProcessQueue({"ops.fine": fine}, RetryPolicy())

    # when
    await ledger.submit(
        queue, queue.policy, "ops.fine", key="ops.fine:1", tenant_id=shop.tenant.id, payload={}
    )
    await queue.drain()
    await queue.close()

    # then
    (job,) = _named(spans, "job ops.fine")
    assert dict(job.attributes or {})["job.outcome"] == "succeeded"
    assert dict(job.attributes or {})["tenant.id"] == str(shop.tenant.id)


def test_the_otlp_endpoint_variable_switches_tracing_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: the standard variable, pointing at a collector that is not needed until export
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    try:
        # when
        switched = tracing.configure_from_environment("merchantops-test")

        # then
        assert switched is True
        assert tracing.enabled()
        provider = tracing.provider()
        assert provider is not None
        assert provider.resource.attributes["service.name"] == "merchantops-test"
    finally:
        tracing.disable()


def test_uvicorns_access_line_carries_the_request_and_trace_ids(
    spans: InMemorySpanExporter,
) -> None:
    # given: production's uvicorn logging, into a buffer
    stream = io.StringIO()
    config = uvicorn_log_config(json=True)
    assert config is not None
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    access = logging.getLogger("uvicorn.access")
    try:
        # when: uvicorn writes its access line inside the request
        with (
            tracing.span("POST /graphql") as span,
            structlog.contextvars.bound_contextvars(request_id="req-12345678"),
        ):
            access.info('127.0.0.1 - "POST /graphql HTTP/1.1" 200')
    finally:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            configured = logging.getLogger(name)
            configured.handlers.clear()
            configured.propagate = True
            configured.setLevel(logging.NOTSET)

    # then
    assert span is not None
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == "req-12345678"
    assert entry["trace_id"] == format(span.get_span_context().trace_id, "032x")
