"""Departments: creating, renaming and deleting them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.org.types import DepartmentNode
from merchantops.tenants.org import departments

WRITE = TenantPermission("department", "write")


@strawberry.input
class CreateDepartmentInput:
    slug: str
    name: str


@strawberry.input
class RenameDepartmentInput:
    id: strawberry.ID
    name: str


@strawberry.input
class DeleteDepartmentInput:
    id: strawberry.ID


@strawberry.type
class DepartmentPayload:
    department: DepartmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DepartmentMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_department(
        self, info: Info, input: CreateDepartmentInput
    ) -> DepartmentPayload:
        department = await departments.create_department(
            info.context.principal, input.slug, input.name
        )
        return DepartmentPayload(department=DepartmentNode.from_model(department))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def rename_department(
        self, info: Info, input: RenameDepartmentInput
    ) -> DepartmentPayload:
        department = await departments.rename_department(
            info.context.principal, decode_id(input.id, "Department"), input.name
        )
        return DepartmentPayload(department=DepartmentNode.from_model(department))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Delete a department; its members and roles stay, without a department.",
    )
    async def delete_department(self, info: Info, input: DeleteDepartmentInput) -> DeletePayload:
        await departments.delete_department(
            info.context.principal, decode_id(input.id, "Department")
        )
        return DeletePayload(deleted_id=input.id)


__all__ = ["DepartmentMutation"]
