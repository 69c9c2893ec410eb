"""Tenants, people and the org structure: departments, roles, memberships, sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import masked
from merchantops.tenants import models
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import Department, Tenant, User
from merchantops.tenants.org.roles import role_permissions
from merchantops.tenants.rbac import role_subject, user_subject


@strawberry.type(name="Permission", description="An object and an action on it; `*` is any.")
class PermissionType:
    object: str
    action: str


@strawberry.type(name="Department")
class DepartmentNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    created_at: datetime

    @classmethod
    def from_model(cls, department: models.Department) -> Self:
        return cls(
            id=str(department.id),
            slug=department.slug,
            name=department.name,
            created_at=department.created_at,
        )


@strawberry.type(name="Role")
class RoleNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    is_system: bool = strawberry.field(description="From the default template: not deletable.")
    created_at: datetime
    department_pk: strawberry.Private[UUID | None]

    @strawberry.field
    async def department(self, info: Info) -> DepartmentNode | None:
        if self.department_pk is None:
            return None
        found = await info.context.loaders.by_id(Department).load(self.department_pk)
        return DepartmentNode.from_model(found) if found else None

    @strawberry.field(description="Permissions granted to this role itself.")
    def permissions(self, info: Info) -> list[PermissionType]:
        policy = info.context.require_policy()
        return [PermissionType(object=o, action=a) for o, a in policy.direct_permissions(self.slug)]

    @strawberry.field(description="Slugs of the roles this role inherits from.")
    def inherits(self, info: Info) -> list[str]:
        policy = info.context.require_policy()
        return policy.roles_of(role_subject(self.slug))

    @strawberry.field(description="Everything the role allows, inherited permissions included.")
    def effective_permissions(self, info: Info) -> list[PermissionType]:
        policy = info.context.require_policy()
        return [
            PermissionType(object=p.obj, action=p.action)
            for p in sorted(role_permissions(policy, self.slug))
        ]

    @classmethod
    def from_model(cls, role: models.Role) -> Self:
        return cls(
            id=str(role.id),
            slug=role.slug,
            name=role.name,
            is_system=role.is_system,
            created_at=role.created_at,
            department_pk=role.department_id,
        )


# The domain's own enum, exposed as it is: one list of values to keep.
TenantStatus = models.TenantStatus
strawberry.enum(TenantStatus, name="TenantStatus")


@strawberry.type(name="Tenant")
class TenantNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    status: TenantStatus
    created_at: datetime

    @classmethod
    def from_model(cls, tenant: models.Tenant) -> Self:
        return cls(
            id=str(tenant.id),
            slug=tenant.slug,
            name=tenant.name,
            status=tenant.status,
            created_at=tenant.created_at,
        )


@strawberry.type(name="User")
class UserNode(relay.Node):
    id: relay.NodeID[str]
    is_platform_admin: bool
    created_at: datetime
    last_login_at: datetime | None
    email: str | None = masked(
        models.User,
        description="Masked by the tenant's masking rules, except for the user themself.",
    )
    full_name: str | None = masked(models.User)

    @classmethod
    def from_model(cls, user: models.User) -> Self:
        return cls(
            id=str(user.id),
            email=user.email,
            full_name=user.full_name,
            is_platform_admin=user.is_platform_admin,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


@strawberry.type(name="Membership")
class MembershipNode(relay.Node):
    id: relay.NodeID[str]
    created_at: datetime
    tenant_pk: strawberry.Private[UUID]
    user_pk: strawberry.Private[UUID]
    department_pk: strawberry.Private[UUID | None]

    @strawberry.field(description="Slugs of the roles the member holds directly.")
    async def roles(self, info: Info) -> list[str]:
        if self.tenant_pk == info.context.principal.tenant_id:
            policy = info.context.require_policy()
        else:
            tenant = await info.context.loaders.by_id(Tenant).load(self.tenant_pk)
            assert tenant is not None
            policy = await info.context.authenticator.policies.for_tenant(tenant)
        return policy.roles_of(user_subject(self.user_pk))

    @strawberry.field
    async def department(self, info: Info) -> DepartmentNode | None:
        if self.department_pk is None:
            return None
        if self.tenant_pk != info.context.principal.tenant_id:
            # `me.memberships` lists other tenants too; read those one by one in their scope.
            with tenant_scope(self.tenant_pk):
                found = await models.Department.get_or_none(id=self.department_pk)
        else:
            found = await info.context.loaders.by_id(Department).load(self.department_pk)
        return DepartmentNode.from_model(found) if found else None

    @strawberry.field
    async def tenant(self, info: Info) -> TenantNode:
        tenant = await info.context.loaders.by_id(Tenant).load(self.tenant_pk)
        assert tenant is not None
        return TenantNode.from_model(tenant)

    @strawberry.field
    async def user(self, info: Info) -> UserNode:
        user = await info.context.loaders.by_id(User).load(self.user_pk)
        assert user is not None
        return UserNode.from_model(user)

    @classmethod
    def from_model(cls, membership: models.Membership) -> Self:
        return cls(
            id=str(membership.id),
            created_at=membership.created_at,
            tenant_pk=membership.tenant_id,
            user_pk=membership.user_id,
            department_pk=membership.department_id,
        )


@strawberry.type
class Viewer:
    user: UserNode

    @strawberry.field(description="The tenants this user belongs to, with the role in each.")
    async def memberships(self) -> list[MembershipNode]:
        # A user's own memberships span tenants by nature; only the user's rows are read.
        with across_tenants(Crossing.OWN_MEMBERSHIPS):
            rows = (
                await models.Membership.unscoped()
                .filter(user_id=self.user.id)
                .order_by("created_at")
            )
        return [MembershipNode.from_model(row) for row in rows]


@strawberry.type
class AuthSession:
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str = strawberry.field(
        description="Single use: each refresh returns a new one. Reusing one logs out everywhere."
    )
    refresh_token_expires_at: datetime
    user: UserNode


__all__ = [
    "AuthSession",
    "DepartmentNode",
    "MembershipNode",
    "PermissionType",
    "RoleNode",
    "TenantNode",
    "TenantStatus",
    "UserNode",
    "Viewer",
]
