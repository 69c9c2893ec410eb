"""Accepting an invitation: an invited account gets its password."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import PUBLIC, requires
from merchantops.api.graphql.org.types import UserNode
from merchantops.tenants import admin


@strawberry.input
class AcceptInvitationInput:
    token: str
    password: str = strawberry.field(metadata=limit(max_length=1000))
    full_name: str = ""


@strawberry.type
class UserPayload:
    user: UserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InvitationMutation:
    @strawberry.mutation(
        extensions=[requires(PUBLIC)], description="Set the password of an invited account."
    )
    async def accept_invitation(self, input: AcceptInvitationInput) -> UserPayload:
        user = await admin.accept_invitation(input.token, input.password, input.full_name)
        return UserPayload(user=UserNode.from_model(user))


__all__ = ["InvitationMutation"]
