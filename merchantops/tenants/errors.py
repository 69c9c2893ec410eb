"""Failures of tenancy and identity: signing in, tokens, sessions, tenant access, ownership."""

from __future__ import annotations

from merchantops.errors import DomainError


class InvalidCredentials(DomainError):
    code = "INVALID_CREDENTIALS"

    def __init__(self) -> None:
        super().__init__("Email or password is incorrect, or the account is disabled.")


class InvalidToken(DomainError):
    code = "UNAUTHENTICATED"


class TokenExpired(InvalidToken):
    """A token that was good and has run out: refresh it (access) or log in (refresh)."""

    code = "TOKEN_EXPIRED"


class SessionRevoked(InvalidToken):
    """The session the token belongs to was ended: logged out, or revoked after a reuse."""

    code = "SESSION_REVOKED"


class TenantAccessDenied(DomainError):
    code = "TENANT_FORBIDDEN"


class TenantSuspended(DomainError):
    code = "TENANT_SUSPENDED"


class LastOwner(DomainError):
    code = "LAST_OWNER"


__all__ = [
    "InvalidCredentials",
    "InvalidToken",
    "LastOwner",
    "SessionRevoked",
    "TenantAccessDenied",
    "TenantSuspended",
    "TokenExpired",
]
