"""The two error channels.

Expected business failures travel in a mutation payload as `errors { field code message }`.
Refusals that stop a field (authentication, permission, bad paging arguments) are GraphQL errors
with `extensions.code`. Anything else is a bug: the client sees a fixed message with the request
id, and the log holds the exception under the same id.

Every error a client receives has a code. GraphQL's own request errors get one where they arise
(`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT` for variable values);
one that still has none when it leaves is a request error (`BAD_REQUEST`) without a path, and a
bug with one (a resolver's `None` for a non-null field): masked like any other.

Messages quote client input (names, values, operation names), so each leaves `bounded`: a quoted
run, or one without spaces, longer than `MAX_QUOTED_CHARS` is cut with an ellipsis, and the
whole message at `MAX_MESSAGE_CHARS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import asyncpg
import strawberry
from graphql import GraphQLError

from merchantops.errors import DomainError

BAD_REQUEST = "BAD_REQUEST"
BAD_USER_INPUT = "BAD_USER_INPUT"
MAX_QUOTED_CHARS = 100
MAX_MESSAGE_CHARS = 500
ELLIPSIS = "\u2026"
_QUOTE = re.compile("['\"]")
_RUN = re.compile(f"[^\\s'\"]{{{MAX_QUOTED_CHARS + 1},}}")


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


def user_errors(error: DomainError) -> list[UserError]:
    return [
        UserError(field=field, code=error.code, message=message)
        for field, message in error.details()
    ]


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


def bounded(message: str) -> str:
    """`message` with every quoted run (`'...'` or `"..."`, or a quote to the end) and every
    other run without spaces or quotes (a printed input object) of more than `MAX_QUOTED_CHARS`
    cut to that many and an ellipsis, then cut at `MAX_MESSAGE_CHARS`. An unknown operation name
    of 500,000 characters comes back as its first 100.
    """
    if len(message) <= MAX_QUOTED_CHARS:
        return message
    parts: list[str] = []
    position = 0
    while (opening := _QUOTE.search(message, position)) is not None:
        start = opening.end()
        end = message.find(opening.group(), start)
        end = len(message) if end < 0 else end
        parts.append(message[position:start])
        parts.append(_cut(message[start:end]))
        parts.append(message[end : end + 1])
        position = end + 1
    parts.append(message[position:])
    short = _RUN.sub(lambda run: _cut(run.group()), "".join(parts))
    return short if len(short) <= MAX_MESSAGE_CHARS else short[:MAX_MESSAGE_CHARS] + ELLIPSIS


def _cut(text: str) -> str:
    return text if len(text) <= MAX_QUOTED_CHARS else text[:MAX_QUOTED_CHARS] + ELLIPSIS


def code_of(error: GraphQLError) -> str | None:
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else None


def is_expected(error: GraphQLError) -> bool:
    """Errors the client may see as they are: GraphQL's own request errors, coded field errors,
    `ApiError`s, and the domain's refusals (`DomainError`: a stable code and a message written
    for clients) when they stop a field rather than travel in a mutation payload. A field error
    of GraphQL's own without a code (a non-null field resolved to `None`, a value its type cannot
    represent) is a bug. A value the database refused is the client's mistake."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error.path is None or code_of(error) is not None
    return isinstance(original, ApiError | DomainError) or value_refused_by_database(original)


def with_code(error: GraphQLError) -> GraphQLError:
    """`error` as the client sees it: with its code (a domain refusal's code and input field,
    like `ApiError`; `BAD_REQUEST` for a request error that has none) and a bounded message."""
    original = error.original_error
    if isinstance(original, DomainError) and code_of(error) is None:
        error.extensions = {
            "code": original.code,
            **({"field": original.field} if original.field else {}),
        }
    elif value_refused_by_database(original) and code_of(error) is None:
        error.message = "A value is too long, too large or holds a character it cannot store."
        error.extensions = {"code": "INVALID_INPUT"}
    elif code_of(error) is None:
        error.extensions = {**(error.extensions or {}), "code": BAD_REQUEST}
    error.message = bounded(error.message)
    return error


def unexpected(errors: Iterable[GraphQLError]) -> list[GraphQLError]:
    return [error for error in errors if not is_expected(error)]


__all__ = [
    "BAD_REQUEST",
    "BAD_USER_INPUT",
    "MAX_MESSAGE_CHARS",
    "MAX_QUOTED_CHARS",
    "ApiError",
    "DeletePayload",
    "UserError",
    "bounded",
    "code_of",
    "is_expected",
    "unexpected",
    "user_errors",
    "value_refused_by_database",
    "with_code",
]
