"""The ledger check: every level rebuilt from its movements, compared with what it records.

One statement groups the tenant's movements by lot and zone (`SUM` of the deltas) and joins the
result to the levels; a level whose on hand or allocated differs from its ledger is a mismatch.
Since a level changes only through `ledger.apply`, a mismatch means a write went around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from merchantops.domain.inventory import sql

_CHECK = """
SELECT l.id AS level_id, l.on_hand, l.allocated,
       COALESCE(m.on_hand, 0) AS ledger_on_hand, COALESCE(m.allocated, 0) AS ledger_allocated
FROM stock_level l
LEFT JOIN (
    SELECT lot_id, zone_id, SUM(on_hand_delta) AS on_hand, SUM(allocated_delta) AS allocated
    FROM stock_movement WHERE tenant_id = :tenant
    GROUP BY lot_id, zone_id
) m ON m.lot_id = l.lot_id AND m.zone_id = l.zone_id
WHERE l.tenant_id = :tenant
  AND (l.on_hand <> COALESCE(m.on_hand, 0) OR l.allocated <> COALESCE(m.allocated, 0))
ORDER BY l.id
"""
_COUNT = "SELECT COUNT(*) AS levels FROM stock_level WHERE tenant_id = :tenant"


@dataclass(frozen=True, slots=True)
class Mismatch:
    level_id: UUID
    on_hand: int
    allocated: int
    ledger_on_hand: int
    ledger_allocated: int


@dataclass(frozen=True, slots=True)
class LedgerReport:
    levels_checked: int
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


async def rebuild() -> LedgerReport:
    """Check every level of the tenant in context against its ledger."""
    [count] = await sql.rows(_COUNT)
    mismatches = [
        Mismatch(
            level_id=UUID(str(row["level_id"])),
            on_hand=int(row["on_hand"]),
            allocated=int(row["allocated"]),
            ledger_on_hand=int(row["ledger_on_hand"]),
            ledger_allocated=int(row["ledger_allocated"]),
        )
        for row in await sql.rows(_CHECK)
    ]
    return LedgerReport(levels_checked=int(count["levels"]), mismatches=mismatches)


__all__ = ["LedgerReport", "Mismatch", "rebuild"]
