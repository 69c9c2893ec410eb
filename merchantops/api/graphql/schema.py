"""The GraphQL schema: every area's queries and mutations merged, the fields areas add to the
types of areas they depend on added (`core/extensions.py`), errors masked and logged, every
operation checked against the limits before it runs (`core/checks.py`).

Every root field is nullable, whatever its resolver's annotation says (GitHub's and Shopify's
convention): a refused or failing field answers `null` with its error and the rest of the
answer stands, instead of one refusal wiping out `data` as a whole.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLNonNull, GraphQLSchema
from strawberry.extensions import DisableIntrospection, MaskErrors
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from merchantops import bootstrap
from merchantops.api.graphql.core.boundary import guard_every_mutation
from merchantops.api.graphql.core.checks import QueryChecks
from merchantops.api.graphql.core.errors import bounded, is_expected, with_code
from merchantops.api.graphql.core.execution import CompiledExecutor, QuietExecutor
from merchantops.api.graphql.core.extensions import extend
from merchantops.api.graphql.core.inputs import check_inputs
from merchantops.api.graphql.core.limits import DocumentCache
from merchantops.api.graphql.core.nodes import NodeQuery, served_types
from merchantops.api.graphql.core.observe import ObserveOperations
from merchantops.api.graphql.core.permissions import RecordRefusals
from merchantops.api.request_id import current_request_id
from merchantops.log import get_logger
from merchantops.observability import tracing
from merchantops.settings import Settings

logger = get_logger(__name__)


def root_types() -> tuple[type, type]:
    """The root types: every area's `Query` and `Mutation` merged, in `bootstrap.AREAS` order."""
    queries, mutations = bootstrap.graphql_roots()
    query = strawberry.type(type("Query", (NodeQuery, *queries), {}))
    mutation = strawberry.type(type("Mutation", tuple(mutations), {}))
    return query, mutation


class MaskUnexpectedErrors(MaskErrors):
    """Shows the client a fixed message with the request id; logs the exception under that id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not is_expected(error))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = current_request_id()
        logger.error(
            "graphql.unexpected_error",
            path=error.path,
            message=bounded(error.message),
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        masked.message = f"Internal server error; quote request id {request_id} when reporting it."
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked


def mask_unexpected(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Errors as the client sees them: expected ones with their code, the rest masked. Also the
    safety net for errors that bypass the extension: strawberry turns an exception raised in an
    extension hook into an error after the masking step has already run."""
    masker = MaskUnexpectedErrors()
    return [
        with_code(error) if is_expected(error) else masker.anonymise_error(error)
        for error in errors
    ]


class MerchantOpsSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Unexpected errors are logged by MaskUnexpectedErrors; expected ones are answers.
        return None


def make_root_fields_nullable(schema: GraphQLSchema) -> None:
    for root in (schema.query_type, schema.mutation_type):
        for field in root.fields.values() if root else ():
            if isinstance(field.type, GraphQLNonNull):
                field.type = field.type.of_type


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings()
    cache = DocumentCache(settings)
    extend(bootstrap.graphql_extensions())
    query, mutation = root_types()
    guard_every_mutation(mutation)
    extensions: list[Any] = [
        *([ObserveOperations] if settings.metrics_enabled or tracing.enabled() else []),
        MaskUnexpectedErrors,
        lambda: QueryChecks(cache, settings),
        RecordRefusals,
    ]
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    schema = MerchantOpsSchema(
        query=query,
        mutation=mutation,
        extensions=extensions,
        execution_context_class=QuietExecutor if settings.is_production else CompiledExecutor,
        config=StrawberryConfig(
            relay_max_results=settings.max_page_size,
            disable_field_suggestions=settings.is_production,
        ),
    )
    make_root_fields_nullable(schema._schema)
    schema.served_nodes = served_types(schema._schema)  # type: ignore[attr-defined]
    check_inputs(schema._schema)
    return schema


__all__ = ["build_schema", "mask_unexpected"]
