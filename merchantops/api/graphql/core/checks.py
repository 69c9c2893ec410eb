"""The checks every operation passes before a resolver runs, in order:

1. parse within the token limit (cached by query text);
2. depth and alias limits, then graphql-core's validation (cached with the document);
3. the calculated cost against `MAX_QUERY_COST` (`QUERY_TOO_EXPENSIVE`, HTTP 200);
4. the caller's leaky bucket (`THROTTLED`, HTTP 429 with `Retry-After` and
   `extensions.retryAfter`).

Every answer that got as far as 3 carries `extensions.cost`:
`{"requested": 87, "maximum": 1000, "throttle": {"capacity": 5000, "remaining": 4913,
"leakPerSecond": 100.0}}`.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode, get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.schema.schema import validate_document

from merchantops.api.graphql.core.context import Context
from merchantops.api.graphql.core.cost import QUERY_TOO_EXPENSIVE, evaluate, plan_operation
from merchantops.api.graphql.core.limits import Checked, DocumentCache
from merchantops.api.throttle import Decision
from merchantops.log import get_logger
from merchantops.settings import Settings

logger = get_logger(__name__)
THROTTLED = "THROTTLED"


def bucket_key(context: Context) -> str:
    """Whose bucket a request drains: its API key, its user, or else its client address."""
    principal = context.principal
    if principal.api_key is not None:
        return f"api_key:{principal.api_key.public_id}"
    if principal.user is not None:
        return f"user:{principal.user.id}"
    client = context.request.client
    return f"client:{client.host if client else 'unknown'}"


class OperationNameRequired(CannotGetOperationTypeError):
    def as_http_error_reason(self) -> str:
        return "The document has several operations: name the one to run in 'operationName'."


class QueryChecks(SchemaExtension):
    def __init__(self, cache: DocumentCache, settings: Settings) -> None:
        super().__init__()
        self.cache = cache
        self.settings = settings
        self.entry: Checked | None = None
        self.cost: int | None = None
        self.decision: Decision | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            self.entry = self.cache.parse(context.query)
            context.graphql_document = self.entry.document
            # strawberry would run the first operation; the GraphQL spec wants a name
            operations = sum(
                isinstance(definition, OperationDefinitionNode)
                for definition in self.entry.document.definitions
            )
            if operations > 1 and context._provided_operation_name is None:
                raise OperationNameRequired(None)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.entry is not None:
            schema = context.schema._schema
            rules = context.validation_rules
            context.pre_execution_errors = self.cache.validate(
                self.entry, lambda document: validate_document(schema, document, rules)
            )
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        refusal = await self._refusal()
        if refusal is not None:
            self.execution_context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    async def _refusal(self) -> GraphQLError | None:
        context = self.execution_context
        document = context.graphql_document
        if self.entry is None or document is None:
            return None
        name = context.operation_name
        plan = self.entry.plans.get(name)
        if plan is None:
            operation = get_operation_ast(document, name)
            if operation is None:
                return None
            plan = self.entry.plans[name] = plan_operation(
                context.schema._schema, document, operation
            )
        self.cost = evaluate(plan, context.variables, self.settings.max_page_size)
        maximum = self.settings.max_query_cost
        if self.cost > maximum:
            return GraphQLError(
                f"This query would cost {self.cost}, more than the {maximum} allowed. Ask for "
                "fewer items per page ('first') or fewer nested objects, or split the query.",
                extensions={"code": QUERY_TOO_EXPENSIVE, "cost": self.cost, "maximum": maximum},
            )
        request_context = context.context
        if not isinstance(request_context, Context) or request_context.throttle is None:
            return None
        self.decision = await request_context.throttle.drain(bucket_key(request_context), self.cost)
        if self.decision.allowed:
            return None
        seconds = self.decision.retry_after
        logger.info("graphql.throttled", cost=self.cost, retry_after=seconds)
        if request_context.response is not None:
            request_context.response.status_code = 429
            request_context.response.headers["Retry-After"] = str(seconds)
        return GraphQLError(
            f"Too many requests: this query costs {self.cost} and your budget refills at "
            f"{self.settings.throttle_leak_per_second:g} a second. Retry in {seconds} s.",
            extensions={"code": THROTTLED, "retryAfter": seconds},
        )

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        cost: dict[str, Any] = {"requested": self.cost, "maximum": self.settings.max_query_cost}
        if self.decision is not None:
            capacity = self.settings.throttle_capacity
            cost["throttle"] = {
                "capacity": capacity,
                "remaining": max(0, math.floor(capacity - self.decision.level)),
                "leakPerSecond": self.settings.throttle_leak_per_second,
            }
        return {"cost": cost}


__all__ = ["THROTTLED", "QueryChecks", "bucket_key"]
