"""The one base of every expected business failure, and the kinds every area shares.

A service raises a `DomainError` (or an area's subclass from its own `errors.py`) when a request
cannot be done as asked: the transaction rolls back, and the API's one error boundary
(`api/graphql/core/boundary.py`) turns it into the mutation payload's `errors { field code
message }`, or into a GraphQL error with the same code where a query refuses. `code` is stable
(clients switch on it), `message` is written for the person using the client, `field` names the
input field at fault, relative to the mutation's `input`, or is None when the whole request is.

This module imports nothing of the project, so every layer may raise these.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "ERROR"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field

    def details(self) -> list[tuple[str | None, str]]:
        """The refusal as (input field, message) pairs, each one entry of the payload's
        `errors`: this one, unless the error lists several problems at once (an invalid
        rule-set document, each problem at its own path)."""
        return [(self.field, self.message)]


class AlreadyExists(DomainError):
    code = "ALREADY_EXISTS"


class NotFound(DomainError):
    code = "NOT_FOUND"


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


class PermissionDenied(DomainError):
    code = "FORBIDDEN"


__all__ = ["AlreadyExists", "DomainError", "InvalidInput", "NotFound", "PermissionDenied"]
