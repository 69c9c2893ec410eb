"""The application role of production (README, "PostgreSQL roles") on a test or bench database:
not a superuser, not BYPASSRLS, so row-level security holds it; granted rows on the database."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from merchantops.dbengine import rls

APP_ROLE = "merchantops_app"


async def application_role(owner_url: str, *, truncate: bool = False) -> str:
    """Make sure the role exists and may read and write the rows of `owner_url`'s database
    (`truncate`: empty tables too, for tests); the same database's URL as that role."""
    owner = await asyncpg.connect(owner_url.replace("postgres://", "postgresql://", 1))
    try:
        # made by an earlier or a concurrent run already, maybe
        with contextlib.suppress(asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
            await owner.execute(
                f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
            )
        for statement in rls.grant_statements(APP_ROLE):
            await owner.execute(statement)
        if truncate:
            await owner.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    finally:
        await owner.close()
    parts = urlsplit(owner_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{APP_ROLE}@{host}"))


__all__ = ["APP_ROLE", "application_role"]
