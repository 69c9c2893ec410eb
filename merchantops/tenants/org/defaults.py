"""The organisation a new tenant starts with: the template's departments and roles, and its
first owner."""

from __future__ import annotations

from uuid import UUID

from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Department, Role, User
from merchantops.tenants.rbac import load_policy, role_subject, user_subject
from merchantops.tenants.templates import DEPARTMENTS, OWNER, default_roles


async def provision(tenant_id: UUID, owner: User) -> None:
    """Lay out the default organisation of a new tenant and make `owner` its owner."""
    with tenant_scope(tenant_id):
        departments = {}
        for template in DEPARTMENTS:
            departments[template.slug] = await Department.create(
                slug=template.slug, name=template.name
            )
        domain = str(tenant_id)
        permissions: list[list[str]] = []
        links: list[list[str]] = []
        for role in default_roles():
            department = departments.get(role.department) if role.department else None
            await Role.create(slug=role.slug, name=role.name, department=department, is_system=True)
            subject = role_subject(role.slug)
            permissions += [[subject, domain, obj, act] for obj, act in role.permissions]
            links += [[subject, role_subject(parent), domain] for parent in role.inherits]
        links.append([user_subject(owner.id), role_subject(OWNER), domain])
        policy = await load_policy(tenant_id)
        await policy.enforcer.add_policies(permissions)
        await policy.enforcer.add_named_grouping_policies("g", links)


__all__ = ["provision"]
