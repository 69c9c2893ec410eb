"""tortoise's asyncpg client with transactions safe to cancel and no reset round trip on
release (see the package docstring)."""

from __future__ import annotations

from typing import Any

import asyncpg as _asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    ConnectionWrapper,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections

from merchantops.dbengine import LockedConnection, NotesWrites, finish, run_after_commit, settle


async def _keep_session(connection: _asyncpg.Connection) -> None:
    """asyncpg's pool calls this instead of `Connection.reset()`'s round trip; it has already
    rolled back any transaction left open (without a round trip when there is none)."""


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
        return LockedConnection(self._lock, self)


class Client(NotesWrites, AsyncpgDBClient):
    async def create_pool(self, **kwargs: Any) -> _asyncpg.Pool:
        return await _asyncpg.create_pool(None, reset=_keep_session, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_TransactionWrapper(self), self._pool_init_lock)


client_class = Client
