"""Platform administration: users, tenants and their first owners, invitations, suspension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from merchantops.errors import AlreadyExists, NotFound
from merchantops.tenants import audit
from merchantops.tenants.accounts import (
    invite,
    validate_email,
    validate_name,
    validate_password,
    validate_slug,
)
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.errors import InvalidToken
from merchantops.tenants.models import Invitation, Membership, Tenant, TenantStatus, User
from merchantops.tenants.org.defaults import provision
from merchantops.tenants.rbac import load_policy, role_subject, user_subject
from merchantops.tenants.secrets import hash_password, token_digest


@dataclass(frozen=True, slots=True)
class NewTenant:
    tenant: Tenant
    owner: User
    invitation_token: str | None


async def create_user(
    email: str, password: str, *, full_name: str = "", platform_admin: bool = False
) -> User:
    normalized = validate_email(email)
    validate_password(password)
    if await User.exists(email=normalized):
        raise AlreadyExists(f"A user with email '{normalized}' exists already.", field="email")
    return await User.create(
        email=normalized,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        is_platform_admin=platform_admin,
    )


async def create_tenant(
    slug: str, name: str, owner_email: str, *, invitation_ttl: timedelta
) -> NewTenant:
    """Create a tenant with its first owner; an owner without an account gets an invitation."""
    slug = validate_slug(slug)
    name = validate_name(name)
    email = validate_email(owner_email, field="ownerEmail")
    async with in_transaction():
        if await Tenant.exists(slug=slug):
            raise AlreadyExists(f"A tenant with slug '{slug}' exists already.", field="slug")
        tenant = await Tenant.create(slug=slug, name=name)
        owner = await User.get_or_none(email=email)
        invitation_token = None
        if owner is None:
            owner = await User.create(email=email)
            invitation_token = await invite(owner, invitation_ttl)
        with tenant_scope(tenant.id):
            await Membership.create(tenant=tenant, user=owner)
            await provision(tenant.id, owner)
            await audit.record(
                "tenant.create", "tenant", tenant.id,
                after={"slug": slug, "name": name, "owner": email},
            )  # fmt: skip
    return NewTenant(tenant, owner, invitation_token)


async def accept_invitation(token: str, password: str, full_name: str) -> User:
    validate_password(password)
    now = datetime.now(UTC)
    async with in_transaction():
        invitation = (
            await Invitation.select_for_update()
            .filter(token_hash=token_digest(token), accepted_at__isnull=True)
            .prefetch_related("user")
            .first()
        )
        if invitation is None or invitation.expires_at <= now:
            raise InvalidToken("The invitation is invalid, used or expired; ask for a new one.")
        invitation.accepted_at = now
        await invitation.save(update_fields=["accepted_at"])
        user = invitation.user
        user.password_hash = hash_password(password)
        if full_name.strip():
            user.full_name = validate_name(full_name, field="fullName")
        await user.save(update_fields=["password_hash", "full_name"])
        return user


async def set_tenant_status(slug: str, status: TenantStatus) -> Tenant:
    tenant = await Tenant.get_or_none(slug=slug.strip().lower())
    if tenant is None:
        raise NotFound(f"No tenant with slug '{slug}'.", field="slug")
    before = {"status": tenant.status.value}
    tenant.status = status
    async with in_transaction():
        await tenant.save(update_fields=["status"])
        with tenant_scope(tenant.id):
            await audit.record(
                "tenant.set_status",
                "tenant",
                tenant.id,
                before=before,
                after={"status": status.value},
            )
    return tenant


async def add_member(tenant: Tenant, user: User, roles: list[str]) -> Membership:
    """Make `user` a member holding `roles`, unchecked: for the CLI, demo data and tests."""
    async with in_transaction():
        with tenant_scope(tenant.id):
            membership, _ = await Membership.get_or_create(tenant=tenant, user=user)
        policy = await load_policy(tenant.id)
        held = set(policy.roles_of(user_subject(user.id)))
        links = [
            [user_subject(user.id), role_subject(slug), policy.domain]
            for slug in sorted(set(roles) - held)
        ]
        if links:
            await policy.enforcer.add_named_grouping_policies("g", links)
        return membership


__all__ = [
    "NewTenant",
    "accept_invitation",
    "add_member",
    "create_tenant",
    "create_user",
    "set_tenant_status",
]
