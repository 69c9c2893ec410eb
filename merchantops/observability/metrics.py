"""Every Prometheus metric the application exports, defined here and nowhere else.

Labels are a fixed set and their values bounded, so the number of series stays the same however
many tenants, clients or operation names there are:

- `operation`: the GraphQL operation's name as the client sent it, for the first
  `METRICS_MAX_OPERATION_NAMES` distinct names a process sees (a front end's and the partners'
  named operations); later ones, and names that are not GraphQL names, are `other`; unnamed
  operations are `anonymous`.
- `tenant`: `other`, unless `METRICS_TENANT_LABELS` names the tenant (slug or id): large
  tenants worth a series of their own. Every tenant not listed shares `other`.
- `code`, `outcome`, `job`, `target`, `severity`, `status`, `route`: values the code defines
  (error codes, job names, SLA targets), capped like operation names all the same.

The business areas report through the small functions below (`job_finished`,
`webhook_delivery`, `risk_alert_raised`, `sla_event`, ...), never through the metric objects,
so the label rules hold everywhere. Customer service reports SLA timers with

    metrics.sla_event("warning", "first_reply")     # or "breach", "resolution"

which counts `merchantops_sla_warnings_total{target="first_reply"}`.

Gauges of the whole system (queue depth, relay lag, dead letters) are measured from the database
by `workers/backlog.py`; the pool gauge is read from the connection pool at each scrape.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, Info, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

OTHER = "other"
ANONYMOUS = "anonymous"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0)
COST_BUCKETS = (1, 10, 50, 100, 250, 500, 1000, 2500, 5000)
STATEMENTS = frozenset({"select", "insert", "update", "delete"})
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}")


class BoundedLabel:
    """A label's values: each value that matches `pattern` until `cap` distinct ones have been
    seen, `other` after that; so a client sending a new name each time adds no series."""

    def __init__(self, cap: int, pattern: re.Pattern[str] = _CODE) -> None:
        self.cap = cap
        self.pattern = pattern
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str | None) -> str:
        if value is None:
            return OTHER
        if value in self._seen:
            return value
        if not self.pattern.fullmatch(value):
            return OTHER
        with self._lock:
            if len(self._seen) >= self.cap:
                return OTHER
            self._seen.add(value)
        return value

    def reset(self, cap: int) -> None:
        with self._lock:
            self.cap = cap
            self._seen.clear()


_operations = BoundedLabel(200, _NAME)
_codes = BoundedLabel(200)
_jobs = BoundedLabel(200)
_targets = BoundedLabel(50)
_tenants: frozenset[str] = frozenset()
_enabled = True

# --- the metrics ------------------------------------------------------------------------------

BUILD = Info("merchantops_build", "The running version of MerchantOps.")
HTTP_REQUESTS = Counter(
    "merchantops_http_requests",
    "HTTP requests answered, by route, method and status.",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "merchantops_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route.",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_REQUESTS = Counter(
    "merchantops_graphql_requests",
    "GraphQL operations, by operation name, type, outcome (OK or the first error's code) and "
    "tenant (`other` unless listed in METRICS_TENANT_LABELS).",
    ["operation", "type", "outcome", "tenant"],
)
GRAPHQL_DURATION = Histogram(
    "merchantops_graphql_operation_duration_seconds",
    "Time to parse, check and execute a GraphQL operation, by operation name and type.",
    ["operation", "type"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_COST = Histogram(
    "merchantops_graphql_operation_cost",
    "Calculated cost of the GraphQL operations that passed the cost check, by type.",
    ["type"],
    buckets=COST_BUCKETS,
)
REFUSALS = Counter(
    "merchantops_refusals",
    "Requests and operations refused, by error code (limits, throttle, permission, "
    "authentication, HTTP refusals).",
    ["code"],
)
DB_QUERY_DURATION = Histogram(
    "merchantops_db_query_duration_seconds",
    "Time of each SQL statement on PostgreSQL, by kind (select, insert, update, delete, other).",
    ["statement"],
    buckets=LATENCY_BUCKETS,
)
JOBS = Counter(
    "merchantops_jobs",
    "Job tries that ended, by job name and outcome (succeeded, retried, dead, crashed).",
    ["job", "outcome"],
)
JOB_DURATION = Histogram(
    "merchantops_job_duration_seconds",
    "Time of each job try, by job name.",
    ["job"],
    buckets=JOB_BUCKETS,
)
JOB_RETRIES = Counter("merchantops_job_retries", "Job tries that will be retried.", ["job"])
JOB_DEAD_LETTERS = Counter(
    "merchantops_job_dead_letters", "Jobs that used up their tries (dead-lettered).", ["job"]
)
QUEUE_DEPTH = Gauge(
    "merchantops_job_queue_depth",
    "Unfinished jobs in the job ledger, by status (queued, running, retrying).",
    ["status"],
)
DEAD_JOBS = Gauge("merchantops_dead_jobs", "Dead jobs waiting in the job ledger for a replay.")
OUTBOX_PENDING = Gauge("merchantops_outbox_pending_events", "Outbox events not yet relayed.")
RELAY_LAG = Gauge(
    "merchantops_outbox_oldest_pending_age_seconds",
    "Age of the oldest outbox event not yet relayed (0 when none): the relay's lag.",
)
BACKLOG_MEASURED = Gauge(
    "merchantops_backlog_measured_timestamp_seconds",
    "When this process last measured the queue depth, dead jobs and relay lag.",
)
EVENTS_RELAYED = Counter("merchantops_outbox_events_relayed", "Outbox events handed to the queue.")
WORKER_HEARTBEAT = Gauge(
    "merchantops_worker_heartbeat_timestamp_seconds",
    "When this process's job runner last finished a relay pass.",
)
WEBHOOK_DELIVERIES = Counter(
    "merchantops_webhook_deliveries",
    "Webhook delivery attempts, by outcome (delivered, failed, retrying, dead).",
    ["outcome"],
)
SLA_WARNINGS = Counter(
    "merchantops_sla_warnings",
    "SLA timers that reached their warning point, by target.",
    ["target"],
)
SLA_BREACHES = Counter("merchantops_sla_breaches", "SLA timers breached, by target.", ["target"])
RISK_ALERTS = Counter(
    "merchantops_risk_alerts_raised", "Risk alerts opened (not repeats), by severity.", ["severity"]
)


class PoolCollector(Collector):
    """`merchantops_db_pool_connections{state}`: the PostgreSQL pool's connections in use,
    idle and its maximum, read at each scrape (nothing on SQLite)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "merchantops_db_pool_connections",
            "PostgreSQL pool connections by state (in_use, idle, max).",
            labels=["state"],
        )
        pool = _pool()
        if pool is not None:
            size, idle = pool.get_size(), pool.get_idle_size()
            family.add_metric(["in_use"], size - idle)
            family.add_metric(["idle"], idle)
            family.add_metric(["max"], pool.get_max_size())
        yield family


def _pool() -> Any:
    try:
        from tortoise import Tortoise

        connection = Tortoise.get_connection("default")
    except Exception:
        return None
    pool = getattr(connection, "_pool", None)
    return pool if pool is not None and hasattr(pool, "get_idle_size") else None


REGISTRY.register(PoolCollector())


class MetricsPort:
    """`/metrics` on a port of its own (prometheus-client's server, in a thread), for
    Prometheus to scrape from inside the network: the workers', and the API's when
    `METRICS_PORT` is set. No token there: bind it where only Prometheus reaches."""

    def __init__(self, port: int | None, host: str = "127.0.0.1") -> None:
        self.port = port
        self.host = host
        self._server: Any = None

    def start(self) -> None:
        if self.port is None or self._server is not None:
            return
        self._server, _ = start_http_server(self.port, addr=self.host, registry=REGISTRY)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


# --- configuration ----------------------------------------------------------------------------


def configure(
    *,
    enabled: bool = True,
    tenant_labels: Iterable[str] = (),
    max_operation_names: int = 200,
    version: str = "",
) -> None:
    """Apply the settings (`METRICS_ENABLED`, `METRICS_TENANT_LABELS`,
    `METRICS_MAX_OPERATION_NAMES`); called when an API process or worker starts."""
    global _tenants, _enabled
    _enabled = enabled
    _tenants = frozenset(label.strip().lower() for label in tenant_labels if label.strip())
    if max_operation_names != _operations.cap:
        _operations.reset(max_operation_names)
    if version:
        BUILD.info({"version": version})


def enabled() -> bool:
    return _enabled


def tenant_label(tenant_id: object, slug: str | None) -> str:
    if not _tenants:
        return OTHER
    if slug is not None and slug.lower() in _tenants:
        return slug.lower()
    if tenant_id is not None and str(tenant_id).lower() in _tenants:
        return str(tenant_id).lower()
    return OTHER


def operation_label(name: str | None) -> str:
    return ANONYMOUS if not name else _operations(name)


# --- what the application reports ------------------------------------------------------------


# A label set's children, looked up once: `labels(...)` validates and locks on every call, and
# label values are bounded, so this holds a bounded number of entries.
_http_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_operation_children: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}


def http_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _http_children.get(key)
    if children is None:
        children = HTTP_REQUESTS.labels(route, method, str(status)), HTTP_DURATION.labels(route)
        _http_children[key] = children
    children[0].inc()
    children[1].observe(seconds)


@dataclass
class Timing:
    operation: str
    kind: str
    count: int = 0
    total_seconds: float = 0.0
    max_seconds: float = 0.0

    @property
    def average_seconds(self) -> float:
        return self.total_seconds / self.count if self.count else 0.0


class Timings:
    """This process's operation times by (bounded) operation name, for `systemHealth`'s
    slowest operations; the histogram is the fleet-wide view."""

    def __init__(self) -> None:
        self._by_operation: dict[tuple[str, str], Timing] = {}

    def note(self, operation: str, kind: str, seconds: float) -> None:
        timing = self._by_operation.get((operation, kind))
        if timing is None:
            timing = self._by_operation.setdefault((operation, kind), Timing(operation, kind))
        timing.count += 1
        timing.total_seconds += seconds
        timing.max_seconds = max(timing.max_seconds, seconds)

    def slowest(self, limit: int = 10) -> list[Timing]:
        ranked = sorted(self._by_operation.values(), key=lambda t: t.average_seconds, reverse=True)
        return ranked[:limit]


TIMINGS = Timings()


def graphql_operation(
    operation: str, kind: str, outcome: str, tenant: str, seconds: float, cost: int | None
) -> None:
    key = (operation, kind, outcome, tenant)
    children = _operation_children.get(key)
    if children is None:
        children = (
            GRAPHQL_REQUESTS.labels(operation, kind, _codes(outcome), tenant),
            GRAPHQL_DURATION.labels(operation, kind),
        )
        _operation_children[key] = children
    children[0].inc()
    children[1].observe(seconds)
    TIMINGS.note(operation, kind, seconds)
    if cost is not None:
        GRAPHQL_COST.labels(kind).observe(cost)


def refused(code: str) -> None:
    REFUSALS.labels(_codes(code)).inc()


_statement_children: dict[str, Any] = {}


def db_statement(query: str, seconds: float) -> None:
    head = query.lstrip()[:7].lower().split(" ", 1)[0]
    kind = head if head in STATEMENTS else OTHER
    child = _statement_children.get(kind)
    if child is None:
        child = _statement_children[kind] = DB_QUERY_DURATION.labels(kind)
    child.observe(seconds)


def job_finished(name: str, outcome: str, seconds: float) -> None:
    job = _jobs(name)
    JOBS.labels(job, outcome).inc()
    JOB_DURATION.labels(job).observe(seconds)
    if outcome == "retried":
        JOB_RETRIES.labels(job).inc()
    elif outcome == "dead":
        JOB_DEAD_LETTERS.labels(job).inc()


@dataclass(frozen=True)
class Backlog:
    """The job ledger and outbox, measured across tenants (`workers/backlog.py`)."""

    queued: int
    running: int
    retrying: int
    dead: int
    outbox_pending: int
    relay_lag_seconds: float

    @property
    def queue_depth(self) -> int:
        return self.queued + self.running + self.retrying


def backlog_measured(backlog: Backlog) -> None:
    QUEUE_DEPTH.labels("queued").set(backlog.queued)
    QUEUE_DEPTH.labels("running").set(backlog.running)
    QUEUE_DEPTH.labels("retrying").set(backlog.retrying)
    DEAD_JOBS.set(backlog.dead)
    OUTBOX_PENDING.set(backlog.outbox_pending)
    RELAY_LAG.set(backlog.relay_lag_seconds)
    BACKLOG_MEASURED.set(time.time())


def events_relayed(count: int) -> None:
    if count:
        EVENTS_RELAYED.inc(count)


def worker_heartbeat() -> None:
    WORKER_HEARTBEAT.set(time.time())


def webhook_delivery(outcome: str) -> None:
    WEBHOOK_DELIVERIES.labels(outcome).inc()


def sla_event(kind: str, target: str) -> None:
    """An SLA timer's warning (`kind="warning"`) or breach (`kind="breach"`) for a target such
    as `first_reply` or `resolution` (customer service calls this)."""
    if kind == "warning":
        SLA_WARNINGS.labels(_targets(target)).inc()
    elif kind == "breach":
        SLA_BREACHES.labels(_targets(target)).inc()
    else:
        raise ValueError(f"SLA event kind {kind!r}: use 'warning' or 'breach'")


def risk_alert_raised(severity: str) -> None:
    RISK_ALERTS.labels(_codes(severity)).inc()


__all__ = [
    "ANONYMOUS",
    "OTHER",
    "REGISTRY",
    "TIMINGS",
    "Backlog",
    "BoundedLabel",
    "MetricsPort",
    "Timing",
    "backlog_measured",
    "configure",
    "db_statement",
    "enabled",
    "events_relayed",
    "graphql_operation",
    "http_request",
    "job_finished",
    "operation_label",
    "refused",
    "risk_alert_raised",
    "sla_event",
    "tenant_label",
    "webhook_delivery",
    "worker_heartbeat",
]
