from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import (
    AUTHENTICATED,
    PLATFORM_ADMIN,
    TenantPermission,
    requires,
)
from merchantops.api.graphql.org.types import MembershipNode, TenantNode, UserNode
from merchantops.tenants.context import Crossing, across_tenants
from merchantops.tenants.models import Membership, Tenant


@strawberry.type
class Viewer:
    user: UserNode

    @strawberry.field(description="The tenants this user belongs to, with the role in each.")
    async def memberships(self) -> list[MembershipNode]:
        # A user's own memberships span tenants by nature; only the user's rows are read.
        with across_tenants(Crossing.OWN_MEMBERSHIPS):
            rows = await Membership.unscoped().filter(user_id=self.user.id).order_by("created_at")
        return [MembershipNode.from_model(row) for row in rows]


@strawberry.type
class IdentityQuery:
    @strawberry.field(extensions=[requires(AUTHENTICATED)], description="The logged-in user.")
    async def me(self, info: Info) -> Viewer:
        user = info.context.principal.user
        assert user is not None
        return Viewer(user=UserNode.from_model(user))

    @strawberry.field(
        extensions=[requires(TenantPermission("tenant", "read"))],
        description="The tenant named by the X-Tenant header.",
    )
    async def current_tenant(self, info: Info) -> TenantNode:
        tenant = info.context.principal.tenant
        assert tenant is not None
        return TenantNode.from_model(tenant)

    @strawberry.field(
        extensions=[requires(TenantPermission("member", "read"))],
        description="Members of the current tenant, oldest first.",
    )
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MembershipNode]:
        return await paginate(
            info,
            Membership.all().order_by("created_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=MembershipNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)], description="Every tenant (platform admins only)."
    )
    async def tenants(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TenantNode]:
        return await paginate(
            info,
            Tenant.all().order_by("slug"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=TenantNode.from_model,
        )


__all__ = ["IdentityQuery"]
