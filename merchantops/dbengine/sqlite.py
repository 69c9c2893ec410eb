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

from merchantops.dbengine import finish, is_write, note_commit, run_after_commit, settle


class _ConnectionWrapper(ConnectionWrapper[Any]):
    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


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
        return _ConnectionWrapper(self._lock, self)


class Client(SqliteClient):
    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return _ConnectionWrapper(self._lock, self)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_TransactionWrapper(self), self._lock)

    async def execute_insert(self, query: str, values: list[Any]) -> int:
        result: int = await super().execute_insert(query, values)
        note_commit()
        return result

    async def execute_many(self, query: str, values: list[list[Any]]) -> None:
        await super().execute_many(query, values)
        note_commit()

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        result: tuple[int, list[dict[str, Any]]] = await super().execute_query(query, values)
        if is_write(query):
            note_commit()
        return result

    async def execute_script(self, query: str) -> None:
        await super().execute_script(query)
        note_commit()


client_class = Client
