from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.inventory.types import WarehouseNode, ZoneNode
from merchantops.domain.inventory import warehouses

WRITE = TenantPermission("inventory", "write")


@strawberry.input
class CreateWarehouseInput:
    code: str
    name: str


@strawberry.input
class RenameWarehouseInput:
    id: strawberry.ID
    name: str


@strawberry.input
class CreateZoneInput:
    warehouse_id: strawberry.ID
    code: str
    name: str


@strawberry.type
class WarehousePayload:
    warehouse: WarehouseNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ZonePayload:
    zone: ZoneNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WarehouseMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)], description="A warehouse, with its default zone MAIN."
    )
    async def create_warehouse(self, input: CreateWarehouseInput) -> WarehousePayload:
        warehouse = await warehouses.create_warehouse(input.code, input.name)
        return WarehousePayload(warehouse=WarehouseNode.from_model(warehouse))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def rename_warehouse(self, input: RenameWarehouseInput) -> WarehousePayload:
        warehouse = await warehouses.rename_warehouse(decode_id(input.id, "Warehouse"), input.name)
        return WarehousePayload(warehouse=WarehouseNode.from_model(warehouse))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_zone(self, input: CreateZoneInput) -> ZonePayload:
        zone = await warehouses.create_zone(
            decode_id(input.warehouse_id, "Warehouse", "warehouseId"), input.code, input.name
        )
        return ZonePayload(zone=ZoneNode.from_model(zone))


__all__ = ["WarehouseMutation"]
