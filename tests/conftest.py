"""Shared fixtures: a real database per backend, the app, and GraphQL helpers.

Database tests take the `db` fixture and run once on SQLite and once on PostgreSQL
(127.0.0.1:5432, or TEST_POSTGRES_URL). Without a reachable PostgreSQL the PostgreSQL runs are
skipped, except under CI=true, where they fail. Tests on the shared Redis (127.0.0.1:6379, or
TEST_REDIS_URL) take `redis_db_url`: a database number this run has claimed, so two runs on one
machine never share one; the same skip-or-fail rule applies.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from redis import Redis
from redis.exceptions import RedisError
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from merchantops import bootstrap
from merchantops.api.app import create_app
from merchantops.db import close_db, init_db, migrate_db
from merchantops.settings import Environment, Settings
from merchantops.tenants.secrets import hash_password
from merchantops.workers.embedding import Background, in_process
from merchantops.workers.inprocess import InProcessQueue
from tests.support.app_role import application_role

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_SERVER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
T = TypeVar("T")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256"


@pytest.fixture(autouse=True, scope="session")
def wired() -> None:
    """What a process gets when it opens the database (`db.init_db`): the areas' event types,
    approval handlers and facts, for the tests that use them without a database."""
    bootstrap.wire()


@pytest.fixture(autouse=True, scope="session")
def _passwords_hashed_once() -> Iterator[None]:
    """argon2id with production's parameters takes 0.1-0.3 s a hash on a test machine, and the
    tests make thousands of users with a handful of passwords: each password is hashed once a
    run, and the users given it share that hash (and its salt). A sign-in still verifies the
    password against a real argon2id hash."""
    hashed: dict[str, str] = {}

    def hash_once(password: str) -> str:
        if password not in hashed:
            hashed[password] = hash_password(password)
        return hashed[password]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("merchantops.tenants.admin.hash_password", hash_once)
        yield


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run set-up work to completion from sync or async fixtures alike, on its own loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _postgres_base() -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0]


async def _postgres_admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _postgres_available() -> str | None:
    try:
        _run(_postgres_admin("SELECT 1"))
    except (OSError, asyncpg.PostgresError) as error:
        return repr(error)
    return None


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "merchantops.sqlite3"
    url = f"sqlite://{path}"
    _run(migrate_db(url))
    return url


app_url: dict[str, str] = {}


@pytest.fixture(scope="session")
def postgres_owner_url() -> Iterator[str]:
    """This run's PostgreSQL database, migrated, as the owner of its tables (a superuser)."""
    problem = _postgres_available()
    if problem is not None:
        _unreachable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {problem}")
    name = f"merchantops_test_{uuid.uuid4().hex[:12]}"
    _run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    url = f"{_postgres_base()}/{name}"
    _run(migrate_db(url))
    app_url[url] = _run(application_role(url, truncate=True))
    yield url
    _run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_url(postgres_owner_url: str) -> str:
    """The same database as the application role: every PostgreSQL test runs under row-level
    security, as production does."""
    return app_url[postgres_owner_url]


def _unreachable(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# A claim lives in database 0 of the shared Redis as `<prefix><n> = <run token>`; it expires
# unless refreshed, so a run that was killed frees its database within CLAIM_SECONDS.
CLAIM_PREFIX = "merchantops:test-run:db:"
CLAIM_SECONDS = 120
_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call"
_RELEASE = _IF_MINE + "('del', KEYS[1]) end"
_REFRESH = _IF_MINE + "('expire', KEYS[1], ARGV[2]) end"


def _with_db(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="session")
def redis_db_url() -> Iterator[str]:
    """A database (1-15) of the shared test Redis that this run alone uses, emptied first."""
    admin = Redis.from_url(_with_db(REDIS_SERVER_URL, 0), socket_connect_timeout=1)
    token = uuid.uuid4().hex
    try:
        claimed = next(
            (
                number
                for number in range(1, 16)
                if admin.set(f"{CLAIM_PREFIX}{number}", token, nx=True, ex=CLAIM_SECONDS)
            ),
            None,
        )
    except (RedisError, OSError) as error:
        admin.close()
        _unreachable(f"Redis is not reachable at {REDIS_SERVER_URL}: {error!r}")
    if claimed is None:
        admin.close()
        pytest.fail(f"every database of {REDIS_SERVER_URL} is claimed by another test run")
    key = f"{CLAIM_PREFIX}{claimed}"
    stop = threading.Event()

    def refresh() -> None:
        while not stop.wait(CLAIM_SECONDS / 4):
            try:
                admin.eval(_REFRESH, 1, key, token, str(CLAIM_SECONDS))
            except (RedisError, OSError):
                continue  # the next refresh tries again, well before the claim expires

    refresher = threading.Thread(target=refresh, name="redis-claim", daemon=True)
    refresher.start()
    url = _with_db(REDIS_SERVER_URL, claimed)
    mine = Redis.from_url(url, socket_connect_timeout=1)
    mine.flushdb()
    mine.close()
    try:
        yield url
    finally:
        stop.set()
        refresher.join()
        admin.eval(_RELEASE, 1, key, token)
        admin.close()


# Children before parents: the order `_truncate_all` deletes PostgreSQL's tables in, by database.
_deletion_orders: dict[str, list[str] | None] = {}
_FOREIGN_KEYS = """
SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
"""


async def _deletion_order(connection: Any, url: str, tables: list[str]) -> list[str] | None:
    """`tables`, each after every table whose foreign keys reference it (None: a cycle)."""
    if url not in _deletion_orders:
        _, rows = await connection.execute_query(_FOREIGN_KEYS)
        edges = {(row["child"].strip('"'), row["parent"].strip('"')) for row in rows}
        order: list[str] | None = []
        remaining = set(tables)
        while remaining and order is not None:
            referenced = {parent for child, parent in edges if child in remaining - {parent}}
            leaves = sorted(remaining - referenced)
            order = order + leaves if leaves else None
            remaining -= set(leaves)
        _deletion_orders[url] = order
    return _deletion_orders[url]


async def _truncate_all(url: str) -> None:
    connection = Tortoise.get_connection("default")
    tables = [model._meta.db_table for model in Tortoise.apps["merchantops"].values()]
    if connection.capabilities.dialect == "postgres":
        # DELETE, children first, in every tenant's scope: on the few rows a test leaves it
        # takes milliseconds, where TRUNCATE makes new files for every table and index
        # (0.3-1 s a test on a busy machine).
        order = await _deletion_order(connection, url, tables)
        if order is not None:
            script = "".join(f'DELETE FROM "{table}";' for table in order)
            async with connection.acquire_connection() as raw, raw.transaction():
                await raw.execute("SET LOCAL merchantops.all_tenants = 'on';" + script)
            return
        await connection.execute_script(
            "TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " CASCADE"
        )
    else:
        await connection.execute_script(
            "PRAGMA foreign_keys = OFF;"
            + "".join(f'DELETE FROM "{table}";' for table in tables)
            + "PRAGMA foreign_keys = ON;"
        )


@asynccontextmanager
async def _opened(url: str) -> AsyncIterator[str]:
    # tortoise caches compiled INSERT/DELETE SQL per table name, not per dialect; both backends
    # share this process, so start each test from an empty cache.
    EXECUTOR_CACHE.clear()
    await init_db(url)
    await _truncate_all(url)
    try:
        yield url
    finally:
        await close_db()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """An empty, migrated database of each backend, with the ORM initialised on it."""
    async with _opened(request.getfixturevalue(f"{request.param}_url")) as url:
        yield url


@pytest.fixture
async def pg_db(postgres_url: str) -> AsyncIterator[str]:
    """Like `db`, PostgreSQL only: for tests where several processes share the database."""
    async with _opened(postgres_url) as url:
        yield url


def make_settings(db_url: str, **overrides: Any) -> Settings:
    return Settings(
        environment=Environment.TEST,
        database_url=db_url,
        secret_key=TEST_SECRET,
        job_retry_base_seconds=0.01,
        webhook_allow_private_targets=True,
        # tests fire requests faster than any client would; the throttle has its own tests
        **{"throttle_capacity": 1_000_000, **overrides},
    )


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db)


@pytest.fixture
async def jobs(settings: Settings) -> AsyncIterator[InProcessQueue]:
    """The in-process job queue the test app uses; `await jobs.drain()` waits for its work."""
    queue = in_process(settings)
    yield queue
    await queue.close()


@pytest.fixture
async def client(settings: Settings, jobs: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_db=False, background=Background(queue=jobs))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class GraphQLClient:
    """Posts GraphQL as a merchant front end would; keeps the headers of who it acts as."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        tenant: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if tenant is not None:
            sent["X-Tenant"] = tenant
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
        )

    async def execute(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        response = await self.post(query, variables, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    async def login(self, email: str, password: str) -> dict[str, Any]:
        body = await self.execute(LOGIN, {"email": email, "password": password})
        payload: dict[str, Any] = body["data"]["login"]
        assert payload["errors"] == [], payload
        session: dict[str, Any] = payload["session"]
        return session


LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) {
    session { accessToken refreshToken accessTokenExpiresAt user { email } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


class Acquires:
    """Every connection taken from the pool: the server pid of each."""

    def __init__(self) -> None:
        self.pids: list[int] = []


@pytest.fixture
def acquires() -> Iterator[Acquires]:
    """The server pid of every connection taken from the pool while the test runs (its own
    monkeypatch: `counting_statements` undoes the test's)."""
    seen = Acquires()
    original = asyncpg.pool.Pool._acquire

    async def counted(self: Any, *args: Any) -> Any:
        proxy = await original(self, *args)
        seen.pids.append(proxy.get_server_pid())
        return proxy

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(asyncpg.pool.Pool, "_acquire", counted)
        yield seen
