"""Per-tenant number sequences (purchase orders, and later orders, tickets, ...).

`next_value("purchase_order")` hands out 1, 2, 3, ... per tenant with one upsert that returns
the new value; no query counts existing rows. Take the number *before* opening the transaction
that uses it: the counter row is then locked for that one statement only, so concurrent creates
do not queue behind each other's transactions. The price is that a number whose transaction
then fails is not handed out again: the numbers are unique and increasing, not gapless. Where a
law requires gapless numbering (some countries' invoice numbers), take the number inside the
transaction instead: the counter row then stays locked until commit, which serialises those
creates by design (and say so where it is done).

A second connection is never taken for it: a transaction waiting on the pool for one while
holding another is how a pool runs dry under load.
"""

from __future__ import annotations

from typing import Any

from tortoise import connections

from merchantops.tenants.context import current_tenant_id

UPSERT = (
    'INSERT INTO "tenant_counter" ("tenant_id", "name", "value") VALUES ({p1}, {p2}, 1) '
    'ON CONFLICT ("tenant_id", "name") DO UPDATE SET "value" = "tenant_counter"."value" + 1 '
    'RETURNING "value"'
)


async def next_value(name: str) -> int:
    """The next number of the tenant's sequence `name` (see the module docstring)."""
    tenant_id = current_tenant_id("TenantCounter")
    client: Any = connections.get("default")
    if client.capabilities.dialect != "postgres":
        _, rows = await client.execute_query(UPSERT.format(p1="?", p2="?"), [str(tenant_id), name])
        return int(rows[0]["value"])
    # the driver's connection directly: a number taken and lost is no write to undo, so it
    # does not stop a conflicting transaction from being retried (`dbengine.retry_transient`)
    async with client.acquire_connection() as connection:
        return int(await connection.fetchval(UPSERT.format(p1="$1", p2="$2"), tenant_id, name))


__all__ = ["next_value"]
