"""Each GraphQL operation measured and traced: one schema extension around the whole of it.

It counts the operation in `merchantops_graphql_requests_total` by name, type, outcome (`OK`,
or the code of its first error) and tenant label, times it, records its cost, counts every
coded error but an internal one as a refusal (`merchantops_refusals_total{code}`: the limits,
the throttle, permissions), and, when tracing is on, wraps it in a `graphql.operation` span
named like `query ProductsPage` with its name, type and cost as attributes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from merchantops.api.graphql.core.context import Context
from merchantops.observability import metrics, tracing

OK = "OK"
INTERNAL = "INTERNAL_SERVER_ERROR"
UNKNOWN = "unknown"


def error_code(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else INTERNAL


class ObserveOperations(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        with tracing.span("graphql.operation") as span:
            yield
            seconds = time.perf_counter() - started
            context = self.execution_context
            try:
                name: str | None = context.operation_name
            except Exception:
                name = None
            try:
                kind = context.operation_type.value
            except Exception:
                kind = UNKNOWN
            result = context.result
            errors: list[GraphQLError] = list(
                (result.errors if result is not None else None)
                or context.pre_execution_errors
                or []
            )
            codes = [error_code(error) for error in errors]
            request: Any = context.context
            cost = request.cost if isinstance(request, Context) else None
            if metrics.enabled():
                self._count(name, kind, codes, request, seconds, cost)
            if span is not None:
                span.update_name(f"{kind} {name or metrics.ANONYMOUS}")
                span.set_attribute("graphql.operation.name", name or "")
                span.set_attribute("graphql.operation.type", kind)
                if cost is not None:
                    span.set_attribute("graphql.operation.cost", cost)
                if codes:
                    span.set_attribute("graphql.error.codes", codes[:10])

    @staticmethod
    def _count(
        name: str | None,
        kind: str,
        codes: list[str],
        request: Any,
        seconds: float,
        cost: int | None,
    ) -> None:
        for code in codes:
            if code != INTERNAL:
                metrics.refused(code)
        tenant = metrics.OTHER
        if isinstance(request, Context) and request.principal.tenant is not None:
            found = request.principal.tenant
            tenant = metrics.tenant_label(found.id, found.slug)
        operation = metrics.operation_label(name)
        metrics.graphql_operation(operation, kind, codes[0] if codes else OK, tenant, seconds, cost)


__all__ = ["ObserveOperations", "error_code"]
