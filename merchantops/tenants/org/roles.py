"""A tenant's roles: their permissions and the roles they inherit from live in the casbin
policy, their name and department in the `role` table."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.errors import AlreadyExists, InvalidInput, NotFound, PermissionDenied
from merchantops.tenants import accounts, audit, outbox
from merchantops.tenants.models import Role
from merchantops.tenants.org.departments import get_department
from merchantops.tenants.org.rights import require_held, require_tenant
from merchantops.tenants.permissions import Permission
from merchantops.tenants.principal import Principal
from merchantops.tenants.rbac import TenantPolicy, load_policy, role_subject
from merchantops.tenants.templates import OWNER


def role_permissions(policy: TenantPolicy, slug: str) -> set[Permission]:
    """Everything a role allows: its own lines and those of every role it inherits."""
    slugs = [slug, *policy.implicit_roles_of(role_subject(slug))]
    return {Permission(obj, act) for each in slugs for obj, act in policy.direct_permissions(each)}


async def get_role(id: UUID) -> Role:
    role = await Role.get_or_none(id=id)
    if role is None:
        raise NotFound("No role with this id.", field="id")
    return role


async def create_role(
    principal: Principal,
    slug: str,
    name: str,
    *,
    department_id: UUID | None,
    permissions: Iterable[tuple[str, str]],
    inherits: Iterable[str],
) -> Role:
    tenant_id = require_tenant(principal)
    slug = accounts.validate_slug(slug)
    name = accounts.validate_name(name)
    granted = _parse_permissions(permissions)
    parents = sorted(set(inherits))
    department = await get_department(department_id) if department_id else None
    async with in_transaction():
        if await Role.exists(slug=slug):
            raise AlreadyExists(f"A role '{slug}' exists already.", field="slug")
        policy = await load_policy(tenant_id)
        await _check_parents(policy, slug, parents)
        inherited = {p for parent in parents for p in role_permissions(policy, parent)}
        require_held(principal, [*granted, *inherited], field="permissions")
        role = await Role.create(slug=slug, name=name, department=department)
        await _write_role(policy, slug, granted, parents)
        await audit.record("role.create", "role", role.id, after=_role(policy, role))
        await outbox.emit("role.changed", {"id": str(role.id), **_role(policy, role)})
    return role


async def update_role(
    principal: Principal,
    id: UUID,
    *,
    name: str | None = None,
    permissions: Iterable[tuple[str, str]] | None = None,
    inherits: Iterable[str] | None = None,
) -> Role:
    tenant_id = require_tenant(principal)
    role = await get_role(id)
    if role.slug == OWNER:
        raise PermissionDenied("The owner role cannot be changed.", field="id")
    async with in_transaction():
        policy = await load_policy(tenant_id)
        current = {Permission(o, a) for o, a in policy.direct_permissions(role.slug)}
        granted = current if permissions is None else set(_parse_permissions(permissions))
        parents = (
            policy.roles_of(role_subject(role.slug)) if inherits is None else sorted(set(inherits))
        )
        await _check_parents(policy, role.slug, parents)
        inherited = {p for parent in parents for p in role_permissions(policy, parent)}
        held_before = role_permissions(policy, role.slug)
        require_held(principal, (granted | inherited) - held_before, field="permissions")
        before = _role(policy, role)
        if name is not None:
            role.name = accounts.validate_name(name)
            await role.save(update_fields=["name"])
        await _clear_role(policy, role.slug, keep_holders=True)
        await _write_role(policy, role.slug, sorted(granted), parents)
        await audit.record("role.update", "role", role.id, before=before, after=_role(policy, role))
        await outbox.emit("role.changed", {"id": str(role.id), **_role(policy, role)})
    return role


async def delete_role(principal: Principal, id: UUID) -> None:
    tenant_id = require_tenant(principal)
    role = await get_role(id)
    if role.is_system:
        raise PermissionDenied(f"'{role.slug}' is a system role and cannot be deleted.", field="id")
    async with in_transaction():
        policy = await load_policy(tenant_id)
        before = _role(policy, role)
        await _clear_role(policy, role.slug, keep_holders=False)
        await role.delete()
        await audit.record("role.delete", "role", role.id, before=before)
        await outbox.emit("role.changed", {"id": str(role.id), "deleted": True, **before})


def _parse_permissions(pairs: Iterable[tuple[str, str]]) -> list[Permission]:
    return sorted({Permission.checked(obj, act) for obj, act in pairs})


def _role(policy: TenantPolicy, role: Role) -> dict[str, object]:
    return {
        "slug": role.slug,
        "name": role.name,
        "permissions": [f"{o}:{a}" for o, a in policy.direct_permissions(role.slug)],
        "inherits": policy.roles_of(role_subject(role.slug)),
    }


async def _check_parents(policy: TenantPolicy, slug: str, parents: list[str]) -> None:
    if not parents:
        return
    known = {
        str(slug) for slug in await Role.filter(slug__in=parents).values_list("slug", flat=True)
    }
    unknown = [parent for parent in parents if parent not in known]
    if unknown:
        raise InvalidInput(
            f"Unknown roles to inherit from: {', '.join(unknown)}.", field="inherits"
        )
    for parent in parents:
        if parent == slug or slug in policy.implicit_roles_of(role_subject(parent)):
            raise InvalidInput(f"Inheriting '{parent}' would make a cycle.", field="inherits")


async def _write_role(
    policy: TenantPolicy, slug: str, permissions: Iterable[Permission], parents: Iterable[str]
) -> None:
    subject = role_subject(slug)
    lines = [[subject, policy.domain, p.obj, p.action] for p in permissions]
    links = [[subject, role_subject(parent), policy.domain] for parent in parents]
    if lines:
        await policy.enforcer.add_policies(lines)
    if links:
        await policy.enforcer.add_named_grouping_policies("g", links)


async def _clear_role(policy: TenantPolicy, slug: str, *, keep_holders: bool) -> None:
    subject = role_subject(slug)
    await policy.enforcer.remove_filtered_policy(0, subject, policy.domain)
    await policy.enforcer.remove_filtered_named_grouping_policy("g", 0, subject)
    if not keep_holders:
        await policy.enforcer.remove_filtered_named_grouping_policy("g", 1, subject)


__all__ = ["create_role", "delete_role", "get_role", "role_permissions", "update_role"]
