"""ABC classification and turnover of every SKU, computed by one SQL statement per tenant.

Over a period (default 90 days) ending now:

- **usage value** = units shipped in the period (shipment movements) x the SKU's unit cost;
- **ABC class**: SKUs ranked by usage value (highest first, ties by id); a SKU is `A` while the
  usage value of the SKUs ranked before it is under 80% of the total, `B` under 95%, else `C`
  (so the SKU that crosses 80% is still `A`). No usage at all makes every SKU `C`.
- **turnover** = cost of goods shipped / average inventory value over the period. The average
  is approximated by the mean of the on-hand at the end (the levels now) and at the start (now
  minus the period's net movements), both from the ledger. With one unit cost per SKU the
  value ratio equals the quantity ratio, so it is computed on quantities. Null when the
  average inventory is zero. Not annualised: multiply by 365 / period for a yearly rate.

The statement is an `INSERT ... SELECT ... ON CONFLICT DO UPDATE` into `sku_analytics`, with
window functions for the cumulative share: PostgreSQL and SQLite (>= 3.28) both run it; only
the id generator and the numeric cast differ.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from merchantops.domain.inventory import sql

DEFAULT_PERIOD_DAYS = 90

_SQLITE_UUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
    " || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2)"
    " || '-' || hex(randomblob(6)))"
)

USAGE = """
WITH usage AS (
    SELECT s.id AS sku_id,
           COALESCE(mv.shipped, 0) * {cost} AS usage_value,
           COALESCE(mv.shipped, 0) AS shipped,
           COALESCE(st.on_hand, 0) - COALESCE(mv.net, 0) / 2.0 AS average_on_hand
    FROM sku s
    LEFT JOIN (
        SELECT sku_id,
               SUM(CASE WHEN kind = 'shipment' THEN -on_hand_delta ELSE 0 END) AS shipped,
               SUM(on_hand_delta) AS net
        FROM stock_movement
        WHERE tenant_id = :tenant AND created_at >= :since
        GROUP BY sku_id
    ) mv ON mv.sku_id = s.id
    LEFT JOIN (
        SELECT sku_id, SUM(on_hand) AS on_hand
        FROM stock_level WHERE tenant_id = :tenant GROUP BY sku_id
    ) st ON st.sku_id = s.id
    WHERE s.tenant_id = :tenant
),
ranked AS (
    SELECT sku_id, usage_value, shipped, average_on_hand,
           COALESCE(SUM(usage_value) OVER (
               ORDER BY usage_value DESC, sku_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ), 0) AS value_before,
           SUM(usage_value) OVER () AS total
    FROM usage
)
"""

UPSERT = (
    USAGE
    + """
INSERT INTO sku_analytics
    (id, tenant_id, sku_id, abc_class, usage_value, turnover, period_days, computed_at)
SELECT {uuid}, :tenant, sku_id,
       CASE WHEN total > 0 AND value_before < 0.80 * total THEN 'A'
            WHEN total > 0 AND value_before < 0.95 * total THEN 'B'
            ELSE 'C' END,
       ROUND(usage_value, 2),
       CASE WHEN average_on_hand > 0 THEN ROUND(shipped / average_on_hand, 4) END,
       :days, :now
FROM ranked WHERE true
ON CONFLICT (tenant_id, sku_id) DO UPDATE SET
    abc_class = excluded.abc_class, usage_value = excluded.usage_value,
    turnover = excluded.turnover, period_days = excluded.period_days,
    computed_at = excluded.computed_at
"""
)


def statement(postgres: bool) -> str:
    if postgres:
        return UPSERT.format(cost="s.cost", uuid="gen_random_uuid()")
    return UPSERT.format(cost="CAST(s.cost AS REAL)", uuid=_SQLITE_UUID)


async def classify(period_days: int = DEFAULT_PERIOD_DAYS, now: datetime | None = None) -> int:
    """Write the ABC class and turnover of every SKU of the tenant in context; returns the count."""
    now = now or datetime.now(UTC)
    await sql.execute(
        statement(sql.is_postgres()),
        since=now - timedelta(days=period_days),
        now=now,
        days=period_days,
    )
    [counted] = await sql.rows("SELECT COUNT(*) AS skus FROM sku WHERE tenant_id = :tenant")
    return int(counted["skus"])


__all__ = ["DEFAULT_PERIOD_DAYS", "USAGE", "classify", "statement"]
