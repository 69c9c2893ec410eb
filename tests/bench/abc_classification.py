"""ABC classification on PostgreSQL: the analytics job's statement next to the one-SELECT floor.

Builds a throwaway database with one tenant, `--skus` SKUs (one lot and level each) and
`--movements` movements (receipts and shipments spread over 120 days, generated in SQL), then
times `analytics.classify` (usage, classes and turnover upserted into `sku_analytics`) against
one plain SELECT computing the same classes (the floor), and prints both with their ratio.
Checks that both give the same class to every SKU. Prints figures; asserts no timings.

    .venv/bin/python -m tests.bench.abc_classification                 # 100,000 / 2,000,000
    .venv/bin/python -m tests.bench.abc_classification --skus 10000 --movements 200000
    .venv/bin/python -m tests.bench.abc_classification --smoke     # 200 / 4,000, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from merchantops.db import close_db, init_db, migrate_db
from merchantops.domain.inventory import analytics, sql
from merchantops.tenants.context import tenant_scope
from tests.bench.smoke import add_smoke_flag, parse_with_smoke

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")

FLOOR = """
WITH usage AS (
    SELECT s.id AS sku_id, COALESCE(m.shipped, 0) * s.cost AS usage_value
    FROM sku s
    LEFT JOIN (
        SELECT sku_id, SUM(-on_hand_delta) AS shipped FROM stock_movement
        WHERE tenant_id = :tenant AND kind = 'shipment' AND created_at >= :since
        GROUP BY sku_id
    ) m ON m.sku_id = s.id
    WHERE s.tenant_id = :tenant
)
SELECT sku_id,
       CASE WHEN total > 0 AND before < 0.80 * total THEN 'A'
            WHEN total > 0 AND before < 0.95 * total THEN 'B' ELSE 'C' END AS abc_class
FROM (
    SELECT sku_id,
           COALESCE(SUM(usage_value) OVER (ORDER BY usage_value DESC, sku_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
           SUM(usage_value) OVER () AS total
    FROM usage
) ranked
"""


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _seed(url: str, skus: int, movements: int) -> uuid.UUID:
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    tenant_id, product_id = uuid.uuid4(), uuid.uuid4()
    per_sku = max(2, movements // skus)
    try:
        await connection.execute(
            "INSERT INTO tenant (id, slug, name, status, policy_version, rules_version,"
            " created_at) VALUES ($1, 'bench', 'Bench', 'active', 0, 0, now())",
            tenant_id,
        )
        await connection.execute(
            "INSERT INTO product (id, tenant_id, name, category, description, stage, contact_name,"
            " contact_email, created_at, updated_at) VALUES ($1, $2, 'Bench', '', '', 'maturity',"
            " 'Bench Buyer', 'buyer@bench.example', now(), now())",
            product_id,
            tenant_id,
        )
        await connection.execute(
            "INSERT INTO sku (id, tenant_id, product_id, code, name, price, cost, created_at,"
            " updated_at) SELECT gen_random_uuid(), $2, $1, 'SKU-' || n, 'SKU ' || n, 20,"
            " 1 + (n * 7919 % 997) / 10.0, now(), now() FROM generate_series(1, $3::int) n",
            product_id,
            tenant_id,
            skus,
        )
        warehouse_id, zone_id = uuid.uuid4(), uuid.uuid4()
        await connection.execute(
            "INSERT INTO warehouse (id, tenant_id, code, name, created_at)"
            " VALUES ($1, $2, 'WH1', 'Bench', now())",
            warehouse_id,
            tenant_id,
        )
        await connection.execute(
            "INSERT INTO zone (id, tenant_id, warehouse_id, code, name)"
            " VALUES ($1, $2, $3, 'MAIN', 'Main')",
            zone_id,
            tenant_id,
            warehouse_id,
        )
        await connection.execute(
            "INSERT INTO lot (id, tenant_id, sku_id, trace_code, quantity, received_at)"
            " SELECT gen_random_uuid(), $1, id, 'LOT-' || code, 100000, now() - interval '200 days'"
            " FROM sku WHERE tenant_id = $1",
            tenant_id,
        )
        await connection.execute(
            "INSERT INTO stock_level (id, tenant_id, sku_id, lot_id, warehouse_id, zone_id,"
            " on_hand, allocated, received_at) SELECT gen_random_uuid(), $1, sku_id, id, $2, $3,"
            " 0, 0, received_at FROM lot WHERE tenant_id = $1",
            tenant_id,
            warehouse_id,
            zone_id,
        )
        # one receipt per SKU, then shipments whose size follows a skewed (Pareto-like) curve
        await connection.execute(
            "INSERT INTO stock_movement (tenant_id, kind, sku_id, lot_id, warehouse_id, zone_id,"
            " on_hand_delta, allocated_delta, reference, actor, created_at)"
            " SELECT $1, CASE WHEN k = 1 THEN 'receipt' ELSE 'shipment' END, l.sku_id, l.id, $2,"
            " $3, CASE WHEN k = 1 THEN 100000 ELSE -(1 + (100000 / (1 + r.n)) % 50) END, 0,"
            " 'bench', 'bench', now() - (k % 120) * interval '1 day'"
            " FROM (SELECT id, sku_id, row_number() OVER (ORDER BY id) AS n FROM lot"
            "       WHERE tenant_id = $1) r JOIN lot l ON l.id = r.id,"
            " generate_series(1, $4::int) AS k",
            tenant_id,
            warehouse_id,
            zone_id,
            per_sku,
        )
        await connection.execute(
            "UPDATE stock_level s SET on_hand = m.total FROM (SELECT lot_id, SUM(on_hand_delta)"
            " AS total FROM stock_movement WHERE tenant_id = $1 GROUP BY lot_id) m"
            " WHERE s.lot_id = m.lot_id",
            tenant_id,
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return tenant_id


async def _timed(runs: int, action: object) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


async def main(skus: int, movements: int, runs: int) -> None:
    name = f"merchantops_bench_abc_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        await migrate_db(url)
        started = time.perf_counter()
        tenant_id = await _seed(url, skus, movements)
        print(f"seeded {skus:,} SKUs and {max(2, movements // skus) * skus:,} movements "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        await init_db(url)
        now = datetime.now(UTC)
        since = now - timedelta(days=analytics.DEFAULT_PERIOD_DAYS)
        with tenant_scope(tenant_id):
            job = await _timed(runs, lambda: analytics.classify(now=now))
            floor = await _timed(runs, lambda: sql.rows(FLOOR, since=since))
            expected = {r["sku_id"]: r["abc_class"] for r in await sql.rows(FLOOR, since=since)}
            written = await sql.rows("SELECT sku_id, abc_class FROM sku_analytics")
            classes = {r["sku_id"]: r["abc_class"] for r in written}
            counts = {c: list(classes.values()).count(c) for c in "ABC"}
        assert classes == expected, "the job and the floor disagree on some classes"
        job_s, floor_s = statistics.median(job), statistics.median(floor)
        print(f"classes A/B/C: {counts['A']:,} / {counts['B']:,} / {counts['C']:,}")
        print(f"job (INSERT ... SELECT ... ON CONFLICT, with turnover): median {job_s:.3f} s")
        print(f"floor (one SELECT of the classes):                      median {floor_s:.3f} s")
        print(f"ratio job / floor: {job_s / floor_s:.2f}  ({runs} runs each)")
    finally:
        await close_db()
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so the throwaway database is still dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--movements", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    add_smoke_flag(parser, skus=200, movements=4000, runs=1)
    arguments = parse_with_smoke(parser)
    asyncio.run(main(arguments.skus, arguments.movements, arguments.runs))
