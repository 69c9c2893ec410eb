"""Raw SQL for the set-based parts of inventory (ledger check, stock positions, analytics).

Statements are written once with `:name` parameters; `run` turns them into the placeholders of
the connection's dialect (`$1` for asyncpg, `?` for SQLite) and converts values SQLite stores as
text (UUIDs, datetimes in tortoise's format). Raw SQL bypasses the tenant-scoped manager, so
every statement here filters by `:tenant` itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from merchantops.tenants.context import current_tenant_id

_PARAM = re.compile(r"(?<!:):([a-z_]+)\b")


def connection() -> BaseDBAsyncClient:
    return Tortoise.get_connection("default")


def is_postgres(client: BaseDBAsyncClient | None = None) -> bool:
    return (client or connection()).capabilities.dialect == "postgres"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds"))
    if isinstance(value, Decimal):
        return str(value)
    return value


def bind(sql: str, params: Mapping[str, Any], postgres: bool) -> tuple[str, list[Any]]:
    """`:name` parameters to the dialect's positional ones, with their values in order."""
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
    text, values = bind(sql, {"tenant": current_tenant_id(), **params}, is_postgres(client))
    return list(await client.execute_query_dict(text, values))


async def execute(sql: str, **params: Any) -> int:
    """Run a statement of the tenant in context; returns the number of rows it changed."""
    client = connection()
    text, values = bind(sql, {"tenant": current_tenant_id(), **params}, is_postgres(client))
    changed, _ = await client.execute_query(text, values)
    return int(changed)


__all__ = ["bind", "connection", "execute", "is_postgres", "rows"]
