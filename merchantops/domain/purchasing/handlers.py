"""A held purchase order goes on when its submission or approval is approved, and back to
where it was when rejected."""

from __future__ import annotations

from merchantops.domain.purchasing.service import APPROVE, SUBMIT, apply_approved, rejected

ON_APPROVAL = {SUBMIT: apply_approved(SUBMIT), APPROVE: apply_approved(APPROVE)}
ON_REJECTION = {SUBMIT: rejected, APPROVE: rejected}

__all__ = ["ON_APPROVAL", "ON_REJECTION"]
