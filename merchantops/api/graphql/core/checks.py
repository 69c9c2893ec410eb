"""The checks every operation passes before a resolver runs, in order:

1. parse within the token limit (cached by query text);
2. depth and alias limits, then graphql-core's validation (cached with the document);
3. the variable values, coerced as execution will coerce them (`BAD_USER_INPUT`, with
   `extensions.field` naming the variable: `$first`);
4. page sizes: a `first` or `last` outside 0..`MAX_PAGE_SIZE`, literal or variable
   (`BAD_PAGINATION`, `extensions.field` naming the argument);
5. the calculated cost against `MAX_QUERY_COST` (`QUERY_TOO_EXPENSIVE`, HTTP 200);
6. the caller's leaky bucket (`THROTTLED`, HTTP 429 with `Retry-After` and
   `extensions.retryAfter`).

Only an operation that passes 1-5 drains the bucket: a client's mistakes cost it nothing. In
production, errors suggest no names ("Did you mean 'first'?"): graphql-core's
`hide_suggestions`, set here for validation and variables and by `QuietExecutor` for execution,
keeps a schema with introspection off private.

Every answer that got as far as 5 carries `extensions.cost`:
`{"requested": 87, "maximum": 1000, "throttle": {"capacity": 5000, "remaining": 4913,
"leakPerSecond": 100.0}}`.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableDefinitionNode,
    get_operation_ast,
    get_variable_values,
    validate,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from merchantops.api.graphql.core.context import Context
from merchantops.api.graphql.core.cost import (
    QUERY_TOO_EXPENSIVE,
    Plan,
    evaluate,
    oversized_page,
    plan_operation,
)
from merchantops.api.graphql.core.errors import BAD_USER_INPUT
from merchantops.api.graphql.core.limits import Checked, DocumentCache
from merchantops.api.graphql.core.pagination import BAD_PAGINATION, page_size_message
from merchantops.api.throttle import Decision
from merchantops.log import get_logger
from merchantops.settings import Settings

logger = get_logger(__name__)
THROTTLED = "THROTTLED"
MAX_VARIABLE_ERRORS = 50  # graphql-core's own default


def validate_quietly(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """strawberry's `validate_document` (its rules plus its own two), with `hide_suggestions`."""
    rules = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
    return validate(schema, document, rules, hide_suggestions=hide_suggestions)


def variable_error(error: GraphQLError) -> GraphQLError:
    """A variable coercion error, coded `BAD_USER_INPUT` and naming its variable when known."""
    extensions: dict[str, Any] = {"code": BAD_USER_INPUT, **(error.extensions or {})}
    node = error.nodes[0] if error.nodes else None
    if isinstance(node, VariableDefinitionNode):
        extensions["field"] = f"${node.variable.name.value}"
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        extensions=extensions,
    )


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
            rules = tuple(context.validation_rules)
            quiet = self.settings.is_production
            context.pre_execution_errors = self.cache.validate(
                self.entry, lambda document: validate_quietly(schema, document, rules, quiet)
            )
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        refusal = await self._refusal()
        if refusal:
            self.execution_context.result = ExecutionResult(data=None, errors=refusal)
        yield

    def _planned(self, entry: Checked) -> tuple[OperationDefinitionNode, Plan] | None:
        context = self.execution_context
        name = context.operation_name
        planned: tuple[OperationDefinitionNode, Plan] | None = entry.plans.get(name)
        if planned is None:
            operation = get_operation_ast(entry.document, name)
            if operation is None:
                return None
            plan = plan_operation(context.schema._schema, entry.document, operation)
            planned = entry.plans[name] = (operation, plan)
        return planned

    async def _refusal(self) -> list[GraphQLError] | None:
        context = self.execution_context
        planned = None if self.entry is None else self._planned(self.entry)
        if planned is None:
            return None
        operation, plan = planned
        variables = get_variable_values(
            context.schema._schema,
            operation.variable_definitions or (),
            context.variables or {},
            max_errors=MAX_VARIABLE_ERRORS,
            hide_suggestions=self.settings.is_production,
        )
        if isinstance(variables, list):
            return [variable_error(error) for error in variables]
        page_size = self.settings.max_page_size
        oversized = oversized_page(plan, variables.coerced, page_size)
        if oversized is not None:
            argument, _ = oversized
            return [
                GraphQLError(
                    page_size_message(page_size, argument),
                    extensions={"code": BAD_PAGINATION, "field": argument},
                )
            ]
        self.cost = evaluate(plan, variables.coerced, page_size)
        if isinstance(context.context, Context):
            context.context.cost = self.cost
        maximum = self.settings.max_query_cost
        if self.cost > maximum:
            return [
                GraphQLError(
                    f"This query would cost {self.cost}, more than the {maximum} allowed. Ask "
                    "for fewer items per page ('first') or fewer nested objects, or split the "
                    "query.",
                    extensions={
                        "code": QUERY_TOO_EXPENSIVE,
                        "cost": self.cost,
                        "maximum": maximum,
                    },
                )
            ]
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
        return [
            GraphQLError(
                f"Too many requests: this query costs {self.cost} and your budget refills at "
                f"{self.settings.throttle_leak_per_second:g} a second. Retry in {seconds} s.",
                extensions={"code": THROTTLED, "retryAfter": seconds},
            )
        ]

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


__all__ = ["THROTTLED", "QueryChecks", "bucket_key", "validate_quietly", "variable_error"]
