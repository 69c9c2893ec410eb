"""Signing in and out: a session from a password, a new one for a refresh token, its end."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import PUBLIC, requires
from merchantops.api.graphql.org.types import AuthSession, UserNode
from merchantops.tenants.auth import Session


@strawberry.input
class LoginInput:
    email: str
    password: str = strawberry.field(metadata=limit(max_length=1000))


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.type
class SessionPayload:
    session: AuthSession | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    ok: bool = False
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
class SessionMutation:
    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Log in with email and password."
    )
    async def login(self, info: Info, input: LoginInput) -> SessionPayload:
        return _session(await info.context.authenticator.login(input.email, input.password))

    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Trade a refresh token for a new session."
    )
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> SessionPayload:
        return _session(await info.context.authenticator.refresh(input.refresh_token))

    @strawberry.mutation(
        extensions=[requires(PUBLIC)],
        description=(
            "End the session the refresh token belongs to: its refresh and access tokens stop "
            "working at once, on every device using them. `ok` also when it had already ended; "
            "`UNAUTHENTICATED` for a token no session knows."
        ),
    )
    async def logout(self, info: Info, input: RefreshTokenInput) -> LogoutPayload:
        await info.context.authenticator.logout(input.refresh_token)
        return LogoutPayload(ok=True)


__all__ = ["SessionMutation"]
