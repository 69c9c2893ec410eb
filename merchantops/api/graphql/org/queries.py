from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.org.types import DepartmentNode, PermissionType, RoleNode
from merchantops.tenants.models import Department, Role
from merchantops.tenants.permissions import CATALOGUE


@strawberry.type
class OrgQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("department", "read"))],
        description="Departments of the current tenant, by slug.",
    )
    async def departments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DepartmentNode]:
        return await paginate(
            info,
            Department.all().order_by("slug"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=DepartmentNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(TenantPermission("role", "read"))],
        description="Roles of the current tenant, by slug.",
    )
    async def roles(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RoleNode]:
        return await paginate(
            info,
            Role.all().order_by("slug"),
            first=first,
            after=after,
            last=last,
            before=before,
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


__all__ = ["OrgQuery"]
