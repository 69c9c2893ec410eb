from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.input
class AuditLogFilter:
    action: str | None = None
    actor: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


__all__ = ["AuditLogFilter"]
