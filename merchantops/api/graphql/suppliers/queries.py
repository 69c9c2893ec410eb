"""The suppliers' queries: suppliers filtered and sorted, and the tenant's scoring policy."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.api.graphql.suppliers.filters import SupplierFilter, SupplierSort
from merchantops.api.graphql.suppliers.types import ScoringPolicyType, SupplierNode
from merchantops.domain.suppliers import models, service

READ = TenantPermission("supplier", "read")


@strawberry.type
class SupplierQuery:
    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def suppliers(
        self,
        info: Info,
        filter: SupplierFilter | None = None,
        sort: SupplierSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[SupplierNode]:
        filter, sort = filter or SupplierFilter(), sort or SupplierSort()
        rows = models.Supplier.all()
        if filter.grades:
            rows = rows.filter(grade__in=[grade.value for grade in filter.grades])
        if filter.country:
            rows = rows.filter(country=filter.country.upper())
        if filter.search:
            rows = rows.filter(Q(code__icontains=filter.search) | Q(name__icontains=filter.search))
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=SupplierNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="The weights and grade thresholds evaluations use.",
    )
    async def supplier_scoring_policy(self) -> ScoringPolicyType:
        return ScoringPolicyType.from_model(await service.scoring_policy())


__all__ = ["SupplierQuery"]
