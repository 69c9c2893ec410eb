"""tortoise's SQLite client with transactions safe to cancel (see the package docstring)."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import ConnectionWrapper, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections

from merchantops.dbengine import LockedConnection, NotesWrites, finish, run_after_commit, settle


class _TransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> Any:
        await self._trxlock.acquire()
        token = None
        try:
            await self.ensure_connection()
            token = get_connections().set(self.connection_name, self.connection)
            await self.connection.begin()
        except BaseException:
            # BEGIN may have run in aiosqlite's thread after the cancellation reached us
            if self.connection._connection is not None:
                await finish(self.connection._connection.rollback())
            if token is not None:
                get_connections().reset(token)
            self._trxlock.release()
            raise
        self.token = token
        return self.connection

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            committed = await settle(self.connection, exc_type)
        finally:
            get_connections().reset(self.token)
            self._trxlock.release()
        if committed:
            await run_after_commit(self.connection)


class _TransactionWrapper(SqliteTransactionWrapper):
    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return LockedConnection(self._lock, self)


class Client(NotesWrites, SqliteClient):
    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return LockedConnection(self._lock, self)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_TransactionWrapper(self), self._lock)


client_class = Client
