"""The tenant of the running request or job, and the one way to work across tenants.

The tenant is set once per request by the auth layer and once per job by the worker, never
from client input fields. Tenant-owned queries read it and fail closed when it is missing; on
PostgreSQL the database enforces it too (row-level security, `merchantops.dbengine.scope`).

Code that must read or write rows of every tenant says why with `across_tenants(Crossing.X)`:
the managers' `unscoped()` refuses to run outside it, and PostgreSQL's policies admit every
tenant's rows only to statements run inside it. `Crossing` lists every reason there is, so a
new one is a reviewed change. Every crossing is counted by reason (`crossings`); the rare ones
an operator or admin starts (migrations, a tenant's export or purge) are also logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from uuid import UUID

from merchantops.log import get_logger

logger = get_logger(__name__)

_current_tenant_id: ContextVar[UUID | None] = ContextVar("merchantops_tenant_id", default=None)
_actor: ContextVar[str] = ContextVar("merchantops_actor", default="system")
_request_id: ContextVar[str | None] = ContextVar("merchantops_request_id", default=None)


class Crossing(StrEnum):
    """Every reason code may work across tenants."""

    SIGN_IN = "sign_in"
    """An API key is found by its public id before its tenant is known, and marked used."""
    OWN_MEMBERSHIPS = "own_memberships"
    """A signed-in user's own memberships, in every tenant they belong to (`me`)."""
    JOB_LEDGER = "job_ledger"
    """The job sweep: unfinished jobs of every tenant whose lease ran out, and their leases."""
    OUTBOX_RELAY = "outbox_relay"
    """The relay: every tenant's undispatched events, and marking them dispatched."""
    AUDIT_SEALING = "audit_sealing"
    """Sealing the audit entries a crashed process left unchained, in every tenant."""
    MIGRATIONS = "migrations"
    """Schema and data migrations, run by the database owner."""
    TENANT_LIFECYCLE = "tenant_lifecycle"
    """A platform admin's export or purge of one tenant's data."""
    OPERATIONS = "operations"
    """Counting every tenant's unfinished and dead jobs and pending events (metrics, health)."""


LOGGED = frozenset({Crossing.MIGRATIONS, Crossing.TENANT_LIFECYCLE})
_crossing: ContextVar[Crossing | None] = ContextVar("merchantops_crossing", default=None)
crossings: dict[Crossing, int] = dict.fromkeys(Crossing, 0)
"""How many times this process crossed tenants, by reason."""


class NotAcrossTenants(RuntimeError):
    """`unscoped()` was used outside `across_tenants(...)`."""


@contextmanager
def across_tenants(reason: Crossing) -> Iterator[None]:
    """Run the block with every tenant's rows visible: the one way to cross tenants."""
    crossings[reason] += 1
    if reason in LOGGED:
        logger.info("tenancy.across_tenants", reason=reason.value)
    token = _crossing.set(reason)
    try:
        yield
    finally:
        _crossing.reset(token)


def crossing_now() -> Crossing | None:
    return _crossing.get()


def require_crossing(model: str) -> Crossing:
    crossing = _crossing.get()
    if crossing is None:
        raise NotAcrossTenants(
            f"{model}.unscoped() reads every tenant's rows: run it inside "
            "across_tenants(Crossing.<reason>) (merchantops/tenants/context.py)"
        )
    return crossing


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
    "Crossing",
    "NoTenantInContext",
    "NotAcrossTenants",
    "across_tenants",
    "actor_scope",
    "crossing_now",
    "crossings",
    "current_actor",
    "current_request_id",
    "current_tenant_id",
    "require_crossing",
    "tenant_id_or_none",
    "tenant_scope",
]
