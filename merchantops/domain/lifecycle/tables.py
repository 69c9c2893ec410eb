"""Every tenant table, found from the models tortoise knows, in foreign-key order.

No list of tables is kept here: a model deriving from `TenantModel` in any area is a tenant
table, so a new area's tables are exported and purged without this module changing. The order
comes from tortoise's model metadata: a table that refers to another (a foreign key or one-to-one
field between two tenant tables) is purged before it, so no delete waits on a `RESTRICT` key,
and the reverse order loads an archive parents first. Ties go by table name, so the order is the
same in every process.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from tortoise import Tortoise
from tortoise.models import Model

from merchantops.tenants.base import TenantModel


class ForeignKeyCycle(RuntimeError):
    pass


def tenant_tables() -> list[type[TenantModel]]:
    """Every tenant table of every app, by table name."""
    found = {
        model
        for app in Tortoise.apps.values()
        for model in app.values()
        if issubclass(model, TenantModel) and not model._meta.abstract
    }
    return sorted(found, key=table_name)


def table_name(model: type[Model]) -> str:
    return model._meta.db_table


def referenced(model: type[Model]) -> set[type[Model]]:
    """The other models `model`'s foreign keys and one-to-one fields point at."""
    meta = model._meta
    return {
        meta.fields_map[name].related_model  # type: ignore[attr-defined]
        for name in meta.fk_fields | meta.o2o_fields
    } - {model}


def purge_order(models: list[type[TenantModel]] | None = None) -> list[type[TenantModel]]:
    """Children before parents: each table before every table it refers to.

    Raises `ForeignKeyCycle` naming the tables when they refer to each other in a circle (a
    circle would need a key set to null first: no tenant table has one today)."""
    tables = tenant_tables() if models is None else sorted(models, key=table_name)
    parents = {model: [t for t in tables if t in referenced(model)] for model in tables}
    waiting_on = {model: 0 for model in tables}  # children not yet placed
    for model in tables:
        for parent in parents[model]:
            waiting_on[parent] += 1
    ready = [model for model in tables if waiting_on[model] == 0]
    order: list[type[TenantModel]] = []
    while ready:
        ready.sort(key=table_name)
        model = ready.pop(0)
        order.append(model)
        for parent in parents[model]:
            waiting_on[parent] -= 1
            if waiting_on[parent] == 0:
                ready.append(parent)
    if len(order) != len(tables):
        stuck = sorted(table_name(m) for m in tables if m not in order)
        raise ForeignKeyCycle(f"tenant tables refer to each other in a circle: {stuck}")
    return order


def columns(model: type[Model]) -> dict[str, str]:
    """Field name -> column name of every stored field (a foreign key by its `<name>_id`)."""
    return dict(model._meta.fields_db_projection)


def plain(value: Any) -> Any:
    """A value of a row as JSON: times in ISO 8601, decimals as strings (exact), uuids as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot write a {type(value).__name__} to JSON")


def json_line(row: dict[str, Any]) -> bytes:
    return (
        json.dumps(row, default=plain, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


__all__ = [
    "ForeignKeyCycle",
    "columns",
    "json_line",
    "plain",
    "purge_order",
    "referenced",
    "table_name",
    "tenant_tables",
]
