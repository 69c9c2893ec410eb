from __future__ import annotations

from datetime import timedelta

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, PUBLIC, requires
from merchantops.api.graphql.org.types import AuthSession, TenantNode, TenantStatus, UserNode
from merchantops.domain.onboarding import service as onboarding
from merchantops.errors import DomainError
from merchantops.tenants import admin
from merchantops.tenants.auth import Session


@strawberry.input
class LoginInput:
    email: str
    password: str = strawberry.field(metadata=limit(max_length=1000))


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input
class AcceptInvitationInput:
    token: str
    password: str = strawberry.field(metadata=limit(max_length=1000))
    full_name: str = ""


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
class SessionPayload:
    session: AuthSession | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UserPayload:
    user: UserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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


def _session(session: Session) -> SessionPayload:
    return SessionPayload(
        session=AuthSession(
            access_token=session.access_token,
            access_token_expires_at=session.access_token_expires_at,
            refresh_token=session.refresh_token,
            refresh_token_expires_at=session.refresh_token_expires_at,
            user=UserNode.from_model(session.user),
        )
    )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Log in with email and password."
    )
    async def login(self, info: Info, input: LoginInput) -> SessionPayload:
        try:
            return _session(await info.context.authenticator.login(input.email, input.password))
        except DomainError as error:
            return SessionPayload(errors=user_errors(error))

    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Trade a refresh token for a new session."
    )
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> SessionPayload:
        try:
            return _session(await info.context.authenticator.refresh(input.refresh_token))
        except DomainError as error:
            return SessionPayload(errors=user_errors(error))

    @strawberry.mutation(
        extensions=[requires(PUBLIC)],
        description=(
            "End the session the refresh token belongs to: its refresh and access tokens stop "
            "working at once, on every device using them. `ok` also when it had already ended; "
            "`UNAUTHENTICATED` for a token no session knows."
        ),
    )
    async def logout(self, info: Info, input: RefreshTokenInput) -> LogoutPayload:
        try:
            await info.context.authenticator.logout(input.refresh_token)
        except DomainError as error:
            return LogoutPayload(errors=user_errors(error))
        return LogoutPayload(ok=True)

    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Set the password of an invited account."
    )
    async def accept_invitation(self, input: AcceptInvitationInput) -> UserPayload:
        try:
            user = await admin.accept_invitation(input.token, input.password, input.full_name)
        except DomainError as error:
            return UserPayload(errors=user_errors(error))
        return UserPayload(user=UserNode.from_model(user))

    @strawberry.mutation(
        extensions=[requires(PLATFORM_ADMIN)], description="Create a tenant with its first owner."
    )
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> CreateTenantPayload:
        ttl = timedelta(seconds=info.context.settings.invitation_ttl_seconds)
        try:
            created = await onboarding.create_tenant(
                input.slug, input.name, input.owner_email, invitation_ttl=ttl
            )
        except DomainError as error:
            return CreateTenantPayload(errors=user_errors(error))
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
        try:
            tenant = await admin.set_tenant_status(input.slug, input.status)
        except DomainError as error:
            return TenantPayload(errors=user_errors(error))
        return TenantPayload(tenant=TenantNode.from_model(tenant))


__all__ = ["IdentityMutation"]
