"""OpenTelemetry tracing: off unless the standard variables ask for it.

`OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) switches it on: the
process then builds a tracer provider exporting over OTLP/HTTP in batches, named by
`OTEL_SERVICE_NAME` (else `merchantops-api` / `merchantops-worker`); `OTEL_SDK_DISABLED=true`
keeps it off. The exporter reads the other `OTEL_EXPORTER_OTLP_*` variables itself (headers,
timeout, compression). Off, nothing of the SDK is imported and every `span(...)` is a no-op.

Spans: one per HTTP request (the ASGI instrumentation, `api/observe.py`), GraphQL operation
(name, type, cost), DataLoader batch, SQL statement (the asyncpg instrumentation) and job try.
Every log line written inside a span carries its `trace_id` and `span_id` (`merchantops/log.py`).

Tests call `enable(exporter)` with the SDK's `InMemorySpanExporter` and `disable()` after.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Span, Tracer

_provider: TracerProvider | None = None
_tracer: Tracer | None = None
_instrumentor: Any = None
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def enabled() -> bool:
    return _tracer is not None


def requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces to be exported."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def configure_from_environment(default_service_name: str) -> bool:
    """Switch tracing on when the environment asks for it (once per process); True when on."""
    if enabled():
        return True
    if not requested():
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = enable(OTLPSpanExporter(), service_name=default_service_name, batch=True)
    trace.set_tracer_provider(provider)
    return True


def enable(
    exporter: SpanExporter, *, service_name: str = "merchantops", batch: bool = False
) -> TracerProvider:
    """Trace into `exporter` from now on (a batch processor, or a simple one for tests)."""
    global _provider, _tracer, _instrumentor
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    disable()
    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    processor = BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    _provider, _tracer = provider, provider.get_tracer("merchantops")
    _instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    _instrumentor.instrument(tracer_provider=provider, skip_dep_check=True)
    return provider


def disable() -> None:
    """Stop tracing: flush what was recorded, undo the SQL instrumentation."""
    global _provider, _tracer, _instrumentor
    if _instrumentor is not None:
        _instrumentor.uninstrument()
    if _provider is not None:
        _provider.shutdown()
    _provider, _tracer, _instrumentor = None, None, None


def provider() -> TracerProvider | None:
    return _provider


@contextmanager
def span(name: str, attributes: Mapping[str, Any] | None = None) -> Iterator[Span | None]:
    """A span around the block when tracing is on (the current span's child); else nothing."""
    if _tracer is None:
        yield None
        return
    with _tracer.start_as_current_span(name, attributes=dict(attributes or {})) as current:
        yield current


def annotate(key: str, value: str) -> None:
    """Set an attribute on the current span, when tracing is on and one is recording."""
    if _tracer is None:
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    if current.is_recording():
        current.set_attribute(key, value)


def current_ids() -> tuple[str, str] | None:
    """The current span's trace and span ids in hex, when tracing is on and a span is open."""
    if _tracer is None:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


__all__ = [
    "annotate",
    "configure_from_environment",
    "current_ids",
    "disable",
    "enable",
    "enabled",
    "provider",
    "requested",
    "span",
]
