from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.domain.governance import models

# The domain's own enum, exposed as it is: one list of values to keep.
AlertStatus = models.AlertStatus
strawberry.enum(AlertStatus, name="RiskAlertStatus")


@strawberry.type(name="RiskAlert")
class RiskAlertNode(relay.Node):
    id: relay.NodeID[str]
    rule_id: str
    title: str
    severity: str
    status: AlertStatus
    occurrences: int = strawberry.field(description="Signals de-duplicated into this alert.")
    last_fact: JSON
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, alert: models.RiskAlert) -> Self:
        fact: Any = alert.last_fact
        return cls(
            id=str(alert.id),
            rule_id=alert.rule_id,
            title=alert.title,
            severity=alert.severity,
            status=alert.status,
            occurrences=alert.occurrences,
            last_fact=fact,
            created_at=alert.created_at,
            updated_at=alert.updated_at,
        )


__all__ = ["AlertStatus", "RiskAlertNode"]
