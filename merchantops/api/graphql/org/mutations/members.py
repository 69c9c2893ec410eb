"""Members: adding and removing people, giving and taking roles, moving them between departments."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.org.types import MembershipNode
from merchantops.tenants.org import members

WRITE = TenantPermission("member", "write")


@strawberry.input
class AddMemberInput:
    email: str
    roles: list[str] = strawberry.field(default_factory=list, description="Role slugs.")
    department_id: strawberry.ID | None = None


@strawberry.input
class RemoveMemberInput:
    id: strawberry.ID


@strawberry.input
class MemberRoleInput:
    member_id: strawberry.ID
    role: str = strawberry.field(description="Role slug.", metadata=limit(max_length=63))


@strawberry.input
class SetMemberDepartmentInput:
    member_id: strawberry.ID
    department_id: strawberry.ID | None = None


@strawberry.type
class MemberPayload:
    member: MembershipNode | None = None
    invitation_token: str | None = strawberry.field(
        default=None, description="Shown once, when the person had no account yet."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MemberMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Add a person to the tenant; without an account they get an invitation.",
    )
    async def add_member(self, info: Info, input: AddMemberInput) -> MemberPayload:
        ttl = timedelta(seconds=info.context.settings.invitation_ttl_seconds)
        added = await members.add_member(
            info.context.principal,
            input.email,
            input.roles,
            department_id=decode_optional_id(input.department_id, "Department", "departmentId"),
            invitation_ttl=ttl,
        )
        await info.context.reload_policy()
        return MemberPayload(
            member=MembershipNode.from_model(added.membership),
            invitation_token=added.invitation_token,
        )

    @strawberry.mutation(
        extensions=[requires(WRITE)], description="Remove a member; the last owner stays."
    )
    async def remove_member(self, info: Info, input: RemoveMemberInput) -> DeletePayload:
        await members.remove_member(info.context.principal, decode_id(input.id, "Membership"))
        return DeletePayload(deleted_id=input.id)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Give a member a role; only roles within your own rights.",
    )
    async def assign_role(self, info: Info, input: MemberRoleInput) -> MemberPayload:
        membership = await members.assign_role(
            info.context.principal,
            decode_id(input.member_id, "Membership", "memberId"),
            input.role,
        )
        await info.context.reload_policy()
        return MemberPayload(member=MembershipNode.from_model(membership))

    @strawberry.mutation(
        extensions=[requires(WRITE)], description="Take a role from a member; the last owner stays."
    )
    async def unassign_role(self, info: Info, input: MemberRoleInput) -> MemberPayload:
        membership = await members.unassign_role(
            info.context.principal,
            decode_id(input.member_id, "Membership", "memberId"),
            input.role,
        )
        await info.context.reload_policy()
        return MemberPayload(member=MembershipNode.from_model(membership))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def set_member_department(
        self, info: Info, input: SetMemberDepartmentInput
    ) -> MemberPayload:
        membership = await members.set_member_department(
            info.context.principal,
            decode_id(input.member_id, "Membership", "memberId"),
            decode_optional_id(input.department_id, "Department", "departmentId"),
        )
        await info.context.reload_policy()
        return MemberPayload(member=MembershipNode.from_model(membership))


__all__ = ["MemberMutation"]
