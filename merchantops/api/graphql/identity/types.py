from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import classified_field
from merchantops.api.graphql.org.types import DepartmentNode
from merchantops.tenants import models
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.rbac import user_subject

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
    email_value: strawberry.Private[str]
    full_name_value: strawberry.Private[str]
    is_platform_admin: bool
    created_at: datetime
    last_login_at: datetime | None

    @strawberry.field(
        extensions=[classified_field(models.User, "email")],
        description="Masked by the tenant's masking rules, except for the user themself.",
    )
    def email(self) -> str | None:
        return self.email_value

    @strawberry.field(extensions=[classified_field(models.User, "full_name")])
    def full_name(self) -> str | None:
        return self.full_name_value

    @classmethod
    def from_model(cls, user: models.User) -> Self:
        return cls(
            id=str(user.id),
            email_value=user.email,
            full_name_value=user.full_name,
            is_platform_admin=user.is_platform_admin,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


@strawberry.type(name="Membership")
class MembershipNode(relay.Node):
    id: relay.NodeID[str]
    created_at: datetime
    tenant_pk: strawberry.Private[object]
    user_pk: strawberry.Private[object]
    department_pk: strawberry.Private[object]

    @strawberry.field(description="Slugs of the roles the member holds directly.")
    async def roles(self, info: Info) -> list[str]:
        if self.tenant_pk == info.context.principal.tenant_id:
            policy = info.context.require_policy()
        else:
            tenant = await info.context.loaders.tenant.load(self.tenant_pk)  # type: ignore[arg-type]
            assert tenant is not None
            policy = await info.context.authenticator.policies.for_tenant(tenant)
        return policy.roles_of(user_subject(self.user_pk))  # type: ignore[arg-type]

    @strawberry.field
    async def department(self, info: Info) -> DepartmentNode | None:
        if self.department_pk is None:
            return None
        if self.tenant_pk != info.context.principal.tenant_id:
            # `me.memberships` lists other tenants too; read those one by one in their scope.
            with tenant_scope(self.tenant_pk):  # type: ignore[arg-type]
                found = await models.Department.get_or_none(id=self.department_pk)
        else:
            found = await info.context.loaders.department.load(self.department_pk)  # type: ignore[arg-type]
        return DepartmentNode.from_model(found) if found else None

    @strawberry.field
    async def tenant(self, info: Info) -> TenantNode:
        tenant = await info.context.loaders.tenant.load(self.tenant_pk)  # type: ignore[arg-type]
        assert tenant is not None
        return TenantNode.from_model(tenant)

    @strawberry.field
    async def user(self, info: Info) -> UserNode:
        user = await info.context.loaders.user.load(self.user_pk)  # type: ignore[arg-type]
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
    "MembershipNode",
    "TenantNode",
    "TenantStatus",
    "UserNode",
]
