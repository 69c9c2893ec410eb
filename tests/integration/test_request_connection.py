"""One pool connection per request (`merchantops.dbengine.request`), on PostgreSQL.

Statements of a request's concurrent tasks share it, transactions run on it under its lock,
after-commit work runs once the lock is free, a cancelled request gives it back, and a task that
outlives the request takes connections of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tortoise import Tortoise, connections
from tortoise.transactions import in_transaction

from merchantops.api.graphql.core.loaders import by_id
from merchantops.dbengine import after_commit
from merchantops.dbengine.request import (
    RequestClient,
    current_request_client,
    own_connection,
    release_request_connection,
    request_connection,
)
from merchantops.prepared import PreparedSelect
from merchantops.tenants import sequences
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Tenant
from tests.conftest import Acquires, _opened
from tests.factories import make_shop

BY_SLUG = PreparedSelect(lambda slug: Tenant.filter(slug=slug).limit(1))


@pytest.fixture
async def warm_pool(pg_db: str) -> None:
    """PostgreSQL with its pool created."""
    await Tortoise.get_connection("default").execute_query("SELECT 1")


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[str]:
    async with _opened(sqlite_url) as url:
        yield url


def _pool() -> Any:
    return Tortoise.get_connection("default")._pool


async def _pid() -> int:
    _, rows = await connections.get("default").execute_query("SELECT pg_backend_pid() AS pid")
    return int(rows[0]["pid"])


async def _activity(query_like: str) -> int:
    """Backends (other than this statement's) running a statement like `query_like`."""
    client = Tortoise.get_connection("default")
    _, rows = await client.execute_query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE $1",
        [query_like],
    )
    return int(rows[0]["n"])


@pytest.mark.usefixtures("warm_pool")
async def test_statements_of_concurrent_tasks_in_a_request_share_one_connection(
    acquires: Acquires,
) -> None:
    # when
    acquires.pids.clear()
    async with request_connection() as bound:
        pids = await asyncio.gather(*(_pid() for _ in range(10)))

    # then
    assert isinstance(bound, RequestClient)
    assert len(set(pids)) == 1
    assert bound.acquires == 1
    assert acquires.pids == [pids[0]]
    assert _pool().get_idle_size() == _pool().get_size()


@pytest.mark.usefixtures("warm_pool")
async def test_transaction_in_a_request_commits_on_the_request_connection_then_after_commit_runs(
    acquires: Acquires,
) -> None:
    # given
    shop = await make_shop("acme")
    ran: list[tuple[int, bool]] = []

    async def callback() -> None:
        # after the commit, with the lock free: a statement and a transaction of its own
        async with in_transaction():
            ran.append((await _pid(), await Tenant.filter(name="Renamed").exists()))

    # when
    acquires.pids.clear()
    async with request_connection() as bound:
        before = await _pid()
        async with in_transaction():
            inside = await _pid()
            await Tenant.filter(id=shop.tenant.id).update(name="Renamed")
            async with in_transaction():  # a savepoint
                await after_commit("test", callback)
            assert ran == []
        after = await _pid()

    # then
    assert before == inside == after == ran[0][0]
    assert ran == [(before, True)]
    assert bound is not None
    assert bound.acquires == 1
    assert len(acquires.pids) == 1
    assert (await Tenant.get(id=shop.tenant.id)).name == "Renamed"


@pytest.mark.usefixtures("warm_pool")
async def test_transaction_in_a_request_failing_rolls_back_and_the_request_goes_on() -> None:
    # given
    shop = await make_shop("acme")
    ran: list[str] = []

    async def callback() -> None:
        ran.append("after commit")

    async def refused(update: dict[str, Any], *, register: bool) -> None:
        async with in_transaction():
            await Tenant.filter(id=shop.tenant.id).update(**update)
            if register:
                await after_commit("test", callback)
            raise RuntimeError("refused")

    # when
    async with request_connection() as bound:
        with pytest.raises(RuntimeError):
            await refused({"name": "Renamed"}, register=True)
        async with in_transaction():
            await Tenant.filter(id=shop.tenant.id).update(policy_version=7)
            with pytest.raises(RuntimeError):
                await refused({"name": "Inner"}, register=False)  # a savepoint, rolled back
        name = (await Tenant.get(id=shop.tenant.id)).name

    # then
    assert name == shop.tenant.name
    assert ran == []
    assert bound is not None
    assert bound.acquires == 1
    tenant = await Tenant.get(id=shop.tenant.id)
    assert (tenant.name, tenant.policy_version) == (shop.tenant.name, 7)


@pytest.mark.usefixtures("warm_pool")
async def test_task_outliving_the_request_uses_connections_of_its_own_afterwards(
    acquires: Acquires,
) -> None:
    # given: a task started in the request that runs its statements after the request ended
    shop = await make_shop("acme")
    go = asyncio.Event()

    async def late() -> tuple[int, str]:
        await go.wait()
        pid = await _pid()
        async with in_transaction():
            await Tenant.filter(id=shop.tenant.id).update(name="Late")
        return pid, (await Tenant.get(id=shop.tenant.id)).name

    acquires.pids.clear()
    async with request_connection() as bound:
        request_pid = await _pid()
        task = asyncio.create_task(late())
    assert bound is not None

    # when
    go.set()
    pid, name = await task

    # then: the late statements took pool connections, the request's stayed given back
    assert bound.ended
    assert bound.acquires == 1
    assert name == "Late"
    assert len(acquires.pids) == 1 + 3
    assert request_pid in acquires.pids
    assert pid in acquires.pids
    assert _pool().get_idle_size() == _pool().get_size()


@pytest.mark.usefixtures("warm_pool")
async def test_connection_released_early_is_back_in_the_pool_and_later_statements_still_run(
    acquires: Acquires,
) -> None:
    # given
    acquires.pids.clear()
    async with request_connection() as bound:
        await _pid()

        # when
        await release_request_connection()
        idle = _pool().get_idle_size()
        await _pid()
        async with in_transaction():
            await _pid()

    # then
    assert bound is not None
    assert bound.ended
    assert bound.acquires == 1
    assert idle == _pool().get_size()
    assert len(acquires.pids) == 3


@pytest.mark.usefixtures("warm_pool")
async def test_request_cancelled_mid_transaction_gives_its_connection_back_rolled_back() -> None:
    # given
    shop = await make_shop("acme")
    started = asyncio.Event()

    async def request() -> None:
        async with request_connection(), in_transaction():
            await Tenant.filter(id=shop.tenant.id).update(name="Never")
            started.set()
            await connections.get("default").execute_query("SELECT pg_sleep(30)")

    task = asyncio.create_task(request())
    await started.wait()
    await asyncio.sleep(0.2)

    # when
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # then
    assert _pool().get_idle_size() == _pool().get_size()
    assert await _activity("SELECT pg_sleep%") == 0
    assert (await Tenant.get(id=shop.tenant.id)).name == shop.tenant.name


@pytest.mark.usefixtures("warm_pool")
async def test_sequence_and_prepared_select_in_a_request_run_on_the_request_connection(
    acquires: Acquires,
) -> None:
    # given
    shop = await make_shop("acme")

    # when
    acquires.pids.clear()
    async with request_connection() as bound:
        with tenant_scope(shop.tenant.id):
            first = await sequences.next_value("test")
            [found] = await BY_SLUG.fetch("acme")
            async with in_transaction():
                second = await sequences.next_value("test")
                [inside] = await BY_SLUG.fetch("acme")
        pid = await _pid()

    # then
    assert (first, second) == (1, 2)
    assert found.id == inside.id == shop.tenant.id
    assert bound is not None
    assert bound.acquires == 1
    assert acquires.pids == [pid]


@pytest.mark.usefixtures("warm_pool")
async def test_own_connection_in_a_request_takes_the_pool_client() -> None:
    async with request_connection() as bound:
        async with in_transaction():
            with own_connection():
                detached = connections.get("default")
                detached_pid = await _pid()
            request_pid = await _pid()
        assert current_request_client() is bound

    assert bound is not None
    assert detached is bound.root
    assert detached_pid != request_pid


@pytest.mark.usefixtures("sqlite_db")
async def test_request_connection_on_sqlite_binds_nothing() -> None:
    client = connections.get("default")

    async with request_connection() as bound:
        inside = connections.get("default")

    assert bound is None
    assert inside is client


@pytest.mark.usefixtures("warm_pool")
async def test_dataloader_loaded_before_a_transaction_in_a_request_is_answered() -> None:
    # given
    acme, globex = (await make_shop("acme")).tenant, (await make_shop("globex")).tenant
    loader = by_id(Tenant)

    async def sibling() -> Tenant | None:
        return await loader.load(acme.id)

    async def mutation() -> Tenant | None:
        loaded = await loader.load(globex.id)  # before the transaction, as the rule says
        async with in_transaction():
            await Tenant.filter(id=globex.id).update(name="Renamed")
        return loaded

    # when
    async with request_connection():
        found = await asyncio.wait_for(asyncio.gather(sibling(), mutation()), timeout=10)

    # then
    assert [tenant.id for tenant in found if tenant is not None] == [acme.id, globex.id]


@pytest.mark.usefixtures("warm_pool")
async def test_dataloader_batch_started_inside_a_transaction_runs_on_the_transaction() -> None:
    acme = (await make_shop("acme")).tenant
    loader = by_id(Tenant)

    async with request_connection(), in_transaction():
        await Tenant.filter(id=acme.id).update(name="Uncommitted")
        loaded = await asyncio.wait_for(loader.load(acme.id), timeout=10)

    assert loaded is not None
    assert loaded.name == "Uncommitted"


@pytest.mark.usefixtures("warm_pool")
async def test_transaction_awaiting_a_batch_started_outside_it_waits_until_cancelled() -> None:
    """The rule of the module docstring, broken: a `load()` inside a transaction joins a batch
    that a sibling outside it started; the batch's statement waits for the transaction's lock,
    the transaction for the batch. Only cancellation (the request's time limit) ends it, and
    it leaves the connection and its lock usable."""
    # given
    acme, globex = (await make_shop("acme")).tenant, (await make_shop("globex")).tenant
    loader = by_id(Tenant)
    in_transaction_now = asyncio.Event()

    async def sibling() -> Tenant | None:
        await in_transaction_now.wait()
        return await loader.load(acme.id)  # the batch's first caller: outside the transaction

    async def mutation() -> Tenant | None:
        async with in_transaction():
            await Tenant.filter(id=globex.id).update(name="Renamed")
            in_transaction_now.set()
            await asyncio.sleep(0)  # the sibling starts the batch
            return await loader.load(globex.id)  # joins it: waits for a statement it blocks

    async with request_connection() as bound:
        # when
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.gather(sibling(), mutation()), timeout=1)
        after = await asyncio.wait_for(_pid(), timeout=5)

    # then
    assert after > 0
    assert bound is not None
    assert not bound._lock.locked()
    assert (await Tenant.get(id=globex.id)).name == globex.name
    assert _pool().get_idle_size() == _pool().get_size()
