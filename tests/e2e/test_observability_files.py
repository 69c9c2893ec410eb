"""docker/'s Prometheus alerts, Grafana dashboard and OpenTelemetry collector fit the app:
every metric they name is one the app exports (checked without a Docker engine)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support.scrape import exported_names

DOCKER = Path(__file__).parents[2] / "docker"
METRIC = re.compile(r"\bmerchantops_[a-z0-9_]+\b")


def _yaml(path: str) -> Any:
    return yaml.safe_load((DOCKER / path).read_text())


def alert_expressions() -> dict[str, str]:
    rules = _yaml("prometheus/alerts.yml")
    return {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}


def dashboard_expressions() -> dict[str, list[str]]:
    dashboard = json.loads((DOCKER / "grafana/dashboards/merchantops.json").read_text())
    return {
        panel["title"]: [target["expr"] for target in panel["targets"]]
        for panel in dashboard["panels"]
    }


@pytest.fixture
async def exported(client: httpx.AsyncClient) -> set[str]:
    """What the app exports once it has started and answered a request."""
    assert (await client.get("/healthz")).status_code == 200
    return exported_names()


def test_alerts_cover_errors_latency_relay_lag_dead_letters_and_sla_breaches() -> None:
    named = " ".join(alert_expressions().values())

    for metric in (
        "merchantops_http_requests_total",
        "merchantops_graphql_operation_duration_seconds_bucket",
        "merchantops_outbox_oldest_pending_age_seconds",
        "merchantops_job_dead_letters_total",
        "merchantops_sla_breaches_total",
    ):
        assert metric in named


async def test_every_metric_an_alert_names_is_exported(exported: set[str]) -> None:
    for alert, expression in alert_expressions().items():
        unknown = set(METRIC.findall(expression)) - exported
        assert not unknown, f"{alert} names metrics the app does not export: {unknown}"


async def test_every_metric_a_dashboard_panel_names_is_exported(exported: set[str]) -> None:
    panels = dashboard_expressions()

    assert len(panels) >= 10
    for title, expressions in panels.items():
        assert expressions, title
        unknown = {name for expr in expressions for name in METRIC.findall(expr)} - exported
        assert not unknown, f"panel {title!r} names metrics the app does not export: {unknown}"


def test_prometheus_scrapes_api_and_worker_and_loads_the_rules() -> None:
    config = _yaml("prometheus/prometheus.yml")
    compose = _yaml("compose.yaml")
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    port = compose["x-merchantops"]["environment"]["METRICS_PORT"]

    assert targets == {f"api:{port}", f"worker:{port}"}
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    mounts = compose["services"]["prometheus"]["volumes"]
    assert "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in mounts


def test_compose_sends_traces_to_the_collector_which_listens_for_otlp() -> None:
    compose = _yaml("compose.yaml")
    collector = _yaml("otel-collector.yaml")
    endpoint = compose["x-merchantops"]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"]

    assert endpoint == "http://otel-collector:4318"
    assert "otel-collector" in compose["services"]
    assert collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    assert collector["service"]["pipelines"]["traces"]["receivers"] == ["otlp"]
    grafana = compose["services"]["grafana"]["volumes"]
    assert "./grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana
