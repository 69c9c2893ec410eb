"""Permission declarations, written next to each resolver.

    @strawberry.field(extensions=[requires(TenantPermission("member", "read"))])
    async def members(...): ...

Every query field and mutation carries exactly one `requires(...)`; a test walks the schema and
fails on any operation without one. A tenant permission is decided by the tenant's casbin
policy for the caller's roles (and, for an API key, its scopes as well).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission, PermissionExtension
from tortoise.transactions import in_transaction

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import ApiError
from merchantops.dbengine import finish, retry_transient
from merchantops.log import get_logger
from merchantops.tenants import audit
from merchantops.tenants.permissions import Permission

logger = get_logger(__name__)


class Requirement(BasePermission):
    """Raises an `ApiError` with a code when refused, so the client can tell refusals apart."""

    description = ""

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        self.check(info)
        return True

    def check(self, info: Info) -> None:
        raise NotImplementedError

    @staticmethod
    def _authenticated(info: Info) -> None:
        principal = info.context.principal
        if principal.user is None and principal.api_key is not None:
            raise ApiError(
                "USER_REQUIRED",
                "API keys have no user: this field answers for a person logged in with a "
                "password. An API key acts for its tenant (`currentTenant`).",
            )
        if principal.user is None:
            raise ApiError(
                "UNAUTHENTICATED", "Log in first and send 'Authorization: Bearer <access token>'."
            )


class Public(Requirement):
    description = "public"

    def check(self, info: Info) -> None:
        return None


class Authenticated(Requirement):
    description = "authenticated"

    def check(self, info: Info) -> None:
        self._authenticated(info)


class PlatformAdmin(Requirement):
    description = "platform admin"

    def check(self, info: Info) -> None:
        self._authenticated(info)
        user = info.context.principal.user
        if user is None or not user.is_platform_admin:
            raise ApiError("FORBIDDEN", "Only platform administrators may do this.")


class TenantPermission(Requirement):
    def __init__(self, obj: str, action: str) -> None:
        self.permission = Permission.checked(obj, action)
        self.obj = obj
        self.action = action
        self.description = str(self.permission)

    def check(self, info: Info) -> None:
        principal = info.context.principal
        if principal.api_key is None:
            self._authenticated(info)
        if principal.tenant is None:
            raise ApiError(
                "TENANT_REQUIRED", "Name the tenant to act in with the 'X-Tenant: <slug>' header."
            )
        if not principal.allows(self.obj, self.action):
            raise ApiError("FORBIDDEN", f"You lack the permission '{self.description}'.")

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        try:
            self.check(info)
        except ApiError as refusal:
            if refusal.code == "FORBIDDEN":
                # Denials inside a tenant are part of its audit trail. Noted here, written once
                # the operation is over (`RecordRefusals`): a sibling field's failure may cancel
                # this resolver, and one operation can be refused many times over.
                logger.info("permission.denied", permission=self.description)
                info.context.refusals.append((info.field_name, self.description))
            raise
        return True


class RecordRefusals(SchemaExtension):
    """Writes the operation's permission denials to the audit trail, in one transaction of
    their own (the refused operation writes nothing else), before the answer goes out."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        refusals: list[tuple[str, str]] = getattr(context, "refusals", [])
        if refusals:
            await finish(retry_transient(lambda: _record_refusals(refusals), what="refusals"))
            refusals.clear()


async def _record_refusals(refusals: list[tuple[str, str]]) -> None:
    async with in_transaction():
        for field_name, permission in refusals:
            await audit.record(
                "permission.denied", "operation", field_name, after={"permission": permission}
            )


PUBLIC = Public()
AUTHENTICATED = Authenticated()
PLATFORM_ADMIN = PlatformAdmin()


def requires(requirement: Requirement) -> PermissionExtension:
    return PermissionExtension(permissions=[requirement], use_directives=False)


def declared_requirement(extensions: list[Any]) -> Requirement | None:
    for extension in extensions:
        if isinstance(extension, PermissionExtension):
            for permission in extension.permissions:
                if isinstance(permission, Requirement):
                    return permission
    return None


__all__ = [
    "AUTHENTICATED",
    "PLATFORM_ADMIN",
    "PUBLIC",
    "RecordRefusals",
    "Requirement",
    "TenantPermission",
    "declared_requirement",
    "requires",
]
