"""The customers' queries: one customer, and customers filtered and sorted."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.masking import strategy_for
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import order
from merchantops.api.graphql.customers.filters import CustomerFilter, CustomerSort
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.domain.customers.models import PERSONAL, Customer
from merchantops.errors import PermissionDenied
from merchantops.rules.masking import Strategy, entity_of

READ = TenantPermission("customer", "read")


@strawberry.type
class CustomerQuery:
    @strawberry.field(extensions=[requires(READ)])
    async def customer(self, info: Info, id: strawberry.ID) -> CustomerNode | None:
        found = await info.context.loaders.by_id(Customer).load(decode_id(id, "Customer"))
        return CustomerNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        sort: CustomerSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[CustomerNode]:
        filter, sort = filter or CustomerFilter(), sort or CustomerSort()
        rows = Customer.all()
        if not filter.include_erased:
            rows = rows.filter(erased_at__isnull=True)
        if filter.search:
            await _may_search_personal_data(info)
            term = filter.search.strip()
            rows = rows.filter(
                Q(name__icontains=term) | Q(email__icontains=term) | Q(phone__icontains=term)
            )
        if filter.tag:
            rows = rows.filter(tag_index__contains=f",{filter.tag.strip().lower()},")
        if filter.created_after is not None:
            rows = rows.filter(created_at__gt=filter.created_after)
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            page,
            to_node=CustomerNode.from_model,
        )


async def _may_search_personal_data(info: Info) -> None:
    """Searching names, e-mails and phones would tell a caller who sees them masked what they
    hold: only a caller who reads them in clear may."""
    strategy = await strategy_for(info, PERSONAL, None, entity_of(Customer))
    if strategy is not Strategy.NONE:
        raise PermissionDenied(
            "Searching customers by personal data needs clear access to it.",
            field="filter.search",
        )


__all__ = ["CustomerQuery"]
