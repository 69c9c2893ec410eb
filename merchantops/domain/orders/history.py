"""An order's history: every change appends one entry (`OrderEvent`), in the change's
transaction. Entries name fields, ids and amounts, never personal values; a note staff write
goes in `message`, which is classified and masked for the reader."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from merchantops.domain.orders.models import OrderEvent
from merchantops.tenants.context import current_actor


async def append(
    order_id: UUID, type: str, data: dict[str, Any] | None = None, message: str = ""
) -> OrderEvent:
    return await OrderEvent.create(
        order_id=order_id,
        type=type,
        data=dict(data or {}),
        message=message,
        actor=current_actor()[:100],
    )


__all__ = ["append"]
