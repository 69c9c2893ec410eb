"""The metrics' labels stay bounded however many tenants and operation names there are."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from merchantops.observability import metrics
from tests.support.scrape import samples, value

REQUESTS = "merchantops_graphql_requests_total"


@pytest.fixture
def configured() -> Iterator[None]:
    yield
    metrics.configure()  # the defaults again


def _series(name: str) -> list[dict[str, str]]:
    return [dict(labels) for (found, labels) in samples() if found == name]


def test_many_tenants_collapse_into_other_unless_listed(configured: None) -> None:
    # given
    metrics.configure(tenant_labels=["big-shop"], max_operation_names=200)

    # when: a thousand tenants call, one of them listed
    labels = {metrics.tenant_label(uuid4(), f"shop-{n}") for n in range(1000)}
    listed = metrics.tenant_label(uuid4(), "Big-Shop")

    # then
    assert labels == {"other"}
    assert listed == "big-shop"


def test_without_the_setting_no_tenant_gets_a_label_of_its_own(configured: None) -> None:
    metrics.configure()

    assert metrics.tenant_label(uuid4(), "acme") == "other"


def test_new_operation_names_past_the_cap_become_other(configured: None) -> None:
    # given
    metrics.configure(max_operation_names=3)

    # when: a client invents a name for every request, plus junk and no name
    for n in range(500):
        name = metrics.operation_label(f"Op{n}")
        metrics.graphql_operation(name, "query", "OK", "other", 0.01, 5)
    metrics.graphql_operation(metrics.operation_label("not a name!"), "query", "OK", "other", 0, 1)
    metrics.graphql_operation(metrics.operation_label(None), "query", "OK", "other", 0.0, 1)

    # then: at most 3 names of their own, plus `other` and `anonymous`
    operations = {series["operation"] for series in _series(REQUESTS)}
    assert {"Op0", "Op1", "Op2", "other", "anonymous"} <= operations
    assert not {f"Op{n}" for n in range(3, 500)} & operations


def test_the_series_count_stays_fixed_as_tenants_grow(configured: None) -> None:
    # given
    metrics.configure(tenant_labels=["big-shop"])

    def record(tenants: int) -> int:
        for n in range(tenants):
            tenant = metrics.tenant_label(uuid4(), f"t{n}")
            metrics.graphql_operation("Products", "query", "OK", tenant, 0.02, 10)
        metrics.graphql_operation(
            "Products", "query", "OK", metrics.tenant_label(None, "big-shop"), 0.02, 10
        )
        return len(_series(REQUESTS))

    # when
    after_ten = record(10)
    after_two_thousand = record(2000)

    # then
    assert after_ten == after_two_thousand


def test_sla_warnings_and_breaches_are_counted_by_target() -> None:
    before = value("merchantops_sla_breaches_total", target="resolution")

    metrics.sla_event("breach", "resolution")
    metrics.sla_event("warning", "first_reply")

    assert value("merchantops_sla_breaches_total", target="resolution") == before + 1
    assert value("merchantops_sla_warnings_total", target="first_reply") >= 1
    with pytest.raises(ValueError, match="warning"):
        metrics.sla_event("late", "resolution")


def test_a_metrics_port_serves_the_registry_without_a_token() -> None:
    # given: what a worker starts with METRICS_PORT set
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = metrics.MetricsPort(port, "127.0.0.1")
    served.start()
    try:
        # when
        response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    finally:
        served.stop()

    # then
    assert response.status_code == 200
    assert "merchantops_job_queue_depth" in response.text
    assert "merchantops_jobs_total" in response.text


def test_database_statements_are_timed_by_kind_only() -> None:
    before = value("merchantops_db_query_duration_seconds_count", statement="select")

    metrics.db_statement('SELECT "id" FROM "product" WHERE "tenant_id"=$1', 0.002)
    metrics.db_statement("VACUUM product", 0.1)

    assert value("merchantops_db_query_duration_seconds_count", statement="select") == before + 1
    assert value("merchantops_db_query_duration_seconds_count", statement="other") >= 1
