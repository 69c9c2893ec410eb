"""Who a request acts for, and what it may do."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from merchantops.tenants.models import ApiKey, Membership, Tenant, User
from merchantops.tenants.permissions import Permission
from merchantops.tenants.rbac import TenantPolicy, role_subject, user_subject


@dataclass(frozen=True, slots=True)
class Principal:
    """Nobody, a user, a user inside one of their tenants, or a partner's API key.

    A user's rights in a tenant are those of their roles. An API key's rights are its scopes
    intersected with its role's rights.
    """

    user: User | None = None
    tenant: Tenant | None = None
    membership: Membership | None = None
    api_key: ApiKey | None = None
    scopes: tuple[Permission, ...] = ()
    policy: TenantPolicy | None = None

    @property
    def tenant_id(self) -> UUID | None:
        return self.tenant.id if self.tenant else None

    @property
    def subject(self) -> str | None:
        if self.api_key is not None:
            return role_subject(self.api_key.role_slug)
        if self.membership is not None and self.user is not None:
            return user_subject(self.user.id)
        return None

    @property
    def actor(self) -> str:
        """How logs and the audit trail name the caller."""
        if self.api_key is not None:
            return f"api_key:{self.api_key.public_id}"
        if self.user is not None:
            return f"{_USER_ACTOR}{self.user.id}"
        return "anonymous"

    def allows(self, obj: str, action: str) -> bool:
        subject = self.subject
        if subject is None or self.policy is None:
            return False
        if not self.policy.allows(subject, obj, action):
            return False
        if self.api_key is not None:
            return any(scope.covers(obj, action) for scope in self.scopes)
        return True


ANONYMOUS = Principal()
_USER_ACTOR = "user:"


def actor_user_id(actor: str) -> str | None:
    """The user id in an actor name (`Principal.actor`), None for keys and nobody."""
    return actor.removeprefix(_USER_ACTOR) if actor.startswith(_USER_ACTOR) else None


__all__ = ["ANONYMOUS", "Principal", "actor_user_id"]
