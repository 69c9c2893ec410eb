"""Every mutation is one unit of work that a transient conflict runs again.

Two requests that touch the same rows at once can make PostgreSQL abort one of them (deadlock
detected, serialization failure) or find SQLite busy with another process's write. Neither is
the client's fault, and neither should reach it: the mutation's transaction rolled back, so
running the whole mutation again is safe, as long as nothing of it had committed before the
conflict (`merchantops.dbengine.retry_transient` watches that, and gives up after a bounded
number of attempts, when the conflict surfaces as the unexpected error it then is).

`build_schema` gives every mutation field this extension (`boundary.guard_every_mutation`),
so no mutation can forget it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension

from merchantops.dbengine import retry_transient


class RetryConflicts(FieldExtension):
    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        return await retry_transient(
            lambda: next_(source, info, **kwargs), what=f"mutation {info.field_name}"
        )


__all__ = ["RetryConflicts"]
