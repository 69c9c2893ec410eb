"""Who belongs to a tenant, with which roles, in which department. A tenant keeps at least one
owner, and a role is given only by someone holding everything it allows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.errors import AlreadyExists, NotFound
from merchantops.tenants import accounts, audit, outbox
from merchantops.tenants.errors import LastOwner
from merchantops.tenants.models import Membership, Role, User
from merchantops.tenants.org.departments import get_department
from merchantops.tenants.org.rights import require_held, require_tenant
from merchantops.tenants.org.roles import role_permissions
from merchantops.tenants.principal import Principal
from merchantops.tenants.rbac import TenantPolicy, load_policy, role_subject, user_subject
from merchantops.tenants.templates import OWNER


@dataclass(frozen=True, slots=True)
class NewMember:
    membership: Membership
    invitation_token: str | None


async def get_membership(id: UUID) -> Membership:
    membership = await Membership.get_or_none(id=id)
    if membership is None:
        raise NotFound("No member with this id.", field="id")
    return membership


async def add_member(
    principal: Principal,
    email: str,
    roles: Iterable[str],
    *,
    department_id: UUID | None,
    invitation_ttl: timedelta,
) -> NewMember:
    tenant_id = require_tenant(principal)
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
    tenant_id = require_tenant(principal)
    membership = await get_membership(id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        subject = user_subject(membership.user_id)
        if OWNER in policy.roles_of(subject):
            _ensure_other_owner(policy, subject)
        before = _member(policy, membership)
        await policy.enforcer.remove_filtered_named_grouping_policy("g", 0, subject)
        await membership.delete()
        await audit.record("member.remove", "member", membership.id, before=before)
        await outbox.emit("member.removed", {"id": str(membership.id), **before})


async def assign_role(principal: Principal, membership_id: UUID, slug: str) -> Membership:
    tenant_id = require_tenant(principal)
    membership = await get_membership(membership_id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        before = _member(policy, membership)
        await _assign(principal, policy, membership.user_id, slug)
        await audit.record(
            "member.assign_role", "member", membership.id,
            before=before, after=_member(policy, membership),
        )  # fmt: skip
    return membership


async def unassign_role(principal: Principal, membership_id: UUID, slug: str) -> Membership:
    tenant_id = require_tenant(principal)
    membership = await get_membership(membership_id)
    async with in_transaction():
        policy = await load_policy(tenant_id)
        subject = user_subject(membership.user_id)
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
        "roles": policy.roles_of(user_subject(membership.user_id)),
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
    "get_membership",
    "remove_member",
    "set_member_department",
    "unassign_role",
]
