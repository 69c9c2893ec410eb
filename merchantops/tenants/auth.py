"""Login, rotating refresh tokens, and resolving who a request acts for.

A login starts a session (`LoginSession`). Refresh tokens rotate: each use returns a new token
of the session's family and marks the old one used. Presenting a used or revoked token again
means it leaked, so the session ends and the holder must log in again.

A session ends at once, for every token of it: its access tokens name it (`sid`), and the
query that reads a request's user reads the session in the same statement (a join), so an
ended session's access tokens are refused on their next request, in every process, with no
statement and no cache beyond what authenticating a request already cost.

`logout` ends the session of any refresh token of it (used, expired or current) and succeeds
when the session is over afterwards, also when it already was (a retried logout is not an
error). A token no session knows is refused with `UNAUTHENTICATED`: answering "logged out" to
it would tell a client with a mangled token that a live session had ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from tortoise.transactions import in_transaction

from merchantops.log import get_logger
from merchantops.tenants import api_keys
from merchantops.tenants.accounts import normalize_email
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.errors import (
    InvalidCredentials,
    InvalidToken,
    SessionRevoked,
    TenantAccessDenied,
    TenantSuspended,
    TokenExpired,
)
from merchantops.tenants.models import (
    LoginSession,
    Membership,
    RefreshToken,
    SessionEnd,
    Tenant,
    TenantStatus,
    User,
)
from merchantops.tenants.principal import ANONYMOUS, Principal
from merchantops.tenants.rbac import PolicyStore
from merchantops.tenants.secrets import (
    hash_password,
    new_opaque_token,
    password_needs_rehash,
    token_digest,
    verify_password,
)
from merchantops.tenants.tokens import AccessTokenCodec

logger = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


class Authenticator:
    def __init__(
        self, codec: AccessTokenCodec, refresh_ttl: timedelta, policies: PolicyStore | None = None
    ) -> None:
        self.codec = codec
        self.refresh_ttl = refresh_ttl
        self.policies = policies or PolicyStore()

    async def login(self, email: str, password: str) -> Session:
        user = await User.get_or_none(email=normalize_email(email))
        valid = verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.is_active:
            raise InvalidCredentials()
        user.last_login_at = datetime.now(UTC)
        update = ["last_login_at"]
        if user.password_hash and password_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            update.append("password_hash")
        async with in_transaction():
            await user.save(update_fields=update)
            login = await LoginSession.create(id=uuid4(), user=user)
            return await self._issue(user, session_id=login.id)

    async def refresh(self, raw_token: str) -> Session:
        now = datetime.now(UTC)
        async with in_transaction():
            token = (
                await RefreshToken.select_for_update()
                .filter(token_hash=token_digest(raw_token))
                .prefetch_related("user")
                .first()
            )
            if token is None:
                raise InvalidToken("The refresh token is invalid; log in again.")
            if token.used_at is not None or token.revoked_at is not None:
                failure = await _refused_refresh(token, now)
            elif token.expires_at <= now or not token.user.is_active:
                failure = TokenExpired("The refresh token has expired; log in again.")
            else:
                token.used_at = now
                await token.save(update_fields=["used_at"])
                return await self._issue(token.user, session_id=token.family_id)
        # Raised after the block so that the family revocation above commits.
        raise failure

    async def logout(self, raw_token: str) -> None:
        """End the session `raw_token` belongs to; see the module docstring."""
        async with in_transaction():
            token = await RefreshToken.get_or_none(token_hash=token_digest(raw_token))
            if token is None:
                raise InvalidToken(
                    "The refresh token is invalid; nothing was logged out.", field="refreshToken"
                )
            await _end_session(token.family_id, token.user_id, SessionEnd.LOGOUT, datetime.now(UTC))

    async def principal(self, authorization: str | None, tenant_slug: str | None) -> Principal:
        if not authorization:
            if tenant_slug:
                raise InvalidToken("Naming a tenant requires an Authorization: Bearer token.")
            return ANONYMOUS
        scheme, _, credentials = authorization.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise InvalidToken(
                "The Authorization header must be 'Bearer <access token or API key>'."
            )
        if api_keys.looks_like_api_key(credentials):
            return await self._key_principal(credentials, tenant_slug)
        claims = self.codec.claims(credentials)
        session = (
            await LoginSession.filter(id=claims.session_id, user_id=claims.user_id)
            .select_related("user")
            .first()
        )
        if session is None or not session.user.is_active:
            raise InvalidToken("The access token is invalid.")
        if session.ended_at is not None:
            raise SessionRevoked(_ended(session.end_reason))
        user = session.user
        if not tenant_slug:
            return Principal(user=user)
        tenant, membership = await _membership(user, tenant_slug)
        policy = await self.policies.for_tenant(tenant)
        return Principal(user=user, tenant=tenant, membership=membership, policy=policy)

    async def _key_principal(self, credential: str, tenant_slug: str | None) -> Principal:
        api_key, tenant, scopes = await api_keys.authenticate(credential)
        # The key alone names the tenant; a header naming any other one is a mistake or a probe.
        if tenant_slug and tenant_slug.strip().lower() != tenant.slug:
            raise TenantAccessDenied(f"This API key does not belong to tenant '{tenant_slug}'.")
        _ensure_active(tenant)
        policy = await self.policies.for_tenant(tenant)
        return Principal(tenant=tenant, api_key=api_key, scopes=scopes, policy=policy)

    async def _issue(self, user: User, *, session_id: UUID) -> Session:
        """A new refresh token of the session, and an access token naming it."""
        raw_refresh = new_opaque_token()
        refresh_expires = datetime.now(UTC) + self.refresh_ttl
        await RefreshToken.create(
            user=user,
            family_id=session_id,
            token_hash=token_digest(raw_refresh),
            expires_at=refresh_expires,
        )
        access, access_expires = self.codec.issue(user.id, session_id=session_id)
        return Session(user, access, access_expires, raw_refresh, refresh_expires)


async def _end_session(
    session_id: UUID, user_id: object, reason: SessionEnd, now: datetime
) -> None:
    """End a session and revoke its refresh tokens; the first end is the one recorded."""
    ended = await LoginSession.filter(id=session_id, ended_at__isnull=True).update(
        ended_at=now, end_reason=reason
    )
    await RefreshToken.filter(family_id=session_id, revoked_at__isnull=True).update(revoked_at=now)
    if ended:
        # the security trail of sessions: who, which session, why (the row keeps when and why)
        logger.info("auth.session_ended", user=str(user_id), session=str(session_id), reason=reason)


async def _membership(user: User, tenant_slug: str) -> tuple[Tenant, Membership]:
    denied = TenantAccessDenied(f"You are not a member of tenant '{tenant_slug}'.")
    tenant = await Tenant.get_or_none(slug=tenant_slug.strip().lower())
    if tenant is None:
        raise denied
    with tenant_scope(tenant.id):
        membership = await Membership.get_or_none(user_id=user.id)
    if membership is None:
        raise denied
    _ensure_active(tenant)
    return tenant, membership


def _ensure_active(tenant: Tenant) -> None:
    if tenant.status != TenantStatus.ACTIVE:
        raise TenantSuspended(
            f"Tenant '{tenant.slug}' is suspended; nothing can be read or changed until a "
            "platform administrator reactivates it."
        )


def _ended(reason: str | None) -> str:
    if reason == SessionEnd.REUSE_DETECTED:
        return (
            "This session was revoked because one of its older refresh tokens was presented "
            "again (it may have been copied); log in again."
        )
    return "This session has ended (logged out); log in again."


async def _refused_refresh(token: RefreshToken, now: datetime) -> InvalidToken:
    """A refresh token that was used or revoked: a reuse ends its session; say why it failed."""
    session = await LoginSession.get_or_none(id=token.family_id)
    if session is not None and session.ended_at is not None:
        return SessionRevoked(_ended(session.end_reason))
    await _end_session(token.family_id, token.user_id, SessionEnd.REUSE_DETECTED, now)
    return SessionRevoked(
        "This refresh token was already used, so the session has been revoked: presenting an "
        "older token again means it may have been copied. Log in again."
    )


__all__ = ["Authenticator", "Session"]
