"""What the customers area does when an approval of one of its changes is decided."""

from __future__ import annotations

from merchantops.domain.customers.privacy import ERASE, apply_approved_erasure

ON_APPROVAL = {ERASE: apply_approved_erasure}

__all__ = ["ON_APPROVAL"]
