from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.governance.types import AlertStatus, RiskAlertNode
from merchantops.domain.governance.models import RiskAlert


@strawberry.type
class GovernanceQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("risk_alert", "read"))],
        description="Risk alerts, most recently active first.",
    )
    @paged
    async def risk_alerts(
        self,
        info: Info,
        status: AlertStatus | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[RiskAlertNode]:
        alerts = RiskAlert.all()
        if status is not None:
            alerts = alerts.filter(status=status.value)
        return await paginate(
            info,
            alerts.order_by("-updated_at", "id"),
            page,
            to_node=RiskAlertNode.from_model,
        )


__all__ = ["GovernanceQuery"]
