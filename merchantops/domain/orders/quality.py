"""The quality loop (standard 4.2): when one SKU's returned units for one reason pass the
tenant's threshold within its period, a risk alert names the SKU, the reason, the lots the
returned goods came from and those lots' suppliers, so purchasing can act on the batch.

One live alert per SKU and reason (`quality:<sku>:<reason>`); later returns bump it. The
customer-service area feeds complaints naming a lot into the same check, as the reason
`complaint` with their count and lots (`Complaints`): each complaint counts as one unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from merchantops.domain.catalog.models import Sku
from merchantops.domain.governance.models import RiskAlert
from merchantops.domain.governance.risk import open_or_bump
from merchantops.domain.inventory.models import Lot
from merchantops.domain.orders.models import ReturnLine
from merchantops.domain.orders.policies import order_settings
from merchantops.domain.suppliers.models import Supplier

RULE = "quality-returns-threshold"
COMPLAINT = "complaint"


@dataclass(frozen=True, slots=True)
class Complaints:
    """Complaints about the SKU within the period (counted by the customer-service area)."""

    count: int
    lot_ids: frozenset[UUID]


async def check(
    sku_id: UUID,
    reason: str,
    now: datetime | None = None,
    *,
    complaints: Complaints | None = None,
) -> RiskAlert | None:
    """Raise (or bump) the quality alert of a SKU and reason when its returns (and the
    complaints given) pass the threshold; None below it."""
    settings = await order_settings()
    since = (now or datetime.now(UTC)) - timedelta(days=settings.quality_period_days)
    rows = ReturnLine.filter(
        sku_id=sku_id, reason_code=reason, quantity_received__gt=0, rma__received_at__gte=since
    )
    units = sum(cast(list[int], await rows.values_list("quantity_received", flat=True)))
    if complaints is not None:
        units += complaints.count
    if units < settings.quality_return_threshold:
        return None
    returned = cast(list[UUID | None], await rows.values_list("lot_id", flat=True))
    lot_ids = {lot for lot in returned if lot is not None}
    if complaints is not None:
        lot_ids |= complaints.lot_ids
    lots = list(await Lot.filter(id__in=lot_ids).order_by("trace_code"))
    suppliers = list(
        await Supplier.filter(id__in={lot.supplier_id for lot in lots if lot.supplier_id}).order_by(
            "name"
        )
    )
    sku = await Sku.get(id=sku_id)
    what = "complaints naming a lot" if reason == COMPLAINT else f"units returned as {reason!r}"
    fact: dict[str, Any] = {
        "sku": {"id": str(sku.id), "code": sku.code, "name": sku.name},
        "reason": reason,
        "returned_units": units,
        "threshold": settings.quality_return_threshold,
        "period_days": settings.quality_period_days,
        "lots": [{"id": str(lot.id), "trace_code": lot.trace_code} for lot in lots],
        "suppliers": [{"id": str(s.id), "name": s.name} for s in suppliers],
    }
    return await open_or_bump(
        RULE,
        f"{sku.code}: {units} {what} in {settings.quality_period_days} days",
        "high",
        f"quality:{sku.id}:{reason}",
        fact,
    )


__all__ = ["COMPLAINT", "RULE", "Complaints", "check", "order_settings"]
