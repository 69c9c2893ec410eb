"""PostgreSQL row-level security on every tenant table, and the roles it needs.

Every table with a `tenant_id` column has row-level security enabled and *forced* (its owner is
held to it too) and one policy, `tenant_isolation`, for reads and writes alike: a row is
visible, and may be written, only when its `tenant_id` is the connection's
`merchantops.tenant_id` setting, or while `merchantops.all_tenants` is `on` (code inside
`across_tenants(...)`; `merchantops.dbengine.scope` sets both before each statement). A
connection with neither sees no tenant row at all.

Two roles (README, "PostgreSQL roles"): the **owner** owns the tables and runs the migrations
(`DATABASE_OWNER_URL`); the **application** role (`DATABASE_URL`) may read and write rows and
nothing else, and is neither a superuser nor `BYPASSRLS` (both skip every policy, forced or
not). `merchantops db-grant <role>` grants the application role what it needs, run as the owner
after migrating. `status()` tells whether a connection's role is held to the policies; the app
refuses to start on PostgreSQL with a role that is not, when `REQUIRE_ROW_LEVEL_SECURITY` is set
(the default in production).

Tables without `tenant_id` are global on purpose (`GLOBAL_TABLES`): tenants, users and their
sessions, the migration record, the platform's records of tenant archives and deletions. They
become Citus reference tables (docs/scaling.md), or stay on the coordinator
(`citus.LOCAL_TABLES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

POLICY = "tenant_isolation"
PREDICATE = (
    "(tenant_id = NULLIF(current_setting('merchantops.tenant_id', true), '')::uuid "
    "OR current_setting('merchantops.all_tenants', true) = 'on')"
)
GLOBAL_TABLES = frozenset(
    {
        "tenant",
        "user_account",
        "login_session",
        "refresh_token",
        "invitation",
        "tortoise_migrations",
        # the platform's records of tenants' archives and deletions (domain/lifecycle)
        "tenant_archive",
        "tenant_deletion",
        "platform_audit",
    }
)

TABLES = """
SELECT c.relname AS name,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
               AND NOT a.attisdropped) AS tenant_owned
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind = 'r'
ORDER BY c.relname
"""
"""Every table of the current schema, and whether it has a `tenant_id` column."""


def protect_statements(table: str) -> list[str]:
    """Enable and force row-level security on `table` with the tenant policy (idempotent)."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'CREATE POLICY {POLICY} ON "{table}" USING {PREDICATE} WITH CHECK {PREDICATE}',
    ]


def unprotect_statements(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


async def tenant_tables(client: Any) -> list[str]:
    """Every table of the current schema with a `tenant_id` column."""
    _, rows = await client.execute_query(TABLES)
    return [row["name"] for row in rows if row["tenant_owned"]]


async def protect_every_tenant_table(client: Any) -> list[str]:
    """For migrations: every tenant table gets the policy. A migration that adds a tenant table
    ends with this (PostgreSQL only; SQLite has no row-level security)."""
    if client.capabilities.dialect != "postgres":
        return []
    tables = await tenant_tables(client)
    for table in tables:
        for statement in protect_statements(table):
            await client.execute_script(statement)
    return tables


def grant_statements(role: str) -> list[str]:
    """What the application role needs on the current schema: rows, not structure."""
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]


@dataclass(frozen=True)
class Status:
    role: str
    superuser: bool
    bypass_rls: bool

    @property
    def enforced(self) -> bool:
        """Policies apply to this role (forced ones also to the tables it owns)."""
        return not (self.superuser or self.bypass_rls)


ROLE_STATUS = "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"


async def status(client: Any) -> Status | None:
    """Whether the connection's role is held to row-level security (None on SQLite)."""
    if client.capabilities.dialect != "postgres":
        return None
    _, rows = await client.execute_query(ROLE_STATUS)
    row = rows[0]
    return Status(row["rolname"], bool(row["rolsuper"]), bool(row["rolbypassrls"]))


__all__ = [
    "GLOBAL_TABLES",
    "POLICY",
    "PREDICATE",
    "TABLES",
    "Status",
    "grant_statements",
    "protect_every_tenant_table",
    "protect_statements",
    "status",
    "tenant_tables",
    "unprotect_statements",
]
