from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.tenants import models


@strawberry.enum(name="TenantStatus")
class TenantStatus(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@strawberry.enum(name="MembershipRole")
class MembershipRole(Enum):
    OWNER = "owner"
    MEMBER = "member"


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
            status=TenantStatus(tenant.status.value),
            created_at=tenant.created_at,
        )


@strawberry.type(name="User")
class UserNode(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str
    is_platform_admin: bool
    created_at: datetime
    last_login_at: datetime | None

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
    role: MembershipRole
    created_at: datetime
    tenant_pk: strawberry.Private[object]
    user_pk: strawberry.Private[object]

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
            role=MembershipRole(membership.role.value),
            created_at=membership.created_at,
            tenant_pk=membership.tenant_id,
            user_pk=membership.user_id,
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
    "MembershipRole",
    "TenantNode",
    "TenantStatus",
    "UserNode",
]
