"""A held export runs when approved and is marked rejected when not."""

from __future__ import annotations

from merchantops.domain.exports.service import CREATE, approved, rejected

ON_APPROVAL = {CREATE: approved}
ON_REJECTION = {CREATE: rejected}

__all__ = ["ON_APPROVAL", "ON_REJECTION"]
