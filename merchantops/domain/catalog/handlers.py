"""What the catalogue does when an approval of one of its changes is decided."""

from __future__ import annotations

from merchantops.domain.catalog.service import PRICE_CHANGE, apply_approved_price

ON_APPROVAL = {PRICE_CHANGE: apply_approved_price}

__all__ = ["ON_APPROVAL"]
