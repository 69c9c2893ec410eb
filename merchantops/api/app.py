"""The starlette application: `/graphql`, `/healthz`, `/readyz`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from merchantops.api.graphql.core.context import Context
from merchantops.api.graphql.schema import build_schema
from merchantops.api.request_id import RequestIdMiddleware, current_request_id
from merchantops.db import close_db, init_db, ping_db
from merchantops.log import get_logger
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.settings import Settings
from merchantops.tenants.auth import Authenticator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.errors import GovernanceError, InvalidToken
from merchantops.tenants.principal import Principal
from merchantops.tenants.tokens import AccessTokenCodec
from merchantops.workers import embedding as workers
from merchantops.workers.embedding import Background
from merchantops.workers.registry import shared_engine

logger = get_logger(__name__)
PRINCIPAL_KEY = "merchantops.principal"


class _GraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings, authenticator: Authenticator) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=not settings.is_production,
        )
        self.settings = settings
        self.authenticator = authenticator
        self.background: Background | None = None
        self.masking = MaskingPolicies()
        self.evaluator = RuleEvaluator(shared_engine())

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            request=request,
            principal=request.scope[PRINCIPAL_KEY],
            request_id=current_request_id(),
            settings=self.settings,
            authenticator=self.authenticator,
            queue=self.background.queue if self.background else None,
            masking=self.masking,
            evaluator=self.evaluator,
        )


class GraphQLEndpoint:
    """Authenticates the request, then runs GraphQL inside the request's tenant scope.

    A bad token, a tenant the user is not a member of, or a suspended tenant is answered before
    any resolver runs, so such a request can neither read nor change anything.
    """

    def __init__(self, settings: Settings) -> None:
        codec = AccessTokenCodec(
            settings.secret_key.get_secret_value(),
            timedelta(seconds=settings.access_token_ttl_seconds),
        )
        self.authenticator = Authenticator(
            codec, timedelta(seconds=settings.refresh_token_ttl_seconds)
        )
        self.graphql = _GraphQL(settings, self.authenticator)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Request(scope).headers
        try:
            principal = await self.authenticator.principal(
                headers.get("authorization"), headers.get("x-tenant")
            )
        except GovernanceError as error:
            status = 401 if isinstance(error, InvalidToken) else 403
            logger.info("auth.refused", code=error.code, status=status)
            body = {
                "data": None,
                "errors": [{"message": error.message, "extensions": {"code": error.code}}],
            }
            await JSONResponse(body, status_code=status)(scope, receive, send)
            return
        scope[PRINCIPAL_KEY] = principal
        with (
            tenant_scope(principal.tenant_id),
            actor_scope(principal.actor, current_request_id()),
        ):
            await self.graphql(scope, receive, send)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        await ping_db()
    except Exception as error:
        logger.warning("readyz.database_unreachable", error=repr(error))
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(
    settings: Settings | None = None,
    *,
    manage_db: bool = True,
    background: Background | None = None,
) -> Starlette:
    """Build the app.

    `manage_db=False` leaves the ORM to the caller; a given `background` is used instead of
    starting the job machinery at start-up (tests, embedding).
    """
    settings = settings or Settings()
    endpoint = GraphQLEndpoint(settings)
    endpoint.graphql.background = background

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            await init_db(settings.tortoise_db_url)
        started = None if background is not None else await workers.start(settings)
        if started is not None:
            endpoint.graphql.background = started
        try:
            yield
        finally:
            if started is not None:
                await started.stop()
            if manage_db:
                await close_db()

    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )


__all__ = ["PRINCIPAL_KEY", "Principal", "create_app"]
