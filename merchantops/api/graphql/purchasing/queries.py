"""Purchasing queries: purchase orders, `purchase_order:read`."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.api.graphql.purchasing.filters import PurchaseOrderFilter, PurchaseOrderSort
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode
from merchantops.domain.purchasing import models

READ = TenantPermission("purchase_order", "read")


@strawberry.type
class PurchaseOrderQuery:
    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def purchase_orders(
        self,
        info: Info,
        filter: PurchaseOrderFilter | None = None,
        sort: PurchaseOrderSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[PurchaseOrderNode]:
        filter, sort = filter or PurchaseOrderFilter(), sort or PurchaseOrderSort()
        rows = models.PurchaseOrder.all()
        if filter.statuses:
            rows = rows.filter(status__in=[status.value for status in filter.statuses])
        if filter.supplier_id is not None:
            rows = rows.filter(
                supplier_id=decode_id(filter.supplier_id, "Supplier", "filter.supplierId")
            )
        if filter.warehouse_id is not None:
            rows = rows.filter(
                warehouse_id=decode_id(filter.warehouse_id, "Warehouse", "filter.warehouseId")
            )
        if filter.total_at_least is not None:
            rows = rows.filter(total__gte=filter.total_at_least)
        if filter.total_at_most is not None:
            rows = rows.filter(total__lte=filter.total_at_most)
        if filter.created_after is not None:
            rows = rows.filter(created_at__gte=filter.created_after)
        if filter.created_before is not None:
            rows = rows.filter(created_at__lt=filter.created_before)
        if filter.awaiting_approval is not None:
            rows = rows.filter(pending_approval_id__isnull=not filter.awaiting_approval)
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=PurchaseOrderNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)])
    async def purchase_order(self, id: strawberry.ID) -> PurchaseOrderNode | None:
        found = await models.PurchaseOrder.get_or_none(id=decode_id(id, "PurchaseOrder"))
        return PurchaseOrderNode.from_model(found) if found else None


__all__ = ["PurchaseOrderQuery"]
