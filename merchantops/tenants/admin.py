"""Platform administration: users, tenants and their first owners, invitations, suspension."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from merchantops.tenants.auth import normalize_email
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.errors import AlreadyExists, InvalidInput, InvalidToken, NotFound
from merchantops.tenants.models import (
    Invitation,
    Membership,
    MembershipRole,
    Tenant,
    TenantStatus,
    User,
)
from merchantops.tenants.secrets import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_opaque_token,
    token_digest,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class NewTenant:
    tenant: Tenant
    owner: User
    invitation_token: str | None


def validate_email(email: str, field: str = "email") -> str:
    normalized = normalize_email(email)
    if len(normalized) > 254 or not EMAIL_PATTERN.match(normalized):
        raise InvalidInput(f"'{email}' is not a valid email address.", field=field)
    return normalized


def validate_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field=field
        )
    return password


def validate_slug(slug: str) -> str:
    normalized = slug.strip().lower()
    if not SLUG_PATTERN.match(normalized):
        raise InvalidInput(
            "A tenant slug is 1-63 lowercase letters, digits and inner hyphens, e.g. 'acme-shop'.",
            field="slug",
        )
    return normalized


def validate_name(name: str, field: str = "name") -> str:
    stripped = name.strip()
    if not stripped or len(stripped) > 200:
        raise InvalidInput("A name must have 1 to 200 characters.", field=field)
    return stripped


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
            invitation_token = await _invite(owner, invitation_ttl)
        with tenant_scope(tenant.id):
            await Membership.create(tenant=tenant, user=owner, role=MembershipRole.OWNER)
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
    tenant.status = status
    await tenant.save(update_fields=["status"])
    return tenant


async def add_member(
    tenant: Tenant, user: User, role: MembershipRole = MembershipRole.MEMBER
) -> Membership:
    with tenant_scope(tenant.id):
        membership, _ = await Membership.get_or_create(
            tenant=tenant, user=user, defaults={"role": role}
        )
        return membership


async def _invite(user: User, ttl: timedelta) -> str:
    token = new_opaque_token()
    await Invitation.create(
        user=user, token_hash=token_digest(token), expires_at=datetime.now(UTC) + ttl
    )
    return token


__all__ = [
    "NewTenant",
    "accept_invitation",
    "add_member",
    "create_tenant",
    "create_user",
    "set_tenant_status",
    "validate_email",
    "validate_slug",
]
