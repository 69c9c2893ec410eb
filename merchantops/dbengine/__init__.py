"""tortoise's database clients, made safe to cancel, and the retry of transient conflicts.

A GraphQL operation runs its fields concurrently and cancels the rest when a non-null field
fails; a request that passes its time limit is cancelled too. tortoise 1.1's transaction
contexts are not written for that: cancelled between taking SQLite's connection lock and
`BEGIN`, the lock is never released and every later statement of the process waits for ever;
cancelled there on PostgreSQL, the pooled connection is never given back. The clients here
(`merchantops.dbengine.sqlite`, `merchantops.dbengine.postgres`, chosen in `db.tortoise_config`)
undo a half-entered transaction, and finish a commit or rollback even when cancelled meanwhile.

`before_commit` runs a callback inside the outermost transaction in context just before it
commits (at once when there is none): the audit chain is sealed that way, so a write takes the
tenant's chain lock last, for the moment of its commit only, never while it takes other locks.
`after_commit` runs one once it has committed, as Django's `on_commit` does.

They also note every write that commits, so `retry_transient` knows when running a unit of
work again is safe: a deadlock or serialization failure (PostgreSQL) or a busy database
(SQLite) rolls back the transaction it hit; if nothing of the unit had committed before it,
running the unit again is the same as running it once.

PostgreSQL connections go back to the pool without asyncpg's reset round trip
(`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`): the application takes no
advisory locks, keeps no cursors, listens to nothing and sets no session state. asyncpg still
rolls back a transaction left open, without a round trip when there is none.

A GraphQL request runs all its statements on one pool connection
(`merchantops.dbengine.request`, which also says what code inside a transaction must not wait
for).
"""

from __future__ import annotations

import asyncio
import contextvars
import random
import sqlite3
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from tortoise import connections
from tortoise.backends.base.client import ConnectionWrapper, TransactionalDBClient
from tortoise.exceptions import OperationalError, TransactionManagementError

from merchantops.log import get_logger

T = TypeVar("T")
logger = get_logger(__name__)

RETRY_ATTEMPTS = 6
RETRY_BASE_SECONDS = 0.01


async def finish(awaitable: Awaitable[T]) -> T:
    """Await to the end even if the caller is cancelled meanwhile; the cancellation is then
    re-raised. For the statements that end a transaction: stopping one half-way would leave
    the connection in a state the next user cannot know about."""
    task = asyncio.ensure_future(awaitable)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        while not task.done():
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                continue
        raise


@dataclass
class UnitOfWork:
    """What `retry_transient` watches: whether anything of the unit has committed yet."""

    committed: bool = False


_unit: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar(
    "merchantops_unit_of_work", default=None
)


def note_commit() -> None:
    """Called by the clients when a transaction commits or a write runs outside of one."""
    unit = _unit.get()
    if unit is not None:
        unit.committed = True


AfterCommit = Callable[[], Awaitable[object]]


def _outermost_transaction() -> TransactionalDBClient | None:
    client: Any = connections.get("default")
    if not isinstance(client, TransactionalDBClient):
        return None
    while isinstance(getattr(client, "_parent", None), TransactionalDBClient):
        client = client._parent
    outermost: TransactionalDBClient = client
    return outermost


def _register(attribute: str, key: Hashable, callback: AfterCommit) -> bool:
    """Attach `callback` to the outermost transaction in context; False when there is none."""
    transaction = _outermost_transaction()
    if transaction is None:
        return False
    pending: dict[Hashable, AfterCommit] | None = getattr(transaction, attribute, None)
    if pending is None:
        pending = {}
        setattr(transaction, attribute, pending)
    pending.setdefault(key, callback)
    return True


async def after_commit(key: Hashable, callback: AfterCommit) -> None:
    """Run `callback` when the outermost transaction in context commits (never if it rolls
    back), or now when no transaction is open. One callback per `key` and transaction."""
    if not _register("_after_commit", key, callback):
        await callback()


async def before_commit(key: Hashable, callback: AfterCommit) -> None:
    """Run `callback` in the outermost transaction in context right before it commits (not if
    it rolls back), or now when no transaction is open. One callback per `key` and
    transaction; a callback that raises rolls the transaction back."""
    if not _register("_before_commit", key, callback):
        await callback()


async def run_before_commit(transaction: Any) -> None:
    """Called by the clients inside the transaction, right before its COMMIT."""
    while pending := getattr(transaction, "_before_commit", None):
        transaction._before_commit = None
        for callback in pending.values():
            await callback()


async def run_after_commit(transaction: Any) -> None:
    """Called by the clients once the transaction committed and its connection is free."""
    pending: dict[Hashable, AfterCommit] | None = getattr(transaction, "_after_commit", None)
    if not pending:
        return
    transaction._after_commit = None
    for key, callback in pending.items():
        try:
            await callback()
        except Exception as error:  # what runs after a commit cannot undo it: log, go on
            logger.warning("db.after_commit_failed", key=str(key), error=repr(error))


async def settle(transaction: Any, exc_type: type[BaseException] | None) -> bool:
    """End `transaction` as its block ended: roll back after an error; otherwise run its
    before-commit steps and commit (rolling back if a step fails). The ROLLBACK or COMMIT
    finishes even if the caller is cancelled meanwhile. True when it committed."""
    if transaction._finalized:
        return False
    if exc_type is not None:
        if exc_type is not TransactionManagementError:
            await finish(transaction.rollback())
        return False
    try:
        await run_before_commit(transaction)
    except BaseException:
        await finish(transaction.rollback())
        raise
    await finish(transaction.commit())
    note_commit()
    return True


class LockedConnection(ConnectionWrapper[Any]):
    """tortoise's per-statement connection lock, given back if the connection cannot be made."""

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


class NotesWrites:
    """For a client outside transactions: each write statement commits as it runs."""

    async def execute_insert(self, query: str, values: list[Any]) -> Any:
        result = await super().execute_insert(query, values)  # type: ignore[misc]
        note_commit()
        return result

    async def execute_many(self, query: str, values: list[Any]) -> None:
        await super().execute_many(query, values)  # type: ignore[misc]
        note_commit()

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        result = await super().execute_query(query, values)  # type: ignore[misc]
        if is_write(query):
            note_commit()
        return result

    async def execute_script(self, query: str) -> None:
        await super().execute_script(query)  # type: ignore[misc]
        note_commit()


def is_write(query: str) -> bool:
    head = query.lstrip()[:8].upper()
    return not (head.startswith("SELECT") or head.startswith("WITH") or head.startswith("PRAGMA"))


def is_transient(error: BaseException) -> bool:
    """A conflict with a concurrent transaction that running the same work again resolves."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(
            seen,
            asyncpg.exceptions.DeadlockDetectedError
            | asyncpg.exceptions.SerializationError
            | asyncpg.exceptions.LockNotAvailableError,
        ):
            return True
        if isinstance(seen, sqlite3.OperationalError | OperationalError) and (
            "database is locked" in str(seen) or "database table is locked" in str(seen)
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def retry_transient(
    work: Callable[[], Awaitable[T]], *, attempts: int = RETRY_ATTEMPTS, what: str = ""
) -> T:
    """Run `work`; when it fails with a transient conflict before anything of it committed,
    run it again (at most `attempts` times, with a short jittered back-off).

    Nests: an inner call inside a unit already watched just runs `work`, so only the outermost
    unit retries (an inner retry could not undo what its outer transaction holds)."""
    if _unit.get() is not None:
        return await work()
    for attempt in range(1, attempts + 1):
        unit = UnitOfWork()
        token = _unit.set(unit)
        try:
            return await work()
        except Exception as error:
            if attempt == attempts or unit.committed or not is_transient(error):
                raise
            logger.info(
                "db.transient_conflict_retried", attempt=attempt, what=what, error=repr(error)
            )
        finally:
            _unit.reset(token)
        await asyncio.sleep(random.uniform(0, RETRY_BASE_SECONDS * 2**attempt))  # noqa: S311
    raise AssertionError("unreachable")


__all__ = [
    "LockedConnection",
    "NotesWrites",
    "after_commit",
    "before_commit",
    "finish",
    "is_transient",
    "is_write",
    "note_commit",
    "retry_transient",
    "run_after_commit",
    "run_before_commit",
    "settle",
]
