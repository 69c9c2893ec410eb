"""HTTP-level protection in front of every route: a body size cap and a request timeout.

- A body over `MAX_BODY_BYTES` is answered `413 BODY_TOO_LARGE`: at once when
  `Content-Length` says so, otherwise as soon as the bytes received pass the cap (chunked
  uploads), without reading the rest.
- A request still running after `REQUEST_TIMEOUT_SECONDS` is cancelled (an open transaction
  rolls back; one already committed stays) and answered `503 TIMEOUT`.
- `Liveness` counts requests that end only by timing out: `LIVENESS_MAX_TIMEOUTS` of them in a
  row, with no request completing in between, make `/healthz` fail, so an orchestrator
  restarts a process that can no longer finish requests.
- A client that hangs up before its body has arrived is not a server error: the request ends
  with one `client.disconnected` log line and no response, since nobody is listening.

Every refusal answered here is counted by its code (`merchantops_refusals_total`).

Error bodies have the shape of a GraphQL response: `{"data": null, "errors": [{"message",
"extensions": {"code"}}]}`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from merchantops.api.graphql.core.errors import bounded
from merchantops.log import get_logger
from merchantops.observability import metrics

logger = get_logger(__name__)


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A refusal in the shape of a GraphQL response; `message` may quote the request, so it is
    `bounded` like every GraphQL error's."""
    metrics.refused(code)
    body = {"data": None, "errors": [{"message": bounded(message), "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)


class BodyTooLarge(Exception):
    pass


class Liveness:
    """Whether requests still complete: the consecutive time-outs seen since the last request
    that completed."""

    def __init__(self, max_timeouts: int) -> None:
        self.max_timeouts = max_timeouts
        self.timeouts_in_a_row = 0

    def completed(self) -> None:
        self.timeouts_in_a_row = 0

    def timed_out(self) -> None:
        self.timeouts_in_a_row += 1

    @property
    def stalled(self) -> bool:
        return self.timeouts_in_a_row >= self.max_timeouts


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        timeout_seconds: float,
        liveness: Liveness | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds
        self.liveness = liveness or Liveness(max_timeouts=3)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "BAD_REQUEST", "Content-Length is not a number.")(
                    scope, receive, send
                )
                return
            if int(declared) > self.max_body_bytes:
                await self._too_large(scope, receive, send)
                return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.timeout_seconds) as deadline:
                await self.app(scope, counted_receive, tracked_send)
            self.liveness.completed()
        except BodyTooLarge:
            if not started:
                await self._too_large(scope, receive, send)
        except ClientDisconnect:
            logger.info(
                "client.disconnected",
                path=scope["path"],
                body_bytes_received=received,
                response_started=started,
            )
        except TimeoutError:
            if not deadline.expired() or started:
                raise
            self.liveness.timed_out()
            logger.warning("request.timeout", seconds=self.timeout_seconds, path=scope["path"])
            await error_response(
                503,
                "TIMEOUT",
                f"The request took longer than {self.timeout_seconds:g} s and was stopped "
                "(a mutation may or may not have taken effect).",
            )(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        logger.info("request.body_too_large", limit=self.max_body_bytes)
        await error_response(
            413,
            "BODY_TOO_LARGE",
            f"The request body is larger than {self.max_body_bytes} bytes.",
            headers={"Connection": "close"},
        )(scope, receive, send)


__all__ = ["Liveness", "RequestGuard", "error_response"]
