"""Warehouses and their zones. A new warehouse starts with one zone, `MAIN`."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from merchantops.domain.inventory.models import Warehouse, Zone
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit

DEFAULT_ZONE = "MAIN"
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def validate_code(code: str, field: str = "code") -> str:
    code = code.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(
            "A code is 1-32 letters, digits, '-' or '_', starting with a letter or digit.",
            field=field,
        )
    return code


def validate_name(name: str, field: str = "name") -> str:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("A name is 1-200 characters.", field=field)
    return name


def _warehouse(warehouse: Warehouse) -> dict[str, Any]:
    return {"code": warehouse.code, "name": warehouse.name}


def _zone(zone: Zone) -> dict[str, Any]:
    return {"warehouse_id": str(zone.warehouse_id), "code": zone.code, "name": zone.name}


async def get_warehouse(id: UUID, field: str = "warehouseId") -> Warehouse:
    warehouse = await Warehouse.get_or_none(id=id)
    if warehouse is None:
        raise NotFound("No warehouse with this id.", field=field)
    return warehouse


async def get_zone(id: UUID, field: str = "zoneId") -> Zone:
    zone = await Zone.get_or_none(id=id)
    if zone is None:
        raise NotFound("No zone with this id.", field=field)
    return zone


async def default_zone(warehouse_id: UUID) -> Zone | None:
    """Where goods go when nobody says: the warehouse's `MAIN` zone, the first by code if it has
    none (an older warehouse), None if it has no zone at all."""
    zones = Zone.filter(warehouse_id=warehouse_id)
    return await zones.filter(code=DEFAULT_ZONE).first() or await zones.order_by("code").first()


async def create_warehouse(code: str, name: str) -> Warehouse:
    code, name = validate_code(code), validate_name(name)
    if await Warehouse.exists(code=code):
        raise AlreadyExists(f"A warehouse '{code}' exists already.", field="code")
    try:
        async with in_transaction():
            warehouse = await Warehouse.create(code=code, name=name)
            zone = await Zone.create(warehouse_id=warehouse.id, code=DEFAULT_ZONE, name="Main")
            await audit.record(
                "warehouse.create", "warehouse", warehouse.id, after=_warehouse(warehouse)
            )
            await audit.record("zone.create", "zone", zone.id, after=_zone(zone))
    except IntegrityError as error:
        raise AlreadyExists(f"A warehouse '{code}' exists already.", field="code") from error
    return warehouse


async def rename_warehouse(id: UUID, name: str) -> Warehouse:
    warehouse = await get_warehouse(id, "id")
    before = _warehouse(warehouse)
    warehouse.name = validate_name(name)
    async with in_transaction():
        await warehouse.save(update_fields=["name"])
        await audit.record(
            "warehouse.rename", "warehouse", id, before=before, after=_warehouse(warehouse)
        )
    return warehouse


async def create_zone(warehouse_id: UUID, code: str, name: str) -> Zone:
    warehouse = await get_warehouse(warehouse_id)
    code, name = validate_code(code), validate_name(name)
    if await Zone.exists(warehouse_id=warehouse.id, code=code):
        raise AlreadyExists(f"Warehouse {warehouse.code} has a zone '{code}'.", field="code")
    try:
        async with in_transaction():
            zone = await Zone.create(warehouse_id=warehouse.id, code=code, name=name)
            await audit.record("zone.create", "zone", zone.id, after=_zone(zone))
    except IntegrityError as error:
        raise AlreadyExists(
            f"Warehouse {warehouse.code} has a zone '{code}'.", field="code"
        ) from error
    return zone


__all__ = [
    "DEFAULT_ZONE",
    "create_warehouse",
    "create_zone",
    "default_zone",
    "get_warehouse",
    "get_zone",
    "rename_warehouse",
    "validate_code",
    "validate_name",
]
