"""The catalogue's queries: products and SKUs, filtered and sorted."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from merchantops.api.graphql.catalog.filters import ProductFilter, ProductSort, SkuFilter, SkuSort
from merchantops.api.graphql.catalog.types import ProductNode, SkuNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.domain.catalog import models
from merchantops.domain.catalog.models import Product

READ = TenantPermission("product", "read")


@strawberry.type
class CatalogQuery:
    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def products(
        self,
        info: Info,
        filter: ProductFilter | None = None,
        sort: ProductSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[ProductNode]:
        filter, sort = filter or ProductFilter(), sort or ProductSort()
        rows = models.Product.all()
        if filter.stage is not None:
            rows = rows.filter(stage=filter.stage.value)
        if filter.category is not None:
            rows = rows.filter(category=filter.category)
        if filter.search:
            rows = rows.filter(name__icontains=filter.search)
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=ProductNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)])
    async def product(self, info: Info, id: strawberry.ID) -> ProductNode | None:
        found = await info.context.loaders.by_id(Product).load(decode_id(id, "Product"))
        return ProductNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def skus(
        self,
        info: Info,
        filter: SkuFilter | None = None,
        sort: SkuSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[SkuNode]:
        filter, sort = filter or SkuFilter(), sort or SkuSort()
        rows = models.Sku.all()
        if filter.product_id is not None:
            rows = rows.filter(
                product_id=decode_id(filter.product_id, "Product", "filter.productId")
            )
        if filter.search:
            rows = rows.filter(Q(code__icontains=filter.search) | Q(name__icontains=filter.search))
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=SkuNode.from_model,
        )


__all__ = ["CatalogQuery"]
