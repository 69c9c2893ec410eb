"""tortoise's asyncpg client with transactions safe to cancel, no reset round trip on
release (see the package docstring), and every statement run in the scope of the tenant in
context (`merchantops.dbengine.scope`), and timed (asyncpg's query logger, into
`merchantops_db_query_duration_seconds`)."""

from __future__ import annotations

from typing import Any

import asyncpg as _asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    ConnectionWrapper,
    PoolConnectionWrapper,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections

from merchantops.dbengine import (
    LockedConnection,
    NotesWrites,
    finish,
    run_after_commit,
    scope,
    settle,
)
from merchantops.dbengine.scope import ScopedConnection
from merchantops.observability import metrics


async def _keep_session(connection: _asyncpg.Connection) -> None:
    """asyncpg's pool calls this instead of `Connection.reset()`'s round trip; it has already
    rolled back any transaction left open (without a round trip when there is none), which may
    have undone a tenant scope given inside it."""
    scope.forget_if_undone(connection)


def _time_statement(record: Any) -> None:
    """asyncpg's query logger: each statement's time, into the query-time histogram."""
    metrics.db_statement(record.query, record.elapsed)


class _ScopedPoolConnection(PoolConnectionWrapper[Any]):
    """One statement on a pool connection, in the scope of the code running it."""

    async def __aenter__(self) -> Any:
        connection = await super().__aenter__()
        try:
            await scope.enter(connection)
        except BaseException:
            await finish(self.client._pool.release(connection))
            raise
        return connection


class ScopedLockedConnection(LockedConnection):
    """One statement of a transaction, in the scope of the code running it."""

    async def __aenter__(self) -> Any:
        connection = await super().__aenter__()
        try:
            await scope.enter(connection)
        except BaseException:
            self._lock.release()
            raise
        return connection


class _TransactionContext(TransactionContextPooled):
    async def __aenter__(self) -> Any:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        token = None
        try:
            token = get_connections().set(self.connection_name, self.client)
            await self.client.begin()
        except BaseException:
            if token is not None:
                get_connections().reset(token)
            # the pool rolls back whatever BEGIN left open
            await finish(pool.release(self.client._connection))
            raise
        self.token = token
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            committed = await settle(self.client, exc_type)
        finally:
            try:
                if self.client._parent._pool:
                    await finish(self.client._parent._pool.release(self.client._connection))
            finally:
                get_connections().reset(self.token)
        if committed:
            await run_after_commit(self.client)


class _TransactionWrapper(TransactionWrapper):
    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return ScopedLockedConnection(self._lock, self)

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            scope.forget_if_undone(self._connection)


class Client(NotesWrites, AsyncpgDBClient):
    connection_class = ScopedConnection

    async def create_pool(self, **kwargs: Any) -> _asyncpg.Pool:
        given = kwargs.pop("init", None)
        timed = metrics.enabled()

        async def init(connection: _asyncpg.Connection) -> None:
            if timed:
                connection.add_query_logger(_time_statement)
            if given is not None:
                await given(connection)

        return await _asyncpg.create_pool(None, reset=_keep_session, init=init, **kwargs)

    def acquire_connection(self) -> Any:
        return _ScopedPoolConnection(self, self._pool_init_lock)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_TransactionWrapper(self), self._pool_init_lock)


client_class = Client
