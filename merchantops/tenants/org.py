"""The organisation of a tenant: departments, roles, their permissions, and who holds them.

Rules every change obeys:
- nobody grants what they do not hold: a role given permissions, a role assigned to a member,
  or scopes given to an API key must all be within the acting principal's own rights;
- a tenant keeps at least one owner;
- system roles (from the default template) may get new permissions but not be deleted, and the
  owner role is never edited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from merchantops.errors import AlreadyExists, InvalidInput, NotFound, PermissionDenied
from merchantops.tenants import accounts, audit, outbox
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.errors import LastOwner
from merchantops.tenants.models import Department, Membership, Role, User
from merchantops.tenants.permissions import Permission
from merchantops.tenants.principal import Principal
from merchantops.tenants.rbac import TenantPolicy, load_policy, role_subject, user_subject
from merchantops.tenants.templates import DEPARTMENTS, OWNER, default_roles


@dataclass(frozen=True, slots=True)
class NewMember:
    membership: Membership
    invitation_token: str | None


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


def _tenant(principal: Principal) -> UUID:
    if principal.tenant_id is None:
        raise PermissionDenied("Name the tenant with the X-Tenant header.")
    return principal.tenant_id


def require_held(principal: Principal, permissions: Iterable[Permission], field: str) -> None:
    missing = sorted(str(p) for p in set(permissions) if not principal.allows(p.obj, p.action))
    if missing:
        raise PermissionDenied(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.", field=field
        )


def role_permissions(policy: TenantPolicy, slug: str) -> set[Permission]:
    """Everything a role allows: its own lines and those of every role it inherits."""
    slugs = [slug, *policy.implicit_roles_of(role_subject(slug))]
    return {Permission(obj, act) for each in slugs for obj, act in policy.direct_permissions(each)}


def _parse_permissions(pairs: Iterable[tuple[str, str]]) -> list[Permission]:
    return sorted({Permission.checked(obj, act) for obj, act in pairs})


async def get_department(id: UUID) -> Department:
    department = await Department.get_or_none(id=id)
    if department is None:
        raise NotFound("No department with this id.", field="id")
    return department


async def get_role(id: UUID) -> Role:
    role = await Role.get_or_none(id=id)
    if role is None:
        raise NotFound("No role with this id.", field="id")
    return role


async def get_membership(id: UUID) -> Membership:
    membership = await Membership.get_or_none(id=id)
    if membership is None:
        raise NotFound("No member with this id.", field="id")
    return membership


# --- departments ---------------------------------------------------------------------------


async def create_department(principal: Principal, slug: str, name: str) -> Department:
    _tenant(principal)
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
    department = await get_department(id)
    async with in_transaction():
        await department.delete()
        await audit.record("department.delete", "department", id, before=_department(department))


def _department(department: Department) -> dict[str, str]:
    return {"slug": department.slug, "name": department.name}


def _role(policy: TenantPolicy, role: Role) -> dict[str, object]:
    return {
        "slug": role.slug,
        "name": role.name,
        "permissions": [f"{o}:{a}" for o, a in policy.direct_permissions(role.slug)],
        "inherits": policy.roles_of(role_subject(role.slug)),
    }


# --- roles ---------------------------------------------------------------------------------


async def create_role(
    principal: Principal,
    slug: str,
    name: str,
    *,
    department_id: UUID | None,
    permissions: Iterable[tuple[str, str]],
    inherits: Iterable[str],
) -> Role:
    tenant_id = _tenant(principal)
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
    tenant_id = _tenant(principal)
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
    tenant_id = _tenant(principal)
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


# --- members -------------------------------------------------------------------------------


async def add_member(
    principal: Principal,
    email: str,
    roles: Iterable[str],
    *,
    department_id: UUID | None,
    invitation_ttl: timedelta,
) -> NewMember:
    tenant_id = _tenant(principal)
    email = accounts.validate_email(email)
    department = await get_department(department_id) if department_id else None
    async with in_transaction():
        user = await User.get_or_none(email=email)
        token = None
        if user is None:
            user = await User.create(email=email)
            token = await accounts.invite(user, invitation_ttl)
        elif await Membership.exists(user_id=user.id):
            raise AlreadyExists(f"{email} is a member already.", field="email")
        membership = await Membership.create(user=user, department=department)
        policy = await load_policy(tenant_id)
        for slug in sorted(set(roles)):
            await _assign(principal, policy, user.id, slug)
        await audit.record(
            "member.add", "member", membership.id, after=_member(policy, membership, email)
        )
        await outbox.emit("member.added", {"id": str(membership.id), **_member(policy, membership)})
    return NewMember(membership, token)


async def remove_member(principal: Principal, id: UUID) -> None:
    tenant_id = _tenant(principal)
    membership = await get_membership(id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        subject = user_subject(membership.user_id)  # type: ignore[arg-type]
        if OWNER in policy.roles_of(subject):
            _ensure_other_owner(policy, subject)
        before = _member(policy, membership)
        await policy.enforcer.remove_filtered_named_grouping_policy("g", 0, subject)
        await membership.delete()
        await audit.record("member.remove", "member", membership.id, before=before)
        await outbox.emit("member.removed", {"id": str(membership.id), **before})


async def assign_role(principal: Principal, membership_id: UUID, slug: str) -> Membership:
    tenant_id = _tenant(principal)
    membership = await get_membership(membership_id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        before = _member(policy, membership)
        await _assign(principal, policy, membership.user_id, slug)  # type: ignore[arg-type]
        await audit.record(
            "member.assign_role", "member", membership.id,
            before=before, after=_member(policy, membership),
        )  # fmt: skip
    return membership


async def unassign_role(principal: Principal, membership_id: UUID, slug: str) -> Membership:
    tenant_id = _tenant(principal)
    membership = await get_membership(membership_id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        subject = user_subject(membership.user_id)  # type: ignore[arg-type]
        if slug not in policy.roles_of(subject):
            raise NotFound(f"The member does not hold '{slug}'.", field="role")
        if slug == OWNER:
            _ensure_other_owner(policy, subject)
        before = _member(policy, membership)
        await policy.enforcer.remove_named_grouping_policy(
            "g", subject, role_subject(slug), policy.domain
        )
        await audit.record(
            "member.unassign_role", "member", membership.id,
            before=before, after=_member(policy, membership),
        )  # fmt: skip
    return membership


async def set_member_department(
    principal: Principal, membership_id: UUID, department_id: UUID | None
) -> Membership:
    membership = await get_membership(membership_id)
    department = await get_department(department_id) if department_id else None
    before = {"department": str(membership.department_id or "")}
    membership.department = department
    async with in_transaction():
        await membership.save(update_fields=["department_id"])
        await audit.record(
            "member.set_department", "member", membership.id,
            before=before, after={"department": str(membership.department_id or "")},
        )  # fmt: skip
    return membership


def _member(
    policy: TenantPolicy, membership: Membership, email: str | None = None
) -> dict[str, object]:
    snapshot: dict[str, object] = {
        "user": str(membership.user_id),
        "department": str(membership.department_id or ""),
        "roles": policy.roles_of(user_subject(membership.user_id)),  # type: ignore[arg-type]
    }
    if email is not None:
        snapshot["email"] = email
    return snapshot


async def _assign(principal: Principal, policy: TenantPolicy, user_id: UUID, slug: str) -> None:
    if not await Role.exists(slug=slug):
        raise NotFound(f"No role '{slug}'.", field="role")
    require_held(principal, role_permissions(policy, slug), field="role")
    subject = user_subject(user_id)
    if slug not in policy.roles_of(subject):
        await policy.enforcer.add_named_grouping_policy(
            "g", subject, role_subject(slug), policy.domain
        )


def _ensure_other_owner(policy: TenantPolicy, subject: str) -> None:
    if [holder for holder in policy.holders_of(OWNER) if holder != subject] == []:
        raise LastOwner("A tenant keeps at least one owner; make someone else owner first.")


__all__ = [
    "NewMember",
    "add_member",
    "assign_role",
    "create_department",
    "create_role",
    "delete_department",
    "delete_role",
    "get_department",
    "get_membership",
    "get_role",
    "provision",
    "remove_member",
    "rename_department",
    "require_held",
    "role_permissions",
    "set_member_department",
    "unassign_role",
    "update_role",
]
