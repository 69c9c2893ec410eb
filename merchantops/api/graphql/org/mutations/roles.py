"""Roles: creating one within your own rights, changing its permissions or parents, deleting it."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.org.types import RoleNode
from merchantops.tenants.org import roles

WRITE = TenantPermission("role", "write")


@strawberry.input(name="PermissionInput")
class PermissionInput:
    object: str
    action: str


@strawberry.input
class CreateRoleInput:
    slug: str
    name: str
    department_id: strawberry.ID | None = None
    permissions: list[PermissionInput] = strawberry.field(default_factory=list)
    inherits: list[str] = strawberry.field(
        default_factory=list, description="Slugs of roles whose permissions this role includes."
    )


@strawberry.input
class UpdateRoleInput:
    id: strawberry.ID
    name: str | None = None
    permissions: list[PermissionInput] | None = strawberry.field(
        default=None, description="Replaces the role's own permissions when given."
    )
    inherits: list[str] | None = strawberry.field(
        default=None, description="Replaces the roles inherited from when given."
    )


@strawberry.input
class DeleteRoleInput:
    id: strawberry.ID


@strawberry.type
class RolePayload:
    role: RoleNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _pairs(permissions: list[PermissionInput] | None) -> list[tuple[str, str]] | None:
    return None if permissions is None else [(p.object, p.action) for p in permissions]


@strawberry.type
class RoleMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Create a role; you can only grant permissions you hold yourself.",
    )
    async def create_role(self, info: Info, input: CreateRoleInput) -> RolePayload:
        role = await roles.create_role(
            info.context.principal,
            input.slug,
            input.name,
            department_id=decode_optional_id(input.department_id, "Department", "departmentId"),
            permissions=_pairs(input.permissions) or [],
            inherits=input.inherits,
        )
        await info.context.reload_policy()
        return RolePayload(role=RoleNode.from_model(role))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Rename a role or replace its permissions or parents.",
    )
    async def update_role(self, info: Info, input: UpdateRoleInput) -> RolePayload:
        role = await roles.update_role(
            info.context.principal,
            decode_id(input.id, "Role"),
            name=input.name,
            permissions=_pairs(input.permissions),
            inherits=input.inherits,
        )
        await info.context.reload_policy()
        return RolePayload(role=RoleNode.from_model(role))

    @strawberry.mutation(
        extensions=[requires(WRITE)], description="Delete a role that is not a system role."
    )
    async def delete_role(self, info: Info, input: DeleteRoleInput) -> DeletePayload:
        await roles.delete_role(info.context.principal, decode_id(input.id, "Role"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["RoleMutation"]
