from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.governance import models, risk
from merchantops.errors import DomainError

WRITE = TenantPermission("risk_alert", "write")


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


@strawberry.input
class RiskAlertInput:
    id: strawberry.ID


@strawberry.type
class RiskAlertPayload:
    alert: RiskAlertNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class GovernanceQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("risk_alert", "read"))],
        description="Risk alerts, most recently active first.",
    )
    async def risk_alerts(
        self,
        info: Info,
        status: AlertStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RiskAlertNode]:
        alerts = models.RiskAlert.all()
        if status is not None:
            alerts = alerts.filter(status=status.value)
        return await paginate(
            info,
            alerts.order_by("-updated_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=RiskAlertNode.from_model,
        )


async def _move(input: RiskAlertInput, status: models.AlertStatus) -> RiskAlertPayload:
    try:
        alert = await risk.set_status(decode_id(input.id, "RiskAlert"), status)
    except DomainError as error:
        return RiskAlertPayload(errors=user_errors(error))
    return RiskAlertPayload(alert=RiskAlertNode.from_model(alert))


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="Someone is on it.")
    async def acknowledge_risk_alert(self, input: RiskAlertInput) -> RiskAlertPayload:
        return await _move(input, models.AlertStatus.ACKNOWLEDGED)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Close the alert; the next matching signal opens a new one.",
    )
    async def resolve_risk_alert(self, input: RiskAlertInput) -> RiskAlertPayload:
        return await _move(input, models.AlertStatus.RESOLVED)


__all__ = ["GovernanceMutation", "GovernanceQuery"]
