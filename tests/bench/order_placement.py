"""Order placement: 5-line orders through the GraphQL API next to the floor of plain INSERTs.

Run: .venv/bin/python -m tests.bench.order_placement [--orders 400] [--concurrency 4]
     .venv/bin/python -m tests.bench.order_placement --smoke     # tiny, seconds

Creates a throwaway PostgreSQL database (TEST_POSTGRES_URL's server), migrates it, seeds one
onboarded tenant (standard rule sets, each area's defaults: order settings, tax categories)
with `--skus` SKUs priced 9.90, one warehouse and one lot per SKU holding more units than the
run can take, so that nothing runs out. The app (`merchantops.api.app:create_app`, production
posture, limits on, rate limiter raised, jobs in-process) is driven in this process through
`httpx.ASGITransport` (no sockets), logged in as the tenant's owner (`X-Tenant`), as the
superuser that owns the tables (row-level security's policies skipped, as in the floor).

1. SQL statements per placement for 1, 5 and 20 lines (warm caches): every round trip to
   PostgreSQL the driver makes (BEGIN, SAVEPOINT, RELEASE, COMMIT and the order number's
   upsert included), every statement through the ORM, and what `tests/support/sql_count.py`
   sees (it wraps the default connection's class, which statements inside a transaction do
   not go through), for the whole request and for `place_order` alone, with the slope per
   extra line and the statements whose count grows with the lines (`--show-sql`: all of them).
2. What one 5-line placement writes: rows inserted and updated per table (every table read
   before and after it).
3. Ours: `--sequential` 5-line orders by one client (time per request, and per `place_order`
   call), then `--orders` 5-line orders by `--concurrency` clients (orders/s, p50, p95). Each
   order takes 5 random SKUs, 1-3 units each, its own idempotency key and shipping address.
4. The floor: the rows of step 2 written again (new ids, 5 other random SKUs with their lots
   and levels) by plain asyncpg statements in one transaction: the order number's upsert, one
   multi-row INSERT per table, one UPDATE of the stock levels. Timed the same ways (one
   connection, then `--concurrency` connections); the ratios ours / floor are printed.

Client, app and PostgreSQL share the machine's cores: compare the ratios, not the absolutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx

from tests.bench.smoke import add_smoke_flag, parse_with_smoke

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"
EMAIL, PASSWORD, SLUG = "owner@bench.example", "bench-password-123", "bench"
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id number status } replayed errors { field code message } } }"""
LOGIN = """mutation($email: String!, $password: String!) { login(input: {email: $email,
  password: $password}) { session { accessToken } errors { code message } } }"""
ORM_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")
DRIVER_METHODS = ("execute", "executemany", "fetch", "fetchval", "fetchrow")
LINE_COUNTS = (1, 5, 20)


def pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://")


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(pg(ADMIN_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


# --- seeding -----------------------------------------------------------------------------------


async def seed(db_url: str, skus: int, units: int) -> tuple[str, list[uuid.UUID]]:
    """Migrate; one onboarded tenant with `skus` SKUs of `units` units each in WH1."""
    from merchantops.db import close_db, init_db, migrate_db
    from merchantops.domain.catalog.models import Sku
    from merchantops.domain.onboarding import service as onboarding
    from merchantops.tenants import admin
    from merchantops.tenants.context import tenant_scope
    from tests.inventory import make_site, make_sku, receive

    await migrate_db(db_url)
    await init_db(db_url)
    try:
        await admin.create_user(EMAIL, PASSWORD)
        created = await onboarding.create_tenant(
            SLUG, "Bench Shop", EMAIL, invitation_ttl=timedelta(days=1)
        )
        tenant_id = created.tenant.id
        with tenant_scope(tenant_id):
            site = await make_site("WH1")
            made = [await make_sku(f"SKU-{index:03d}") for index in range(skus)]
            await Sku.filter(id__in=[sku.id for sku in made]).update(price=Decimal("9.90"))
            for sku in made:
                await receive(sku, site.main, units)
        return str(tenant_id), [sku.id for sku in made]
    finally:
        await close_db()


# --- counting statements -----------------------------------------------------------------------


class Seen:
    def __init__(self) -> None:
        self.orm: list[str] = []
        self.default_class: list[str] = []
        self.driver: list[str] = []
        self.domain: dict[str, tuple[int, int]] = {}  # level -> (start, end) of place_order


@contextmanager
def counting(seen: Seen) -> Iterator[None]:
    """Every statement through the ORM's connection class and the driver's connection class,
    and which of them `place_order` sent (the same wrapping as tests/support/sql_count.py)."""
    from tortoise import Tortoise

    from merchantops.domain.orders import placement

    patched: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, into: list[str]) -> None:
        original = getattr(owner, name)
        own = vars(owner).get(name)  # None: inherited, deleted again afterwards

        async def run(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            into.append(query)
            return await original(self, query, *args, **kwargs)

        patched.append((owner, name, own))
        setattr(owner, name, run)

    from tortoise.backends.asyncpg.client import AsyncpgDBClient

    for name in ORM_METHODS:
        # where tortoise defines it: every client class (transactions' included) ends there
        base = next(k for k in AsyncpgDBClient.__mro__ if name in vars(k))
        wrap(base, name, seen.orm)
        # what tests/support/sql_count.py wraps: the default connection's class only
        wrap(type(Tortoise.get_connection("default")), name, seen.default_class)
    for name in DRIVER_METHODS:
        wrap(asyncpg.connection.Connection, name, seen.driver)
    place_order = placement.place_order

    async def marked(*args: Any, **kwargs: Any) -> Any:
        starts = len(seen.orm), len(seen.driver)
        try:
            return await place_order(*args, **kwargs)
        finally:
            seen.domain["orm"] = (starts[0], len(seen.orm))
            seen.domain["driver"] = (starts[1], len(seen.driver))

    patched.append((placement, "place_order", place_order))
    placement.place_order = marked
    try:
        yield
    finally:
        for owner, name, own in reversed(patched):
            if own is None:
                delattr(owner, name)
            else:
                setattr(owner, name, own)


@contextmanager
def timing_place_order(durations: list[float]) -> Iterator[None]:
    """How long each `place_order` call (the domain, without the API around it) takes."""
    from merchantops.domain.orders import placement

    place_order = placement.place_order

    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await place_order(*args, **kwargs)
        finally:
            durations.append(time.perf_counter() - started)

    placement.place_order = timed
    try:
        yield
    finally:
        placement.place_order = place_order


def shape(statement: str) -> str:
    """A statement without its literal values: what repeats per line looks the same."""
    text = " ".join(statement.split())
    text = re.sub(r"'[^']*'", "'?'", text)
    text = re.sub(r"__asyncpg_savepoint_\w+__", "?", text)
    text = re.sub(r"\$\d+", "?", text)
    text = re.sub(r"\?(\s*,\s*\?)+", "?", text)  # IN lists, a row's values
    text = re.sub(r"\(\?\)(\s*,\s*\(\?\))+", "(?)", text)  # rows of a multi-row INSERT
    text = re.sub(r"(WHEN \"id\"=\? THEN (CAST\(\? AS \w+\)|\?) ?)+", "WHEN ... ", text)
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f-]{27}\b", "?", text)
    return text[:140]


# --- the API client ----------------------------------------------------------------------------


class Client:
    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], skus: list[str]) -> None:
        self.http, self.headers, self.skus = http, headers, skus
        self.random = random.Random(7)

    def order(self, lines: int) -> dict[str, Any]:
        tag = uuid.uuid4().hex
        return {
            "lines": [
                {"skuId": sku, "quantity": self.random.randint(1, 3)}
                for sku in self.random.sample(self.skus, lines)
            ],
            "idempotencyKey": f"bench-{tag}",
            "shippingAddress": {
                "recipient": "Li Wei",
                "line1": f"{self.random.randint(1, 10**6)} Nanjing Road {tag[:6]}",
                "city": "Shanghai",
                "country": "CN",
            },
            "shipping": "5.00",
            "email": "li.wei@example.com",
        }

    async def place(self, lines: int) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": PLACE, "variables": {"input": self.order(lines)}},
            headers=self.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        answer: dict[str, Any] = body["data"]["placeOrder"]
        assert answer["errors"] == [], answer
        order: dict[str, Any] = answer["order"]
        return order


def quantiles(values: list[float]) -> tuple[float, float, float]:
    """(mean, p50, p95) in milliseconds."""
    if len(values) < 2:
        return values[0] * 1000, values[0] * 1000, values[0] * 1000
    cuts = statistics.quantiles(values, n=20)
    return statistics.fmean(values) * 1000, statistics.median(values) * 1000, cuts[18] * 1000


async def ours(db_url: str, args: argparse.Namespace, sku_ids: list[uuid.UUID]) -> dict[str, Any]:
    """Statements per placement, the rows of one, then the timed placements."""
    from merchantops.api.app import create_app
    from merchantops.db import close_db, init_db
    from merchantops.settings import Settings
    from merchantops.tenants.global_ids import global_id
    from merchantops.workers.embedding import Background, in_process

    settings = Settings(
        environment="production", database_url=db_url, secret_key=SECRET, redis_url="",
        throttle_capacity=10**9, throttle_leak_per_second=10**9,
    )  # fmt: skip
    await init_db(db_url)
    queue = in_process(settings)
    app = create_app(settings, manage_db=False, background=Background(queue=queue))
    result: dict[str, Any] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            login = await http.post(
                "/graphql",
                json={"query": LOGIN, "variables": {"email": EMAIL, "password": PASSWORD}},
            )
            token = login.json()["data"]["login"]["session"]["accessToken"]
            headers = {"Authorization": f"Bearer {token}", "X-Tenant": SLUG}
            skus = [global_id("Sku", sku) for sku in sku_ids]

            def client() -> Client:
                return Client(http, headers, skus)

            one = client()
            for lines in LINE_COUNTS:  # warm-up: caches, prepared statements
                await one.place(lines)
                await one.place(lines)
            result["statements"] = await statements(one, args.show_sql)
            result["rows"] = await rows_of_one(db_url, one)

            durations: list[float] = []
            domain: list[float] = []
            cpu = time.process_time()
            with timing_place_order(domain):
                for _ in range(args.sequential):
                    started = time.perf_counter()
                    await one.place(5)
                    durations.append(time.perf_counter() - started)
            cpu = (time.process_time() - cpu) / max(args.sequential, 1)
            result["sequential"] = durations, domain, cpu

            latencies: list[float] = []
            statuses: Counter[str] = Counter()
            todo = iter(range(args.orders))

            async def worker(me: Client) -> None:
                for _ in todo:
                    started = time.perf_counter()
                    order = await me.place(5)
                    latencies.append(time.perf_counter() - started)
                    statuses[order["status"]] += 1

            waits: Counter[tuple[str, str]] = Counter()
            done = asyncio.Event()
            sampler = asyncio.create_task(
                sample_waits(db_url, waits, done) if args.sample_waits else done.wait()
            )
            started = time.perf_counter()
            await asyncio.gather(*(worker(client()) for _ in range(args.concurrency)))
            elapsed = time.perf_counter() - started
            done.set()
            await sampler
            result["concurrent"] = latencies, elapsed, statuses
            result["waits"] = waits
    finally:
        await queue.close()
        await close_db()
    return result


async def sample_waits(db_url: str, waits: Counter[tuple[str, str]], done: asyncio.Event) -> None:
    """What the placements' backends are doing, sampled every 20 ms: (wait, statement); an
    idle transaction (holding its locks) waits on the app, its statement is its last one."""
    connection = await asyncpg.connect(pg(db_url))
    try:
        while not done.is_set():
            for row in await connection.fetch(
                "SELECT CASE WHEN state <> 'active' THEN state "
                "ELSE coalesce(wait_event_type || ':' || wait_event, 'on CPU') END AS wait, query "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()"
            ):
                waits[(row["wait"], shape(row["query"])[:90])] += 1
            await asyncio.sleep(0.02)
    finally:
        await connection.close()


async def statements(one: Client, show_sql: bool) -> dict[int, dict[str, list[str]]]:
    counted: dict[int, dict[str, list[str]]] = {}
    for lines in LINE_COUNTS:
        seen = Seen()
        with counting(seen):
            await one.place(lines)
        counted[lines] = {
            "orm": seen.orm,
            "sql_count": seen.default_class,
            "driver": seen.driver,
            "domain_orm": seen.orm[slice(*seen.domain["orm"])],
            "domain_driver": seen.driver[slice(*seen.domain["driver"])],
        }
        if show_sql and lines in (1, 5):
            print(f"Statements of one {lines}-line placement (round trips, in order):")
            for statement in seen.driver:
                print(f"    {' '.join(statement.split())[:150]}")
            print()
    return counted


async def snapshot(db_url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table, by id (by its values where it has no id)."""
    connection = await asyncpg.connect(pg(db_url))
    try:
        tables = [
            r["tablename"]
            for r in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        rows: dict[str, dict[Any, dict[str, Any]]] = {}
        for table in tables:
            found = [dict(row) for row in await connection.fetch(f'SELECT * FROM "{table}"')]
            rows[table] = {row.get("id", tuple(map(str, row.values()))): row for row in found}
        return rows
    finally:
        await connection.close()


class Written:
    """What one placement wrote: rows inserted, and (before, after) of rows updated, per table."""

    def __init__(self) -> None:
        self.inserted: dict[str, list[dict[str, Any]]] = {}
        self.updated: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}


async def rows_of_one(db_url: str, one: Client) -> Written:
    """The rows one 5-line placement writes: every table read before and after it."""
    before = await snapshot(db_url)
    await one.place(5)
    after = await snapshot(db_url)
    written = Written()
    for table, rows in after.items():
        old = before.get(table, {})
        new = [row for key, row in rows.items() if key not in old]
        changed = [(old[key], row) for key, row in rows.items() if key in old and old[key] != row]
        if new:
            written.inserted[table] = new
        if changed:
            written.updated[table] = changed
    return written


# --- the floor ---------------------------------------------------------------------------------


class Floor:
    """One placement's rows written again, new ids, with plain statements in one transaction:
    the order number's upsert, one multi-row INSERT per table, one UPDATE of the stock levels.
    Each order takes its own random SKUs (their lots and levels), as ours do."""

    def __init__(self, tenant_id: str, written: Written) -> None:
        self.tenant_id = uuid.UUID(tenant_id)
        self.rows = written.inserted
        unexpected = set(written.updated) - {"stock_level", "tenant_counter"}
        assert not unexpected, f"the floor updates stock levels only, not {unexpected}"
        self.levels = written.updated["stock_level"]
        self.tables: list[str] = []
        self.columns: dict[str, list[str]] = {}
        self.unique: dict[str, list[str]] = {}
        self.stock: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = []  # (sku, lot, level)
        self.next_seq = 0
        self.random = random.Random(11)

    async def prepare(self, db_url: str) -> None:
        from merchantops.tenants.sequences import UPSERT

        self.upsert = UPSERT.format(p1="$1", p2="$2")
        connection = await asyncpg.connect(pg(db_url))
        try:
            for table in self.rows:
                self.columns[table] = [
                    r["column_name"]
                    for r in await connection.fetch(
                        "SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                        table,
                    )
                ]
                # unique columns that are no ids: the order number, idempotency key, audit seq
                self.unique[table] = [
                    r["attname"]
                    for r in await connection.fetch(
                        "SELECT DISTINCT a.attname FROM pg_index i JOIN pg_attribute a ON "
                        "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                        "WHERE i.indrelid = $1::regclass AND i.indisunique AND NOT i.indisprimary",
                        f'"{table}"',
                    )
                ]
            self.tables = await self._in_key_order(connection)
            for table in self.tables:  # serial ids (audit entries, order events): the default
                if not isinstance(self.rows[table][0].get("id"), uuid.UUID):
                    self.columns[table] = [c for c in self.columns[table] if c != "id"]
            self.next_seq = 1 + (
                await connection.fetchval("SELECT coalesce(max(seq), 0) FROM audit_entry") or 0
            )
            self.stock = [
                (r["sku_id"], r["lot_id"], r["id"])
                for r in await connection.fetch("SELECT sku_id, lot_id, id FROM stock_level")
            ]
        finally:
            await connection.close()

    async def _in_key_order(self, connection: asyncpg.Connection) -> list[str]:
        """The inserted tables, referenced ones first."""
        edges = await connection.fetch(
            "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent "
            "FROM pg_constraint WHERE contype = 'f'"
        )
        parents: dict[str, set[str]] = defaultdict(set)
        for edge in edges:
            child, parent = edge["child"].strip('"'), edge["parent"].strip('"')
            if child in self.rows and parent in self.rows and child != parent:
                parents[child].add(parent)
        ordered: list[str] = []
        while len(ordered) < len(self.rows):
            for table in sorted(self.rows):
                if table not in ordered and parents[table] <= set(ordered):
                    ordered.append(table)
                    break
            else:
                raise RuntimeError(f"foreign keys in a circle among {sorted(self.rows)}")
        return ordered

    def order(self) -> dict[Any, Any]:
        """One order's substitutions: new ids, and other SKUs (with their lots and levels)."""
        swap: dict[Any, Any] = {}
        for table in self.tables:
            for row in self.rows[table]:
                if isinstance(row.get("id"), uuid.UUID):
                    swap[row["id"]] = uuid.uuid4()
        taken = {before["id"] for before, _ in self.levels}
        reference = [s for s in self.stock if s[2] in taken]
        for old, new in zip(reference, self.random.sample(self.stock, len(reference)), strict=True):
            swap.update(zip(old, new, strict=True))
        return swap

    async def write(self, connection: asyncpg.Connection, swap: dict[Any, Any]) -> None:
        async with connection.transaction():
            number = await connection.fetchval(self.upsert, self.tenant_id, "order")
            for table in self.tables:
                rows, columns = self.rows[table], self.columns[table]
                values: list[Any] = []
                for row in rows:
                    for column in columns:
                        value = row[column]
                        if isinstance(value, uuid.UUID):
                            value = swap.get(value, value)
                        elif column in self.unique[table] and value is not None:
                            if column == "number":
                                value = number
                            elif column == "seq":
                                value, self.next_seq = self.next_seq, self.next_seq + 1
                            elif isinstance(value, str):
                                value = f"floor-{uuid.uuid4().hex}"
                        values.append(value)
                width = len(columns)
                placeholders = ", ".join(
                    "(" + ", ".join(f"${i * width + j + 1}" for j in range(width)) + ")"
                    for i in range(len(rows))
                )
                names = ", ".join(f'"{column}"' for column in columns)
                await connection.execute(
                    f'INSERT INTO "{table}" ({names}) VALUES {placeholders}', *values
                )
            await connection.execute(
                'UPDATE "stock_level" SET "allocated" = "allocated" + v.delta '
                "FROM unnest($1::uuid[], $2::int[]) AS v(id, delta) "
                'WHERE "stock_level"."id" = v.id',
                [swap[before["id"]] for before, _ in self.levels],
                [after["allocated"] - before["allocated"] for before, after in self.levels],
            )

    async def statements(self, db_url: str) -> list[str]:
        seen: list[str] = []
        original = {name: getattr(asyncpg.connection.Connection, name) for name in DRIVER_METHODS}

        def counted(method: Any) -> Any:
            async def run(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
                seen.append(query)
                return await method(self, query, *args, **kwargs)

            return run

        connection = await asyncpg.connect(pg(db_url))
        try:
            for name, method in original.items():
                setattr(asyncpg.connection.Connection, name, counted(method))
            await self.write(connection, self.order())
        finally:
            for name, method in original.items():
                setattr(asyncpg.connection.Connection, name, method)
            await connection.close()
        return seen

    async def sequential(self, db_url: str, orders: int) -> tuple[list[float], float]:
        """Time per placement, and CPU of this process per placement."""
        connection = await asyncpg.connect(pg(db_url))
        durations = []
        cpu = time.process_time()
        try:
            for _ in range(orders):
                swap = self.order()
                started = time.perf_counter()
                await self.write(connection, swap)
                durations.append(time.perf_counter() - started)
        finally:
            await connection.close()
        return durations, (time.process_time() - cpu) / max(orders, 1)

    async def concurrent(
        self, db_url: str, orders: int, concurrency: int
    ) -> tuple[list[float], float]:
        pool = await asyncpg.create_pool(pg(db_url), min_size=concurrency, max_size=concurrency)
        assert pool is not None
        latencies: list[float] = []
        todo = iter(range(orders))

        async def worker() -> None:
            async with pool.acquire() as connection:
                for _ in todo:
                    swap = self.order()
                    started = time.perf_counter()
                    await self.write(connection, swap)
                    latencies.append(time.perf_counter() - started)

        try:
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        finally:
            await pool.close()
        return latencies, elapsed


# --- report ------------------------------------------------------------------------------------


def report_statements(counted: dict[int, dict[str, list[str]]]) -> dict[str, int]:
    print("SQL statements per placement (warm caches):")
    fives = {}
    for kind, label in (
        ("driver", "whole request, round trips (BEGIN/SAVEPOINT/COMMIT, number upsert too)"),
        ("orm", "whole request, statements through the ORM (no BEGIN/SAVEPOINT/COMMIT)"),
        ("sql_count", "whole request, what tests/support/sql_count.py sees (not in transactions)"),
        ("domain_orm", "place_order alone, ORM statements"),
        ("domain_driver", "place_order alone, round trips"),
    ):
        n = {lines: len(counted[lines][kind]) for lines in LINE_COUNTS}
        slope = (n[20] - n[1]) / 19
        print(
            f"  {label}:\n    1 line: {n[1]}, 5 lines: {n[5]}, 20 lines: {n[20]}, "
            f"slope {slope:.1f}/line (1->5: {(n[5] - n[1]) / 4:.1f}, "
            f"5->20: {(n[20] - n[5]) / 15:.1f})"
        )
        fives[kind] = n[5]
    one = Counter(shape(s) for s in counted[1]["driver"])
    twenty = Counter(shape(s) for s in counted[20]["driver"])
    growing = sorted(
        ((twenty[s] - one[s]) / 19, s) for s in twenty if twenty[s] > one[s]
    )  # fmt: skip
    print("  round trips that grow with the lines (per extra line):")
    for per_line, statement in reversed(growing):
        print(f"    {per_line:4.1f}  {statement[:120]}")
    per_line = sum(n for n, _ in growing)
    print(f"  {per_line:.0f} per line in all; the rest of a placement, whatever its lines: "
          f"{sum(one.values()) - per_line:.0f} round trips\n")  # fmt: skip
    return fives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=400, help="5-line orders, concurrently")
    parser.add_argument("--sequential", type=int, default=100, help="5-line orders, one client")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--skus", type=int, default=40)
    parser.add_argument("--show-sql", action="store_true", help="print one placement's SQL")
    parser.add_argument(
        "--no-sample-waits",
        dest="sample_waits",
        action="store_false",
        help="do not sample pg_stat_activity while ours run concurrently",
    )
    add_smoke_flag(parser, orders=8, sequential=4, concurrency=4, skus=25)
    args = parse_with_smoke(parser)
    print(__doc__)

    name = f"merchantops_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    db_url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        units = 3 * 20 * (args.orders + args.sequential + 20) + 1000
        tenant_id, sku_ids = asyncio.run(seed(db_url, max(args.skus, 20), units))
        result = asyncio.run(ours(db_url, args, sku_ids))
        fives = report_statements(result["statements"])

        written: Written = result["rows"]
        print("Rows one 5-line placement writes:")
        for table in sorted(set(written.inserted) | set(written.updated)):
            inserted, updated = (
                len(written.inserted.get(table, [])),
                len(written.updated.get(table, [])),
            )
            print(f"  {table:24} inserted {inserted:3}   updated {updated:3}")
        print("  (tenant_counter: the order number's upsert, before the transaction)\n")

        durations, domain, cpu = result["sequential"]
        latencies, elapsed, statuses = result["concurrent"]
        floor = Floor(tenant_id, written)
        asyncio.run(floor.prepare(db_url))
        floor_sql = asyncio.run(floor.statements(db_url))
        if args.show_sql:
            print("Statements of one floor placement:")
            for statement in floor_sql:
                print(f"    {' '.join(statement.split())[:150]}")
            print()
        floor_statements = len(floor_sql)
        floor_durations, floor_cpu = asyncio.run(floor.sequential(db_url, len(durations)))
        floor_latencies, floor_elapsed = asyncio.run(
            floor.concurrent(db_url, len(latencies), args.concurrency)
        )

        mean, p50, p95 = quantiles(durations)
        floor_mean, floor_p50, floor_p95 = quantiles(floor_durations)
        print(f"5-line orders, one at a time ({len(durations)} each):")
        print(
            f"  ours  {mean:7.2f} ms mean   p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (the request)"
        )
        d_mean, d_p50, d_p95 = quantiles(domain)
        print(f"  ours  {d_mean:7.2f} ms mean   p50 {d_p50:7.2f} ms   p95 {d_p95:7.2f} ms   "
              "(place_order alone)")  # fmt: skip
        print(
            f"  floor {floor_mean:7.2f} ms mean   p50 {floor_p50:7.2f} ms   p95 {floor_p95:7.2f} ms"
        )
        print(f"  ours / floor time per placement: {mean / floor_mean:.1f}x (mean), "
              f"{p50 / floor_p50:.1f}x (p50); place_order alone / floor: "
              f"{d_mean / floor_mean:.1f}x (mean)")  # fmt: skip
        print(f"  statements per placement: ours {fives['driver']} round trips "
              f"({fives['domain_driver']} in place_order, {fives['orm']} through the ORM), "
              f"floor {floor_statements}")  # fmt: skip
        print(f"  CPU of this process per placement (client, app, ORM, driver; not PostgreSQL): "
              f"ours {cpu * 1000:.2f} ms, floor {floor_cpu * 1000:.2f} ms\n")  # fmt: skip
        rate = len(latencies) / elapsed
        floor_rate = len(floor_latencies) / floor_elapsed
        _, c50, c95 = quantiles(latencies)
        _, f50, f95 = quantiles(floor_latencies)
        print(f"5-line orders, {args.concurrency} concurrent clients ({len(latencies)} each):")
        print(f"  ours  {rate:8.1f} orders/s   p50 {c50:7.2f} ms   p95 {c95:7.2f} ms   "
              f"statuses {dict(statuses)}")  # fmt: skip
        print(f"  floor {floor_rate:8.1f} orders/s   p50 {f50:7.2f} ms   p95 {f95:7.2f} ms")
        print(f"  floor / ours throughput: {floor_rate / rate:.1f}x")
        waits: Counter[tuple[str, str]] = result["waits"]
        if not waits:
            return
        total = sum(waits.values()) or 1
        kinds: Counter[str] = Counter()
        for (wait, _), n in waits.items():
            kinds[wait.split(":")[0]] += n
        shares = ", ".join(f"{kind} {n / total:.0%}" for kind, n in kinds.most_common())
        print(f"  ours, the placements' PostgreSQL backends sampled every 20 ms: {shares}")
        print("  the most frequent (share, wait, statement):")
        for (wait, statement), n in waits.most_common(8):
            print(f"    {n / total:4.0%}  {wait[:22]:22} {statement}")
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so the database is dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
