"""`GET /metrics` and the request metrics around every HTTP request.

`/metrics` answers Prometheus's text format. On the API's own port it is protected: with
`METRICS_TOKEN` set, only `Authorization: Bearer <METRICS_TOKEN>` is answered (401
`UNAUTHENTICATED` otherwise); without one it is open outside production and not served in
production (404), where `METRICS_PORT` serves it on a second, internal port instead (both may be
set). Before answering, the process measures the job ledger and outbox (queue depth, dead jobs,
relay lag) unless it did so in the last few seconds.

`HttpMetrics`, the outermost middleware, counts every request by route (the app's own routes,
everything else `unmatched`), method and status, and times it. With tracing on,
`trace_requests` opens each request's span around everything else.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from merchantops.api.guards import error_response
from merchantops.log import get_logger
from merchantops.observability import metrics, tracing
from merchantops.settings import Settings
from merchantops.workers import backlog

logger = get_logger(__name__)
ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
ASSETS = "/graphql/assets"
METHODS = frozenset({"GET", "POST", "OPTIONS", "HEAD"})
UNMATCHED = "unmatched"


def route_of(path: str) -> str:
    if path in ROUTES:
        return path
    if path.startswith(ASSETS + "/"):
        return ASSETS
    return UNMATCHED


class HttpMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noted_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted_send)
        finally:
            method = scope["method"] if scope["method"] in METHODS else metrics.OTHER
            metrics.http_request(
                route_of(scope["path"]), method, status, time.perf_counter() - started
            )


def span_details(scope: Scope) -> tuple[str, dict[str, str]]:
    """The request span's name and route, from the app's own routes (a bounded set)."""
    route = route_of(scope.get("path", ""))
    return f"{scope.get('method', 'HTTP')} {route}", {"http.route": route}


def trace_requests(app: Starlette) -> None:
    """A span for each HTTP request: OpenTelemetry's ASGI middleware (what its starlette
    instrumentation installs), outermost, named by route, without a span per ASGI message."""
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    app.add_middleware(
        OpenTelemetryMiddleware,
        default_span_details=span_details,
        exclude_spans=["receive", "send"],
        tracer_provider=tracing.provider(),
    )


def metrics_endpoint(settings: Settings) -> Any:
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    served = token is not None or not settings.is_production

    async def metrics_page(request: Request) -> Response:
        if not served:
            return error_response(
                404, "NOT_FOUND", "Metrics are served on METRICS_PORT, or set METRICS_TOKEN."
            )
        if token is not None:
            sent = request.headers.get("authorization", "")
            scheme, _, credential = sent.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                credential.strip().encode(), token.encode()
            ):
                return error_response(
                    401,
                    "UNAUTHENTICATED",
                    "Send 'Authorization: Bearer <METRICS_TOKEN>' to read the metrics.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        await backlog.observe_if_stale()
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return metrics_page


__all__ = ["HttpMetrics", "metrics_endpoint", "route_of", "span_details", "trace_requests"]
