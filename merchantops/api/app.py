"""The starlette application: `/graphql`, `/healthz`, `/readyz`, `/metrics`, GraphiQL's files.

Requests the GraphQL layer cannot make sense of get a JSON error in the GraphQL response shape
and a 4xx status, never a 500: malformed JSON or a body that is not an object (400
`BAD_REQUEST`), a content type other than JSON (415 `UNSUPPORTED_MEDIA_TYPE`), a GET where GET is
off or another method (405 `METHOD_NOT_ALLOWED`), an unknown or missing operation name (400
`BAD_REQUEST`). Their messages are `bounded`: none echoes more than a little of the request.
Everything else outside GraphQL answers in the same shape (`merchantops/api/errors.py`).

Middleware, outermost first: the request's span (when tracing is on, `observability/tracing.py`),
request metrics (`api/observe.py`), request id (on every answer, preflights included), CORS (so
browsers can read every refusal below it), `ServerErrors` (a bug is a masked JSON 500),
`RequestGuard` (body size and time limits).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from merchantops.api import graphiql
from merchantops.api.cors import Cors
from merchantops.api.errors import ServerErrors, code_for, http_exception, last_resort
from merchantops.api.graphql.core.context import Context
from merchantops.api.graphql.core.errors import bounded
from merchantops.api.graphql.schema import build_schema, mask_unexpected
from merchantops.api.guards import Liveness, RequestGuard, error_response
from merchantops.api.health import Readiness, readiness_body
from merchantops.api.observe import HttpMetrics, metrics_endpoint, trace_requests
from merchantops.api.request_id import RequestIdMiddleware, current_request_id
from merchantops.api.throttle import Buckets, buckets_for
from merchantops.db import check_row_level_security, close_db, init_db, ping_db
from merchantops.dbengine.request import release_request_connection, request_connection
from merchantops.errors import DomainError
from merchantops.log import get_logger
from merchantops.observability import metrics, tracing
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.settings import Settings
from merchantops.tenants.auth import Authenticator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.errors import InvalidToken
from merchantops.tenants.principal import Principal
from merchantops.tenants.tokens import AccessTokenCodec
from merchantops.workers import embedding as workers
from merchantops.workers.embedding import Background, observe_process
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
        self.throttle: Buckets = buckets_for(settings)
        self.readiness: Readiness | None = None

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        principal: Principal = request.scope[PRINCIPAL_KEY]
        if principal.tenant is not None:
            # Classified fields mask synchronously from this table: have it compiled (a dict
            # lookup once it is, a query only after an activation).
            await self.masking.table(principal.tenant.id, principal.tenant.rules_version)
        return Context(
            request=request,
            principal=request.scope[PRINCIPAL_KEY],
            request_id=current_request_id(),
            settings=self.settings,
            authenticator=self.authenticator,
            queue=self.background.queue if self.background else None,
            masking=self.masking,
            evaluator=self.evaluator,
            response=response,
            throttle=self.throttle,
            readiness=self.readiness,
        )

    async def run(  # type: ignore[override]
        self, request: Any, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response:
        try:
            response: Response = await super().run(request, context, root_value)
        except HTTPException as error:
            code = code_for(error.status_code)
            logger.info(
                "graphql.http_refused", status=error.status_code, reason=bounded(error.reason)
            )
            return error_response(error.status_code, code, error.reason)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        prefix = request.scope.get("root_path", "") + graphiql.ASSETS_PATH
        page = graphiql.render(self.graphql_ide_html, prefix)
        policy = graphiql.content_security_policy(page)
        return HTMLResponse(page, headers={"Content-Security-Policy": policy})

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # execution is over: the connection goes back before the answer is encoded and sent
        await release_request_connection()
        if result.errors:
            result.errors = mask_unexpected(result.errors)
        return await super().process_result(request, result)

    def encode_json(self, data: object) -> bytes:
        # orjson writes a page of results several times faster than json.dumps; what it cannot
        # write (an integer beyond 64 bits inside a JSON value) goes the standard way
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data).encode()

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError) as error:  # bad encodings and absurd nesting too
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(decoded, dict):
            raise HTTPException(400, 'Send a JSON object: {"query": ..., "variables": {...}}.')
        return decoded


class GraphQLEndpoint:
    """Authenticates the request, then runs GraphQL inside the request's tenant scope, all of
    it on one database connection (`dbengine.request`).

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
        request = Request(scope)
        headers = request.headers
        refusal = self._refuse_transport(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        # one pool connection for all of the request's statements (dbengine.request)
        async with request_connection():
            try:
                principal = await self.authenticator.principal(
                    headers.get("authorization"), headers.get("x-tenant")
                )
            except DomainError as error:
                status = 401 if isinstance(error, InvalidToken) else 403
                logger.info("auth.refused", code=error.code, status=status)
                await error_response(status, error.code, error.message)(scope, receive, send)
                return
            scope[PRINCIPAL_KEY] = principal
            with (
                tenant_scope(principal.tenant_id),
                actor_scope(principal.actor, current_request_id()),
            ):
                await self.graphql(scope, receive, send)

    def _refuse_transport(self, request: Request) -> Response | None:
        """Methods and content types the endpoint does not take, refused before anything runs."""
        if request.method == "GET":
            if self.graphql.allow_queries_via_get or self.graphql.graphql_ide:
                return None
            return error_response(
                405,
                "METHOD_NOT_ALLOWED",
                "Send GraphQL as POST with a JSON body.",
                headers={"Allow": "POST"},
            )
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return error_response(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "Send GraphQL with 'Content-Type: application/json'.",
            )
        return None


def healthz_endpoint(settings: Settings, liveness: Liveness) -> Any:
    """Liveness: fails (503) when this process can no longer complete requests, which a restart
    cures: requests keep ending in time-outs, or a trivial statement does not come back through
    the process's own database client within `LIVENESS_TIMEOUT_SECONDS` (a connection lock or
    pool that never frees). A database that refuses connections is `/readyz`'s concern."""

    async def healthz(request: Request) -> Response:
        if liveness.stalled:
            logger.error("healthz.stalled", timeouts_in_a_row=liveness.timeouts_in_a_row)
            return JSONResponse({"status": "stalled", "requests": "timing out"}, status_code=503)
        try:
            async with asyncio.timeout(settings.liveness_timeout_seconds):
                await ping_db()
        except TimeoutError:
            logger.error("healthz.stalled", database="no answer")
            return JSONResponse({"status": "stalled", "database": "no answer"}, status_code=503)
        except Exception as error:
            logger.warning("healthz.database_unreachable", error=repr(error))
        return JSONResponse({"status": "ok"})

    return healthz


def readyz_endpoint(readiness: Readiness) -> Any:
    """Readiness (`api/health.py`): 503 naming the failing checks."""

    async def readyz(request: Request) -> Response:
        status, body = readiness_body(await readiness.checks())
        return JSONResponse(body, status_code=status)

    return readyz


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
    observe_process(settings, "merchantops-api")
    liveness = Liveness(settings.liveness_max_timeouts)
    readiness = Readiness(settings)
    metrics_port = metrics.MetricsPort(settings.metrics_port, settings.metrics_host)
    endpoint = GraphQLEndpoint(settings)
    endpoint.graphql.background = background
    endpoint.graphql.readiness = readiness

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            await init_db(settings.tortoise_db_url)
            await check_row_level_security(settings.row_level_security_required)
        started = None if background is not None else await workers.start(settings)
        if started is not None:
            endpoint.graphql.background = started
        metrics_port.start()
        try:
            yield
        finally:
            metrics_port.stop()
            if started is not None:
                await started.stop()
            await endpoint.graphql.throttle.close()
            if manage_db:
                await close_db()

    routes: list[BaseRoute] = [
        Route("/graphql", endpoint, methods=["GET", "POST"]),
        Route("/healthz", healthz_endpoint(settings, liveness), methods=["GET"]),
        Route("/readyz", readyz_endpoint(readiness), methods=["GET"]),
    ]
    if settings.metrics_enabled:
        routes.append(Route("/metrics", metrics_endpoint(settings), methods=["GET"]))
    if settings.graphiql_enabled:
        assets = StaticFiles(directory=graphiql.ASSETS_DIR, check_dir=False)
        routes.append(Mount(graphiql.ASSETS_PATH, assets, name="graphiql-assets"))
    app = Starlette(
        routes=routes,
        middleware=[
            *([Middleware(HttpMetrics)] if settings.metrics_enabled else []),
            Middleware(RequestIdMiddleware),
            Middleware(Cors, settings=settings),
            Middleware(ServerErrors),
            Middleware(
                RequestGuard,
                max_body_bytes=settings.max_body_bytes,
                timeout_seconds=settings.request_timeout_seconds,
                liveness=liveness,
            ),
        ],
        exception_handlers={StarletteHTTPException: http_exception, Exception: last_resort},
        lifespan=lifespan,
    )
    if tracing.enabled():
        # outermost: the request's span is open around the metrics, the request id and the rest
        trace_requests(app)
    return app


__all__ = ["PRINCIPAL_KEY", "Principal", "create_app"]
