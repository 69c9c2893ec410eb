"""Inventory's background jobs. Thin: each calls a domain service for the tenant in context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.governance.risk import open_or_bump
from merchantops.domain.inventory import analytics, positions, reconcile
from merchantops.tenants.jobs import JobContext, JobFunction, Schedule

CHECK_STOCK = "inventory.check_stock"
LEDGER_CHECK = "inventory.ledger_check"
ANALYTICS = "inventory.analytics"
LEDGER_RULE = "inventory-ledger-mismatch"


async def check_stock_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Emit `inventory.stock_low` for each SKU under safety stock; the risk rule alerts."""
    low = await positions.check_stock()
    await ctx.progress(len(low), len(low))


async def ledger_check_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Rebuild every level from the ledger; a mismatch opens a high risk alert."""
    report = await reconcile.rebuild()
    await ctx.progress(report.levels_checked, report.levels_checked)
    if not report.ok:
        await open_or_bump(
            LEDGER_RULE,
            "Stock levels differ from the movement ledger",
            "high",
            LEDGER_RULE,
            {
                "levels_checked": report.levels_checked,
                "mismatches": [str(m.level_id) for m in report.mismatches[:50]],
            },
        )


async def analytics_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """ABC classes and turnover of every SKU over `period_days` (default 90)."""
    days = int(payload.get("period_days") or analytics.DEFAULT_PERIOD_DAYS)
    count = await analytics.classify(days)
    await ctx.progress(count, count)


HOUR, DAY = 3600, 86400
SCHEDULES = (Schedule(CHECK_STOCK, HOUR), Schedule(LEDGER_CHECK, DAY), Schedule(ANALYTICS, DAY))


def jobs(deps: Dependencies) -> Mapping[str, JobFunction]:
    return {CHECK_STOCK: check_stock_job, LEDGER_CHECK: ledger_check_job, ANALYTICS: analytics_job}


__all__ = [
    "ANALYTICS",
    "CHECK_STOCK",
    "LEDGER_CHECK",
    "SCHEDULES",
    "analytics_job",
    "check_stock_job",
    "jobs",
    "ledger_check_job",
]
