"""Errors of the governance core, each with a stable code the API passes to clients."""

from __future__ import annotations


class GovernanceError(Exception):
    code = "ERROR"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidCredentials(GovernanceError):
    code = "INVALID_CREDENTIALS"

    def __init__(self) -> None:
        super().__init__("Email or password is incorrect, or the account is disabled.")


class InvalidToken(GovernanceError):
    code = "UNAUTHENTICATED"


class TokenExpired(InvalidToken):
    """A token that was good and has run out: refresh it (access) or log in (refresh)."""

    code = "TOKEN_EXPIRED"


class SessionRevoked(InvalidToken):
    """The session the token belongs to was ended: logged out, or revoked after a reuse."""

    code = "SESSION_REVOKED"


class TenantAccessDenied(GovernanceError):
    code = "TENANT_FORBIDDEN"


class TenantSuspended(GovernanceError):
    code = "TENANT_SUSPENDED"


class AlreadyExists(GovernanceError):
    code = "ALREADY_EXISTS"


class NotFound(GovernanceError):
    code = "NOT_FOUND"


class InvalidInput(GovernanceError):
    code = "INVALID_INPUT"


class PermissionDenied(GovernanceError):
    code = "FORBIDDEN"


class LastOwner(GovernanceError):
    code = "LAST_OWNER"


__all__ = [
    "AlreadyExists",
    "GovernanceError",
    "InvalidCredentials",
    "InvalidInput",
    "InvalidToken",
    "LastOwner",
    "NotFound",
    "PermissionDenied",
    "SessionRevoked",
    "TenantAccessDenied",
    "TenantSuspended",
    "TokenExpired",
]
