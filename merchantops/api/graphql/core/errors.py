"""The two error channels.

Expected business failures travel in a mutation payload as `errors { field code message }`.
Refusals that stop a field (authentication, permission, bad paging arguments) are GraphQL errors
with `extensions.code`. Anything else is a bug: the client sees a fixed message with the request
id, and the log holds the exception under the same id.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg
import strawberry
from graphql import GraphQLError

from merchantops.tenants.errors import GovernanceError


class ApiError(Exception):
    """A refusal reported as a GraphQL error with a stable `extensions.code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = {"code": code}


@strawberry.type(description="An expected failure of a mutation, safe to show to the user.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault, or null when the whole input is."
    )
    code: str = strawberry.field(description="A stable machine-readable code.")
    message: str


@strawberry.type(description="The result of a deletion.")
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def user_errors(error: GovernanceError) -> list[UserError]:
    return [UserError(field=error.field, code=error.code, message=error.message)]


def value_refused_by_database(error: BaseException | None) -> bool:
    """The database refused a value itself (too long for its column, out of its numeric range,
    a character it cannot store). Values are checked where they enter (`core/inputs.py`); this
    is the backstop for a limit declared too loosely there: the client's mistake, not a bug."""
    seen = error
    while seen is not None:
        if isinstance(seen, asyncpg.exceptions.DataError | OverflowError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def is_expected(error: GraphQLError) -> bool:
    """Errors the client may see as they are: GraphQL's own, `ApiError`s, and the domain's
    refusals (`GovernanceError`: a stable code and a message written for clients) when they
    stop a field rather than travel in a mutation payload; values the database refused."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, ApiError | GraphQLError | GovernanceError)
        or value_refused_by_database(original)
    )


def with_code(error: GraphQLError) -> GraphQLError:
    """A domain refusal that stopped a field reports its code (and input field) like `ApiError`."""
    original = error.original_error
    if isinstance(original, GovernanceError) and "code" not in (error.extensions or {}):
        error.extensions = {
            "code": original.code,
            **({"field": original.field} if original.field else {}),
        }
    elif value_refused_by_database(original) and "code" not in (error.extensions or {}):
        error.message = "A value is too long, too large or holds a character it cannot store."
        error.extensions = {"code": "INVALID_INPUT"}
    return error


def unexpected(errors: Iterable[GraphQLError]) -> list[GraphQLError]:
    return [error for error in errors if not is_expected(error)]


__all__ = [
    "ApiError",
    "DeletePayload",
    "UserError",
    "is_expected",
    "unexpected",
    "user_errors",
    "value_refused_by_database",
    "with_code",
]
