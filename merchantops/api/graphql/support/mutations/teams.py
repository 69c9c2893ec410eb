"""Support teams: creating, renaming, changing the lead, deleting (its tickets keep their agent
and lose the team). Managing teams needs `ticket:approve` (customer-service managers)."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.support.types import SupportTeamNode
from merchantops.domain.support import teams

APPROVE = TenantPermission("ticket", "approve")


@strawberry.input
class CreateSupportTeamInput:
    name: str
    lead_id: strawberry.ID | None = strawberry.field(default=None, description="A `User` id.")


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateSupportTeamInput:
    id: strawberry.ID
    name: str | None = None
    lead_id: strawberry.ID | None = strawberry.field(default=None, description="A `User` id.")
    clear_lead: bool = strawberry.field(default=False, description="The team has no lead then.")


@strawberry.input
class DeleteSupportTeamInput:
    id: strawberry.ID


@strawberry.type
class SupportTeamPayload:
    team: SupportTeamNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SupportTeamMutation:
    @strawberry.mutation(extensions=[requires(APPROVE)])
    async def create_support_team(self, input: CreateSupportTeamInput) -> SupportTeamPayload:
        team = await teams.create_team(
            input.name, decode_optional_id(input.lead_id, "User", "leadId")
        )
        return SupportTeamPayload(team=SupportTeamNode.from_model(team))

    @strawberry.mutation(extensions=[requires(APPROVE)])
    async def update_support_team(self, input: UpdateSupportTeamInput) -> SupportTeamPayload:
        team = await teams.update_team(
            decode_id(input.id, "SupportTeam"),
            name=input.name,
            lead_id=decode_optional_id(input.lead_id, "User", "leadId"),
            clear_lead=input.clear_lead,
        )
        return SupportTeamPayload(team=SupportTeamNode.from_model(team))

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Its tickets keep their agent and lose the team.",
    )
    async def delete_support_team(self, input: DeleteSupportTeamInput) -> DeletePayload:
        await teams.delete_team(decode_id(input.id, "SupportTeam"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["SupportTeamMutation", "SupportTeamPayload"]
