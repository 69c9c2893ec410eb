"""Which web pages may call the API from a browser: `CORS_ALLOWED_ORIGINS`.

Merchant front ends on another origin call `POST /graphql` with `Authorization: Bearer ...`
and `X-Tenant`, which makes the browser ask first (`OPTIONS` preflight). Starlette's
`CORSMiddleware` answers it for the configured origins; a page from any other origin gets no
`Access-Control-Allow-Origin`, so its browser reads nothing.

- Credentials stay off (`allow_credentials=False`): the API authenticates with bearer tokens,
  never cookies, so a browser has no ambient credential to send, and `*` stays harmless outside
  production (production refuses it: `merchantops/settings.py`).
- The headers a client sends are allowed (`Authorization`, `Content-Type`, `X-Tenant`,
  `X-Request-ID`); the ones it must read are exposed (`X-Request-ID`, `Retry-After` of a 429).
- The middleware sits outside the body and time guards and `ServerErrors`, so a preflight never
  reaches them and every refusal (401, 403, 413, 429, 503, 500) carries the CORS headers a page
  needs to read it. A refused preflight is a 400 in the usual JSON error shape.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from merchantops.api.guards import error_response
from merchantops.settings import Settings

ALLOWED_METHODS = ("GET", "POST")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Tenant", "X-Request-ID")
EXPOSED_HEADERS = ("X-Request-ID", "Retry-After")
PREFLIGHT_MAX_AGE_SECONDS = 600


class Cors(CORSMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(
            app,
            allow_origins=settings.cors_origins,
            allow_origin_regex=settings.cors_origin_regex,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            allow_credentials=False,
            expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_MAX_AGE_SECONDS,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refusal = error_response(
            response.status_code,
            "CORS_REFUSED",
            f"{bytes(response.body).decode()}: this origin, method or header may not call the "
            "API from a browser (CORS_ALLOWED_ORIGINS lists the origins that may).",
        )
        for name, value in response.headers.items():
            if name.startswith("access-control-") or name == "vary":
                refusal.headers[name] = value
        return refusal


__all__ = ["ALLOWED_HEADERS", "EXPOSED_HEADERS", "Cors"]
