"""The org area's queries: people and tenants (who is signed in, members, every tenant), then
the structure (departments, roles, the permissions there are)."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import (
    AUTHENTICATED,
    PLATFORM_ADMIN,
    TenantPermission,
    requires,
)
from merchantops.api.graphql.org.types import (
    DepartmentNode,
    MembershipNode,
    PermissionType,
    RoleNode,
    TenantNode,
    UserNode,
    Viewer,
)
from merchantops.tenants.models import Department, Membership, Role, Tenant
from merchantops.tenants.permissions import CATALOGUE


@strawberry.type
class PeopleQuery:
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
    @paged
    async def members(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[MembershipNode]:
        return await paginate(
            info,
            Membership.all().order_by("created_at", "id"),
            page,
            to_node=MembershipNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)], description="Every tenant (platform admins only)."
    )
    @paged
    async def tenants(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[TenantNode]:
        return await paginate(
            info,
            Tenant.all().order_by("slug"),
            page,
            to_node=TenantNode.from_model,
        )


@strawberry.type
class StructureQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("department", "read"))],
        description="Departments of the current tenant, by slug.",
    )
    @paged
    async def departments(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[DepartmentNode]:
        return await paginate(
            info,
            Department.all().order_by("slug"),
            page,
            to_node=DepartmentNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(TenantPermission("role", "read"))],
        description="Roles of the current tenant, by slug.",
    )
    @paged
    async def roles(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[RoleNode]:
        return await paginate(
            info,
            Role.all().order_by("slug"),
            page,
            to_node=RoleNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(TenantPermission("role", "read"))],
        description="Every permission a role can be granted or an API key can carry as scope.",
    )
    def permission_catalogue(self) -> list[PermissionType]:
        return [
            PermissionType(object=obj, action=action)
            for obj, actions in sorted(CATALOGUE.items())
            for action in actions
        ]


@strawberry.type
class OrgQuery(PeopleQuery, StructureQuery):
    pass


__all__ = ["OrgQuery", "PeopleQuery", "StructureQuery"]
