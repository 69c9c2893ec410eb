"""Errors outside GraphQL answered in GraphQL's error shape, like every other refusal.

`{"data": null, "errors": [{"message", "extensions": {"code"}}]}` for a path nothing serves
(404 `NOT_FOUND`), a method a route does not take (405 `METHOD_NOT_ALLOWED`, with `Allow`), any
other `HTTPException` (`HTTP_<status>` unless named below), and a bug (500
`INTERNAL_SERVER_ERROR` with the request id; the exception goes to the log under that id, never
to the client). `ServerErrors` sits inside the request-id and CORS middleware, so even a 500
carries `X-Request-ID` and the CORS headers a browser needs to read it; `last_resort` covers
the few lines outside it (Starlette's own `ServerErrorMiddleware` calls it).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from merchantops.api.guards import error_response
from merchantops.api.request_id import current_request_id
from merchantops.log import get_logger

logger = get_logger(__name__)
HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
}


def code_for(status: int) -> str:
    return HTTP_CODES.get(status, f"HTTP_{status}")


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = exc.headers or {}
    if exc.status_code == 404:
        message = f"Nothing is served at {request.url.path}; the API is POST /graphql."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed here; use {headers.get('Allow', 'another')}."
    else:
        message = exc.detail
    return error_response(exc.status_code, code_for(exc.status_code), message, headers=headers)


def internal_error() -> JSONResponse:
    request_id = current_request_id()
    message = f"Internal server error; quote request id {request_id} when reporting it."
    extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    body = {"data": None, "errors": [{"message": message, "extensions": extensions}]}
    return JSONResponse(body, status_code=500)


async def last_resort(request: Request, exc: Exception) -> Response:
    return internal_error()


class ServerErrors:
    """Answers an exception nothing handled with a masked 500, logged with its traceback.

    Once a response has started it can no longer be replaced: the exception goes on to the
    server, which closes the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception:
            logger.exception("request.failed", path=scope["path"], method=scope["method"])
            if started:
                raise
            await internal_error()(scope, receive, send)


__all__ = ["HTTP_CODES", "ServerErrors", "code_for", "http_exception", "last_resort"]
