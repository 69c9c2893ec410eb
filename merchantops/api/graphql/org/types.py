from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.tenants import models
from merchantops.tenants.org import role_permissions
from merchantops.tenants.rbac import role_subject


@strawberry.type(name="Permission", description="An object and an action on it; `*` is any.")
class PermissionType:
    object: str
    action: str


@strawberry.input(name="PermissionInput")
class PermissionInput:
    object: str
    action: str


@strawberry.type(name="Department")
class DepartmentNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    created_at: datetime

    @classmethod
    def from_model(cls, department: models.Department) -> Self:
        return cls(
            id=str(department.id),
            slug=department.slug,
            name=department.name,
            created_at=department.created_at,
        )


@strawberry.type(name="Role")
class RoleNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    is_system: bool = strawberry.field(description="From the default template: not deletable.")
    created_at: datetime
    department_pk: strawberry.Private[object]

    @strawberry.field
    async def department(self, info: Info) -> DepartmentNode | None:
        if self.department_pk is None:
            return None
        found = await info.context.loaders.department.load(self.department_pk)  # type: ignore[arg-type]
        return DepartmentNode.from_model(found) if found else None

    @strawberry.field(description="Permissions granted to this role itself.")
    def permissions(self, info: Info) -> list[PermissionType]:
        policy = info.context.require_policy()
        return [PermissionType(object=o, action=a) for o, a in policy.direct_permissions(self.slug)]

    @strawberry.field(description="Slugs of the roles this role inherits from.")
    def inherits(self, info: Info) -> list[str]:
        policy = info.context.require_policy()
        return policy.roles_of(role_subject(self.slug))

    @strawberry.field(description="Everything the role allows, inherited permissions included.")
    def effective_permissions(self, info: Info) -> list[PermissionType]:
        policy = info.context.require_policy()
        return [
            PermissionType(object=p.obj, action=p.action)
            for p in sorted(role_permissions(policy, self.slug))
        ]

    @classmethod
    def from_model(cls, role: models.Role) -> Self:
        return cls(
            id=str(role.id),
            slug=role.slug,
            name=role.name,
            is_system=role.is_system,
            created_at=role.created_at,
            department_pk=role.department_id,
        )


__all__ = ["DepartmentNode", "PermissionInput", "PermissionType", "RoleNode"]
