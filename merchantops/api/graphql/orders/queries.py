"""The orders area's queries: orders and returns filtered and sorted, one of each, and the
tenant's order settings, tax categories and return reasons."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Subquery

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.api.graphql.orders.filters import OrderFilter, OrderSort, ReturnFilter, ReturnSort
from merchantops.api.graphql.orders.types import (
    OrderNode,
    OrderSettingsNode,
    ReturnNode,
    ReturnReasonNode,
    TaxRateNode,
)
from merchantops.domain.orders import policies
from merchantops.domain.orders.models import Order, OrderLine, Return, ReturnReason, TaxRate

READ = TenantPermission("order", "read")


@strawberry.type
class OrderQuery:
    @strawberry.field(extensions=[requires(READ)])
    async def order(self, info: Info, id: strawberry.ID) -> OrderNode | None:
        found = await info.context.loaders.by_id(Order).load(decode_id(id, "Order"))
        return OrderNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        sort: OrderSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[OrderNode]:
        filter, sort = filter or OrderFilter(), sort or OrderSort()
        rows = Order.all()
        if filter.status:
            rows = rows.filter(status__in=[s.value for s in filter.status])
        if filter.payment_status:
            rows = rows.filter(payment_status__in=[s.value for s in filter.payment_status])
        if filter.channel is not None:
            rows = rows.filter(channel=filter.channel.value)
        if filter.customer_id is not None:
            rows = rows.filter(
                customer_id=decode_id(filter.customer_id, "Customer", "filter.customerId")
            )
        if filter.sku_id is not None:
            sku = decode_id(filter.sku_id, "Sku", "filter.skuId")
            rows = rows.filter(id__in=Subquery(OrderLine.filter(sku_id=sku).values("order_id")))
        if filter.number is not None:
            rows = rows.filter(number=filter.number)
        if filter.created_after is not None:
            rows = rows.filter(created_at__gt=filter.created_after)
        if filter.created_before is not None:
            rows = rows.filter(created_at__lt=filter.created_before)
        if filter.total_at_least is not None:
            rows = rows.filter(total__gte=filter.total_at_least)
        if filter.total_at_most is not None:
            rows = rows.filter(total__lte=filter.total_at_most)
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=OrderNode.from_model,
        )

    @strawberry.field(name="return", extensions=[requires(READ)])
    async def return_(self, info: Info, id: strawberry.ID) -> ReturnNode | None:
        found = await info.context.loaders.by_id(Return).load(decode_id(id, "Return"))
        return ReturnNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def returns(
        self,
        info: Info,
        filter: ReturnFilter | None = None,
        sort: ReturnSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[ReturnNode]:
        filter, sort = filter or ReturnFilter(), sort or ReturnSort()
        rows = Return.all()
        if filter.status:
            rows = rows.filter(status__in=[s.value for s in filter.status])
        if filter.order_id is not None:
            rows = rows.filter(order_id=decode_id(filter.order_id, "Order", "filter.orderId"))
        if filter.created_after is not None:
            rows = rows.filter(created_at__gt=filter.created_after)
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=ReturnNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)])
    async def order_settings(self) -> OrderSettingsNode:
        return OrderSettingsNode.from_model(await policies.order_settings())

    @strawberry.field(extensions=[requires(READ)], description="Tax categories, by code.")
    async def tax_rates(self) -> list[TaxRateNode]:
        return [TaxRateNode.from_model(r) for r in await TaxRate.all().order_by("category")]

    @strawberry.field(extensions=[requires(READ)])
    async def return_reasons(self, include_inactive: bool = False) -> list[ReturnReasonNode]:
        rows = ReturnReason.all() if include_inactive else ReturnReason.filter(active=True)
        return [ReturnReasonNode.from_model(r) for r in await rows.order_by("code")]


__all__ = ["OrderQuery"]
