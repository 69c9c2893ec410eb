"""Raw SQL of the knowledge base (search, deflection figures), bound to the dialect.

Statements are written once with `:name` parameters; `bind` turns them into the connection's
placeholders (`$1` for asyncpg, `?` for SQLite) and converts what SQLite stores as text. Raw
SQL bypasses the tenant-scoped managers, so every statement filters by `:tenant` itself (and on
PostgreSQL row-level security holds the line as well).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from merchantops.tenants.context import current_tenant_id

_PARAM = re.compile(r"(?<!:):([a-z_]+)\b")


def connection() -> BaseDBAsyncClient:
    return Tortoise.get_connection("default")


def is_postgres() -> bool:
    return connection().capabilities.dialect == "postgres"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds"))
    return value


def bind(sql: str, params: Mapping[str, Any], postgres: bool) -> tuple[str, list[Any]]:
    values: list[Any] = []
    positions: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if postgres:
            if name not in positions:
                values.append(params[name])
                positions[name] = len(values)
            return f"${positions[name]}"
        values.append(_sqlite_value(params[name]))
        return "?"

    return _PARAM.sub(replace, sql), values


async def rows(sql: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of a query of the tenant in context (`:tenant` is bound for you)."""
    client = connection()
    postgres = client.capabilities.dialect == "postgres"
    text, values = bind(sql, {"tenant": current_tenant_id(), **params}, postgres)
    return list(await client.execute_query_dict(text, values))


async def execute(sql: str, **params: Any) -> None:
    client = connection()
    postgres = client.capabilities.dialect == "postgres"
    text, values = bind(sql, {"tenant": current_tenant_id(), **params}, postgres)
    await client.execute_query(text, values)


__all__ = ["bind", "connection", "execute", "is_postgres", "rows"]
