"""One PostgreSQL connection per request.

`request_connection()` (entered by the GraphQL endpoint around authentication and execution)
binds, through tortoise's connection contextvar, a `RequestClient` for "default": every model,
queryset, `PreparedSelect`, `in_transaction()` and raw `acquire_connection()` of the request
finds it as tortoise finds a transaction's client. It takes one connection from the pool on its
first statement, runs all the request's statements on it and gives it back when the request
ends (even when the request is cancelled), or earlier, as soon as GraphQL execution is over
(`release_request_connection()`): one pool acquire per request instead of one per statement.
Row-level security's tenant scope is set on that connection as a statement needs it
(`merchantops.dbengine.scope`): once per request, unless the request changes scope.

- Statements of the request's concurrent tasks (resolvers, DataLoader batches) take turns on a
  lock of the client: asyncpg runs one statement at a time on a connection.
- A transaction (`in_transaction()`) runs on the same connection and holds that lock from
  `BEGIN` to `COMMIT`/`ROLLBACK`; nested ones are savepoints. Its `after_commit` callbacks run
  once it has released the lock. A transaction that cannot say in what state it left the
  connection (a `BEGIN`, `COMMIT` or `ROLLBACK` that failed or was cancelled) hands it back to
  the pool, which settles it, and the request's next statement takes a fresh one.
- When the request ends, statements still running finish first; then the connection goes back
  to the pool. A task that inherited the request's context and outlives it (`create_task`
  copies contextvars) still finds the client, which from then on behaves as the pool client: a
  connection of its own per statement or transaction, never the one given back. Jobs run
  in-process detach from the request at once (`own_connection()`, used by `tenants.jobs`),
  so a job does not queue behind the request, nor the request's end behind a job.
- SQLite has one connection anyway: there `request_connection()` does nothing.

The rule that follows, for code that runs in a request: **inside a transaction, never wait for
another task of the same request that needs the database.** That task's statements wait for
the lock the transaction holds; the transaction waits for the task: neither moves, until the
request's time limit cancels both. In particular:

- no DataLoader `load()` inside `in_transaction()`: strawberry runs a batch in a task whose
  context is copied from the batch's first `load()` caller, and that caller may be a sibling
  resolver outside the transaction (or the cached future of such a batch is returned). Load what
  the transaction needs before it starts, or query it inside with the models;
- no awaiting a task, future or lock that a task outside the transaction completes after a
  statement (a sibling resolver's result, a cache filled by another field).

Tasks started *inside* the transaction inherit its client and run on the transaction, so a
`gather` of the transaction's own work is fine, and so is `finish()`. Domain services follow the
rule by construction: they open transactions and know nothing of strawberry, and a mutation's
payload fields resolve after the service's transaction has ended.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from tortoise.backends.base.client import (
    BaseDBAsyncClient,
    ConnectionWrapper,
    NestedTransactionContext,
    TransactionalDBClient,
    TransactionContext,
)
from tortoise.connection import ConnectionHandler, get_connections
from tortoise.context import get_current_context

from merchantops.dbengine import finish, run_after_commit, scope, settle
from merchantops.dbengine.postgres import Client, _TransactionWrapper


class RequestClient(Client):
    """The pool client's stand-in for one request (see the module docstring)."""

    def __init__(self, pool_client: Client) -> None:
        # Not the parent's __init__: the settings and the pool are the pool client's.
        self.root = pool_client
        self.log = pool_client.log
        self.connection_name = pool_client.connection_name
        self.fetch_inserted = pool_client.fetch_inserted
        self._bound_loop = pool_client._bound_loop
        self._pool_init_lock = pool_client._pool_init_lock
        self._lock = asyncio.Lock()
        self._connection = None
        self.ended = False
        self.acquires = 0  # connections taken from the pool for the request itself

    @property
    def _pool(self) -> Any:
        return self.root._pool

    @_pool.setter
    def _pool(self, value: Any) -> None:
        self.root._pool = value

    async def create_connection(self, with_db: bool) -> None:
        await self.root.create_connection(with_db)

    async def close(self) -> None:
        await self.root.close()

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return _RequestConnection(self)

    def _in_transaction(self) -> TransactionContext:
        return _RequestTransaction(self)

    async def connect(self) -> Any:
        """The request's connection, taken from the pool the first time; hold the lock."""
        if self._connection is None:
            root = self.root
            if not root._pool:
                async with root._pool_init_lock:
                    if not root._pool:
                        await root.create_connection(with_db=True)
            pool: Any = root._pool
            self._connection = await pool.acquire()
            self.acquires += 1
        return self._connection

    async def discard(self) -> None:
        """Give the connection back for the pool to settle (its state is not known); hold the
        lock. The request's next statement takes another one."""
        connection, self._connection = self._connection, None
        if connection is not None and self.root._pool:
            await self.root._pool.release(connection)

    async def end(self) -> None:
        """The request is over: let running statements finish, give the connection back."""
        self.ended = True
        async with self._lock:
            await self.discard()


class _RequestConnection(ConnectionWrapper[Any]):
    """One statement: on the request's connection under its lock, or once the request has
    ended, on a pool connection of its own."""

    __slots__ = ("pooled", "request")

    def __init__(self, request: RequestClient) -> None:
        super().__init__(request._lock, request)
        self.request = request
        self.pooled: Any = None

    async def __aenter__(self) -> Any:
        request = self.request
        if not request.ended:
            await self._lock.acquire()
            try:
                if not request.ended:
                    self.connection = await request.connect()
                    await scope.enter(self.connection)
                    return self.connection
            except BaseException:
                self._lock.release()
                raise
            self._lock.release()
        self.pooled = request.root.acquire_connection()
        return await self.pooled.__aenter__()

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        pooled, self.pooled = self.pooled, None
        if pooled is not None:
            await pooled.__aexit__(exc_type, exc_val, exc_tb)
        else:
            self._lock.release()


class _RequestTransactionWrapper(_TransactionWrapper):
    """A transaction (or savepoint) on the request's connection. Once it is over, a task that
    inherited it runs its statements as the request client does, never on the bare
    connection beside another task's statement."""

    def __init__(self, outer: RequestClient | _RequestTransactionWrapper) -> None:
        super().__init__(outer)
        if isinstance(outer, _RequestTransactionWrapper):
            self._lock = outer._lock  # one statement at a time on the connection, at any depth

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        if self._finalized:
            return self._parent.acquire_connection()  # type: ignore[return-value]
        return super().acquire_connection()

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(_RequestTransactionWrapper(self))


class _RequestTransaction(TransactionContext):
    """`in_transaction()` on the request client: the whole transaction under its lock."""

    def __init__(self, request: RequestClient) -> None:
        self.request = request
        self.pooled: TransactionContext | None = None
        self.token: Any = None

    async def __aenter__(self) -> TransactionalDBClient:
        request = self.request
        if not request.ended:
            await request._lock.acquire()
            try:
                if not request.ended:
                    return await self._begin()
            except BaseException:
                request._lock.release()
                raise
            request._lock.release()
        self.pooled = request.root._in_transaction()
        return await self.pooled.__aenter__()

    async def _begin(self) -> TransactionalDBClient:
        request = self.request
        await request.connect()
        wrapper = _RequestTransactionWrapper(request)
        token = None
        try:
            token = get_connections().set(request.connection_name, wrapper)
            await wrapper.begin()
        except BaseException:
            if token is not None:
                get_connections().reset(token)
            # BEGIN may have run after the cancellation reached us: let the pool settle it
            await finish(request.discard())
            raise
        self.client = wrapper
        self.token = token
        return wrapper

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if self.pooled is not None:
            await self.pooled.__aexit__(exc_type, exc_val, exc_tb)
            return
        wrapper = self.client
        request = self.request
        try:
            try:
                committed = await settle(wrapper, exc_type)
            except BaseException:
                await finish(request.discard())
                raise
            if wrapper._connection.is_in_transaction():  # left open: the pool rolls it back
                await finish(request.discard())
        finally:
            wrapper._finalized = True
            get_connections().reset(self.token)
            request._lock.release()
        if committed:
            await run_after_commit(wrapper)


def _handler() -> ConnectionHandler | None:
    context = get_current_context()
    if context is None or context.connections._db_config is None:
        return None
    return context.connections


def current_request_client(name: str = "default") -> RequestClient | None:
    """The request client in context (under any transactions of it), if there is one."""
    handler = _handler()
    if handler is None:
        return None
    client: BaseDBAsyncClient | None = handler.get(name)
    while isinstance(client, TransactionalDBClient):
        client = getattr(client, "_parent", None)
    return client if isinstance(client, RequestClient) else None


@asynccontextmanager
async def request_connection(name: str = "default") -> AsyncIterator[RequestClient | None]:
    """Run the block with one connection of the pool for all its statements (PostgreSQL;
    nothing on SQLite, inside a transaction or inside another request connection)."""
    handler = _handler()
    client = handler.get(name) if handler is not None else None
    if handler is None or not isinstance(client, Client) or isinstance(client, RequestClient):
        yield None
        return
    bound = RequestClient(client)
    token = handler.set(name, bound)
    try:
        yield bound
    finally:
        try:
            await finish(bound.end())
        finally:
            handler.reset(token)


async def release_request_connection(name: str = "default") -> None:
    """Give the request's connection back before the request ends, once it has run its last
    statement (the GraphQL endpoint: when execution is over, before the answer is encoded and
    sent). Statements after that take their own connections, as after the request."""
    request = current_request_client(name)
    if request is not None and not request.ended:
        await finish(request.end())


@contextmanager
def own_connection(name: str = "default") -> Iterator[None]:
    """Run the block on the pool client when the context was inherited from a request: for
    work that runs beside or after the request that started it (a job run in-process)."""
    request = current_request_client(name)
    handler = _handler()
    if request is None or handler is None:
        yield
        return
    token = handler.set(name, request.root)
    try:
        yield
    finally:
        handler.reset(token)


__all__ = [
    "RequestClient",
    "current_request_client",
    "own_connection",
    "release_request_connection",
    "request_connection",
]
