"""SLA timers on PostgreSQL: finding the tickets breaching within the next hour, next to a
one-SELECT floor, and breach timer jobs handled per second.

Builds a throwaway database with one tenant (a desk made through the services, as the tests
make it) and `--tickets` open tickets, each with a running FIRST_REPLY clock due between a day
ago and a week ahead (evenly spread) and a RESOLUTION clock due two days after it: one
template ticket made through the services, cloned in SQL. Then:

1. the query the API uses (`metrics.due_soon`: the tenant's running, unbreached clocks with
   `due_at` in the next hour, soonest first, through the ORM) timed next to the same SELECT sent
   as one plain asyncpg statement (the floor), with their ratio, and the floor's EXPLAIN
   (ANALYZE), which should show the `(tenant_id, due_at)` index;
2. `--jobs` breach timers of clocks already due run through `escalation.fire` (what the
   `support.sla_timer` job calls: ticket and clock locked, breach marked, event, audit,
   escalation to the team lead), one after the other and then by 2 concurrent workers, as jobs
   per second; then the same timers once more, all stale now (nothing to do), per second.

Prints figures; asserts no timings (it checks the breaches were counted once each).

    .venv/bin/python -m tests.bench.sla_timers                   # 100,000 tickets
    .venv/bin/python -m tests.bench.sla_timers --tickets 20000 --jobs 200
    .venv/bin/python -m tests.bench.sla_timers --smoke           # 500 tickets, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from merchantops.db import close_db, init_db, migrate_db
from merchantops.domain.support import escalation, metrics, tickets
from merchantops.domain.support.models import SlaClock
from merchantops.tenants.context import actor_scope, tenant_scope
from tests.bench.smoke import add_smoke_flag, parse_with_smoke
from tests.helpdesk import make_desk, ticket_spec

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
SPREAD = timedelta(days=8)  # due instants from a day ago to a week ahead
FLOOR = (
    "SELECT * FROM sla_clock WHERE tenant_id = $1 AND due_at >= $2 AND due_at < $3"
    " AND breached_at IS NULL ORDER BY due_at"
)


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://")


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(_pg(ADMIN_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _columns(connection: asyncpg.Connection, table: str) -> list[str]:
    rows = await connection.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
        " AND table_schema = current_schema() ORDER BY ordinal_position",
        table,
    )
    return [row["column_name"] for row in rows]


async def _template(now: datetime) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A desk and one open ticket made through the services: (tenant, ticket, its clock)."""
    desk = await make_desk("bench")
    with tenant_scope(desk.shop.tenant.id), actor_scope("system"):
        ticket = (await tickets.create_ticket(ticket_spec(desk), now=now)).ticket
        clock = await SlaClock.get(ticket_id=ticket.id)
    return desk.shop.tenant.id, ticket.id, clock.id


async def _clone(url: str, count: int, now: datetime) -> uuid.UUID:
    """`count` tickets like the template (the template among them), two clocks each."""
    tenant, ticket, clock = await _template(now)
    connection = await asyncpg.connect(_pg(url))
    try:
        columns = await _columns(connection, "ticket")
        made = {"id": "gen_random_uuid()", "number": "n + 1", "idempotency_key": "NULL"}
        select = ", ".join(made.get(c, f't."{c}"') for c in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        await connection.execute(
            f"INSERT INTO ticket ({names}) SELECT {select} FROM ticket t,"
            " generate_series(1, $2::int - 1) n WHERE t.id = $1",
            ticket,
            count,
        )
        columns = await _columns(connection, "sla_clock")
        for target, offset in (("FIRST_REPLY", timedelta(0)), ("RESOLUTION", timedelta(days=2))):
            due = "$3::timestamptz + (t.number - 1) * ($4::float8 / $5::int) * interval '1 second'"
            made = {
                "id": "gen_random_uuid()",
                "ticket_id": "t.id",
                "target": f"'{target}'",
                "due_at": due,
                "warn_at": f"{due} - interval '1 hour'",
            }
            select = ", ".join(made.get(c, f'c."{c}"') for c in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            await connection.execute(
                f"INSERT INTO sla_clock ({names}) SELECT {select}"
                " FROM ticket t CROSS JOIN sla_clock c"
                " WHERE c.id = $1 AND t.tenant_id = $2 AND t.id <> c.ticket_id",
                clock,
                tenant,
                now - timedelta(days=1) + offset,
                SPREAD.total_seconds(),
                count,
            )
        await connection.execute(
            "UPDATE sla_clock SET due_at = $2::timestamptz,"
            " warn_at = $2::timestamptz - interval '1 hour' WHERE id = $1",
            clock,
            now - timedelta(days=1),
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return tenant


async def _timed(runs: int, action: Callable[[], Awaitable[Any]]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return times


async def _fire_all(
    tenant: uuid.UUID, timers: list[tuple[uuid.UUID, int]], now: datetime, workers: int
) -> tuple[float, Counter[str]]:
    outcomes: Counter[str] = Counter()
    queue = iter(timers)

    async def worker() -> None:
        with tenant_scope(tenant), actor_scope("system"):
            for clock_id, version in queue:
                outcomes[await escalation.fire(clock_id, version, "breach", now)] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - started, outcomes


async def main(count: int, jobs: int, runs: int) -> None:
    name = f"merchantops_bench_sla_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        await migrate_db(url)
        await init_db(url)
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        tenant = await _clone(url, count, now)
        print(f"seeded {count:,} open tickets and {2 * count:,} clocks "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

        # 1. breaching within the next hour: the API's query next to one plain SELECT
        floor_connection = await asyncpg.connect(_pg(url))
        try:
            window = (tenant, now, now + timedelta(hours=1))
            with tenant_scope(tenant):
                found = await metrics.due_soon(now)
                ours = await _timed(runs, lambda: metrics.due_soon(now))
            floor_rows = await floor_connection.fetch(FLOOR, *window)
            floor = await _timed(runs, lambda: floor_connection.fetch(FLOOR, *window))
            assert [row.id for row in found] == [row["id"] for row in floor_rows]
            plan = await floor_connection.fetch("EXPLAIN (ANALYZE, COSTS OFF) " + FLOOR, *window)
        finally:
            await floor_connection.close()
        ours_s, floor_s = statistics.median(ours), statistics.median(floor)
        print(f"breaching within the next hour: {len(found):,} clocks of {2 * count:,}")
        print(f"  API query (metrics.due_soon, ORM): median {ours_s * 1000:8.2f} ms")
        print(f"  floor (one asyncpg SELECT):        median {floor_s * 1000:8.2f} ms")
        print(f"  ratio API / floor: {ours_s / floor_s:.2f}  ({runs} runs each)")
        print("  floor's plan:")
        for row in plan:
            print(f"    {row[0]}")
        if not any("Index" in row[0] for row in plan):
            print("  (no index scan in the plan)")

        # 2. breach timers of clocks already due, one worker then two
        with tenant_scope(tenant):
            due = await SlaClock.filter(
                due_at__lte=now, breached_at__isnull=True, target="FIRST_REPLY"
            ).order_by("due_at").limit(2 * jobs).values_list("id", "version")  # fmt: skip
        timers = [(clock_id, version) for clock_id, version in due]
        one, two = timers[: len(timers) // 2], timers[len(timers) // 2 :]
        for label, batch, workers in (("1 worker ", one, 1), ("2 workers", two, 2)):
            seconds, outcomes = await _fire_all(tenant, batch, now, workers)
            assert outcomes["breached"] == len(batch), outcomes
            print(f"breach timers, {label}: {len(batch):,} in {seconds:.2f} s = "
                  f"{len(batch) / seconds:,.0f} jobs/s ({dict(outcomes)})")  # fmt: skip
        seconds, outcomes = await _fire_all(tenant, timers, now, 2)
        assert outcomes["stale"] == len(timers), outcomes
        print(f"the same timers again (stale), 2 workers: {len(timers):,} in {seconds:.2f} s = "
              f"{len(timers) / seconds:,.0f} jobs/s")  # fmt: skip
    finally:
        await close_db()
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so the throwaway database is still dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=500, help="breach timers per worker setup")
    parser.add_argument("--runs", type=int, default=5)
    add_smoke_flag(parser, tickets=500, jobs=20, runs=1)
    arguments = parse_with_smoke(parser)
    asyncio.run(main(arguments.tickets, arguments.jobs, arguments.runs))
