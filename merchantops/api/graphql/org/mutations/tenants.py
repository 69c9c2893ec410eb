"""Platform administration of tenants: creating one with its first owner, suspending it."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, requires
from merchantops.api.graphql.org.types import TenantNode, TenantStatus, UserNode
from merchantops.domain.onboarding import service as onboarding
from merchantops.tenants import admin


@strawberry.input
class CreateTenantInput:
    slug: str = strawberry.field(description="Lowercase letters, digits and hyphens; 1-63.")
    name: str
    owner_email: str = strawberry.field(
        description="The first owner. Without an account, one is created with an invitation."
    )


@strawberry.input
class SetTenantStatusInput:
    slug: str
    status: TenantStatus


@strawberry.type
class CreateTenantPayload:
    tenant: TenantNode | None = None
    owner: UserNode | None = None
    invitation_token: str | None = strawberry.field(
        default=None,
        description="Shown once, when the owner had no account: they pass it to acceptInvitation.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TenantPayload:
    tenant: TenantNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TenantMutation:
    @strawberry.mutation(
        extensions=[requires(PLATFORM_ADMIN)], description="Create a tenant with its first owner."
    )
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> CreateTenantPayload:
        ttl = timedelta(seconds=info.context.settings.invitation_ttl_seconds)
        created = await onboarding.create_tenant(
            input.slug, input.name, input.owner_email, invitation_ttl=ttl
        )
        return CreateTenantPayload(
            tenant=TenantNode.from_model(created.tenant),
            owner=UserNode.from_model(created.owner),
            invitation_token=created.invitation_token,
        )

    @strawberry.mutation(
        extensions=[requires(PLATFORM_ADMIN)],
        description="Suspend a tenant (every request refused) or reactivate it.",
    )
    async def set_tenant_status(self, input: SetTenantStatusInput) -> TenantPayload:
        tenant = await admin.set_tenant_status(input.slug, input.status)
        return TenantPayload(tenant=TenantNode.from_model(tenant))


__all__ = ["TenantMutation"]
