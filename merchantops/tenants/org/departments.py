"""A tenant's departments: members and roles may belong to one."""

from __future__ import annotations

from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from merchantops.errors import AlreadyExists, NotFound
from merchantops.tenants import accounts, audit, outbox
from merchantops.tenants.models import Department, Membership, Role
from merchantops.tenants.org.rights import require_tenant
from merchantops.tenants.principal import Principal


async def get_department(id: UUID) -> Department:
    department = await Department.get_or_none(id=id)
    if department is None:
        raise NotFound("No department with this id.", field="id")
    return department


async def create_department(principal: Principal, slug: str, name: str) -> Department:
    require_tenant(principal)
    slug = accounts.validate_slug(slug)
    name = accounts.validate_name(name)
    if await Department.exists(slug=slug):
        raise AlreadyExists(f"A department '{slug}' exists already.", field="slug")
    try:
        async with in_transaction():
            department = await Department.create(slug=slug, name=name)
            await audit.record(
                "department.create", "department", department.id, after=_department(department)
            )
            await outbox.emit(
                "department.created", {"id": str(department.id), **_department(department)}
            )
    except IntegrityError as error:
        raise AlreadyExists(f"A department '{slug}' exists already.", field="slug") from error
    return department


async def rename_department(principal: Principal, id: UUID, name: str) -> Department:
    department = await get_department(id)
    before = _department(department)
    department.name = accounts.validate_name(name)
    async with in_transaction():
        await department.save(update_fields=["name"])
        await audit.record(
            "department.rename", "department", id, before=before, after=_department(department)
        )
    return department


async def delete_department(principal: Principal, id: UUID) -> None:
    """Delete a department; its members and roles stay, outside any department. Cleared here,
    not by the foreign key: a two-column key cannot `SET NULL` (docs/scaling.md)."""
    department = await get_department(id)
    async with in_transaction():
        members = await Membership.filter(department_id=id).update(department_id=None)
        roles = await Role.filter(department_id=id).update(department_id=None)
        await department.delete()
        await audit.record(
            "department.delete",
            "department",
            id,
            before={**_department(department), "members": members, "roles": roles},
        )


def _department(department: Department) -> dict[str, str]:
    return {"slug": department.slug, "name": department.name}


__all__ = ["create_department", "delete_department", "get_department", "rename_department"]
