from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.governance.types import RiskAlertNode
from merchantops.domain.governance import risk
from merchantops.domain.governance.models import AlertStatus

WRITE = TenantPermission("risk_alert", "write")


@strawberry.input
class RiskAlertInput:
    id: strawberry.ID


@strawberry.type
class RiskAlertPayload:
    alert: RiskAlertNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _move(input: RiskAlertInput, status: AlertStatus) -> RiskAlertPayload:
    alert = await risk.set_status(decode_id(input.id, "RiskAlert"), status)
    return RiskAlertPayload(alert=RiskAlertNode.from_model(alert))


@strawberry.type
class RiskAlertMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="Someone is on it.")
    async def acknowledge_risk_alert(self, input: RiskAlertInput) -> RiskAlertPayload:
        return await _move(input, AlertStatus.ACKNOWLEDGED)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Close the alert; the next matching signal opens a new one.",
    )
    async def resolve_risk_alert(self, input: RiskAlertInput) -> RiskAlertPayload:
        return await _move(input, AlertStatus.RESOLVED)


__all__ = ["RiskAlertInput", "RiskAlertMutation", "RiskAlertPayload"]
