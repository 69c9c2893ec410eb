"""The tenant of the running request or job.

Set once per request by the auth layer and once per job by the worker, never from client
input fields. Tenant-owned queries read it and fail closed when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

_current_tenant_id: ContextVar[UUID | None] = ContextVar("merchantops_tenant_id", default=None)
_actor: ContextVar[str] = ContextVar("merchantops_actor", default="system")
_request_id: ContextVar[str | None] = ContextVar("merchantops_request_id", default=None)


class NoTenantInContext(RuntimeError):
    """A tenant-owned model was queried outside a tenant scope."""

    def __init__(self, model: str) -> None:
        super().__init__(
            f"{model} is tenant-owned and no tenant is in context; wrap the call in "
            "tenant_scope(tenant_id) or use the model's unscoped() on purpose"
        )


def current_tenant_id(model: str = "query") -> UUID:
    tenant_id = _current_tenant_id.get()
    if tenant_id is None:
        raise NoTenantInContext(model)
    return tenant_id


def tenant_id_or_none() -> UUID | None:
    return _current_tenant_id.get()


@contextmanager
def tenant_scope(tenant_id: UUID | None) -> Iterator[None]:
    token = _current_tenant_id.set(tenant_id)
    try:
        yield
    finally:
        _current_tenant_id.reset(token)


@contextmanager
def actor_scope(actor: str, request_id: str | None = None) -> Iterator[None]:
    """Who is acting (`user:<id>`, `api_key:<public id>`, `system`) and for which request."""
    actor_token = _actor.set(actor)
    request_token = _request_id.set(request_id)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(request_token)


def current_actor() -> str:
    return _actor.get()


def current_request_id() -> str | None:
    return _request_id.get()


__all__ = [
    "NoTenantInContext",
    "actor_scope",
    "current_actor",
    "current_request_id",
    "current_tenant_id",
    "tenant_id_or_none",
    "tenant_scope",
]
