"""A request id for every HTTP request: taken from a sane `X-Request-ID` or made, echoed back,
and bound to every log line of the request (with the trace id, when tracing is on)."""

from __future__ import annotations

import re
from uuid import uuid4

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from merchantops.observability import tracing

HEADER = "x-request-id"
_SAFE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else "-"


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inbound = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
        request_id = inbound if _SAFE.match(inbound) else uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        # the request's span (outside this middleware) names it too: a trace leads to the logs
        tracing.annotate("http.request_id", request_id)
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)


__all__ = ["RequestIdMiddleware", "current_request_id"]
