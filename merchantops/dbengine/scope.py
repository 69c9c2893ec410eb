"""The tenant in context, told to PostgreSQL on every connection, for row-level security.

Every tenant table carries a policy (`merchantops.dbengine.rls`) that admits only the rows whose
`tenant_id` is the connection's `merchantops.tenant_id` setting, or every row while its
`merchantops.all_tenants` setting is `on`. Before a statement runs, the connection it runs on is
given the scope of the code that runs it: the tenant of `tenant_scope(...)`, or every tenant
inside `across_tenants(...)`, or none at all (no tenant in context: the policies admit nothing).
The same contextvars the managers read decide it, for requests, jobs and the CLI alike, inside
transactions and out.

Each connection remembers the scope it was last given (`ScopedConnection.scope`), so a
statement costs one extra round trip only when its scope differs from the connection's last
one: in a request that runs all its statements on one connection, once per request at most.
`set_config(..., false)` is a session setting, yet a transaction that rolls back (or a
savepoint rolled back to) undoes one made inside it: a connection given its scope inside a
transaction forgets it when that transaction rolls back, and when it goes back to the pool
(which rolls back whatever was left open), so the next statement sets it again.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from merchantops.tenants.context import crossing_now, tenant_id_or_none

SET_SCOPE = (
    "SELECT set_config('merchantops.tenant_id', $1, false), "
    "set_config('merchantops.all_tenants', $2, false)"
)
Scope = tuple[str, str]


class ScopedConnection(asyncpg.Connection):  # type: ignore[misc]
    """An asyncpg connection that remembers the scope it was given last."""

    __slots__ = ("scope", "scope_in_transaction")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope: Scope | None = None
        self.scope_in_transaction = False


def wanted() -> Scope:
    """(tenant id or '', 'on' or '') for the code running now."""
    if crossing_now() is not None:
        return "", "on"
    tenant_id = tenant_id_or_none()
    return ("" if tenant_id is None else str(tenant_id)), ""


def _raw(connection: Any) -> Any:
    """The connection itself, behind the pool's proxy."""
    return getattr(connection, "_con", None) or connection


async def enter(connection: Any) -> None:
    """Give `connection` the scope of the running code, unless it has it already."""
    scope = wanted()
    raw = _raw(connection)
    if getattr(raw, "scope", None) == scope:
        return
    in_transaction = connection.is_in_transaction()
    await connection.fetchrow(SET_SCOPE, *scope)
    if isinstance(raw, ScopedConnection):
        raw.scope = scope
        raw.scope_in_transaction = in_transaction


def forget_if_undone(connection: Any) -> None:
    """After a rollback, or when the pool takes the connection back: a scope given inside a
    transaction may have been undone, so it is set again before the next statement."""
    raw = _raw(connection)
    if isinstance(raw, ScopedConnection) and raw.scope_in_transaction:
        raw.scope = None
        raw.scope_in_transaction = False


__all__ = ["SET_SCOPE", "ScopedConnection", "enter", "forget_if_undone", "wanted"]
