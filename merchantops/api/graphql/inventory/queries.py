"""Inventory queries: Relay connections with filter and sort inputs (`filters.py`), all
`inventory:read`, paged by the one paginator."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case
from tortoise.expressions import F
from tortoise.queryset import QuerySet

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.extensions import narrowed
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.pagination import (
    EVERY_ROW,
    Connection,
    Page,
    itself,
    paged,
    paginate,
)
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.api.graphql.inventory.analytics_types import (
    LedgerCheck,
    LedgerMismatch,
    ReorderPolicyNode,
    ReorderSuggestion,
    SkuAnalyticsNode,
)
from merchantops.api.graphql.inventory.filters import (
    AllocationFilter,
    LotFilter,
    LotSort,
    ReorderPolicyFilter,
    SkuAnalyticsFilter,
    StockLevelFilter,
    StockLevelSort,
    StockMovementFilter,
)
from merchantops.api.graphql.inventory.types import (
    AllocationNode,
    LotNode,
    StockLevelNode,
    StockMovementNode,
    WarehouseNode,
)
from merchantops.domain.inventory import models, positions, reconcile

READ = TenantPermission("inventory", "read")


def _ids(queryset: QuerySet[Any], **ids: tuple[str | None, str]) -> QuerySet[Any]:
    """Narrow by the global ids of a filter, keyed by column: `sku_id=(filter.sku_id, "Sku")`."""
    for column, (value, type_name) in ids.items():
        if value is not None:
            field = "filter." + to_camel_case(column)
            queryset = queryset.filter(**{column: decode_id(value, type_name, field)})
    return queryset


@strawberry.type
class InventoryQuery:
    @strawberry.field(extensions=[requires(READ)], description="Warehouses by code.")
    @paged
    async def warehouses(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[WarehouseNode]:
        return await paginate(
            info,
            models.Warehouse.all().order_by("code"),
            page,
            to_node=WarehouseNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)], description="Lots, newest receipt first unless sorted."
    )
    @paged
    async def lots(
        self,
        info: Info,
        filter: LotFilter | None = None,
        sort: LotSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[LotNode]:
        filter, sort = filter or LotFilter(), sort or LotSort()
        lots = _ids(
            models.Lot.all(),
            sku_id=(filter.sku_id, "Sku"),
            supplier_id=(filter.supplier_id, "Supplier"),
        )
        lots = narrowed(filter, lots)  # what areas depending on inventory add to the filter
        if filter.expires_before is not None:
            lots = lots.filter(expires_on__lt=filter.expires_before.date())
        return await paginate(
            info,
            lots.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=LotNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)], description="The lot with a trace code.")
    async def lot_by_trace_code(self, code: str) -> LotNode | None:
        lot = await models.Lot.get_or_none(trace_code=code.strip())
        return LotNode.from_model(lot) if lot else None

    @strawberry.field(
        extensions=[requires(READ)], description="Stock of each lot in each zone, FIFO by default."
    )
    @paged
    async def stock_levels(
        self,
        info: Info,
        filter: StockLevelFilter | None = None,
        sort: StockLevelSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[StockLevelNode]:
        filter, sort = filter or StockLevelFilter(), sort or StockLevelSort()
        levels = _ids(
            models.StockLevel.all(),
            sku_id=(filter.sku_id, "Sku"),
            warehouse_id=(filter.warehouse_id, "Warehouse"),
            zone_id=(filter.zone_id, "Zone"),
            lot_id=(filter.lot_id, "Lot"),
        )
        if filter.only_available:
            levels = levels.filter(on_hand__gt=F("allocated"))
        return await paginate(
            info,
            levels.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=StockLevelNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)], description="The ledger, newest first.")
    @paged
    async def stock_movements(
        self,
        info: Info,
        filter: StockMovementFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[StockMovementNode]:
        filter = filter or StockMovementFilter()
        movements = _ids(
            models.StockMovement.all(),
            sku_id=(filter.sku_id, "Sku"),
            warehouse_id=(filter.warehouse_id, "Warehouse"),
            lot_id=(filter.lot_id, "Lot"),
        )
        if filter.kind is not None:
            movements = movements.filter(kind=filter.kind.value)
        if filter.since is not None:
            movements = movements.filter(created_at__gte=filter.since)
        if filter.until is not None:
            movements = movements.filter(created_at__lt=filter.until)
        return await paginate(
            info,
            movements.order_by("-id"),
            page,
            to_node=StockMovementNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)], description="Allocations, newest first.")
    @paged
    async def allocations(
        self,
        info: Info,
        filter: AllocationFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[AllocationNode]:
        filter = filter or AllocationFilter()
        allocations = _ids(
            models.Allocation.all(),
            sku_id=(filter.sku_id, "Sku"),
            warehouse_id=(filter.warehouse_id, "Warehouse"),
        )
        if filter.status is not None:
            allocations = allocations.filter(status=filter.status.value)
        if filter.reference is not None:
            allocations = allocations.filter(reference=filter.reference)
        return await paginate(
            info,
            allocations.order_by("-created_at", "id"),
            page,
            to_node=AllocationNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def reorder_policies(
        self,
        info: Info,
        filter: ReorderPolicyFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[ReorderPolicyNode]:
        filter = filter or ReorderPolicyFilter()
        policies = _ids(
            models.ReorderPolicy.all(),
            sku_id=(filter.sku_id, "Sku"),
            warehouse_id=(filter.warehouse_id, "Warehouse"),
        )
        return await paginate(
            info,
            policies.order_by("sku_id", "warehouse_id"),
            page,
            to_node=ReorderPolicyNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="SKUs whose available stock is at or below their reorder point, by SKU code.",
    )
    @paged
    async def stock_to_reorder(
        self,
        info: Info,
        warehouse_id: strawberry.ID | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[ReorderSuggestion]:
        warehouse = decode_optional_id(warehouse_id, "Warehouse", "warehouseId")
        found = await positions.to_reorder(warehouse)
        return await paginate(
            info,
            [ReorderSuggestion.from_position(p) for p in found],
            page,
            to_node=itself,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="ABC class and turnover of each SKU: class A first, then by usage value.",
    )
    @paged
    async def sku_analytics(
        self,
        info: Info,
        filter: SkuAnalyticsFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[SkuAnalyticsNode]:
        filter = filter or SkuAnalyticsFilter()
        rows = _ids(models.SkuAnalytics.all(), sku_id=(filter.sku_id, "Sku"))
        if filter.abc_class is not None:
            rows = rows.filter(abc_class=filter.abc_class.value)
        return await paginate(
            info,
            rows.order_by("abc_class", "-usage_value", "id"),
            page,
            to_node=SkuAnalyticsNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="Rebuild every stock level from the movement ledger and report differences.",
    )
    async def inventory_ledger_check(self) -> LedgerCheck:
        report = await reconcile.rebuild()
        return LedgerCheck(
            ok=report.ok,
            levels_checked=report.levels_checked,
            mismatches=[LedgerMismatch.from_mismatch(m) for m in report.mismatches],
        )


__all__ = ["InventoryQuery"]
