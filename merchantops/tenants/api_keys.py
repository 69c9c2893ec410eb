"""Partner API keys: `mok_<public id>_<secret>`.

The whole key is shown once, at creation or rotation. The database holds the public id and a
SHA-256 of the secret (256 random bits, so a fast hash is enough at rest). A key that does not
have the key shape is refused before any database query, and secrets are compared in constant
time. After a rotation the replaced secret keeps working for a grace period, so partners can
deploy the new key without downtime.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.errors import InvalidInput, NotFound
from merchantops.prepared import PreparedSelect
from merchantops.tenants import audit, outbox
from merchantops.tenants.accounts import validate_name
from merchantops.tenants.context import Crossing, across_tenants
from merchantops.tenants.errors import InvalidToken
from merchantops.tenants.models import ApiKey, Role, Tenant
from merchantops.tenants.org.rights import require_held
from merchantops.tenants.permissions import Permission
from merchantops.tenants.principal import Principal
from merchantops.tenants.secrets import token_digest

PREFIX = "mok"
KEY_PATTERN = re.compile(r"^mok_([a-z2-7]{20})_([A-Za-z0-9_-]{43})$")
MAX_GRACE = timedelta(days=7)
LAST_USED_RESOLUTION = timedelta(minutes=1)
_KEY_AND_TENANT = PreparedSelect(
    lambda public_id: (
        ApiKey.unscoped().filter(public_id=public_id).select_related("tenant").limit(1)
    )
)


@dataclass(frozen=True, slots=True)
class IssuedKey:
    api_key: ApiKey
    key: str


def looks_like_api_key(credential: str) -> bool:
    return credential.startswith(PREFIX + "_")


def _new_public_id() -> str:
    return base64.b32encode(secrets.token_bytes(15)).decode().lower().rstrip("=")[:20]


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _compose(public_id: str, secret: str) -> str:
    return f"{PREFIX}_{public_id}_{secret}"


async def get_api_key(id: UUID) -> ApiKey:
    key = await ApiKey.get_or_none(id=id)
    if key is None:
        raise NotFound("No API key with this id.", field="id")
    return key


async def create_api_key(
    principal: Principal,
    name: str,
    role: str,
    scopes: Iterable[str],
    *,
    expires_at: datetime | None,
) -> IssuedKey:
    if principal.tenant_id is None:
        raise InvalidInput("Name the tenant with the X-Tenant header.")
    name = validate_name(name)
    parsed = sorted({Permission.parse(scope) for scope in scopes})
    if not parsed:
        raise InvalidInput("Give the key at least one scope, e.g. 'order:read'.", field="scopes")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise InvalidInput("The expiry must lie in the future.", field="expiresAt")
    if not await Role.exists(slug=role):
        raise NotFound(f"No role '{role}'.", field="role")
    # The key can do at most its scopes (intersected with its role), so the creator must hold
    # every scope: nobody hands out rights they do not have.
    require_held(principal, parsed, field="scopes")
    public_id, secret = _new_public_id(), _new_secret()
    async with in_transaction():
        api_key = await ApiKey.create(
            name=name,
            public_id=public_id,
            secret_hash=token_digest(secret),
            role_slug=role,
            scopes=[str(scope) for scope in parsed],
            expires_at=expires_at,
            created_by_id=principal.user.id if principal.user else None,
        )
        await audit.record("api_key.create", "api_key", api_key.id, after=_snapshot(api_key))
        await outbox.emit("api_key.created", {"id": str(api_key.id), **_snapshot(api_key)})
    return IssuedKey(api_key, _compose(public_id, secret))


def _snapshot(api_key: ApiKey) -> dict[str, object]:
    """What the audit trail keeps of a key: never the secret or its hash."""
    return {
        "name": api_key.name,
        "prefix": f"{PREFIX}_{api_key.public_id}",
        "role": api_key.role_slug,
        "scopes": list(api_key.scopes),
        "expires_at": api_key.expires_at,
        "revoked_at": api_key.revoked_at,
        "previous_expires_at": api_key.previous_expires_at,
    }


async def revoke_api_key(id: UUID) -> ApiKey:
    api_key = await get_api_key(id)
    if api_key.revoked_at is None:
        before = _snapshot(api_key)
        api_key.revoked_at = datetime.now(UTC)
        async with in_transaction():
            await api_key.save(update_fields=["revoked_at"])
            await audit.record(
                "api_key.revoke", "api_key", api_key.id, before=before, after=_snapshot(api_key)
            )
            await outbox.emit("api_key.revoked", {"id": str(api_key.id), **_snapshot(api_key)})
    return api_key


async def rotate_api_key(id: UUID, grace: timedelta) -> IssuedKey:
    if not timedelta(0) <= grace <= MAX_GRACE:
        raise InvalidInput("The grace period lies between 0 and 7 days.", field="graceSeconds")
    api_key = await get_api_key(id)
    if api_key.revoked_at is not None:
        raise InvalidInput("A revoked key cannot be rotated; create a new one.", field="id")
    secret = _new_secret()
    before = _snapshot(api_key)
    api_key.previous_secret_hash = api_key.secret_hash
    api_key.previous_expires_at = datetime.now(UTC) + grace
    api_key.secret_hash = token_digest(secret)
    async with in_transaction():
        await api_key.save(
            update_fields=["previous_secret_hash", "previous_expires_at", "secret_hash"]
        )
        await audit.record(
            "api_key.rotate", "api_key", api_key.id, before=before, after=_snapshot(api_key)
        )
    return IssuedKey(api_key, _compose(api_key.public_id, secret))


async def authenticate(credential: str) -> tuple[ApiKey, Tenant, tuple[Permission, ...]]:
    """The key and its tenant; `InvalidToken` for anything else, with one message."""
    refused = InvalidToken("The API key is invalid, expired or revoked.")
    match = KEY_PATTERN.match(credential)
    if match is None:
        raise refused
    public_id, secret = match.groups()
    # Public ids are random 100-bit strings: one tenant's key never shares another's id.
    # One query for the key and its tenant, its SQL built once: this runs on every request.
    with across_tenants(Crossing.SIGN_IN):
        found = await _KEY_AND_TENANT.fetch(public_id)
    if not found:
        raise refused
    api_key = found[0]
    now = datetime.now(UTC)
    digest = token_digest(secret)
    current = hmac.compare_digest(digest, api_key.secret_hash)
    previous = (
        api_key.previous_secret_hash is not None
        and api_key.previous_expires_at is not None
        and api_key.previous_expires_at > now
        and hmac.compare_digest(digest, api_key.previous_secret_hash)
    )
    if not (current or previous):
        raise refused
    if api_key.revoked_at is not None or (api_key.expires_at and api_key.expires_at <= now):
        raise refused
    tenant: Tenant = api_key.tenant
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        # Written at most once a minute per key: a busy partner must not cost a write a request.
        with across_tenants(Crossing.SIGN_IN):
            await ApiKey.unscoped().filter(id=api_key.id).update(last_used_at=now)
        api_key.last_used_at = now
    scopes = tuple(Permission.parse(scope) for scope in api_key.scopes)
    return api_key, tenant, scopes


__all__ = [
    "IssuedKey",
    "authenticate",
    "create_api_key",
    "get_api_key",
    "looks_like_api_key",
    "revoke_api_key",
    "rotate_api_key",
]
